"""Import and export of the procedure catalog (danh mục thủ tục hành chính) as JSON or CSV.

The province publishes about 2,200 procedures; a centre receives them as a file (from the provincial system,
from a spreadsheet kept by the centre's staff, or from the sample shipped with the app) and the counter must
never end up with half a catalog. So every loader here is **all-or-nothing**: it parses and checks every row,
and if any row is bad it raises :class:`CatalogImportError` listing *all* bad rows, and returns nothing.

JSON format (``dump_catalog_json``)::

    {"format": "motcua-catalog", "version": 1, "procedures": [<procedure>, ...]}

A bare list of procedures is accepted too; other top-level keys (``"description"`` …) are metadata and are
ignored. A procedure is the dict made by :func:`procedure_to_dict`: enums as their values (``"commune"``,
``"working_days"``, channels ``["1", "2"]``), times as ``{"amount", "unit", "cutoff", "skip_holidays"}``,
fees and components as lists of dicts. Unknown keys inside a procedure are an error (they are typos far more
often than data from the future; the ``version`` field is there for the future).

CSV format (``dump_catalog_csv``) — one row per procedure, header row first, UTF-8 (a BOM is accepted and
written on request for Excel), delimiter ``,`` or ``;`` (sniffed from the header line; Excel with Vietnamese
regional settings writes ``;``) or a tab (Excel "Unicode Text", UTF-16). Columns, in this order:

=====================  ==================================================================================
code                   ``1.001193`` or ``2.000286.000.00.00.H38`` (required)
name, sector, agency   text (name required)
level                  ``commune`` / ``province`` / ``central`` (also ``xã``, ``tỉnh``, ``trung ương``)
statutory_amount       number (``15``, ``0.5``, ``0,5``); may be blank for ``same_day``
statutory_unit         ``working_days`` / ``working_hours`` / ``same_day`` / ``calendar_days``
                       (also ``ngày làm việc``, ``giờ làm việc``, ``trong ngày``, ``ngày``)
local_amount,          the locally reduced time; both blank when the province published none
local_unit
cutoff, local_cutoff   ``HH:MM``: same-day work received later is due the next working day; blank = the
                       centre's default cut-off
skip_holidays,         ``1``/``0`` (calendar-day units only); blank = ``1``, and ``local_skip_holidays``
local_skip_holidays    blank = same as ``skip_holidays``
fees                   ``name:amount[:note]`` items joined by ``;`` — amount in đồng (``70000``/``70.000``)
components             ``code|name|originals|certified|photocopies|required|must_digitize`` items joined
                       by ``;`` — counts blank = 0, flags ``1``/``0`` (blank: required = 1, digitize = 0);
                       trailing fields may be left out, e.g. ``TP1|Tờ khai``
channels               ``1,2,3`` (KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính); blank = ``1``
service_level          ``2`` / ``3`` / ``4`` (MucDo); blank = 2
any_territory, active  ``1``/``0`` (also ``true``/``false``, ``có``/``không``); blank = 1
extra                  ``key=value`` items joined by ``;``
=====================  ==================================================================================

Inside the compact cells (fees, components, extra) a backslash escapes the next character, so names may
contain ``;`` ``|`` ``:`` ``=`` or ``\\`` (written ``\\;`` ``\\|`` ``\\:`` ``\\=`` ``\\\\``). Commas need no
escaping: the CSV layer quotes cells that contain the delimiter. Only ``code`` and ``name`` plus the statutory
time are required columns; an unknown column is an error (a misspelt optional column would otherwise drop data
silently).

Row numbers in :attr:`CatalogImportError.problems` are spreadsheet rows for CSV (the header is row 1, so the
first procedure is row 2) and 1-based positions in the ``procedures`` list for JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from motcua.domain.errors import ValidationError
from motcua.domain.procedures import (
    Channel,
    Component,
    Fee,
    Level,
    Procedure,
    ProcessingTime,
    TimeUnit,
)
from motcua.domain.text import fold, nfc
from motcua.i18n import tr

E = TypeVar("E", Level, TimeUnit)

FORMAT = "motcua-catalog"
VERSION = 1

CSV_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "sector",
    "level",
    "agency",
    "statutory_amount",
    "statutory_unit",
    "local_amount",
    "local_unit",
    "cutoff",
    "local_cutoff",
    "skip_holidays",
    "local_skip_holidays",
    "fees",
    "components",
    "channels",
    "service_level",
    "any_territory",
    "active",
    "extra",
)
_REQUIRED_CSV_COLUMNS = ("code", "name", "statutory_unit")

# The error summary is shown in a message box: list enough rows to act on, not two thousand.
_MAX_LISTED_PROBLEMS = 20

# Empty = the centre's default cut-off (a calendar setting), so only a non-empty value must be a time.
_CUTOFF = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d)?$")
# Whole đồng, optionally grouped by thousands ("70.000", "70,000", "70 000"): VND has no decimals, so a
# separator followed by anything but three digits is a typo, not a fraction.
_VND = re.compile(r"^\d{1,3}(?:[., ]\d{3})+$|^\d+$")
_ESCAPABLE = "\\;|:="

_PROCEDURE_KEYS = frozenset(
    {
        "code",
        "name",
        "sector",
        "level",
        "agency",
        "statutory_time",
        "local_time",
        "fees",
        "components",
        "channels",
        "service_level",
        "any_territory",
        "active",
        "extra",
    }
)
_TIME_KEYS = frozenset({"amount", "unit", "cutoff", "skip_holidays"})
_FEE_KEYS = frozenset({"name", "amount_vnd", "note"})
_COMPONENT_KEYS = frozenset(
    {"code", "name", "originals", "certified_copies", "photocopies", "required", "must_digitize"}
)

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
_TRUE = frozenset({"1", "true", "yes", "y", "x", "co", "dung"})
_FALSE = frozenset({"0", "false", "no", "n", "khong", "sai"})


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


# ---------------------------------------------------------------------------------------------------------
# dict <-> Procedure
# ---------------------------------------------------------------------------------------------------------


def procedure_to_dict(p: Procedure) -> dict[str, Any]:
    """A JSON-friendly dict of ``p``: enums as values, strings in NFC, every field written out.

    Args:
        p: the procedure.

    Returns:
        A dict that :func:`procedure_from_dict` turns back into an equal procedure.
    """
    return {
        "code": nfc(p.code),
        "name": nfc(p.name),
        "sector": nfc(p.sector),
        "level": p.level.value,
        "agency": nfc(p.agency),
        "statutory_time": _time_to_dict(p.statutory_time),
        "local_time": _time_to_dict(p.local_time) if p.local_time is not None else None,
        "fees": [{"name": nfc(f.name), "amount_vnd": f.amount_vnd, "note": nfc(f.note)} for f in p.fees],
        "components": [
            {
                "code": nfc(c.code),
                "name": nfc(c.name),
                "originals": c.originals,
                "certified_copies": c.certified_copies,
                "photocopies": c.photocopies,
                "required": c.required,
                "must_digitize": c.must_digitize,
            }
            for c in p.components
        ],
        "channels": [c.value for c in p.channels],
        "service_level": p.service_level,
        "any_territory": p.any_territory,
        "active": p.active,
        "extra": {nfc(k): nfc(v) for k, v in p.extra.items()},
    }


def procedure_from_dict(d: Mapping[str, Any]) -> Procedure:
    """Build and check a procedure from a dict in the :func:`procedure_to_dict` shape.

    Optional keys may be left out (fees, components, local time, …) and take the dataclass defaults.
    Every string is NFC-normalised; the procedure code is upper-cased.

    Args:
        d: the dict, typically one item of a JSON catalog.

    Returns:
        A procedure that passed :meth:`Procedure.validate` and the catalog checks.

    Raises:
        ValidationError: a missing or mistyped key, an unknown key, or a procedure that fails validation.
    """
    if not isinstance(d, Mapping):
        raise ValidationError(tr("Mục danh mục phải là một đối tượng JSON"))
    _reject_unknown(d, _PROCEDURE_KEYS)
    local = d.get("local_time")
    channels_raw = _get(d, "channels", list, tr("danh sách"), default=None)
    proc = Procedure(
        code=nfc(_get(d, "code", str, tr("chuỗi"))).upper(),
        name=nfc(_get(d, "name", str, tr("chuỗi"))),
        sector=nfc(_get(d, "sector", str, tr("chuỗi"), default="")),
        level=_parse_level(_get(d, "level", str, tr("chuỗi"), default=Level.COMMUNE.value)),
        agency=nfc(_get(d, "agency", str, tr("chuỗi"), default="")),
        statutory_time=_time_from_dict(_get(d, "statutory_time", dict, tr("đối tượng")), "statutory_time"),
        local_time=None if local is None else _time_from_dict(local, "local_time"),
        fees=tuple(_fee_from_dict(f) for f in _get(d, "fees", list, tr("danh sách"), default=[])),
        components=tuple(_component_from_dict(c) for c in _get(d, "components", list, tr("danh sách"), default=[])),
        channels=(Channel.DIRECT,) if channels_raw is None else tuple(_parse_channel(c) for c in channels_raw),
        service_level=_get(d, "service_level", int, tr("số nguyên"), default=2),
        any_territory=_get(d, "any_territory", bool, "true/false", default=True),
        active=_get(d, "active", bool, "true/false", default=True),
        extra=_extra_from_dict(_get(d, "extra", dict, tr("đối tượng"), default={})),
    )
    return _checked(proc)


def _time_to_dict(t: ProcessingTime) -> dict[str, Any]:
    return {
        "amount": _number_out(t.amount),
        "unit": t.unit.value,
        "cutoff": t.cutoff,
        "skip_holidays": t.skip_holidays,
    }


def _time_from_dict(d: Any, field: str) -> ProcessingTime:
    if not isinstance(d, Mapping):
        raise _type_error(field, tr("đối tượng"))
    _reject_unknown(d, _TIME_KEYS)
    unit = _parse_unit(_get(d, "unit", str, tr("chuỗi")))
    # Same-day work has no amount to speak of; everything else must say how long.
    if unit is TimeUnit.SAME_DAY:
        amount = _get(d, "amount", (int, float), tr("số"), default=0)
    else:
        amount = _get(d, "amount", (int, float), tr("số"))
    return ProcessingTime(
        amount=float(amount),
        unit=unit,
        cutoff=nfc(_get(d, "cutoff", str, tr("chuỗi"), default="")),
        skip_holidays=_get(d, "skip_holidays", bool, "true/false", default=True),
    )


def _fee_from_dict(d: Any) -> Fee:
    if not isinstance(d, Mapping):
        raise _type_error("fees", tr("đối tượng"))
    _reject_unknown(d, _FEE_KEYS)
    return Fee(
        name=nfc(_get(d, "name", str, tr("chuỗi"))),
        amount_vnd=_get(d, "amount_vnd", int, tr("số nguyên")),
        note=nfc(_get(d, "note", str, tr("chuỗi"), default="")),
    )


def _component_from_dict(d: Any) -> Component:
    if not isinstance(d, Mapping):
        raise _type_error("components", tr("đối tượng"))
    _reject_unknown(d, _COMPONENT_KEYS)
    return Component(
        code=nfc(_get(d, "code", str, tr("chuỗi"))),
        name=nfc(_get(d, "name", str, tr("chuỗi"))),
        originals=_get(d, "originals", int, tr("số nguyên"), default=0),
        certified_copies=_get(d, "certified_copies", int, tr("số nguyên"), default=0),
        photocopies=_get(d, "photocopies", int, tr("số nguyên"), default=0),
        required=_get(d, "required", bool, "true/false", default=True),
        must_digitize=_get(d, "must_digitize", bool, "true/false", default=False),
    )


def _extra_from_dict(d: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in d.items():
        if not isinstance(value, str):
            raise _type_error(f"extra.{key}", tr("chuỗi"))
        out[nfc(str(key))] = nfc(value)
    return out


def _get(d: Mapping[str, Any], key: str, types: type | tuple[type, ...], expected: str, **kw: Any) -> Any:
    """``d[key]`` checked against ``types``; ``default=`` makes the key optional (``None`` counts as absent).

    ``bool`` is a subclass of ``int`` in Python, so ``true`` would pass as a number: reject it explicitly.
    """
    if key not in d or d[key] is None:
        if "default" in kw:
            return kw["default"]
        raise ValidationError(tr("Thiếu trường bắt buộc: {field}", field=key), key)
    value = d[key]
    wants_bool = types is bool or (isinstance(types, tuple) and bool in types)
    if not isinstance(value, types) or (isinstance(value, bool) and not wants_bool):
        raise _type_error(key, expected)
    return value


def _type_error(field: str, expected: str) -> ValidationError:
    return ValidationError(
        tr("Trường {field} có kiểu không đúng (cần {expected})", field=field, expected=expected), field
    )


def _reject_unknown(d: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in d if k not in allowed)
    if unknown:
        raise ValidationError(tr("Trường không được hỗ trợ: {fields}", fields=", ".join(unknown)))


def _number_out(x: float) -> int | float:
    """Write ``15.0`` as ``15``: catalogs are read by people, and days are almost always whole."""
    return int(x) if float(x).is_integer() else float(x)


# ---------------------------------------------------------------------------------------------------------
# Checks shared by every loader
# ---------------------------------------------------------------------------------------------------------


def _checked(p: Procedure) -> Procedure:
    """Run :meth:`Procedure.validate` plus the checks an import needs that the entity does not make."""
    p.validate()
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


def _parse_level(text: str) -> Level:
    return _parse_alias(
        Level, _LEVEL_ALIASES, text, lambda v: tr("Cấp thực hiện không hợp lệ: {value}", value=v), "level"
    )


def _parse_unit(text: str) -> TimeUnit:
    return _parse_alias(
        TimeUnit, _UNIT_ALIASES, text, lambda v: tr("Đơn vị thời gian không hợp lệ: {value}", value=v), "unit"
    )


def _parse_channel(value: Any) -> Channel:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError(tr("Kênh thực hiện không hợp lệ: {value}", value=value), "channels")
    try:
        return Channel(str(value).strip())
    except ValueError:
        raise ValidationError(tr("Kênh thực hiện không hợp lệ: {value}", value=value), "channels") from None


def _check_unique(procs: Iterable[tuple[int, Procedure]], problems: list[tuple[int, str]]) -> None:
    first_row: dict[str, int] = {}
    for row, p in procs:
        if p.code in first_row:
            problems.append(
                (row, tr("Mã thủ tục {code} bị trùng (đã có ở dòng {row})", code=p.code, row=first_row[p.code]))
            )
        else:
            first_row[p.code] = row


# ---------------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------------


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
    text = _decode(data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            tr("Tệp JSON không hợp lệ (dòng {line}, cột {col})", line=exc.lineno, col=exc.colno)
        ) from None
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
    _check_unique(parsed, problems)
    if problems:
        raise CatalogImportError(sorted(problems, key=lambda rp: rp[0]))
    return [p for _, p in parsed]


# ---------------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------------


def dump_catalog_csv(procs: Iterable[Procedure], *, bom: bool = False) -> str:
    """The catalog as CSV text, one row per procedure (see the module docstring for the columns).

    Args:
        procs: the procedures, written in the given order.
        bom: start with a UTF-8 byte-order mark, which Excel needs to recognise UTF-8.

    Returns:
        The CSV text with ``\\r\\n`` line ends (what Excel and the ``csv`` module expect).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in procs:
        writer.writerow(_procedure_to_row(p))
    return ("\ufeff" if bom else "") + out.getvalue()


def load_catalog_csv(data: bytes | str) -> list[Procedure]:
    """Parse a CSV catalog, all or nothing.

    Args:
        data: the file content: UTF-8 (with or without BOM), UTF-16 with BOM, or decoded text.

    Returns:
        The procedures in file order.

    Raises:
        ValidationError: the text cannot be decoded.
        CatalogImportError: bad header or bad rows; ``problems`` lists them all (header = row 1).
    """
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error:
        # An unclosed quote or a NUL byte: the file is damaged, there are no rows to report on.
        raise ValidationError(tr("Tệp CSV bị hỏng quanh dòng {row}", row=reader.line_num)) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise CatalogImportError([(1, tr("Thiếu dòng tiêu đề"))])

    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    missing = [c for c in _REQUIRED_CSV_COLUMNS if c not in header]
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    header_problems: list[str] = []
    if missing:
        header_problems.append(tr("Thiếu cột bắt buộc: {columns}", columns=", ".join(missing)))
    if unknown:
        header_problems.append(tr("Cột không được hỗ trợ: {columns}", columns=", ".join(unknown)))
    if duplicated:
        header_problems.append(tr("Cột bị lặp: {columns}", columns=", ".join(duplicated)))
    if header_problems:
        raise CatalogImportError([(1, "; ".join(header_problems))])

    problems: list[tuple[int, str]] = []
    parsed: list[tuple[int, Procedure]] = []
    for row_number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # Excel leaves empty rows at the end; they are not procedures
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(
                (row_number, tr("Dòng có {cells} ô, nhiều hơn {columns} cột", cells=len(cells), columns=len(header)))
            )
            continue
        record = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header) if name}
        try:
            parsed.append((row_number, _procedure_from_row(record)))
        except ValidationError as exc:
            problems.append((row_number, str(exc)))
    _check_unique(parsed, problems)
    if problems:
        raise CatalogImportError(sorted(problems, key=lambda rp: rp[0]))
    return [p for _, p in parsed]


def _procedure_to_row(p: Procedure) -> list[str]:
    st, lt = p.statutory_time, p.local_time
    values = {
        "code": nfc(p.code),
        "name": nfc(p.name),
        "sector": nfc(p.sector),
        "level": p.level.value,
        "agency": nfc(p.agency),
        "statutory_amount": _format_number(st.amount),
        "statutory_unit": st.unit.value,
        "local_amount": _format_number(lt.amount) if lt else "",
        "local_unit": lt.unit.value if lt else "",
        "cutoff": st.cutoff,
        "local_cutoff": lt.cutoff if lt else "",
        "skip_holidays": _flag(st.skip_holidays),
        "local_skip_holidays": _flag(lt.skip_holidays) if lt else "",
        "fees": ";".join(_join_fields([f.name, str(f.amount_vnd)] + ([f.note] if f.note else []), ":") for f in p.fees),
        "components": ";".join(
            _join_fields(
                [
                    c.code,
                    c.name,
                    str(c.originals),
                    str(c.certified_copies),
                    str(c.photocopies),
                    _flag(c.required),
                    _flag(c.must_digitize),
                ],
                "|",
            )
            for c in p.components
        ),
        "channels": ",".join(c.value for c in p.channels),
        "service_level": str(p.service_level),
        "any_territory": _flag(p.any_territory),
        "active": _flag(p.active),
        "extra": ";".join(_join_fields([k, v], "=") for k, v in p.extra.items()),
    }
    return [values[c] for c in CSV_COLUMNS]


def _procedure_from_row(r: Mapping[str, str]) -> Procedure:
    def cell(name: str) -> str:
        return nfc(r.get(name, ""))

    if not cell("code"):
        raise ValidationError(tr("Thiếu mã thủ tục"), "code")
    statutory = _time_from_cells(
        cell("statutory_amount"),
        cell("statutory_unit"),
        cell("cutoff"),
        _parse_flag(cell("skip_holidays"), "skip_holidays", True),
        "statutory",
    )
    local: ProcessingTime | None = None
    if cell("local_amount") or cell("local_unit"):
        local = _time_from_cells(
            cell("local_amount"),
            cell("local_unit"),
            cell("local_cutoff"),
            _parse_flag(cell("local_skip_holidays"), "local_skip_holidays", statutory.skip_holidays),
            "local",
        )
    channels_text = cell("channels")
    channels = (
        tuple(_parse_channel(c) for c in re.split(r"[,;/\s]+", channels_text) if c)
        if channels_text
        else (Channel.DIRECT,)
    )
    proc = Procedure(
        code=cell("code").upper(),
        name=cell("name"),
        sector=cell("sector"),
        level=_parse_level(cell("level")) if cell("level") else Level.COMMUNE,
        agency=cell("agency"),
        statutory_time=statutory,
        local_time=local,
        fees=tuple(_fee_from_cell(item) for item in _items(r.get("fees", ""))),
        components=tuple(_component_from_cell(item) for item in _items(r.get("components", ""))),
        channels=channels,
        service_level=_parse_int(cell("service_level"), "service_level", 2),
        any_territory=_parse_flag(cell("any_territory"), "any_territory", True),
        active=_parse_flag(cell("active"), "active", True),
        extra=dict(_extra_from_cell(item) for item in _items(r.get("extra", ""))),
    )
    return _checked(proc)


def _time_from_cells(amount: str, unit: str, cutoff: str, skip: bool, which: str) -> ProcessingTime:
    field = f"{which}_unit"
    if not unit:
        raise ValidationError(tr("Thiếu đơn vị thời gian ({column})", column=field), field)
    parsed_unit = _parse_unit(unit)
    if not amount:
        if parsed_unit is not TimeUnit.SAME_DAY:
            raise ValidationError(
                tr("Thiếu thời gian giải quyết ({column})", column=f"{which}_amount"), f"{which}_amount"
            )
        value = 0.0
    else:
        value = _parse_float(amount, f"{which}_amount")
    return ProcessingTime(amount=value, unit=parsed_unit, cutoff=cutoff, skip_holidays=skip)


def _fee_from_cell(item: str) -> Fee:
    fields = [_unescape(f) for f in _split_escaped(item, ":")]
    if len(fields) < 2:
        raise ValidationError(tr("Khoản phí không đúng dạng tên:số tiền[:ghi chú]: {value}", value=_unescape(item)))
    amount = fields[1].strip()
    if not _VND.match(amount):
        raise ValidationError(tr("Số tiền không hợp lệ: {value}", value=amount), "fees")
    # A hand-typed note may contain an unescaped colon ("từ trang 3: 1.000 đ"): it belongs to the note.
    note = ":".join(fields[2:])
    return Fee(name=nfc(fields[0]), amount_vnd=int(re.sub(r"\D", "", amount)), note=nfc(note))


def _component_from_cell(item: str) -> Component:
    fields = [nfc(_unescape(f)) for f in _split_escaped(item, "|")]
    if not 2 <= len(fields) <= 7:
        raise ValidationError(
            tr("Thành phần hồ sơ không đúng dạng mã|tên|…: {value}", value=_unescape(item)), "components"
        )
    fields += [""] * (7 - len(fields))
    return Component(
        code=fields[0],
        name=fields[1],
        originals=_parse_int(fields[2], "originals", 0),
        certified_copies=_parse_int(fields[3], "certified_copies", 0),
        photocopies=_parse_int(fields[4], "photocopies", 0),
        required=_parse_flag(fields[5], "required", True),
        must_digitize=_parse_flag(fields[6], "must_digitize", False),
    )


def _extra_from_cell(item: str) -> tuple[str, str]:
    fields = [_unescape(f) for f in _split_escaped(item, "=")]
    if len(fields) < 2 or not fields[0].strip():
        raise ValidationError(tr("Thông tin thêm không đúng dạng khóa=giá trị: {value}", value=_unescape(item)))
    return nfc(fields[0]), nfc("=".join(fields[1:]))


def _parse_float(text: str, field: str) -> float:
    # Vietnamese regional settings write a decimal comma ("0,5").
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValidationError(tr("Không phải số: {value} ({column})", value=text, column=field), field) from None


def _parse_int(text: str, field: str, default: int) -> int:
    if not text.strip():
        return default
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError(tr("Không phải số nguyên: {value} ({column})", value=text, column=field), field) from None


def _parse_flag(text: str, field: str, default: bool) -> bool:
    if not text.strip():
        return default
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(tr("Giá trị có/không không hợp lệ: {value} ({column})", value=text, column=field), field)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _format_number(x: float) -> str:
    return str(_number_out(x))


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPABLE else ch for ch in text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _join_fields(fields: Sequence[str], sep: str) -> str:
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


def _items(cell: str) -> list[str]:
    """The ``;``-separated items of a compact cell; blank items (a trailing ``;``) are dropped."""
    return [item for item in _split_escaped(cell.strip(), ";") if item.strip()]


def _sniff_delimiter(text: str) -> str:
    """Pick ``,``, ``;`` or tab by counting them, outside quotes, in the first non-blank line (the header).

    ``csv.Sniffer`` looks at data rows too, where the commas inside names and the ``;`` inside the compact
    cells mislead it; the header holds only column names, so a plain count is reliable.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode(data: bytes | str) -> str:
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


# ---------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------

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
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ValidationError(
            tr("Không đọc được tệp {path}: {error}", path=str(p), error=exc.strerror or str(exc)), "path"
        ) from None
    return loader(data)


# ---------------------------------------------------------------------------------------------------------
# Synthetic catalog for tests and benchmarks
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sector:
    """Word material for one sector of the synthetic catalog.

    The words come from real procedure names so that search, sorting and rendering meet realistic text:
    long names, every Vietnamese diacritic, commas inside names.
    """

    name: str
    weights: tuple[int, int, int]  # how often commune / province / central
    agencies: dict[Level, str]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    components: tuple[str, ...]


_SECTORS: tuple[_Sector, ...] = (
    _Sector(
        "Hộ tịch",
        (8, 2, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Tư pháp"},
        ("Đăng ký", "Đăng ký lại", "Ghi vào sổ hộ tịch việc", "Cấp bản sao trích lục", "Xác nhận"),
        (
            "khai sinh",
            "kết hôn",
            "khai tử",
            "nhận cha, mẹ, con",
            "giám hộ",
            "chấm dứt giám hộ",
            "thay đổi, cải chính, bổ sung hộ tịch",
        ),
        (
            "Giấy chứng sinh hoặc giấy tờ thay thế",
            "Giấy báo tử hoặc giấy tờ thay thế",
            "Giấy xác nhận tình trạng hôn nhân",
            "Văn bản ủy quyền được chứng thực (nếu có)",
        ),
    ),
    _Sector(
        "Chứng thực",
        (9, 1, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Tư pháp"},
        ("Chứng thực", "Cấp bản sao có chứng thực", "Sửa lỗi sai sót trong", "Chứng thực việc sửa đổi, bổ sung"),
        (
            "bản sao từ bản chính",
            "chữ ký trong giấy tờ, văn bản",
            "hợp đồng, giao dịch về động sản",
            "di chúc",
            "văn bản thỏa thuận phân chia di sản",
            "văn bản khai nhận di sản",
        ),
        (
            "Bản chính giấy tờ, văn bản làm cơ sở chứng thực",
            "Dự thảo hợp đồng, giao dịch",
            "Bản sao giấy tờ chứng minh quyền sở hữu, quyền sử dụng tài sản",
        ),
    ),
    _Sector(
        "Đất đai",
        (3, 6, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Văn phòng Đăng ký đất đai tỉnh",
            Level.CENTRAL: "Bộ Nông nghiệp và Môi trường",
        },
        ("Đăng ký", "Cấp đổi", "Cấp lại", "Đính chính", "Xóa đăng ký", "Gia hạn"),
        (
            "quyền sử dụng đất lần đầu",
            "Giấy chứng nhận quyền sử dụng đất",
            "biến động đất đai",
            "chuyển mục đích sử dụng đất",
            "tài sản gắn liền với đất",
            "thế chấp quyền sử dụng đất",
            "tách thửa, hợp thửa đất",
        ),
        (
            "Giấy chứng nhận quyền sử dụng đất đã cấp",
            "Mảnh trích đo địa chính thửa đất",
            "Hợp đồng, văn bản về chuyển quyền sử dụng đất",
            "Tờ khai lệ phí trước bạ",
        ),
    ),
    _Sector(
        "Hoạt động xây dựng",
        (5, 4, 1),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Xây dựng", Level.CENTRAL: "Bộ Xây dựng"},
        ("Cấp", "Gia hạn", "Cấp lại", "Điều chỉnh"),
        (
            "giấy phép xây dựng mới",
            "giấy phép xây dựng sửa chữa, cải tạo",
            "giấy phép di dời công trình",
            "giấy phép xây dựng có thời hạn",
            "chứng chỉ hành nghề hoạt động xây dựng",
        ),
        (
            "Bản vẽ thiết kế xây dựng",
            "Giấy tờ hợp pháp về đất đai",
            "Báo cáo kết quả thẩm định thiết kế",
            "Bản cam kết bảo đảm an toàn công trình liền kề",
        ),
    ),
    _Sector(
        "Bảo trợ xã hội",
        (8, 2, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Y tế"},
        ("Thực hiện", "Điều chỉnh", "Thôi hưởng", "Hỗ trợ", "Tiếp nhận đối tượng hưởng"),
        (
            "trợ cấp xã hội hàng tháng",
            "chi phí mai táng",
            "kinh phí chăm sóc, nuôi dưỡng hàng tháng",
            "trợ giúp xã hội khẩn cấp",
            "chăm sóc tại cơ sở trợ giúp xã hội",
        ),
        ("Giấy xác nhận khuyết tật", "Sổ hộ nghèo hoặc giấy chứng nhận hộ nghèo", "Bản sao giấy khai sinh của trẻ em"),
    ),
    _Sector(
        "Đăng ký, quản lý cư trú",
        (10, 0, 0),
        {Level.COMMUNE: "Công an cấp xã"},
        ("Đăng ký", "Gia hạn", "Xóa đăng ký", "Khai báo", "Xác nhận thông tin về"),
        ("thường trú", "tạm trú", "tạm vắng", "lưu trú", "cư trú"),
        (
            "Tờ khai thay đổi thông tin cư trú",
            "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
            "Văn bản đồng ý của chủ hộ",
        ),
    ),
    _Sector(
        "Thành lập và hoạt động của hộ kinh doanh",
        (7, 3, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Tài chính"},
        (
            "Đăng ký thành lập",
            "Đăng ký thay đổi nội dung đăng ký",
            "Tạm ngừng hoạt động",
            "Chấm dứt hoạt động",
            "Cấp lại giấy chứng nhận đăng ký",
        ),
        ("hộ kinh doanh", "hợp tác xã", "tổ hợp tác", "liên hiệp hợp tác xã"),
        ("Giấy đề nghị đăng ký", "Bản sao biên bản họp thành viên hộ gia đình", "Danh sách thành viên"),
    ),
    _Sector(
        "Giáo dục và Đào tạo",
        (4, 5, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Sở Giáo dục và Đào tạo",
            Level.CENTRAL: "Bộ Giáo dục và Đào tạo",
        },
        ("Thành lập", "Cho phép hoạt động giáo dục", "Sáp nhập, chia, tách", "Giải thể", "Chuyển đổi"),
        (
            "trường mầm non",
            "trường tiểu học",
            "trường trung học cơ sở",
            "nhóm trẻ độc lập",
            "trung tâm học tập cộng đồng",
        ),
        ("Đề án thành lập", "Danh sách đội ngũ cán bộ quản lý, giáo viên", "Quyết định công nhận hội đồng trường"),
    ),
    _Sector(
        "Y tế",
        (2, 7, 1),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Y tế", Level.CENTRAL: "Bộ Y tế"},
        ("Cấp", "Cấp lại", "Điều chỉnh", "Thu hồi"),
        (
            "giấy phép hoạt động khám bệnh, chữa bệnh",
            "chứng chỉ hành nghề dược",
            "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "giấy phép hành nghề khám bệnh, chữa bệnh",
        ),
        ("Bản sao văn bằng chuyên môn", "Giấy chứng nhận đủ sức khỏe hành nghề", "Bản kê khai cơ sở vật chất"),
    ),
    _Sector(
        "Nông nghiệp và Môi trường",
        (4, 5, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Sở Nông nghiệp và Môi trường",
            Level.CENTRAL: "Bộ Nông nghiệp và Môi trường",
        },
        ("Cấp", "Gia hạn", "Xác nhận", "Đăng ký", "Phê duyệt"),
        (
            "giấy phép khai thác nước dưới đất",
            "kế hoạch bảo vệ môi trường",
            "giấy chứng nhận kiểm dịch động vật",
            "phương án trồng rừng thay thế",
            "giấy xác nhận nuôi trồng thủy sản lồng bè",
        ),
        ("Báo cáo đánh giá tác động môi trường", "Sơ đồ khu vực khai thác", "Kết quả phân tích chất lượng nước"),
    ),
    _Sector(
        "Văn hóa, Thể thao và Du lịch",
        (3, 6, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Sở Văn hóa, Thể thao và Du lịch",
            Level.CENTRAL: "Bộ Văn hóa, Thể thao và Du lịch",
        },
        ("Cấp", "Cấp lại", "Công nhận", "Thông báo tổ chức", "Đăng ký hoạt động"),
        (
            "giấy phép kinh doanh dịch vụ karaoke",
            "lễ hội truyền thống",
            "câu lạc bộ thể thao cơ sở",
            "thư viện cộng đồng",
            "biểu diễn nghệ thuật",
        ),
        ("Kịch bản chương trình", "Danh sách người tham gia", "Văn bản chấp thuận của địa phương"),
    ),
    _Sector(
        "Người có công",
        (6, 4, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Nội vụ"},
        ("Giải quyết chế độ", "Hưởng trợ cấp", "Cấp giấy xác nhận", "Di chuyển hồ sơ", "Hỗ trợ cải thiện"),
        (
            "thân nhân liệt sĩ",
            "thương binh",
            "người hoạt động kháng chiến",
            "người có công với cách mạng",
            "nhà ở cho người có công",
        ),
        ("Bản khai cá nhân", "Giấy chứng nhận thương binh", "Biên bản giám định y khoa"),
    ),
)

_QUALIFIERS = (
    "",
    "đối với cá nhân",
    "đối với tổ chức",
    "có yếu tố nước ngoài",
    "cho hộ gia đình, cá nhân",
    "trường hợp bị mất, hỏng",
    "lần đầu",
    "trên địa bàn tỉnh",
)
_COMMON_COMPONENTS = (
    "Bản sao giấy tờ tùy thân của người nộp hồ sơ",
    "Văn bản ủy quyền theo quy định (nếu nộp thay)",
    "Ảnh chân dung cỡ 4x6 cm chụp trong thời gian 06 tháng",
    "Giấy tờ chứng minh thuộc đối tượng được miễn, giảm phí, lệ phí (nếu có)",
)
_FEE_AMOUNTS = (5_000, 8_000, 10_000, 15_000, 20_000, 25_000, 50_000, 70_000, 100_000, 150_000, 200_000, 500_000)


def generate_synthetic_catalog(n: int = 2199, seed: int = 7, province: str = "H38") -> list[Procedure]:
    """A deterministic, realistic-looking full-size catalog for tests and benchmarks.

    Codes are unique and valid, about a third in the localised ``X.NNNNNN.000.00.00.{province}`` form; names
    are Vietnamese with diacritics, built from real verbs and objects per sector; time units mix working days,
    working hours, same-day and calendar days; 1–8 components each. Every procedure carries
    ``extra["synthetic"] = "1"`` so it can never be mistaken for a published one.

    Args:
        n: how many procedures.
        seed: the random seed; the same seed always gives the same catalog.
        province: the province suffix of localised codes (``H38`` = Lào Cai).

    Returns:
        ``n`` validated procedures.
    """
    rng = random.Random(seed)
    names = _synthetic_names(rng, n)
    codes = _synthetic_codes(rng, n, province)
    out: list[Procedure] = []
    for code, (sector_index, verb, obj, name) in zip(codes, names, strict=True):
        sector = _SECTORS[sector_index]
        levels = [lv for lv, w in zip((Level.COMMUNE, Level.PROVINCE, Level.CENTRAL), sector.weights, strict=True) if w]
        level = rng.choices(levels, weights=[w for w in sector.weights if w])[0]
        statutory, local = _synthetic_times(rng)
        service_level = rng.choices((2, 3, 4), weights=(25, 35, 40))[0]
        channels = [Channel.DIRECT]
        if service_level >= 3:
            channels.append(Channel.ONLINE)
        if rng.random() < 0.6:
            channels.append(Channel.POSTAL)
        proc = Procedure(
            code=code,
            name=name,
            sector=sector.name,
            level=level,
            agency=sector.agencies[level],
            statutory_time=statutory,
            local_time=local,
            fees=_synthetic_fees(rng, verb, obj),
            components=_synthetic_components(rng, verb, obj, sector.components),
            channels=tuple(channels),
            service_level=service_level,
            any_territory=rng.random() < 0.8,
            active=rng.random() < 0.97,
            extra={"synthetic": "1"},
        )
        out.append(_checked(proc))
    return out


def _synthetic_names(rng: random.Random, n: int) -> list[tuple[int, str, str, str]]:
    combos = [
        (si, verb, obj, nfc(f"{verb} {obj} {qualifier}"))
        for si, sector in enumerate(_SECTORS)
        for verb in sector.verbs
        for obj in sector.objects
        for qualifier in _QUALIFIERS
    ]
    rng.shuffle(combos)
    picked = combos[:n]
    # More procedures than word combinations (only for n > ~3,000): number the repeats, still unique.
    for k in range(n - len(picked)):
        si, verb, obj, name = combos[k % len(combos)]
        picked.append((si, verb, obj, f"{name} (mẫu {k // len(combos) + 2})"))
    return picked


def _synthetic_codes(rng: random.Random, n: int, province: str) -> list[str]:
    # Real national codes start with 1., 2. or 3.; the 1.0xxxxx range is by far the largest.
    ranges = ((1, 100, 14_999, 60), (2, 100, 2_999, 35), (3, 100, 999, 5))
    capacity = sum(hi - lo + 1 for _, lo, hi, _ in ranges)
    if n > capacity:
        raise ValueError(f"at most {capacity} synthetic procedures")
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < n:
        head, lo, hi, _ = rng.choices(ranges, weights=[r[3] for r in ranges])[0]
        base = f"{head}.{rng.randint(lo, hi):06d}"
        if base in seen:
            continue
        seen.add(base)
        codes.append(f"{base}.000.00.00.{province}" if rng.random() < 0.35 else base)
    return codes


def _synthetic_times(rng: random.Random) -> tuple[ProcessingTime, ProcessingTime | None]:
    kind = rng.choices(("same", "hours", "days", "calendar"), weights=(12, 8, 70, 10))[0]
    if kind == "same":
        # Mostly the centre's default cut-off; some procedures publish their own.
        return ProcessingTime(0, TimeUnit.SAME_DAY, cutoff=rng.choice(("", "", "15:00", "16:00"))), None
    if kind == "hours":
        return ProcessingTime(float(rng.choice((2, 4, 8, 16))), TimeUnit.HOURS), None
    if kind == "calendar":
        amount = float(rng.choice((15, 30, 45, 60)))
        return ProcessingTime(amount, TimeUnit.CALENDAR_DAYS, skip_holidays=rng.random() < 0.5), None
    amount = float(rng.choice((1, 2, 3, 5, 7, 10, 12, 15, 20, 25, 30, 45)))
    statutory = ProcessingTime(amount, TimeUnit.WORKING_DAYS)
    if amount >= 3 and rng.random() < 0.35:
        # Provinces publish cuts of roughly a third (15 → 10 for construction permits in Lào Cai).
        return statutory, ProcessingTime(float(max(1, round(amount * 0.67))), TimeUnit.WORKING_DAYS)
    return statutory, None


def _synthetic_fees(rng: random.Random, verb: str, obj: str) -> tuple[Fee, ...]:
    if rng.random() < 0.45:
        return ()
    fees = [Fee(nfc(f"Lệ phí {verb.lower()} {obj}"), rng.choice(_FEE_AMOUNTS))]
    if rng.random() < 0.25:
        fees.append(Fee("Phí thẩm định hồ sơ", rng.choice(_FEE_AMOUNTS), "Nộp khi tiếp nhận hồ sơ"))
    return tuple(fees)


def _synthetic_components(rng: random.Random, verb: str, obj: str, own: Sequence[str]) -> tuple[Component, ...]:
    count = rng.randint(1, 8)
    first = nfc(f"Tờ khai đề nghị {verb.lower()} {obj} theo mẫu")
    pool = [*own, *_COMMON_COMPONENTS]
    rng.shuffle(pool)
    names = [first, *pool[: count - 1]]
    components = []
    for i, name in enumerate(names, start=1):
        is_form = i == 1
        components.append(
            Component(
                code=f"TP{i}",
                name=name,
                originals=1 if is_form or rng.random() < 0.4 else 0,
                certified_copies=0 if is_form else rng.choice((0, 0, 1)),
                photocopies=0 if is_form else rng.choice((0, 1, 1, 2)),
                required=is_form or rng.random() < 0.7,
                must_digitize=is_form or rng.random() < 0.3,
            )
        )
    return tuple(components)
