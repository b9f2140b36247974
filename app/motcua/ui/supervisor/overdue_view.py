"""The dossiers past their appointment and still open: who received each, which agency holds it, how late it is.
A double click (or Enter) opens the dossier."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from motcua.domain.formatting import short_date
from motcua.domain.reports.daily import OverdueRow
from motcua.domain.text import fold
from motcua.i18n import tr
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.tables import KEY, Cell, fill, make_table


class OverdueView(QWidget):
    """Signals:
    dossier_wanted(str): open this dossier (its code).
    """

    dossier_wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[OverdueRow, ...] = ()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        self.count = QLabel()
        self.count.setProperty("role", "section")
        head.addWidget(self.count, 1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("Lọc theo mã, thủ tục, lĩnh vực, cán bộ, cơ quan…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(360)
        self.filter.textChanged.connect(lambda _t: self._fill())
        head.addWidget(self.filter)
        lay.addLayout(head)
        headers = (
            tr("Mã hồ sơ"),
            tr("Thủ tục"),
            tr("Lĩnh vực"),
            tr("Hẹn trả"),
            tr("Trễ\n(ngày)"),
            tr("Cán bộ"),
            tr("Cơ quan\nđang giữ"),
            tr("Trạng thái"),
        )
        self.table = make_table(headers, 1, sortable=True)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._open(row))
        self.table.cellActivated.connect(lambda row, _c: self._open(row))
        lay.addWidget(self.table, 1)
        hint = QLabel(tr("Nhấp đúp vào một dòng để mở hồ sơ."))
        hint.setProperty("role", "info")
        lay.addWidget(hint)
        self.show_rows(())

    def show_rows(self, rows: tuple[OverdueRow, ...]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self) -> None:
        words = fold(self.filter.text()).split()
        shown = [r for r in self._rows if all(word in fold(self._haystack(r)) for word in words)]
        # Names of sectors and agencies run long: capped, so that the procedure keeps its room.
        fill(self.table, [(r.code, self._cells(r)) for r in shown], caps={2: 140, 5: 170, 6: 170, 7: 150})
        if not self._rows:
            self.count.setText(tr("Không có hồ sơ quá hạn"))
        elif len(shown) == len(self._rows):
            self.count.setText(tr("{n} hồ sơ quá hạn", n=w.number(len(self._rows))))
        else:
            self.count.setText(tr("{shown}/{n} hồ sơ quá hạn", shown=len(shown), n=w.number(len(self._rows))))

    def _haystack(self, r: OverdueRow) -> str:
        return " ".join((r.code, r.procedure_name, r.sector, r.clerk, r.agency))

    def _cells(self, r: OverdueRow) -> list[Cell]:
        received = tr("Nhận ngày {day}", day=short_date(r.received_at.date()))
        return [
            Cell(r.code, tip=received),
            Cell(r.procedure_name, tip=r.procedure_name),
            Cell(r.sector, tip=r.sector),
            Cell(short_date(r.due_at.date()) if r.due_at else w.NONE, r.due_at or r.received_at, tip=received),
            Cell(w.number(r.days_late), r.days_late, number=True, tone="error" if r.days_late > 0 else "warn"),
            Cell(r.clerk, tip=r.clerk),
            Cell(r.agency, tip=r.agency),  # the domain gives the name when it knows it
            Cell(r.status.label, tip=r.status.label),
        ]

    def _open(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.dossier_wanted.emit(str(item.data(KEY)))

    def key_row(self, code: str) -> int:
        """The row showing dossier ``code`` now (tests click it), or -1."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(KEY) == code:
                return r
        return -1

    def codes(self) -> list[str]:
        """The codes in the order shown."""
        items = (self.table.item(r, 0) for r in range(self.table.rowCount()))
        return [str(i.data(KEY)) for i in items if i is not None]
