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
    image: np.ndarray,
    corners: Sequence[Sequence[float]] | None,
    width: int,
    height: int,
    cut: bool = False,
    cut_sides: Sequence[str] = (),
) -> QPixmap:
    """The frame scaled to fit (width × height) with the page outline in green (orange when part of the page is
    outside the frame, with a thick orange bar on each of ``cut_sides``), or a red border if no page is seen."""
    pix = QPixmap.fromImage(to_qimage(image)).scaled(
        max(1, width), max(1, height), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    scale = pix.width() / image.shape[1]
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if corners is not None:
        colour = QColor(245, 124, 0) if cut else QColor(0, 200, 80)
        painter.setPen(QPen(colour, 3))
        painter.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 40))
        painter.drawPolygon(QPolygonF([QPointF(x * scale, y * scale) for x, y in corners]))
        # The first corner is the page's top-left as read: mark it, so a clerk sees which way is up.
        x0, y0 = corners[0]
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(x0 * scale, y0 * scale), 6, 6)
        if cut:
            # A thick bar on each edge of the frame the page runs into: where the paper must move away from.
            painter.setPen(QPen(colour, 8))
            w, h = pix.width() - 4, pix.height() - 4
            bars = {"left": (4, 4, 4, h), "top": (4, 4, w, 4), "right": (w, 4, w, h), "bottom": (4, h, w, h)}
            for side in cut_sides:
                painter.drawLine(*bars[side])
    else:
        painter.setPen(QPen(QColor(210, 40, 40), 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(2, 2, pix.width() - 4, pix.height() - 4)
    painter.end()
    return pix
