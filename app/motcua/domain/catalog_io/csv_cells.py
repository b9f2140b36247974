"""The syntax inside the cells of a CSV catalog: times, compact items, escaping, numbers and flags.

The compact cells (fees, components, extra) hold items joined by ``;`` whose fields are joined by ``:``, ``|``
or ``=``; a backslash escapes the next character, so names may contain ``;`` ``|`` ``:`` ``=`` or ``\\``
(written ``\\;`` ``\\|`` ``\\:`` ``\\=`` ``\\\\``). Numbers accept a decimal comma (``0,5``), amounts in đồng
a thousands separator (``70.000``), flags ``1``/``0``, ``true``/``false`` or ``có``/``không``. The column
layout is described in :mod:`~motcua.domain.catalog_io.csv_format`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from motcua.domain.catalog_io.records import number_out
from motcua.domain.catalog_io.validation import parse_unit
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Component, Fee, ProcessingTime, TimeUnit
from motcua.domain.text import fold, nfc
from motcua.i18n import tr

# Whole đồng, optionally grouped by thousands ("70.000", "70,000", "70 000"): VND has no decimals, so a
# separator followed by anything but three digits is a typo, not a fraction.
_VND = re.compile(r"^\d{1,3}(?:[., ]\d{3})+$|^\d+$")
_ESCAPABLE = "\\;|:="
_TRUE = frozenset({"1", "true", "yes", "y", "x", "co", "dung"})
_FALSE = frozenset({"0", "false", "no", "n", "khong", "sai"})


def time_from_cells(amount: str, unit: str, cutoff: str, skip: bool, which: str) -> ProcessingTime:
    field = f"{which}_unit"
    if not unit:
        raise ValidationError(tr("Thiếu đơn vị thời gian ({column})", column=field), field)
    parsed_unit = parse_unit(unit)
    if not amount:
        if parsed_unit is not TimeUnit.SAME_DAY:
            raise ValidationError(
                tr("Thiếu thời gian giải quyết ({column})", column=f"{which}_amount"), f"{which}_amount"
            )
        value = 0.0
    else:
        value = parse_float(amount, f"{which}_amount")
    return ProcessingTime(amount=value, unit=parsed_unit, cutoff=cutoff, skip_holidays=skip)


def fee_from_cell(item: str) -> Fee:
    fields = [_unescape(f) for f in _split_escaped(item, ":")]
    if len(fields) < 2:
        raise ValidationError(tr("Khoản phí không đúng dạng tên:số tiền[:ghi chú]: {value}", value=_unescape(item)))
    amount = fields[1].strip()
    if not _VND.match(amount):
        raise ValidationError(tr("Số tiền không hợp lệ: {value}", value=amount), "fees")
    # A hand-typed note may contain an unescaped colon ("từ trang 3: 1.000 đ"): it belongs to the note.
    note = ":".join(fields[2:])
    digits = re.sub(r"\D", "", amount)
    if len(digits) > 15:  # more than any fee, and past what int() converts for a string of thousands of digits
        raise ValidationError(tr("Số tiền quá lớn: {value}", value=amount), "fees")
    return Fee(name=nfc(fields[0]), amount_vnd=int(digits), note=nfc(note))


def component_from_cell(item: str) -> Component:
    fields = [nfc(_unescape(f)) for f in _split_escaped(item, "|")]
    if not 2 <= len(fields) <= 7:
        raise ValidationError(
            tr("Thành phần hồ sơ không đúng dạng mã|tên|…: {value}", value=_unescape(item)), "components"
        )
    fields += [""] * (7 - len(fields))
    return Component(
        code=fields[0],
        name=fields[1],
        originals=parse_int(fields[2], "originals", 0),
        certified_copies=parse_int(fields[3], "certified_copies", 0),
        photocopies=parse_int(fields[4], "photocopies", 0),
        required=parse_flag(fields[5], "required", True),
        must_digitize=parse_flag(fields[6], "must_digitize", False),
    )


def extra_from_cell(item: str) -> tuple[str, str]:
    fields = [_unescape(f) for f in _split_escaped(item, "=")]
    if len(fields) < 2 or not fields[0].strip():
        raise ValidationError(tr("Thông tin thêm không đúng dạng khóa=giá trị: {value}", value=_unescape(item)))
    return nfc(fields[0]), nfc("=".join(fields[1:]))


def parse_float(text: str, field: str) -> float:
    # Vietnamese regional settings write a decimal comma ("0,5").
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValidationError(tr("Không phải số: {value} ({column})", value=text, column=field), field) from None


def parse_int(text: str, field: str, default: int) -> int:
    if not text.strip():
        return default
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError(tr("Không phải số nguyên: {value} ({column})", value=text, column=field), field) from None


def parse_flag(text: str, field: str, default: bool) -> bool:
    if not text.strip():
        return default
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(tr("Giá trị có/không không hợp lệ: {value} ({column})", value=text, column=field), field)


def flag(value: bool) -> str:
    return "1" if value else "0"


def format_number(x: float) -> str:
    return str(number_out(x))


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPABLE else ch for ch in text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def join_fields(fields: Sequence[str], sep: str) -> str:
    return sep.join(_escape(nfc(f)) for f in fields)


def _split_escaped(text: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not preceded by a backslash; escapes stay in the pieces."""
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return parts


def items(cell: str) -> list[str]:
    """The ``;``-separated items of a compact cell; blank items (a trailing ``;``) are dropped."""
    return [item for item in _split_escaped(cell.strip(), ";") if item.strip()]
