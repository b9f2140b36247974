"""Choosing the procedure: type part of the name without diacritics, a code, or filter by sector.

Moving through the list with the arrow keys previews a procedure (its components and appointment date show);
Enter in the search field, Enter or a click on a line *chooses* it, and the clerk's next key belongs to the card.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from motcua.domain.formatting import money
from motcua.domain.procedures import Procedure
from motcua.i18n import tr
from motcua.services.catalog import CatalogService
from motcua.ui.ops import Op
from motcua.ui.widgets.elided_label import ElidedLabel


class ProcedurePicker(QWidget):
    """Signals:
    procedure_did_change(object): the current Procedure (previewed or chosen), or None.
    procedure_chosen(object): the clerk chose this Procedure (Enter or a click), not only moved onto it.
    """

    procedure_did_change = Signal(object)
    procedure_chosen = Signal(object)

    def __init__(self, catalog: CatalogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._current: Procedure | None = None
        self._generation = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("1. Thủ tục hành chính"))
        title.setProperty("role", "section")
        lay.addWidget(title)
        self.query = QLineEdit()
        self.query.setPlaceholderText(tr("Tìm theo tên (gõ không dấu cũng được) hoặc mã thủ tục…"))
        self.query.setClearButtonEnabled(True)
        lay.addWidget(self.query)
        self.sector = QComboBox()
        # Sector names are long: the box must not widen the column to the longest one.
        self.sector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sector.setMinimumContentsLength(12)
        self.sector.addItem(tr("Tất cả lĩnh vực"), "")
        for s in catalog.sectors():
            self.sector.addItem(s, s)
            self.sector.setItemData(self.sector.count() - 1, s, Qt.ItemDataRole.ToolTipRole)
        lay.addWidget(self.sector)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setMinimumHeight(90)
        lay.addWidget(self.results, 1)
        self.info = ElidedLabel(max_lines=2)
        self.info.setProperty("role", "info")
        lay.addWidget(self.info)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.query.returnPressed.connect(self._take_first)
        self.sector.currentIndexChanged.connect(lambda _i: self.refresh())
        self.results.currentItemChanged.connect(self._on_current)
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        self.refresh()

    def current(self) -> Procedure | None:
        return self._current

    def refresh(self, then_take_first: bool = False) -> None:
        self._debounce.stop()
        text, sector = self.query.text(), self.sector.currentData() or None
        self._generation += 1
        generation = self._generation
        Op(self, lambda: self._catalog.search(text, sector, limit=200)).success(
            lambda found: self._show(found, generation, then_take_first)
        ).run()

    def _show(self, procedures: list[Procedure], generation: int, take_first: bool = False) -> None:
        if generation != self._generation:
            return  # an older search finished after a newer one: its answer is stale
        keep = self._current.code if self._current else None
        self.results.blockSignals(True)
        self.results.clear()
        for p in procedures:
            item = QListWidgetItem(f"{p.name}\n{p.code} · {p.sector} · {p.processing_time.describe()}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            item.setToolTip(p.name)
            self.results.addItem(item)
            if p.code == keep:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        if not procedures:
            # Nothing matches: no procedure stays chosen behind the clerk's back, and the reason is said plainly.
            self._set_current(None)
            if self.query.text().strip():
                self.info.setText(
                    tr(
                        "Không tìm thấy thủ tục nào khớp “{text}”. Thử gõ ít chữ hơn, hoặc tìm theo mã thủ tục.",
                        text=self.query.text().strip(),
                    )
                )
            return
        if self.results.currentItem() is None and self._current is not None:
            self._set_current(None)  # the chosen procedure is no longer among the results
        if take_first and self.results.count():
            self.results.setCurrentRow(0)
            self._chosen(self.results.item(0))

    def _take_first(self) -> None:
        # Enter may come before the typing pause ends: search for exactly what is typed, then take the first.
        self.refresh(then_take_first=True)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        if self.results.currentItem() is not item:
            self.results.setCurrentItem(item)
        p: Procedure | None = item.data(Qt.ItemDataRole.UserRole)
        if p is not None:
            self.procedure_chosen.emit(p)

    def select_code(self, code: str) -> None:
        self.query.setText(code)
        self.refresh()

    def restore(self, query: str, sector: str, procedure: Procedure | None) -> None:
        """Put back a search and a choice (after a language switch), without waiting for the search."""
        self.sector.blockSignals(True)
        self.sector.setCurrentIndex(max(0, self.sector.findData(sector)))
        self.sector.blockSignals(False)
        self.query.blockSignals(True)
        self.query.setText(query)
        self.query.blockSignals(False)
        self._set_current(procedure)
        self.refresh()  # the list comes back with the procedure selected

    def _on_current(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None = None) -> None:
        self._set_current(item.data(Qt.ItemDataRole.UserRole) if item else None)

    def _set_current(self, p: Procedure | None) -> None:
        self._current = p
        if p is None:
            self.info.setText("")
        else:
            fee = money(p.total_fee_vnd) if p.total_fee_vnd else tr("Không thu phí")
            self.info.setText(
                tr(
                    "Cơ quan: {agency} · Thời hạn: {time} · Phí, lệ phí: {fee}",
                    agency=p.agency,
                    time=p.processing_time.describe(),
                    fee=fee,
                )
            )
        if p is None and self._catalog.search_terms_problem():
            self.info.setText(self._catalog.search_terms_problem())
        self.procedure_did_change.emit(p)
