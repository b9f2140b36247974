"""The captured page as it will be stored, to be zoomed and panned so the clerk can read small print before saving.

Zoom is in page pixels: 100 % shows one pixel of the stored page (200 dpi) per screen pixel. A quick low-resolution
preview can stand in for the page while the full one is made; it is drawn at the page's size, so swapping the
two neither jumps nor changes the zoom.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.ui.scan.images import to_qimage

MIN_ZOOM = 0.05
MAX_ZOOM = 8.0
ZOOM_STEP = 1.25


class ZoomView(QGraphicsView):
    """A page image with zoom (wheel, buttons, keys), "fit" and "100 %", and panning by dragging.

    Signals:
        zoom_did_change(float): the new zoom (1.0 = 100 %).
    """

    zoom_did_change = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QColor("#90a4ae"))
        self.setMinimumSize(240, 200)
        self._fitting = True

    # -- the image -----------------------------------------------------------------------------------------
    def set_image(self, image: np.ndarray, page_width: int | None = None) -> None:
        """Show ``image``; ``page_width`` is the width of the full page it stands for (a smaller preview is drawn
        at that size). Keeps the zoom and the place looked at, unless the view is fitting the page."""
        pixmap = QPixmap.fromImage(to_qimage(image))
        self._item.setPixmap(pixmap)
        self._item.setScale((page_width or image.shape[1]) / max(1, image.shape[1]))
        self.scene().setSceneRect(self._item.sceneBoundingRect())
        if self._fitting:
            self.fit()

    def clear(self) -> None:
        self._item.setPixmap(QPixmap())
        self.scene().setSceneRect(QRectF())

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def page_size(self) -> tuple[float, float]:
        """(width, height) of the page shown, in page pixels."""
        rect = self._item.sceneBoundingRect()
        return rect.width(), rect.height()

    # -- zoom ----------------------------------------------------------------------------------------------
    def zoom(self) -> float:
        return float(self.transform().m11())

    def is_fitting(self) -> bool:
        return self._fitting

    def set_zoom(self, factor: float, under_mouse: bool = False) -> None:
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        self._fitting = False
        anchors = QGraphicsView.ViewportAnchor
        self.setTransformationAnchor(anchors.AnchorUnderMouse if under_mouse else anchors.AnchorViewCenter)
        ratio = factor / self.zoom()
        self.scale(ratio, ratio)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_did_change.emit(self.zoom())

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def actual_size(self) -> None:
        """100 %: one pixel of the stored page per screen pixel."""
        self.set_zoom(1.0)

    def fit(self) -> None:
        """The whole page in view; it stays fitted as the view is resized, until the clerk zooms."""
        self._fitting = True
        if not self.scene().sceneRect().isEmpty():
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_did_change.emit(self.zoom())

    # -- events --------------------------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps and self.has_image():
            self.set_zoom(self.zoom() * ZOOM_STEP**steps, under_mouse=True)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Double-click: a close look where the clerk points, and back to the whole page.
        if self._fitting:
            self.set_zoom(1.0, under_mouse=True)
        else:
            self.fit()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:
            self.fit()


class PagePreview(QWidget):
    """The zoom view with its buttons and the zoom shown in percent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setToolTip(tr("Thu nhỏ (Ctrl −)"))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setToolTip(tr("Phóng to (Ctrl +, hoặc lăn chuột)"))
        self.fit_button = QPushButton(tr("Vừa khung"))
        self.fit_button.setToolTip(tr("Xem cả trang (Ctrl 0)"))
        self.actual_button = QPushButton("100 %")
        self.actual_button.setToolTip(tr("Xem đúng cỡ điểm ảnh để đọc chữ nhỏ (Ctrl 1)"))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(56)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for b in (self.zoom_out_button, self.zoom_in_button):
            b.setFixedWidth(36)
        for w in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.actual_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.zoom_label)
        lay.addLayout(bar)
        self.view = ZoomView()
        self.view.setToolTip(tr("Lăn chuột để phóng to, kéo để di chuyển, bấm đúp để xem cả trang"))
        lay.addWidget(self.view, 1)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.fit_button.clicked.connect(self.view.fit)
        self.actual_button.clicked.connect(self.view.actual_size)
        self.view.zoom_did_change.connect(self._show_zoom)
        self._show_zoom(self.view.zoom())

    def _show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)} %" if self.view.has_image() else "")
        for b in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.actual_button):
            b.setEnabled(self.view.has_image())

    def set_image(self, image: np.ndarray, page_width: int | None = None) -> None:
        self.view.set_image(image, page_width)
        self._show_zoom(self.view.zoom())

    def clear(self) -> None:
        self.view.clear()
        self._show_zoom(self.view.zoom())
