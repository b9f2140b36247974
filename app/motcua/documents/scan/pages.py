"""Perspective correction: a page seen at an angle becomes an upright image of its true proportions.

A4 (210 × 297 mm) and A5 (148 × 210 mm) share the ISO 216 aspect ratio √2, so no measurement of the quad can
tell one from the other; what the quad does tell is the orientation (portrait or landscape). ``"auto"`` is
therefore A4 in the quad's orientation, and the clerk chooses A5 when the paper is a half sheet. The output
size is exact at the asked resolution, so the PDF page comes out at the paper's real size.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from motcua.documents.scan.detect import Corners

MIN_DPI = 200
MM_PER_INCH = 25.4


@dataclass(frozen=True, slots=True)
class PageFormat:
    """A paper size in millimetres, portrait (``width_mm`` ≤ ``height_mm``)."""

    name: str
    width_mm: float
    height_mm: float

    def size_px(self, dpi: int, landscape: bool = False) -> tuple[int, int]:
        """(width, height) in pixels at ``dpi``, rounded to whole pixels."""
        w = round(self.width_mm / MM_PER_INCH * dpi)
        h = round(self.height_mm / MM_PER_INCH * dpi)
        return (h, w) if landscape else (w, h)


A4 = PageFormat("A4", 210.0, 297.0)
A5 = PageFormat("A5", 148.0, 210.0)
FORMATS = {f.name: f for f in (A4, A5)}


def _as_quad(corners: Corners | np.ndarray) -> np.ndarray:
    quad = np.asarray(corners, dtype=np.float64).reshape(4, 2)
    if not np.all(np.isfinite(quad)):
        raise ValueError("corners must be finite")
    return quad


def seen_aspect(corners: Corners | np.ndarray) -> float:
    """Height over width of the quad as seen: the mean of opposite sides (TL, TR, BR, BL order)."""
    q = _as_quad(corners)
    width = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    height = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return float(height / max(width, 1e-9))


def choose_format(corners: Corners | np.ndarray, page: str | PageFormat = "auto") -> tuple[PageFormat, bool]:
    """The paper format and whether it lies landscape (wider than tall, as read).

    Args:
        corners: the page's corners in reading order (TL, TR, BR, BL).
        page: "A4", "A5", a PageFormat, or "auto" (A4; see the module docstring).

    Returns:
        (format, landscape).
    """
    fmt = page if isinstance(page, PageFormat) else FORMATS.get(page.upper() if page != "auto" else "A4")
    if fmt is None:
        raise ValueError(f"unknown page format {page!r}")
    return fmt, seen_aspect(corners) < 1.0


def rectify(
    image: np.ndarray, corners: Corners | np.ndarray, page: str | PageFormat = "auto", dpi: int = MIN_DPI
) -> np.ndarray:
    """Warp the page inside ``image`` to an upright image of exactly its paper size at ``dpi``.

    Args:
        image: the camera frame (BGR or grey).
        corners: the page's corners in reading order, as ``detect_page`` returns them.
        page: "auto", "A4", "A5" or a PageFormat.
        dpi: pixels per inch of the result.

    Returns:
        The page image, ``size_px(dpi)`` of its format (landscape when the quad is wider than tall).
    """
    fmt, landscape = choose_format(corners, page)
    width, height = fmt.size_px(dpi, landscape)
    src = _as_quad(corners).astype(np.float32)
    dst = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    # Cubic: a camera page is usually enlarged to 200 dpi, and cubic keeps strokes crisper than linear.
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def full_frame(image: np.ndarray) -> Corners:
    """The corners of the whole image: a flatbed scan or a PDF page is already flat and upright."""
    h, w = image.shape[:2]
    return ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h)))


def rotate_quarter(image: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate by ``quarter_turns`` × 90° clockwise."""
    turns = quarter_turns % 4
    if turns == 0:
        return image
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[turns])
