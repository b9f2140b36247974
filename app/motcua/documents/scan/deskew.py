"""Deskew: the small rotation left after perspective correction, found from the text lines themselves.

The ink of a page is projected onto the vertical axis at trial angles; text lines are sharpest (the profile's
energy is highest) when the projection runs along them.
"""

from __future__ import annotations

import cv2
import numpy as np

# A rectified page is off by a few degrees at most; beyond that the outline was wrong, not the text.
MAX_ANGLE_DEG = 4.0
_WORK_WIDTH = 600
_MIN_INK_PIXELS = 200


def _ink_points(image: np.ndarray) -> np.ndarray | None:
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = _WORK_WIDTH / gray.shape[1]
    small = cv2.resize(gray, (_WORK_WIDTH, max(1, round(gray.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 21, 15)
    border = max(2, _WORK_WIDTH // 60)  # edges may carry a sliver of desk, which is no text line
    ink[:border], ink[-border:], ink[:, :border], ink[:, -border:] = 0, 0, 0, 0
    ys, xs = np.nonzero(ink)
    if len(xs) < _MIN_INK_PIXELS:
        return None
    return np.column_stack([xs, ys]).astype(np.float64)


def _energy(points: np.ndarray, angle_deg: float) -> float:
    a = np.radians(angle_deg)
    rows = points[:, 1] * np.cos(a) - points[:, 0] * np.sin(a)
    hist = np.bincount(np.round(rows - rows.min()).astype(np.int64))
    return float(np.dot(hist, hist))


def skew_angle(image: np.ndarray) -> float:
    """The text's tilt in degrees (positive: lines go down to the right); 0 for a page without text."""
    points = _ink_points(image)
    if points is None:
        return 0.0
    coarse = np.arange(-MAX_ANGLE_DEG, MAX_ANGLE_DEG + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _energy(points, a))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    return float(max(fine, key=lambda a: _energy(points, a)))


def deskew(image: np.ndarray, min_angle_deg: float = 0.1) -> tuple[np.ndarray, float]:
    """The page turned so its text lines run level, and the angle it was turned by (degrees)."""
    angle = skew_angle(image)
    if abs(angle) < min_angle_deg:
        return image, 0.0
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    # Replicated border: the page's own paper fills the corners rather than black wedges.
    turned = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return turned, angle
