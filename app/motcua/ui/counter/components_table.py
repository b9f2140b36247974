"""Ticking the document components received, with counts of originals, certified copies and photocopies."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHeaderView, QSpinBox, QTableWidget, QTableWidgetItem, QWidget

from motcua.domain.dossier import ReceivedComponent
from motcua.domain.procedures import Procedure
from motcua.i18n import tr

_COLS = ("Nhận", "Thành phần hồ sơ", "Bản chính", "Bản chứng thực", "Bản photo", "Bắt buộc")


class ComponentsTable(QTableWidget):
    """Signals:
    components_did_change(): a tick or a count changed.
    """

    components_did_change = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(_COLS), parent)
        self.setHorizontalHeaderLabels([tr(c) for c in _COLS])
        h = self.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3, 4, 5):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)
        self._procedure: Procedure | None = None

    def set_procedure(self, p: Procedure | None) -> None:
        self._procedure = p
        comps = p.components if p else ()
        self.setRowCount(len(comps))
        for row, c in enumerate(comps):
            box = QCheckBox()
            box.setToolTip(tr("Đã nhận thành phần này"))
            box.toggled.connect(lambda _on, r=row: self._on_tick(r))
            self.setCellWidget(row, 0, box)
            name = QTableWidgetItem(c.name + (tr(" (cần số hóa)") if c.must_digitize else ""))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(row, 1, name)
            for col, default in ((2, c.originals), (3, c.certified_copies), (4, c.photocopies)):
                spin = QSpinBox()
                spin.setRange(0, 99)
                spin.setValue(default)
                spin.setEnabled(False)
                spin.valueChanged.connect(lambda _v: self.components_did_change.emit())
                self.setCellWidget(row, col, spin)
            req = QTableWidgetItem(tr("Có") if c.required else "")
            req.setFlags(req.flags() & ~Qt.ItemFlag.ItemIsEditable)
            req.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(row, 5, req)
        self.resizeRowsToContents()
        self.components_did_change.emit()

    def _on_tick(self, row: int) -> None:
        on = self._box(row).isChecked()
        for col in (2, 3, 4):
            self.cellWidget(row, col).setEnabled(on)
        self.components_did_change.emit()

    def _box(self, row: int) -> QCheckBox:
        w = self.cellWidget(row, 0)
        assert isinstance(w, QCheckBox)
        return w

    def _count(self, row: int, col: int) -> int:
        w = self.cellWidget(row, col)
        assert isinstance(w, QSpinBox)
        return w.value()

    def tick_all(self) -> None:
        for row in range(self.rowCount()):
            self._box(row).setChecked(True)

    def received(self) -> tuple[ReceivedComponent, ...]:
        if self._procedure is None:
            return ()
        out = []
        for row, c in enumerate(self._procedure.components):
            if self._box(row).isChecked():
                counts = (self._count(row, 2), self._count(row, 3), self._count(row, 4))
                if sum(counts) == 0:
                    counts = (0, 0, 1)  # ticked with no count: one paper of some kind was handed over
                out.append(ReceivedComponent(c.code, c.name, *counts))
        return tuple(out)

    def missing_required(self) -> list[str]:
        if self._procedure is None:
            return []
        return [
            c.name for row, c in enumerate(self._procedure.components) if c.required and not self._box(row).isChecked()
        ]
