"""The checks every catalog loader shares, and the error that reports them.

- :class:`CatalogImportError`: a file with bad rows, listing *all* of them, so that nothing of it is imported.
  Row numbers in :attr:`CatalogImportError.problems` are spreadsheet rows for CSV (the header is row 1, so the
  first procedure is row 2) and 1-based positions in the ``procedures`` list for JSON.
- :func:`checked`: :meth:`Procedure.validate` plus the checks an import needs that the entity does not make.
- :func:`check_unique`: a procedure code may appear only once in a file.
- :func:`parse_level`, :func:`parse_unit`, :func:`parse_channel`: enum values as stored (``working_days``) or,
  for level and unit, as a spreadsheet says them in Vietnamese (``ngày làm việc``, ``tỉnh``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Channel, Level, Procedure, TimeUnit
from motcua.domain.text import fold
from motcua.i18n import tr

E = TypeVar("E", Level, TimeUnit)

# The error summary is shown in a message box: list enough rows to act on, not two thousand.
_MAX_LISTED_PROBLEMS = 20

# Bounds no real procedure reaches (the longest statutory times are months; fees are at most millions of đồng).
MAX_TEXT_CHARS = 2_000
MAX_CODE_CHARS = 100
MAX_FEE_VND = 1_000_000_000
MAX_FEE_TIER = 100_000
MAX_FEES = 100
MAX_COMPONENTS = 200
MAX_EXTRA = 100
MAX_COPIES_PER_COMPONENT = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_TIME = {
    TimeUnit.WORKING_DAYS: 365.0,
    TimeUnit.CALENDAR_DAYS: 365.0 * 7 / 5,  # the calendar days that 365 working days span
    TimeUnit.HOURS: 365.0 * 8,
}

# Empty = the centre's default cut-off (a calendar setting), so only a non-empty value must be a time.
_CUTOFF = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d)?$")

# Folded spellings a person may type in a spreadsheet instead of the enum values.
_LEVEL_ALIASES: dict[str, Level] = {
    "xa": Level.COMMUNE,
    "cap xa": Level.COMMUNE,
    "tinh": Level.PROVINCE,
    "cap tinh": Level.PROVINCE,
    "trung uong": Level.CENTRAL,
    "bo": Level.CENTRAL,
}
_UNIT_ALIASES: dict[str, TimeUnit] = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "gio lam viec": TimeUnit.HOURS,
    "gio": TimeUnit.HOURS,
    "trong ngay": TimeUnit.SAME_DAY,
    "ngay": TimeUnit.CALENDAR_DAYS,
}


class CatalogImportError(ValidationError):
    """A catalog file with bad rows; nothing of it was imported.

    Attributes:
        problems: ``(row number, translated message)`` for every bad row, in file order.
    """

    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        self.problems: list[tuple[int, str]] = list(problems)
        rows = len({row for row, _ in self.problems})
        lines = [tr("Tệp danh mục có {count} dòng lỗi; không nhập gì:", count=rows)]
        for row, message in self.problems[:_MAX_LISTED_PROBLEMS]:
            lines.append("  " + tr("dòng {row}: {message}", row=row, message=message))
        hidden = len(self.problems) - _MAX_LISTED_PROBLEMS
        if hidden > 0:
            lines.append("  " + tr("… và {count} lỗi khác", count=hidden))
        super().__init__("\n".join(lines), "catalog")


def checked(p: Procedure) -> Procedure:
    """Run :meth:`Procedure.validate` plus the checks an import needs that the entity does not make."""
    p.validate()
    _check_bounds(p)
    for t in (p.statutory_time, p.local_time):
        # JSON and float() both accept NaN and Infinity, which compare false with everything validate() checks.
        if t is not None and not math.isfinite(t.amount):
            raise ValidationError(tr("Thời gian giải quyết không hợp lệ ({code})", code=p.code))
        if t is not None and not _CUTOFF.match(t.cutoff):
            raise ValidationError(tr("Giờ chốt nhận hồ sơ không hợp lệ: {value} (dạng 15:00)", value=t.cutoff))
    if p.service_level not in (2, 3, 4):
        raise ValidationError(tr("Mức độ dịch vụ phải là 2, 3 hoặc 4: {value}", value=p.service_level))
    if not p.channels:
        raise ValidationError(tr("Thiếu kênh thực hiện ({code})", code=p.code))
    if len(set(p.channels)) != len(p.channels):
        raise ValidationError(tr("Trùng kênh thực hiện ({code})", code=p.code))
    for f in p.fees:
        if not f.name:
            raise ValidationError(tr("Thiếu tên khoản phí, lệ phí ({code})", code=p.code))
        if f.amount_vnd < 0:
            raise ValidationError(tr("Mức phí, lệ phí không được âm ({code})", code=p.code))
    for c in p.components:
        if not c.code or not c.name:
            raise ValidationError(tr("Thành phần hồ sơ thiếu mã hoặc tên ({code})", code=p.code))
        if min(c.originals, c.certified_copies, c.photocopies) < 0:
            raise ValidationError(tr("Số lượng bản của thành phần hồ sơ không được âm ({code})", code=p.code))
    return p


def _check_bounds(p: Procedure) -> None:
    """Refuse what no real procedure has: a typo of a few zeros would otherwise become the fee printed on every
    receipt, or an appointment date years away."""
    texts = [("name", p.name), ("sector", p.sector), ("agency", p.agency)]
    texts += [("fees.name", f.name) for f in p.fees] + [("fees.note", f.note) for f in p.fees]
    texts += [("components.name", c.name) for c in p.components] + [("extra", v) for v in p.extra.values()]
    for field, text in texts + [("components.code", c.code) for c in p.components]:
        if _CONTROL.search(text):
            # A NUL or another control byte is a damaged file; printed, it would cut the receipt's text short.
            raise ValidationError(tr("Trường {field} có ký tự điều khiển ({code})", field=field, code=p.code), field)
    for field, text in texts:
        if len(text) > MAX_TEXT_CHARS:
            raise ValidationError(
                tr(
                    "Trường {field} dài {n} ký tự, tối đa {max} ({code})",
                    field=field,
                    n=len(text),
                    max=MAX_TEXT_CHARS,
                    code=p.code,
                ),
                field,
            )
    codes = [("components.code", c.code) for c in p.components] + [("extra", k) for k in p.extra]
    for field, text in codes:
        if len(text) > MAX_CODE_CHARS:
            raise ValidationError(
                tr("Mã {field} dài quá {max} ký tự ({code})", field=field, max=MAX_CODE_CHARS, code=p.code), field
            )
    if len(p.fees) > MAX_FEES or len(p.components) > MAX_COMPONENTS or len(p.extra) > MAX_EXTRA:
        raise ValidationError(
            tr("Thủ tục có quá nhiều khoản phí, thành phần hoặc thông tin thêm ({code})", code=p.code), "components"
        )
    for name, t in (("statutory_time", p.statutory_time), ("local_time", p.local_time)):
        if t is None or t.unit is TimeUnit.SAME_DAY or not math.isfinite(t.amount):
            continue  # same-day work has no amount; NaN and infinity are refused with their own message
        high = _MAX_TIME[t.unit]
        if not 0 < t.amount <= high:
            raise ValidationError(
                tr(
                    "Thời gian giải quyết phải lớn hơn 0 và không quá {max} {unit}: {value} ({code})",
                    max=high,
                    unit=t.unit.value,
                    value=t.amount,
                    code=p.code,
                ),
                name,
            )
    for f in p.fees:
        for label, amount in (
            ("amount_vnd", f.amount_vnd),
            ("next_amount_vnd", f.next_amount_vnd),
            ("cap_vnd", f.cap_vnd),
        ):
            if not 0 <= amount <= MAX_FEE_VND:
                raise ValidationError(
                    tr(
                        "Mức phí {field} phải từ 0 đến {max} đồng: {value} ({code})",
                        field=label,
                        max=f"{MAX_FEE_VND:,}".replace(",", "."),
                        value=amount,
                        code=p.code,
                    ),
                    "fees",
                )
        if not 0 <= f.tier_from <= MAX_FEE_TIER:
            raise ValidationError(
                tr(
                    "Bậc phí tier_from phải từ 0 đến {max}: {value} ({code})",
                    max=MAX_FEE_TIER,
                    value=f.tier_from,
                    code=p.code,
                ),
                "fees",
            )
    for c in p.components:
        if max(c.originals, c.certified_copies, c.photocopies) > MAX_COPIES_PER_COMPONENT:
            raise ValidationError(
                tr(
                    "Số bản của thành phần {component} quá {max} ({code})",
                    component=c.code,
                    max=MAX_COPIES_PER_COMPONENT,
                    code=p.code,
                ),
                "components",
            )


def _parse_alias(enum: type[E], aliases: Mapping[str, E], text: str, message: Callable[[str], str], field: str) -> E:
    """An enum value as stored (``working_days``) or as a spreadsheet says it in Vietnamese (``ngày làm việc``)."""
    try:
        return enum(text.strip().lower())
    except ValueError:
        pass
    alias = aliases.get(fold(text))
    if alias is None:
        raise ValidationError(message(text), field)
    return alias


def parse_level(text: str) -> Level:
    return _parse_alias(
        Level, _LEVEL_ALIASES, text, lambda v: tr("Cấp thực hiện không hợp lệ: {value}", value=v), "level"
    )


def parse_unit(text: str) -> TimeUnit:
    return _parse_alias(
        TimeUnit, _UNIT_ALIASES, text, lambda v: tr("Đơn vị thời gian không hợp lệ: {value}", value=v), "unit"
    )


def parse_channel(value: Any) -> Channel:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError(tr("Kênh thực hiện không hợp lệ: {value}", value=value), "channels")
    try:
        return Channel(str(value).strip())
    except ValueError:
        raise ValidationError(tr("Kênh thực hiện không hợp lệ: {value}", value=value), "channels") from None


def check_unique(procs: Iterable[tuple[int, Procedure]], problems: list[tuple[int, str]]) -> None:
    first_row: dict[str, int] = {}
    for row, p in procs:
        if p.code in first_row:
            problems.append(
                (row, tr("Mã thủ tục {code} bị trùng (đã có ở dòng {row})", code=p.code, row=first_row[p.code]))
            )
        else:
            first_row[p.code] = row
