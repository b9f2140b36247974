"""Loading a catalog file from disk, the format chosen by the file's extension (``.json`` or ``.csv``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from motcua.domain.catalog_io.csv_format import load_catalog_csv
from motcua.domain.catalog_io.encoding import check_size
from motcua.domain.catalog_io.json_format import load_catalog_json
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Procedure
from motcua.i18n import tr

_LOADERS: dict[str, Callable[[bytes], list[Procedure]]] = {
    ".json": load_catalog_json,
    ".csv": load_catalog_csv,
}


def load_catalog_file(path: str | Path) -> list[Procedure]:
    """Load a catalog file, choosing the format by its extension (``.json`` or ``.csv``).

    Args:
        path: the file.

    Returns:
        The procedures.

    Raises:
        ValidationError: unsupported extension, unreadable file, or any loader error.
    """
    p = Path(path)
    loader = _LOADERS.get(p.suffix.lower())
    if loader is None:
        raise ValidationError(
            tr("Định dạng tệp danh mục không được hỗ trợ: {ext} (chỉ .json hoặc .csv)", ext=p.suffix or p.name),
            "path",
        )
    if p.is_dir():
        raise ValidationError(tr("{path} là một thư mục, không phải tệp danh mục", path=str(p)), "path")
    try:
        check_size(p.stat().st_size)  # before reading: a huge file is refused without filling the memory
        data = p.read_bytes()
    except OSError as exc:
        raise ValidationError(
            tr("Không đọc được tệp {path}: {error}", path=str(p), error=exc.strerror or str(exc)), "path"
        ) from None
    return loader(data)
