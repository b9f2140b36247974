"""The workbook's "Chỉ số 766" sheet: each month's measured indicators with their ratio and points as formulas,
the points of each group against its maximum, and the parts the centre cannot measure, with the reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.worksheet.worksheet import Worksheet

from motcua.documents.reports.index_pdf import scope_label
from motcua.documents.reports.xlsx_style import (
    BOLD,
    CENTRE,
    COUNT_FORMAT,
    ITALIC,
    LEFT,
    PLAIN,
    POINTS_FORMAT,
    SHARE_FORMAT,
    head,
    landscape_a4,
    rule,
    title_lines,
    widths,
)
from motcua.domain.reports.service_index import GROUP_MAX, GROUP_NAMES, NOT_MEASURED, IndexMonth
from motcua.i18n import tr

COLUMNS = 11  # A–K: month, scope, group, code, name, numerator, denominator, ratio, threshold, max, points
MONTH_FORMAT = "mm/yyyy"


def _put(ws: Worksheet, row: int, values: Sequence[object], formats: Sequence[str | None] = ()) -> None:
    for column, v in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=v)
        cell.font = PLAIN
        cell.alignment = LEFT if isinstance(v, str) and not v.startswith("=") else CENTRE
        fmt = formats[column - 1] if column <= len(formats) else None
        if fmt:
            cell.number_format = fmt


def _indicators(
    ws: Worksheet, months: Sequence[IndexMonth], top: int
) -> tuple[int, dict[tuple[date, str, int], list[int]]]:
    """The indicator table from row ``top``; returns the next free row and, per (month, scope, group), the rows
    of its indicators (the group table adds up their points)."""
    heads: list[str] = [
        tr("Tháng"),
        tr("Phạm vi"),
        tr("Nhóm"),
        tr("Mã"),
        tr("Chỉ số"),
        tr("Tử số"),
        tr("Mẫu số"),
        tr("Tỷ lệ"),
        tr("Ngưỡng đạt điểm tối đa"),
        tr("Điểm tối đa"),
        tr("Điểm"),
    ]
    for column, text in enumerate(heads, start=1):
        head(ws, top, column, text)
    at = top + 1
    rows_of: dict[tuple[date, str, int], list[int]] = {}
    formats: list[str | None] = [
        MONTH_FORMAT,
        None,
        None,
        None,
        None,
        COUNT_FORMAT,
        COUNT_FORMAT,
        SHARE_FORMAT,
        SHARE_FORMAT,
        POINTS_FORMAT,
        POINTS_FORMAT,
    ]
    for m in months:
        for s in m.scores:
            i = s.indicator
            ratio = f'=IF(G{at}=0,"",F{at}/G{at})'
            score = f'=IF(G{at}=0,"",J{at}*MIN(1,H{at}/I{at}))'
            values = (m.month, scope_label(m), i.group, i.code, i.name, s.numerator, s.denominator, ratio)
            _put(ws, at, (*values, i.threshold, i.max_points, score), formats)
            rows_of.setdefault((m.month, m.scope, i.group), []).append(at)
            at += 1
    rule(ws, top, at - 1, COLUMNS)
    return at, rows_of


def _groups(
    ws: Worksheet, months: Sequence[IndexMonth], top: int, rows_of: dict[tuple[date, str, int], list[int]]
) -> int:
    # The group's name sits under the indicator table's wide "Chỉ số" column (D–E merged), the points beside it.
    heads: list[str] = [
        tr("Tháng"),
        tr("Phạm vi"),
        tr("Nhóm"),
        tr("Tên nhóm"),
        "",
        tr("Điểm đạt"),
        tr("Điểm các chỉ số đo được"),
        tr("Điểm tối đa của nhóm"),
    ]
    for column, text in enumerate(heads, start=1):
        if text:
            head(ws, top, column, text)
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)
    at = top + 1
    formats = (MONTH_FORMAT, None, None, None, None, POINTS_FORMAT, POINTS_FORMAT, POINTS_FORMAT)
    for m in months:
        for g in sorted(GROUP_MAX):
            measured = m.group_points(g)
            if measured is None:
                got: object = tr("Chưa đo được")
                out_of: object = None
            else:
                # SUM skips the empty points of an indicator with nothing to divide, as the group's points do.
                got = "=SUM(" + ",".join(f"K{r}" for r in rows_of[(m.month, m.scope, g)]) + ")"
                out_of = measured[1]
            _put(ws, at, (m.month, scope_label(m), g, tr(GROUP_NAMES[g]), None, got, out_of, GROUP_MAX[g]), formats)
            ws.merge_cells(start_row=at, start_column=4, end_row=at, end_column=5)
            at += 1
    rule(ws, top, at - 1, len(heads))
    return at


def index_sheet(ws: Worksheet, months: Sequence[IndexMonth], centre_name: str) -> None:
    """Fill ``ws`` with the Decision 766 estimate for ``months``."""
    ws.title = tr("Chỉ số 766")
    lines = [
        (centre_name.upper(), BOLD),
        (tr("Chỉ số phục vụ (Quyết định 766) — ước tính từ dữ liệu của trung tâm"), BOLD),
        (
            tr("Điểm = điểm tối đa × min(1; tỷ lệ / ngưỡng đạt điểm tối đa); điểm nhóm chỉ cộng các chỉ số đo được."),
            ITALIC,
        ),
    ]
    top = title_lines(ws, lines, COLUMNS) + 1
    after, rows_of = _indicators(ws, months, top)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    landscape_a4(ws, f"{top}:{top}")
    label = ws.cell(row=after + 1, column=1, value=tr("Điểm theo nhóm chỉ số"))
    label.font = BOLD
    after = _groups(ws, months, after + 2, rows_of)
    label = ws.cell(row=after + 1, column=1, value=tr("Các chỉ số trung tâm chưa đo được"))
    label.font = BOLD
    head(ws, after + 2, 1, tr("Chỉ số"))
    head(ws, after + 2, 2, tr("Lý do chưa đo được"))
    ws.merge_cells(start_row=after + 2, start_column=2, end_row=after + 2, end_column=COLUMNS)
    for n, (code, reason) in enumerate(NOT_MEASURED, start=after + 3):
        ws.cell(row=n, column=1, value=code).alignment = CENTRE
        ws.cell(row=n, column=2, value=tr(reason)).alignment = LEFT
        ws.merge_cells(start_row=n, start_column=2, end_row=n, end_column=COLUMNS)
    rule(ws, after + 2, after + 2 + len(NOT_MEASURED), COLUMNS)
    widths(ws, [10, 24, 7, 7, 46, 10, 10, 10, 12, 10, 10])
