"""Read-only tables as the supervisor's tabs use them: bold headers on two lines, numbers on the right,
sorting by the value (not by the text: "10" after "9"), and the selected row kept across a refresh."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from motcua.ui.supervisor.look import AMBER, GREEN, RED

KEY = Qt.ItemDataRole.UserRole  # what a row stands for (a counter's number, a dossier's code)
SORT = Qt.ItemDataRole.UserRole + 1  # the value a column sorts by
_TONE_COLOURS = {"ok": GREEN, "warn": AMBER, "error": RED, "off": "#777777"}


class Cell(QTableWidgetItem):
    """One cell: its text, the value it sorts by, a tooltip and a colour."""

    def __init__(self, text: str, sort: Any = None, *, tip: str = "", tone: str = "", number: bool = False) -> None:
        super().__init__(text)
        self.setData(SORT, text if sort is None else sort)
        if tip:
            self.setToolTip(tip)
        if tone in _TONE_COLOURS:
            self.setForeground(QBrush(QColor(_TONE_COLOURS[tone])))
        if number:
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT), other.data(SORT)
        try:
            return bool(mine < theirs)
        except TypeError:  # an empty cell against a number: empty first
            return str(mine) < str(theirs)


def make_table(headers: Sequence[str], stretch: int | None = None, *, sortable: bool = False) -> QTableWidget:
    """A table of whole rows, read only; column ``stretch`` takes the room left (the others fit their content)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    # Widths are set by fit_columns: Qt sizes a two-line header as if it were one long line.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)  # twelve counters on a laptop
    if sortable:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the domain's order until a header is clicked
        table.setSortingEnabled(True)
    return table


def fill(
    table: QTableWidget, rows: Sequence[tuple[Any, Sequence[QTableWidgetItem]]], caps: dict[int, int] | None = None
) -> None:
    """Replace the rows (each a key and its cells), keeping the row of the same key selected.

    Args:
        caps: the widest a column may get (its long texts are elided; the tooltip has them whole).
    """
    first = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    kept = first.data(KEY) if first is not None else None
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)  # else every setItem re-sorts and the rows scatter
    table.setRowCount(len(rows))
    for r, (key, cells) in enumerate(rows):
        for c, cell in enumerate(cells):
            if c == 0:
                cell.setData(KEY, key)
            table.setItem(r, c, cell)
    table.setSortingEnabled(sorting)
    if kept is not None:
        select_key(table, kept)
    fit_columns(table, caps or {})


def fit_columns(table: QTableWidget, caps: dict[int, int]) -> None:
    """Each column as wide as its widest cell or the longest line of its header, no wider (the stretched column
    takes what is left)."""
    header = table.horizontalHeader()
    font = QFont(header.font())
    font.setBold(True)  # the header sections are bold (look.py)
    metrics = QFontMetrics(font)
    extra = 22 if table.isSortingEnabled() else 14  # the section's padding, and the sort arrow's room
    for c in range(table.columnCount()):
        if header.sectionResizeMode(c) is QHeaderView.ResizeMode.Stretch:
            continue
        item = table.horizontalHeaderItem(c)
        lines = item.text().split("\n") if item is not None else [""]
        title = max(metrics.horizontalAdvance(line) for line in lines) + extra
        header.resizeSection(c, min(max(title, table.sizeHintForColumn(c) + 4), caps.get(c, 10_000)))


def natural_width(table: QTableWidget, stretched: int = 120) -> int:
    """The width the table needs to show every column, the stretched one at ``stretched`` pixels, without a
    horizontal scroll bar."""
    header = table.horizontalHeader()
    width = sum(
        stretched if header.sectionResizeMode(c) is QHeaderView.ResizeMode.Stretch else header.sectionSize(c)
        for c in range(table.columnCount())
    )
    return width + table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth()


def select_key(table: QTableWidget, key: Any) -> bool:
    for r in range(table.rowCount()):
        item = table.item(r, 0)
        if item is not None and item.data(KEY) == key:
            table.selectRow(r)
            return True
    return False


def selected_key(table: QTableWidget) -> Any:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(KEY) if item is not None and item.isSelected() else None
