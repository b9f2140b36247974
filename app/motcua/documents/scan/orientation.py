"""Which side of a detected page is its top, read from the print on it.

The page is warped to an upright-portrait canvas and cues are measured from the ink:

* text lines run across the page, so the row profile of the ink swings far more than the column profile;
* printed lines start on a common left margin and end ragged on the right;
* Vietnamese administrative papers put the national motto at the top and the red seal at the bottom, so
  ink weighs towards the top and red ink towards the bottom.

A page turned half-way round flips the sign of the last three cues, so two warps cover all four turns.
When the page carries no readable print the geometric guess (long sides vertical, top side highest in the
frame) decides.
"""

from __future__ import annotations

import cv2
import numpy as np

from motcua.documents.scan import geometry as geo

_CANVAS = (300, 424)  # width, height: A-series portrait
_MARGIN = 12  # pixels of the canvas ignored along the border, where the desk may show
_MIN_INK_FRACTION = 0.004
_ALIGN_TOLERANCE = 4  # canvas pixels, about 3 mm on the page


def _warp(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    width, height = _CANVAS
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    transform = cv2.getPerspectiveTransform(np.asarray(quad, dtype=np.float32), target)
    return cv2.warpPerspective(image, transform, (width, height), flags=cv2.INTER_AREA)


def _ink_masks(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dark print (relative to the local paper brightness, so shading does not count) and red print."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32)
    paper = cv2.blur(cv2.dilate(gray, np.ones((7, 7), np.uint8)), (31, 31))
    ink = gray < 0.75 * paper
    blue, green, red = (channel.astype(np.int16) for channel in cv2.split(page))
    red_ink = (red - np.maximum(green, blue)) > 40
    m = _MARGIN
    for mask in (ink, red_ink):
        mask[:m] = False
        mask[-m:] = False
        mask[:, :m] = False
        mask[:, -m:] = False
    return ink, red_ink


def _profile_swing(profile: np.ndarray) -> float:
    return float(profile.std() / (profile.mean() + 1e-6))


def _text_lines(ink: np.ndarray) -> list[tuple[int, int]]:
    """Row spans of the print lines: runs of rows that carry ink."""
    carries_ink = np.r_[0, (ink.mean(1) > 0.01).astype(np.int8), 0]
    bounds = np.flatnonzero(np.diff(carries_ink))
    return [(int(a), int(b)) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if b - a >= 3]


def _left_alignment(ink: np.ndarray) -> float:
    """Share of print lines that start on the common left margin minus the share that end on a common
    right margin (> 0: left-aligned text the right way up)."""
    starts, ends = [], []
    for top, bottom in _text_lines(ink):
        columns = np.flatnonzero(ink[top:bottom].any(axis=0))
        if len(columns) >= 10:
            starts.append(columns[0])
            ends.append(columns[-1])
    if len(starts) < 4:
        return 0.0
    starts_arr, ends_arr = np.array(starts), np.array(ends)
    on_left = np.mean(np.abs(starts_arr - np.median(starts_arr)) <= _ALIGN_TOLERANCE)
    on_right = np.mean(np.abs(ends_arr - np.median(ends_arr)) <= _ALIGN_TOLERANCE)
    return float(on_left - on_right)


def _cues(image: np.ndarray, quad: np.ndarray) -> tuple[float, float] | None:
    """(text-lines-across score, upright score) for the page warped with ``quad[0]`` as top-left;
    ``None`` when there is too little print to judge."""
    ink, red_ink = _ink_masks(_warp(image, quad))
    if ink.mean() < _MIN_INK_FRACTION:
        return None
    height = ink.shape[0]
    across = _profile_swing(ink.mean(1)) - _profile_swing(ink.mean(0))
    upright = float(np.clip(_left_alignment(ink) * 3.0, -1.5, 1.5))
    rows = np.nonzero(ink)[0]
    upright += float(np.clip((0.5 - rows.mean() / height) * 10.0, -1.0, 1.0))
    red_rows = np.nonzero(red_ink)[0]
    if len(red_rows) > 20:
        upright += float(np.clip((red_rows.mean() / height - 0.5) * 4.0, -1.5, 1.5))
    return across, upright


def _geometric_guess(quad: np.ndarray) -> int:
    """Index of the corner to start from so that the long sides are vertical and the top side is the
    highest in the frame."""
    lengths = geo.side_lengths(quad)
    short_sides = (0, 2) if lengths[0] + lengths[2] < lengths[1] + lengths[3] else (1, 3)
    return min(short_sides, key=lambda i: quad[i, 1] + quad[(i + 1) % 4, 1])


def reading_order(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """``quad`` (clockwise on screen) re-started at the page's top-left corner as read."""
    quad = geo.clockwise(quad)
    guess = _geometric_guess(quad)
    scores = np.zeros(4)
    scores[guess] += 0.3
    for start in (guess, (guess + 1) % 4):
        cues = _cues(image, np.roll(quad, -start, axis=0))
        if cues is None:
            continue
        across, upright = cues
        scores[start] += 2.0 * across + upright
        scores[(start + 2) % 4] += 2.0 * across - upright
    return np.roll(quad, -int(np.argmax(scores)), axis=0)
