"""The JSON catalog file format: dump and load, all or nothing.

JSON format (``dump_catalog_json``)::

    {"format": "motcua-catalog", "version": 1, "procedures": [<procedure>, ...]}

A bare list of procedures is accepted too; other top-level keys (``"description"`` …) are metadata and are
ignored. A procedure is the dict made by :func:`~motcua.domain.catalog_io.records.procedure_to_dict`: enums as
their values (``"commune"``, ``"working_days"``, channels ``["1", "2"]``), times as
``{"amount", "unit", "cutoff", "skip_holidays"}``, fees and components as lists of dicts. Unknown keys inside a
procedure are an error (they are typos far more often than data from the future; the ``version`` field is there
for the future).

Row numbers in :attr:`CatalogImportError.problems` are 1-based positions in the ``procedures`` list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from motcua.domain.catalog_io.encoding import decode
from motcua.domain.catalog_io.records import procedure_from_dict, procedure_to_dict
from motcua.domain.catalog_io.validation import CatalogImportError, check_unique
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Procedure
from motcua.domain.text import nfc
from motcua.i18n import tr

FORMAT = "motcua-catalog"
VERSION = 1


def dump_catalog_json(procs: Iterable[Procedure], *, description: str | None = None) -> str:
    """The catalog as JSON text (UTF-8 characters kept as they are, one-space indent).

    Args:
        procs: the procedures, written in the given order.
        description: an optional note on where the data comes from (metadata; loaders ignore it).

    Returns:
        ``{"format": "motcua-catalog", "version": 1, "procedures": [...]}`` as a string ending in a newline.
    """
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if description:
        doc["description"] = nfc(description)
    doc["procedures"] = [procedure_to_dict(p) for p in procs]
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def load_catalog_json(data: bytes | str) -> list[Procedure]:
    """Parse a JSON catalog, all or nothing.

    Args:
        data: the file content (bytes in UTF-8, a BOM allowed, or already-decoded text).

    Returns:
        The procedures in file order.

    Raises:
        ValidationError: not JSON, or not a catalog at all.
        CatalogImportError: some procedures are bad or duplicated; ``problems`` lists them all.
    """
    text = decode(data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            tr("Tệp JSON không hợp lệ (dòng {line}, cột {col})", line=exc.lineno, col=exc.colno)
        ) from None
    except RecursionError:
        # Thousands of nested brackets: no catalog is deeper than a handful of levels.
        raise ValidationError(tr("Tệp JSON lồng nhau quá sâu, không phải tệp danh mục thủ tục")) from None
    except ValueError:
        # An integer of thousands of digits (Python refuses to convert it): not a catalog either.
        raise ValidationError(tr("Tệp JSON có số quá dài, không phải tệp danh mục thủ tục")) from None
    if isinstance(doc, dict):
        if doc.get("format") != FORMAT or "procedures" not in doc:
            raise ValidationError(tr("Không phải tệp danh mục thủ tục"))
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValidationError(tr("Phiên bản tệp danh mục không hợp lệ: {version}", version=version))
        if version > VERSION:
            raise ValidationError(tr("Tệp danh mục phiên bản {version} mới hơn phần mềm này hỗ trợ", version=version))
        items = doc["procedures"]
    else:
        items = doc
    if not isinstance(items, list):
        raise ValidationError(tr("Không phải tệp danh mục thủ tục"))

    problems: list[tuple[int, str]] = []
    parsed: list[tuple[int, Procedure]] = []
    for index, item in enumerate(items):
        try:
            parsed.append((index + 1, procedure_from_dict(item)))
        except ValidationError as exc:
            problems.append((index + 1, str(exc)))
    check_unique(parsed, problems)
    if problems:
        raise CatalogImportError(sorted(problems, key=lambda rp: rp[0]))
    return [p for _, p in parsed]
