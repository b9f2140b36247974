"""Finding any dossier by code, ID number, name or phone, typed or scanned."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.dossier import Dossier
from motcua.domain.formatting import short_datetime
from motcua.i18n import tr
from motcua.services.reception import ReceptionService
from motcua.ui.ops import Op
from motcua.ui.widgets.message_bar import describe_error

_COLS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái")


class SearchTab(QWidget):
    """Signals:
    dossier_wanted(str): the clerk opened a dossier (its code).
    """

    dossier_wanted = Signal(str)

    def __init__(self, reception: ReceptionService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reception = reception
        self._generation = 0
        lay = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(tr("Mã hồ sơ, số định danh, họ tên (không dấu cũng được) hoặc số điện thoại…"))
        self.query.setClearButtonEnabled(True)
        lay.addWidget(self.query)
        self.count = QLabel()
        lay.addWidget(self.count)
        self.table = QTableWidget(0, len(_COLS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in _COLS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.query.returnPressed.connect(self._open_first)
        self.table.cellActivated.connect(lambda row, _c: self._open_row(row))
        self.table.cellDoubleClicked.connect(lambda row, _c: self._open_row(row))

    def run_search(self) -> None:
        text = self.query.text()
        if not text.strip():
            self.table.setRowCount(0)
            self.count.setText("")
            return
        self._generation += 1
        generation = self._generation
        Op(self, lambda: self._reception.search(text, 200)).success(lambda f: self._show(f, generation)).failure(
            lambda e: self.count.setText(describe_error(e))
        ).run()

    def _show(self, found: list[Dossier], generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return  # a slower, older search must not overwrite a newer answer
        self.table.setRowCount(len(found))
        for row, d in enumerate(found):
            values = (
                d.code,
                d.applicant.name,
                d.procedure_name,
                short_datetime(d.received_at),
                short_datetime(d.due_at),
                d.status.label,
            )
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                if col == 2:
                    item.setToolTip(v)  # procedure names are long: the column shows them shortened
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, d.code)
                self.table.setItem(row, col, item)
        self.count.setText(tr("{n} hồ sơ", n=len(found)) if found else tr("Không tìm thấy hồ sơ nào"))

    def _open_first(self) -> None:
        self._debounce.stop()
        self._generation += 1
        text = self.query.text()
        Op(self, lambda: self._reception.search(text, 200)).success(
            lambda found: (self._show(found), found and self.dossier_wanted.emit(found[0].code))
        ).run()

    def _open_row(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.dossier_wanted.emit(item.data(Qt.ItemDataRole.UserRole))
