"""numpy images (OpenCV's BGR or grey) as Qt images, and the page outline drawn over a frame."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF


def to_qimage(image: np.ndarray) -> QImage:
    """A deep copy as QImage (the numpy buffer may go away; Qt must not keep pointing into it)."""
    data = np.ascontiguousarray(image)
    h, w = data.shape[:2]
    if data.ndim == 2:
        return QImage(data.data, w, h, data.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(data.data, w, h, data.strides[0], QImage.Format.Format_BGR888).copy()


def frame_with_outline(
    image: np.ndarray, corners: Sequence[Sequence[float]] | None, width: int, height: int
) -> QPixmap:
    """The frame scaled to fit (width × height) with the page outline in green, or a red border if none."""
    pix = QPixmap.fromImage(to_qimage(image)).scaled(
        max(1, width), max(1, height), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    scale = pix.width() / image.shape[1]
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if corners is not None:
        painter.setPen(QPen(QColor(0, 200, 80), 3))
        painter.setBrush(QColor(0, 200, 80, 40))
        painter.drawPolygon(QPolygonF([QPointF(x * scale, y * scale) for x, y in corners]))
        # The first corner is the page's top-left as read: mark it, so a clerk sees which way is up.
        x0, y0 = corners[0]
        painter.setBrush(QColor(0, 200, 80))
        painter.drawEllipse(QPointF(x0 * scale, y0 * scale), 6, 6)
    else:
        painter.setPen(QPen(QColor(210, 40, 40), 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(2, 2, pix.width() - 4, pix.height() - 4)
    painter.end()
    return pix
