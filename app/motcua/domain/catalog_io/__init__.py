"""Import and export of the procedure catalog (danh mục thủ tục hành chính) as JSON or CSV.

The province publishes about 2,200 procedures; a centre receives them as a file (from the provincial system,
from a spreadsheet kept by the centre's staff, or from the sample shipped with the app) and the counter must
never end up with half a catalog. So every loader here is **all-or-nothing**: it parses and checks every row,
and if any row is bad it raises :class:`~motcua.domain.catalog_io.validation.CatalogImportError` listing *all*
bad rows, and returns nothing.

The modules, one job each:

``records``          a procedure as a JSON-friendly dict and back (``procedure_to_dict``/``procedure_from_dict``)
``validation``       the checks every loader shares: ``CatalogImportError``, the import checks, unique codes,
                     and enum values read from their stored or Vietnamese spreadsheet spellings
``encoding``         file bytes to text (UTF-8 with or without BOM, UTF-16 with BOM)
``json_format``      the JSON file format: ``dump_catalog_json``/``load_catalog_json``
``csv_format``       the CSV file format: ``dump_catalog_csv``/``load_catalog_csv``, columns, delimiter sniffing
``csv_cells``        the syntax inside CSV cells: compact fee/component/extra items, escaping, numbers, flags
``files``            ``load_catalog_file``: a file on disk, format chosen by its extension
``synthetic``        ``generate_synthetic_catalog``: a full-size made-up catalog for tests and benchmarks
``synthetic_words``  the Vietnamese word material the synthetic catalog is built from
"""
