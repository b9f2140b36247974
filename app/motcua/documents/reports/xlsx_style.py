"""The look shared by the workbook's sheets: ruled cells, bold grey headers, title lines, column widths."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_SIDE = Side(style="thin", color="000000")
BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
HEAD_FILL = PatternFill("solid", start_color="E6E6E6", end_color="E6E6E6")
BOLD = Font(name="Times New Roman", size=11, bold=True)
PLAIN = Font(name="Times New Roman", size=11)
ITALIC = Font(name="Times New Roman", size=11, italic=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0%"
POINTS_FORMAT = "0.00"


def title_lines(ws: Worksheet, lines: Sequence[tuple[str, Font]], columns: int) -> int:
    """Centred lines across the first ``columns`` columns from row 1; returns the next free row."""
    for row, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        cell = ws.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = font, Alignment(horizontal="center", vertical="center")
    return len(lines) + 1


def head(ws: Worksheet, row: int, column: int, text: str) -> None:
    cell = ws.cell(row=row, column=column, value=text)
    cell.font, cell.alignment, cell.fill = BOLD, CENTRE, HEAD_FILL


def rule(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    """Borders on every cell of the block, the merged ones' hidden cells too (Excel draws a merge's border
    from them)."""
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=columns):
        for cell in row:
            cell.border = BORDER


def widths(ws: Worksheet, chars: Sequence[float]) -> None:
    for i, w in enumerate(chars, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def landscape_a4(ws: Worksheet, title_rows: str) -> None:
    """Printed across one A4 landscape page wide, the header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
