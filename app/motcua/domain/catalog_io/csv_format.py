"""The CSV catalog file format: dump and load, all or nothing; the columns; one row ↔ one procedure.

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
fee_rules              how each fee of ``fees`` is counted, items in the same order joined by ``;``:
                       ``per|next_amount|tier_from|cap`` with ``per`` = ``dossier`` / ``copy`` / ``page``;
                       blank = once per dossier (e.g. chứng thực: ``page|1000|3|200000``)
components             ``code|name|originals|certified|photocopies|required|must_digitize`` items joined
                       by ``;`` — counts blank = 0, flags ``1``/``0`` (blank: required = 1, digitize = 0);
                       trailing fields may be left out, e.g. ``TP1|Tờ khai``
channels               ``1,2,3`` (KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính); blank = ``1``
service_level          ``2`` / ``3`` / ``4`` (MucDo); blank = 2
territory              what decides the competent agency: blank (nothing), ``residence``, ``location``,
                       ``applicant_residence`` (an older file's ``any_territory`` = ``0`` reads as the last)
payment_pauses_clock   ``1``/``0``: waiting for the citizen's payment stops the processing clock; blank = 0
active                 ``1``/``0`` (also ``true``/``false``, ``có``/``không``); blank = 1
extra                  ``key=value`` items joined by ``;``
=====================  ==================================================================================

Inside the compact cells (fees, components, extra) a backslash escapes the next character, so names may
contain ``;`` ``|`` ``:`` ``=`` or ``\\`` (written ``\\;`` ``\\|`` ``\\:`` ``\\=`` ``\\\\``); the cell syntax
lives in :mod:`~motcua.domain.catalog_io.csv_cells`. Commas need no escaping: the CSV layer quotes cells that
contain the delimiter. Only ``code`` and ``name`` plus the statutory time are required columns; an unknown
column is an error (a misspelt optional column would otherwise drop data silently).

Row numbers in :attr:`CatalogImportError.problems` are spreadsheet rows (the header is row 1, so the first
procedure is row 2).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from motcua.domain.catalog_io.csv_cells import (
    component_from_cell,
    extra_from_cell,
    fee_from_cell,
    flag,
    format_number,
    items,
    join_fields,
    parse_flag,
    parse_int,
    time_from_cells,
)
from motcua.domain.catalog_io.encoding import decode
from motcua.domain.catalog_io.validation import CatalogImportError, check_unique, checked, parse_channel, parse_level
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Channel, Fee, FeeBasis, Level, Procedure, ProcessingTime, Territory
from motcua.domain.text import nfc
from motcua.i18n import tr

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
    "territory",
    "payment_pauses_clock",
    "active",
    "extra",
    "fee_rules",
)
# Read, never written: the column an earlier format used for territory.
_LEGACY_CSV_COLUMNS = ("any_territory",)
_REQUIRED_CSV_COLUMNS = ("code", "name", "statutory_unit")


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
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error:
        # An unclosed quote or a NUL byte: the file is damaged, there are no rows to report on.
        raise ValidationError(tr("Tệp CSV bị hỏng quanh dòng {row}", row=reader.line_num)) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise CatalogImportError([(1, tr("Thiếu dòng tiêu đề"))])

    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [h for h in header if h and h not in CSV_COLUMNS and h not in _LEGACY_CSV_COLUMNS]
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
    check_unique(parsed, problems)
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
        "statutory_amount": format_number(st.amount),
        "statutory_unit": st.unit.value,
        "local_amount": format_number(lt.amount) if lt else "",
        "local_unit": lt.unit.value if lt else "",
        "cutoff": st.cutoff,
        "local_cutoff": lt.cutoff if lt else "",
        "skip_holidays": flag(st.skip_holidays),
        "local_skip_holidays": flag(lt.skip_holidays) if lt else "",
        "fees": ";".join(join_fields([f.name, str(f.amount_vnd)] + ([f.note] if f.note else []), ":") for f in p.fees),
        "components": ";".join(
            join_fields(
                [
                    c.code,
                    c.name,
                    str(c.originals),
                    str(c.certified_copies),
                    str(c.photocopies),
                    flag(c.required),
                    flag(c.must_digitize),
                ],
                "|",
            )
            for c in p.components
        ),
        "channels": ",".join(c.value for c in p.channels),
        "service_level": str(p.service_level),
        "territory": p.territory.value,
        "payment_pauses_clock": flag(p.payment_pauses_clock),
        "active": flag(p.active),
        "extra": ";".join(join_fields([k, v], "=") for k, v in p.extra.items()),
        "fee_rules": _fee_rules_cell(p.fees),
    }
    return [values[c] for c in CSV_COLUMNS]


def _procedure_from_row(r: Mapping[str, str]) -> Procedure:
    def cell(name: str) -> str:
        return nfc(r.get(name, ""))

    if not cell("code"):
        raise ValidationError(tr("Thiếu mã thủ tục"), "code")
    statutory = time_from_cells(
        cell("statutory_amount"),
        cell("statutory_unit"),
        cell("cutoff"),
        parse_flag(cell("skip_holidays"), "skip_holidays", True),
        "statutory",
    )
    local: ProcessingTime | None = None
    if cell("local_amount") or cell("local_unit"):
        local = time_from_cells(
            cell("local_amount"),
            cell("local_unit"),
            cell("local_cutoff"),
            parse_flag(cell("local_skip_holidays"), "local_skip_holidays", statutory.skip_holidays),
            "local",
        )
    channels_text = cell("channels")
    channels = (
        tuple(parse_channel(c) for c in re.split(r"[,;/\s]+", channels_text) if c)
        if channels_text
        else (Channel.DIRECT,)
    )
    proc = Procedure(
        code=cell("code").upper(),
        name=cell("name"),
        sector=cell("sector"),
        level=parse_level(cell("level")) if cell("level") else Level.COMMUNE,
        agency=cell("agency"),
        statutory_time=statutory,
        local_time=local,
        fees=_with_rules(tuple(fee_from_cell(item) for item in items(r.get("fees", ""))), r.get("fee_rules", "")),
        components=tuple(component_from_cell(item) for item in items(r.get("components", ""))),
        channels=channels,
        service_level=parse_int(cell("service_level"), "service_level", 2),
        territory=_territory_cell(cell("territory"), cell("any_territory")),
        payment_pauses_clock=parse_flag(cell("payment_pauses_clock"), "payment_pauses_clock", False),
        active=parse_flag(cell("active"), "active", True),
        extra=dict(extra_from_cell(item) for item in items(r.get("extra", ""))),
    )
    return checked(proc)


def _territory_cell(value: str, legacy: str) -> Territory:
    if value:
        try:
            return Territory(value.strip().lower())
        except ValueError:
            raise ValidationError(
                tr("Địa bàn không hợp lệ: {value} (residence, location, applicant_residence hoặc trống)", value=value),
                "territory",
            ) from None
    return Territory.NONE if parse_flag(legacy, "any_territory", True) else Territory.APPLICANT_RESIDENCE


def _fee_rules_cell(fees: tuple[Fee, ...]) -> str:
    if all(f.per is FeeBasis.DOSSIER and not (f.next_amount_vnd or f.tier_from or f.cap_vnd) for f in fees):
        return ""
    return ";".join(
        "" if f.per is FeeBasis.DOSSIER and not (f.next_amount_vnd or f.tier_from or f.cap_vnd)
        else join_fields([f.per.value, str(f.next_amount_vnd), str(f.tier_from), str(f.cap_vnd)], "|")
        for f in fees
    )  # fmt: skip


def _with_rules(fees: tuple[Fee, ...], cell_text: str) -> tuple[Fee, ...]:
    """Apply the ``fee_rules`` cell to the fees of the same row, item by item."""
    rules = cell_text.split(";") if cell_text.strip() else []
    if len(rules) > len(fees):
        raise ValidationError(tr("Cột fee_rules có nhiều mục hơn cột fees"), "fee_rules")
    out = list(fees)
    for i, rule in enumerate(rules):
        if not rule.strip():
            continue
        parts = [x.strip() for x in rule.split("|")] + ["", "", ""]
        try:
            per = FeeBasis(parts[0] or FeeBasis.DOSSIER.value)
        except ValueError:
            raise ValidationError(
                tr("Cách tính phí không hợp lệ: {value} (dossier, copy, page)", value=parts[0]), "fees"
            ) from None
        out[i] = replace(
            fees[i],
            per=per,
            next_amount_vnd=parse_int(parts[1], "fee_rules", 0),
            tier_from=parse_int(parts[2], "fee_rules", 0),
            cap_vnd=parse_int(parts[3], "fee_rules", 0),
        )
    return tuple(out)


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
