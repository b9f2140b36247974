"""Output modes of a scanned page: black & white, grey, and colour that keeps red seals and blue signatures.

Every mode starts by flattening the lighting: the paper's own brightness is estimated at a coarse scale (the
print removed by a morphological closing) and each pixel is divided by it, so a shadow across the page or a
lamp's hot spot turns into even white paper before anything else looks at it.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np


class Mode(StrEnum):
    BW = "bw"
    GREY = "grey"
    COLOUR = "colour"


# The background is estimated on a copy this many times smaller, which is both faster and blind to print.
_BG_SHRINK = 8
# Ink darker than this fraction of the local paper brightness is ink for the B&W page.
_BW_RATIO = 0.78
# Local contrast threshold of the adaptive step (in grey levels of the flattened page).
_BW_ADAPTIVE_C = 12
# Share of the short side blanked along each edge (about 1.7 mm on A4).
_EDGE_FRACTION = 0.008


def parse_mode(value: str | Mode) -> Mode:
    """``Mode`` from its name; ValueError for anything else."""
    return Mode(str(value).lower().replace("gray", "grey").replace("color", "colour"))


def paper_background(gray: np.ndarray) -> np.ndarray:
    """Estimated paper brightness under each pixel (float32, same size), free of the print on it."""
    h, w = gray.shape[:2]
    small = cv2.resize(gray, (max(1, w // _BG_SHRINK), max(1, h // _BG_SHRINK)), interpolation=cv2.INTER_AREA)
    # Closing with a kernel wider than a stroke replaces dark print by the paper around it.
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    closed = cv2.medianBlur(closed, 5)
    background = cv2.resize(closed, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.maximum(background, 1.0)


def flatten(image: np.ndarray) -> np.ndarray:
    """The page with its lighting made even: paper → white, ink keeps its darkness (and colour) relative to it."""
    if image.ndim == 2:
        return _divide(image, paper_background(image))
    # One background per channel also white-balances a yellowish lamp, without touching the ink's hue.
    return cv2.merge([_divide(c, paper_background(c)) for c in cv2.split(image)])


def _divide(channel: np.ndarray, background: np.ndarray) -> np.ndarray:
    return np.clip(channel.astype(np.float32) / background * 255.0, 0, 255).astype(np.uint8)


def _stretch(gray: np.ndarray) -> np.ndarray:
    """Deepen the ink so that a faint camera image prints like a scan: a smooth curve, paper stays white."""
    lut = np.arange(256, dtype=np.float32) / 255.0
    lut = np.clip((lut - 0.25) / 0.70, 0.0, 1.0) ** 1.4 * 255.0
    return cv2.LUT(gray, lut.astype(np.uint8))


def to_bw(image: np.ndarray) -> np.ndarray:
    """Black & white (0 or 255, uint8) by a threshold relative to the local paper, robust to shading."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    flat = _divide(gray, paper_background(gray))
    flat = cv2.GaussianBlur(flat, (3, 3), 0)  # a camera's pixel noise would otherwise speckle the paper
    dark = flat < int(255 * _BW_RATIO)
    adaptive = cv2.adaptiveThreshold(
        flat, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, _BW_ADAPTIVE_C
    ).astype(bool)
    # Faint but sharp strokes pass the local test; broad grey areas (a seal's fill) pass the global one.
    ink = (dark | adaptive) & (flat < 235)
    out = np.where(ink, 0, 255).astype(np.uint8)
    # Drop isolated specks: they cost bytes in G4 and look like dirt.
    opened = cv2.morphologyEx(255 - out, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return 255 - opened


def to_grey(image: np.ndarray) -> np.ndarray:
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return _stretch(_divide(gray, paper_background(gray)))


def to_colour(image: np.ndarray) -> np.ndarray:
    """Colour with even white paper; hue is kept, saturation lifted a little so seals and signatures stay vivid."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    flat = flatten(image)
    hsv = cv2.cvtColor(flat, cv2.COLOR_BGR2HSV)
    h, s, v = cv2.split(hsv)
    s = cv2.convertScaleAbs(s, alpha=1.3)
    v = _stretch(v)
    return cv2.cvtColor(cv2.merge([h, s, v]), cv2.COLOR_HSV2BGR)


def clear_edges(image: np.ndarray, fraction: float = _EDGE_FRACTION) -> np.ndarray:
    """White out a thin band along the edges, where a sliver of desk from an imperfect outline shows as a line.

    Printed matter never comes this close to the edge of a sheet (printers cannot print there)."""
    band = max(1, round(min(image.shape[:2]) * fraction))
    out = image.copy()
    out[:band] = 255
    out[-band:] = 255
    out[:, :band] = 255
    out[:, -band:] = 255
    return out


def to_mode(image: np.ndarray, mode: str | Mode) -> np.ndarray:
    """The page in ``mode``: uint8 0/255 grey for bw, uint8 grey for grey, BGR for colour."""
    m = parse_mode(mode)
    if m is Mode.BW:
        return clear_edges(to_bw(image))
    if m is Mode.GREY:
        return clear_edges(to_grey(image))
    return clear_edges(to_colour(image))
