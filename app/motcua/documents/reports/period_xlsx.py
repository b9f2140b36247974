"""The periodic report as an Excel workbook: the same columns as the PDF, with live formulas.

Counts are numbers; every "Tổng" column, the total row and the on-time share are formulas, so that a clerk who
corrects a count by hand sees the totals follow. The Decision 766 estimate goes on a second sheet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import motcua
from motcua.documents.reports.index_xlsx import index_sheet
from motcua.documents.reports.period_columns import Column, columns, group_title, header_spans, value
from motcua.documents.reports.period_pdf import period_text, title
from motcua.documents.reports.xlsx_style import (
    BOLD,
    CENTRE,
    COUNT_FORMAT,
    ITALIC,
    LEFT,
    PLAIN,
    SHARE_FORMAT,
    head,
    landscape_a4,
    rule,
    title_lines,
    widths,
)
from motcua.domain.formatting import short_datetime
from motcua.domain.reports.period import PeriodReport, PeriodRow
from motcua.domain.reports.service_index import IndexMonth
from motcua.i18n import tr

FIRST_FIGURE = 3  # column C: STT and the group's name come first
HEAD_ROW = 5  # the two header rows, then the row of column numbers


def _letters(cols: list[Column]) -> dict[str, str]:
    return {c.key: get_column_letter(FIRST_FIGURE + i) for i, c in enumerate(cols)}


def _sum_formula(parts: Sequence[str], letters: dict[str, str], row: int) -> str:
    """``=SUM(I8:K8)`` for neighbouring columns, ``=D8+E8+F8+G8`` otherwise."""
    cols = [letters[p] for p in parts]
    numbers = [FIRST_FIGURE + list(letters).index(p) for p in parts]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"=SUM({cols[0]}{row}:{cols[-1]}{row})"
    return "=" + "+".join(f"{c}{row}" for c in cols)


def _share_formula(share: tuple[tuple[str, ...], str], letters: dict[str, str], row: int) -> str:
    parts, whole = share
    numerator = "+".join(f"{letters[p]}{row}" for p in parts)
    # An empty cell, not an error, where nothing was resolved.
    return f'=IF({letters[whole]}{row}=0,"",({numerator})/{letters[whole]}{row})'


def _header(ws: Worksheet, r: PeriodReport, cols: list[Column]) -> int:
    top, sub, numbers = HEAD_ROW, HEAD_ROW + 1, HEAD_ROW + 2
    for column, text in ((1, tr("STT")), (2, group_title(r.group_by))):
        head(ws, top, column, text)
        ws.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    for first, last, name in header_spans(cols, FIRST_FIGURE):
        head(ws, top, first, name)
        if first == last and not cols[first - FIRST_FIGURE].group:
            ws.merge_cells(start_row=top, start_column=first, end_row=sub, end_column=first)
            continue
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
        for c in range(first, last + 1):
            head(ws, sub, c, cols[c - FIRST_FIGURE].title)
    for c in range(1, FIRST_FIGURE + len(cols)):
        cell = ws.cell(row=numbers, column=c, value=f"({c})")
        cell.font, cell.alignment = ITALIC, CENTRE
    ws.row_dimensions[top].height = 30
    ws.row_dimensions[sub].height = 30
    return numbers + 1


def _row(ws: Worksheet, at: int, n: str | int, row: PeriodRow, cols: list[Column], letters: dict[str, str]) -> None:
    ws.cell(row=at, column=1, value=n).alignment = CENTRE
    ws.cell(row=at, column=2, value=row.group).alignment = LEFT
    for i, col in enumerate(cols):
        cell = ws.cell(row=at, column=FIRST_FIGURE + i)
        if col.share:
            cell.value, cell.number_format = _share_formula(col.share, letters, at), SHARE_FORMAT
        elif col.parts:
            cell.value, cell.number_format = _sum_formula(col.parts, letters, at), COUNT_FORMAT
        else:
            cell.value, cell.number_format = value(row, col), COUNT_FORMAT
        cell.alignment = CENTRE


def _total(ws: Worksheet, at: int, first: int, r: PeriodReport, cols: list[Column], letters: dict[str, str]) -> None:
    ws.cell(row=at, column=2, value=tr("Tổng cộng")).alignment = LEFT
    for i, col in enumerate(cols):
        cell = ws.cell(row=at, column=FIRST_FIGURE + i)
        letter = letters[col.key]
        if col.share:
            cell.value, cell.number_format = _share_formula(col.share, letters, at), SHARE_FORMAT
        elif r.rows:
            cell.value, cell.number_format = f"=SUM({letter}{first}:{letter}{at - 1})", COUNT_FORMAT
        else:
            cell.value, cell.number_format = 0, COUNT_FORMAT
        cell.alignment = CENTRE
    for cell in ws[at]:
        cell.font = BOLD


def _report_sheet(ws: Worksheet, r: PeriodReport, centre_name: str, generated_at: datetime) -> None:
    cols = columns()
    letters = _letters(cols)
    last_col = FIRST_FIGURE + len(cols) - 1
    ws.title = tr("Báo cáo")
    title_lines(ws, [(centre_name.upper(), BOLD), (title(), BOLD), (period_text(r), ITALIC)], last_col)
    first = _header(ws, r, cols)
    at = first
    for n, row in enumerate(r.rows, start=1):
        _row(ws, at, n, row, cols, letters)
        at += 1
    if not r.rows:
        ws.cell(row=at, column=2, value=tr("Không có"))
        at += 1
    _total(ws, at, first, r, cols, letters)
    for line in ws.iter_rows(min_row=first, max_row=at - 1, max_col=last_col):
        for cell in line:
            cell.font = PLAIN
    rule(ws, HEAD_ROW, at, last_col)
    made = ws.cell(row=at + 2, column=2, value=tr("Lập lúc {when}", when=short_datetime(generated_at)))
    made.font = ITALIC
    widths(ws, [6, 34, *[11] * (len(cols) - 1), 12])
    ws.freeze_panes = ws.cell(row=first, column=FIRST_FIGURE)
    landscape_a4(ws, f"{HEAD_ROW}:{first - 1}")


def period_report_xlsx(
    r: PeriodReport, *, centre_name: str, generated_at: datetime, index: Sequence[IndexMonth] = ()
) -> bytes:
    """The periodic report as an .xlsx: sheet "Báo cáo" (the table), and "Chỉ số 766" when ``index`` is given.

    Call it inside ``with language("vi")``, like the PDF.

    Returns:
        The workbook's bytes; its properties name the centre and the period, never a clerk.
    """
    wb = Workbook()
    _report_sheet(wb.active, r, centre_name, generated_at)
    if index:
        index_sheet(wb.create_sheet(), index, centre_name)
    props = wb.properties
    props.creator = props.lastModifiedBy = f"MotCua Desk {motcua.__version__}"
    props.title = tr("{title} — {period}", title=title(), period=period_text(r))
    props.subject = centre_name
    props.created = props.modified = generated_at
    props.language = "vi-VN"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
