"""What makes a pixel look like the page: the images the detector looks for a page in.

``paper_likeness``: bright and colourless. Right for most desks (wood, dark, grey, cluttered), wrong where the
desk is as bright as the paper or brighter (white laminate under a lamp) or the paper is coloured.

``hue_difference``: how far a pixel's hue is from the desk's, the desk's colour taken along the frame's edges.
Office paper is whitened with optical brighteners and looks slightly blue beside white furniture, which is
neutral or warm; pale-yellow paper is far from both. Lighting gradients change lightness, not hue.

``darkness``: the page on a desk brighter than itself.
"""

from __future__ import annotations

import cv2
import numpy as np

# How much colour (max − min of B, G, R) counts against brightness: wood and coloured clutter are not paper.
_CHROMA_WEIGHT = 0.75
# Hue differences between white paper and a white desk are a few units of 8-bit Lab: stretched to the contrast
# the detector expects of a border.
_HUE_WEIGHT = 4.0
_RING_SHARE = 0.02
# Median deviation (8-bit Lab units) of the edges' hue from their median above which they are not one desk; a
# wooden desk's grain stays near 2, JPEG noise on a white desk near 1.
_MAX_DESK_HUE_SPREAD = 6.0


def paper_likeness(image: np.ndarray) -> np.ndarray:
    """Bright and colourless scores high: luma minus a share of the channel spread, float32.

    Computed from BGR directly; a Lab conversion of a full frame costs several times more and separates
    white paper from desks no better."""
    luma = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    blue, green, red = cv2.split(image)
    spread = cv2.subtract(cv2.max(cv2.max(blue, green), red), cv2.min(cv2.min(blue, green), red))
    return cv2.addWeighted(luma.astype(np.float32), 1.0, spread.astype(np.float32), -_CHROMA_WEIGHT, 0.0)


def _ring(lab: np.ndarray) -> np.ndarray:
    h, w = lab.shape[:2]
    ring = max(2, round(_RING_SHARE * min(h, w)))
    pixels = np.concatenate(
        [
            lab[:ring].reshape(-1, 3),
            lab[-ring:].reshape(-1, 3),
            lab[:, :ring].reshape(-1, 3),
            lab[:, -ring:].reshape(-1, 3),
        ]
    )
    return pixels


def desk_colour(lab: np.ndarray) -> np.ndarray:
    """Median colour of a thin ring along the frame's edges: mostly desk, even with a page cut off by one."""
    return np.median(_ring(lab), axis=0).astype(np.float32)


def hue_difference(image: np.ndarray) -> np.ndarray:
    """Distance of each pixel's hue from the desk's (the two colour axes of 8-bit Lab), float32: lighting
    gradients and shadows change lightness, not hue, so the desk stays low all over."""
    lab = cv2.cvtColor(image, cv2.COLOR_BGR2LAB).astype(np.float32)
    ring = _ring(lab)[:, 1:]
    desk = np.median(ring, axis=0)
    if float(np.median(np.abs(ring - desk).max(axis=1))) > _MAX_DESK_HUE_SPREAD:
        # The frame's edges are no one colour (clutter, a patterned cloth, noise): no desk hue to differ from.
        return np.zeros(lab.shape[:2], np.float32)
    delta = (lab[..., 1:] - desk) * _HUE_WEIGHT
    return cv2.magnitude(delta[..., 0], delta[..., 1])


def darkness(image: np.ndarray) -> np.ndarray:
    """Dark scores high, float32: a page on a desk brighter than itself (a white laminate under a lamp)."""
    return 255.0 - cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32)
