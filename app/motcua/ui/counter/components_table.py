"""Ticking the document components received, with counts of originals, certified copies and photocopies.

A click anywhere on a row ticks it (or unticks it), Space ticks the current row: a clerk with a pile of papers
aims at the line, not at a 13-pixel box. "Nhận đủ" ticks what the procedure requires and nothing conditional.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from motcua.domain.dossier import ReceivedComponent
from motcua.domain.procedures import Procedure
from motcua.i18n import tr

_COLS = ("Nhận", "Thành phần hồ sơ", "Bản chính", "Bản chứng thực", "Bản photo", "Bắt buộc")

_COUNTS = (2, 3, 4)
BOX_PX = 24  # the tick box; Qt's default 13 px is hard to hit and to see
COUNT_PX = 64  # a count column: a two-digit spin box

_STYLE = f"""
QCheckBox::indicator {{ width: {BOX_PX}px; height: {BOX_PX}px; }}
QCheckBox {{ padding-left: 8px; }}
"""


@dataclass(frozen=True, slots=True)
class Tick:
    """One row as the clerk left it (kept across a language switch)."""

    ticked: bool
    counts: tuple[int, int, int]


class ComponentsTable(QTableWidget):
    """Signals:
    components_did_change(): a tick or a count changed.
    """

    components_did_change = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(_COLS), parent)
        self.setObjectName("components")
        self.setStyleSheet(_STYLE)
        heads = (tr("Nhận"), tr("Thành phần hồ sơ"), tr("Bản\nchính"), tr("Bản\nchứng thực"), tr("Bản\nphoto"),
                 tr("Bắt\nbuộc"))  # fmt: skip
        for col, (text, head_text) in enumerate(zip(_COLS, heads, strict=True)):
            head = QTableWidgetItem(head_text)
            head.setToolTip(tr(text))
            self.setHorizontalHeaderItem(col, head)
        h = self.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setMinimumSectionSize(40)
        h.setTextElideMode(Qt.TextElideMode.ElideNone)  # the titles are on two lines, each measured to fit
        # The counts and the ticks keep a fixed width, so that the names get the room (headers "Bản chứng thực"
        # or "Certified copies" would otherwise take it).
        metrics = h.fontMetrics()
        for col, text in enumerate(heads):
            if col != 1:
                wide = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 18
                self.setColumnWidth(col, max(wide, BOX_PX + 36 if col == 0 else COUNT_PX))
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._procedure: Procedure | None = None
        # A click on a cell without a widget, on the box's cell beside the box, or on a disabled count.
        self.cellClicked.connect(lambda row, _col: self.toggle(row))

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
            name.setToolTip(name.text())
            self.setItem(row, 1, name)
            for col, default in zip(_COUNTS, (c.originals, c.certified_copies, c.photocopies), strict=True):
                spin = QSpinBox()
                spin.setRange(0, 99)
                spin.setValue(default)
                spin.setEnabled(False)
                spin.valueChanged.connect(lambda _v: self.components_did_change.emit())
                self.setCellWidget(row, col, spin)
            req = QTableWidgetItem(tr("Có") if c.required else tr("Nếu có"))
            req.setFlags(req.flags() & ~Qt.ItemFlag.ItemIsEditable)
            req.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(row, 5, req)
        self.resizeRowsToContents()
        for row in range(self.rowCount()):
            self.setRowHeight(row, max(self.rowHeight(row), BOX_PX + 12))
        self.components_did_change.emit()

    def _on_tick(self, row: int) -> None:
        on = self._box(row).isChecked()
        for col in _COUNTS:
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

    def toggle(self, row: int) -> None:
        if 0 <= row < self.rowCount():
            box = self._box(row)
            box.setChecked(not box.isChecked())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
            self.toggle(self.currentRow())
            return
        super().keyPressEvent(event)

    def tick_required(self) -> None:
        """Tick every required component ("Nhận đủ"); conditional ones ("if any") stay as they are."""
        if self._procedure is None:
            return
        for row, c in enumerate(self._procedure.components):
            if c.required:
                self._box(row).setChecked(True)

    def is_ticked(self, row: int) -> bool:
        return self._box(row).isChecked()

    def received(self) -> tuple[ReceivedComponent, ...]:
        if self._procedure is None:
            return ()
        out = []
        for row, c in enumerate(self._procedure.components):
            if self._box(row).isChecked():
                counts = tuple(self._count(row, col) for col in _COUNTS)
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

    # -- kept across a language switch ------------------------------------------------------------------
    def ticks(self) -> dict[str, Tick]:
        if self._procedure is None:
            return {}
        return {
            c.code: Tick(self._box(row).isChecked(), tuple(self._count(row, col) for col in _COUNTS))  # type: ignore[arg-type]
            for row, c in enumerate(self._procedure.components)
        }

    def set_ticks(self, ticks: dict[str, Tick]) -> None:
        if self._procedure is None:
            return
        for row, c in enumerate(self._procedure.components):
            t = ticks.get(c.code)
            if t is None:
                continue
            for col, n in zip(_COUNTS, t.counts, strict=True):
                w = self.cellWidget(row, col)
                assert isinstance(w, QSpinBox)
                w.setValue(n)
            self._box(row).setChecked(t.ticked)
