"""The captured pages as a strip of thumbnails: drag to reorder; the order is read back by page id."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from motcua.i18n import tr
from motcua.ui.scan.images import to_qimage

_ID = Qt.ItemDataRole.UserRole


class PageStrip(QListWidget):
    """Signals:
    order_did_change(): the clerk dragged a page to a new place.
    """

    order_did_change = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setIconSize(QSize(72, 102))
        self.setMovement(QListView.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFixedHeight(150)  # thumbnails, labels and a scroll bar: the tab fits 1366×768 unscrolled
        self.setSpacing(6)

    def set_pages(self, pages: list[tuple[int, np.ndarray, bool]], current: int | None = None) -> None:
        """(page id, preview, has warnings) in order; ``current`` is the id to select."""
        self.blockSignals(True)
        self.clear()
        for n, (page_id, preview, warned) in enumerate(pages, start=1):
            label = tr("Trang {n}", n=n) + (" ⚠" if warned else "")
            item = QListWidgetItem(QIcon(QPixmap.fromImage(to_qimage(preview))), label)
            item.setData(_ID, page_id)
            self.addItem(item)
            if page_id == current:
                self.setCurrentItem(item)
        self.blockSignals(False)
        self.currentItemChanged.emit(self.currentItem(), None)

    def order(self) -> list[int]:
        return [int(self.item(i).data(_ID)) for i in range(self.count())]

    def current_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(_ID))

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self.order_did_change.emit()
