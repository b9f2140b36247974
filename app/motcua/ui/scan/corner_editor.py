"""Fix a wrong outline by hand: the captured frame with four handles to drag onto the page's corners."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPolygonItem, QGraphicsScene, QGraphicsView

from motcua.ui.scan.images import to_qimage

_HANDLE_RADIUS = 14.0


class _Handle(QGraphicsEllipseItem):
    def __init__(self, editor: CornerEditor, index: int) -> None:
        r = _HANDLE_RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r)
        self._editor = editor
        self.index = index
        self.setBrush(QBrush(QColor(255, 140, 0, 180)))
        self.setPen(QPen(QColor(120, 60, 0), 2))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # same size at any zoom
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.setZValue(2)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._editor._update_outline()
        return super().itemChange(change, value)


class CornerEditor(QGraphicsView):
    """Signals:
    corners_did_change(object): the clerk released a handle; the four corners (TL, TR, BR, BL) in frame pixels.
    """

    corners_did_change = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setMinimumSize(320, 240)
        self._pixmap = self.scene().addPixmap(QPixmap())
        self._pixmap.setTransformationMode(Qt.TransformationMode.SmoothTransformation)  # thin print stays legible
        self._outline = QGraphicsPolygonItem()
        self._outline.setPen(QPen(QColor(0, 200, 80), 2))
        self._outline.setZValue(1)
        self.scene().addItem(self._outline)
        self.handles = [_Handle(self, i) for i in range(4)]
        for h in self.handles:
            self.scene().addItem(h)
            h.hide()

    def show_page(self, frame: np.ndarray, corners: tuple[tuple[float, float], ...]) -> None:
        self._pixmap.setPixmap(QPixmap.fromImage(to_qimage(frame)))
        self.scene().setSceneRect(QRectF(0, 0, frame.shape[1], frame.shape[0]))
        for h, (x, y) in zip(self.handles, corners, strict=True):
            h.setPos(QPointF(x, y))
            h.show()
        self._update_outline()
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def corners(self) -> tuple[tuple[float, float], ...]:
        return tuple((h.pos().x(), h.pos().y()) for h in self.handles)

    def _update_outline(self) -> None:
        self._outline.setPolygon(QPolygonF([h.pos() for h in self.handles]))

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.scene().mouseGrabberItem() is None and any(h.isVisible() for h in self.handles):
            self.corners_did_change.emit(self.corners())
