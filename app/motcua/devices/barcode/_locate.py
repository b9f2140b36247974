"""Finding barcode-like regions with the gradient structure tensor.

A barcode is a patch of strong gradients. For a linear code they all point one way (bars are parallel),
so the averaged structure tensor is highly *coherent* and its main eigenvector is the normal to the bars;
a QR code has strong gradients in every direction (low coherence). This tells us both where the codes
are and, for linear ones, how to rotate them so that the bars are vertical, which is what ZBar needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np

_ANALYSIS_SIZE = 640  # longest side of the grid the tensor is averaged and segmented on
_LINEAR_COHERENCE = 0.3  # above: parallel bars; below: a 2-D symbol (QR) or clutter
_MIN_AREA_FRACTION = 0.002
_MAX_REGIONS = 4
_MAX_GRADIENT_SIZE = 2600  # larger frames are shrunk before taking gradients
_GROW = 0.5  # a blob is grown by this fraction of the averaging window (the blur of its edge)


@dataclass(frozen=True, slots=True)
class Region:
    """A blob of strong gradients, in full-resolution image coordinates."""

    points: np.ndarray  # (n, 2) float64 x, y of the blob's pixels (sampled on the analysis grid)
    coherence: float  # 0 (isotropic) … 1 (all gradients parallel)
    theta: float  # direction of the dominant gradient (normal to the bars), radians, y axis down

    @property
    def is_linear(self) -> bool:
        return self.coherence >= _LINEAR_COHERENCE

    def bounds(self, margin: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """``x0, y0, x1, y1`` of the blob grown by ``margin`` × its size, clipped to the image."""
        (x0, y0), (x1, y1) = self.points.min(axis=0), self.points.max(axis=0)
        pad = margin * max(x1 - x0, y1 - y0)
        height, width = shape[:2]
        return (
            max(0, int(x0 - pad)),
            max(0, int(y0 - pad)),
            min(width, int(x1 + pad) + 1),
            min(height, int(y1 + pad) + 1),
        )

    def quad(self) -> np.ndarray | None:
        """The blob outline simplified to four corners (4, 2) float32, or None if it is not a quad."""
        hull = cv2.convexHull(self.points.astype(np.float32))
        perimeter = cv2.arcLength(hull, True)
        for epsilon in (0.02, 0.04, 0.06, 0.08):
            approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
            if len(approx) == 4:
                return clockwise(approx.reshape(4, 2))
        return None


def locate(gray: np.ndarray) -> list[Region]:
    """Barcode candidates, biggest first (at most a handful)."""
    jxx, jyy, jxy, scale, window = _structure_tensor(gray)
    energy = np.sqrt(np.maximum(jxx + jyy, 0))
    if float(energy.max()) < 8.0:  # a blank or nearly flat frame
        return []
    norm = cv2.normalize(energy, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, mask = cv2.threshold(norm, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((window, window), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    min_area = max(_MIN_AREA_FRACTION * mask.size, 2 * window * window)
    regions: list[tuple[int, Region]] = []
    for label in range(1, count):
        area = int(stats[label, cv2.CC_STAT_AREA])
        if area < min_area:
            continue
        inside = labels == label
        regions.append((area, _region(inside, jxx, jyy, jxy, scale, partial(_grown, inside, stats[label], window))))
    regions.sort(key=lambda item: -item[0])
    return [region for _, region in regions[:_MAX_REGIONS]]


def _structure_tensor(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, int]:
    """Tensor components on a grid of at most ``_ANALYSIS_SIZE`` pixels, plus that grid's scale.

    Gradients are taken at full resolution and only their *products* are shrunk: shrinking the image
    first would average thin bars into grey and lose exactly the signal we look for.
    """
    pre = 1.0
    if max(gray.shape) > _MAX_GRADIENT_SIZE:  # bound the cost on huge photos
        pre = _MAX_GRADIENT_SIZE / max(gray.shape)
        gray = cv2.resize(gray, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
    smooth = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 0.7)  # tames pixel noise and JPEG
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    shrink = min(1.0, _ANALYSIS_SIZE / max(gray.shape))
    products = [gx * gx, gy * gy, gx * gy]
    if shrink < 1.0:
        size = (max(1, round(gray.shape[1] * shrink)), max(1, round(gray.shape[0] * shrink)))
        products = [cv2.resize(p, size, interpolation=cv2.INTER_AREA) for p in products]
    # The averaging window must span several bars so that a bar and the space next to it (opposite
    # gradient signs) add up instead of cancelling: about 1/40 of the frame.
    window = max(5, round(max(products[0].shape) / 40) | 1)
    jxx, jyy, jxy = (cv2.blur(p, (window, window)) for p in products)
    scale = pre * products[0].shape[1] / gray.shape[1]
    return jxx, jyy, jxy, scale, window


def _grown(inside: np.ndarray, box: np.ndarray, window: int) -> np.ndarray:
    """The blob grown back by the part of the averaging window that its threshold cut off.

    The window averages a code's edge with the quiet zone around it, so the thresholded blob stops up to half a
    window inside the code: a code only a few windows across (a QR code in a 720p frame) loses 5-12 % of each side,
    enough to cut into its finder patterns (720p camera frames: the blob covered 55-86 % of such codes' area).
    """
    reach = max(1, round(_GROW * window))
    x, y, w, h = (int(v) for v in box[:4])
    height, width = inside.shape
    x0, y0, x1, y1 = max(0, x - reach), max(0, y - reach), min(width, x + w + reach), min(height, y + h + reach)
    grown = np.zeros_like(inside)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    grown[y0:y1, x0:x1] = cv2.dilate(inside[y0:y1, x0:x1].astype(np.uint8), kernel).astype(bool)
    return grown


def _region(
    inside: np.ndarray,
    jxx: np.ndarray,
    jyy: np.ndarray,
    jxy: np.ndarray,
    scale: float,
    grown: Callable[[], np.ndarray],
) -> Region:
    """The tensor averaged over ``inside`` (the thresholded blob); a 2-D code's points over the ``grown`` blob.

    A linear code keeps the blob as thresholded: its rectification adds quiet zones along its own axis, and an
    outline grown the same way in every direction only tilts the axis fitted to it and widens the warp with page.
    """
    a, b, c = float(jxx[inside].mean()), float(jyy[inside].mean()), float(jxy[inside].mean())
    coherence = float(np.hypot(a - b, 2 * c) / (a + b + 1e-9))
    theta = 0.5 * float(np.arctan2(2 * c, a - b))
    ys, xs = np.nonzero(inside if coherence >= _LINEAR_COHERENCE else grown())
    points = (np.column_stack([xs, ys]).astype(np.float64) + 0.5) / scale - 0.5
    return Region(points, coherence, theta)


def clockwise(corners: np.ndarray) -> np.ndarray:
    """Corners sorted clockwise on screen (y down), starting from the top-left-most one."""
    corners = corners.astype(np.float32)
    centre = corners.mean(axis=0)
    order = np.argsort(np.arctan2(corners[:, 1] - centre[1], corners[:, 0] - centre[0]))
    corners = corners[order]
    start = int(np.argmin(corners.sum(axis=1)))
    return np.roll(corners, -start, axis=0)
