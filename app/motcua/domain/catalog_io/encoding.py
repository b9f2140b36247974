"""Catalog file bytes to text, for both formats: UTF-8 (a BOM allowed) or UTF-16 with a BOM, nothing else."""

from __future__ import annotations

from motcua.domain.errors import ValidationError
from motcua.i18n import tr

# A catalog of every national procedure is a few MB; bigger is not a catalog, and parsing it would take minutes.
MAX_CATALOG_BYTES = 32 * 1024 * 1024


def decode(data: bytes | str) -> str:
    """The text of a catalog file.

    Raises:
        ValidationError: bigger than :data:`MAX_CATALOG_BYTES`, or not UTF-8 / UTF-16 with a BOM.
    """
    check_size(len(data))
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # Excel "Unicode Text"; the BOM says which byte order
        except UnicodeDecodeError:
            raise ValidationError(tr("Tệp UTF-16 bị hỏng (byte lẻ hoặc ký tự không hợp lệ)")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" saves in the Windows code page (cp1258 on Vietnamese Windows), older files may be
        # TCVN3: guessing would import mojibake silently, so ask for UTF-8 instead.
        raise ValidationError(tr('Tệp không ở dạng UTF-8; hãy lưu lại bằng "CSV UTF-8" rồi nhập lại')) from None


def check_size(size: int) -> None:
    if size > MAX_CATALOG_BYTES:
        raise ValidationError(
            tr("Tệp danh mục quá lớn ({mb} MB, tối đa {max_mb} MB)", mb=size >> 20, max_mb=MAX_CATALOG_BYTES >> 20),
            "path",
        )
