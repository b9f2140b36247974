"""Catalog file bytes to text, for both formats: UTF-8 (a BOM allowed) or UTF-16 with a BOM, nothing else."""

from __future__ import annotations

from motcua.domain.errors import ValidationError
from motcua.i18n import tr


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel "Unicode Text"; the BOM says which byte order
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" saves in the Windows code page (cp1258 on Vietnamese Windows), older files may be
        # TCVN3: guessing would import mojibake silently, so ask for UTF-8 instead.
        raise ValidationError(tr('Tệp không ở dạng UTF-8; hãy lưu lại bằng "CSV UTF-8" rồi nhập lại')) from None
