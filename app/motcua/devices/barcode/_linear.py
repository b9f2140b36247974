"""Rectifying a linear barcode so that ZBar can read it, and cleaning up its 1-D signal.

ZBar reads a linear code only along (nearly) horizontal or vertical scan lines that cross every bar.
A rotated, sheared or perspective-distorted code is therefore warped until its bars are vertical and
its axis horizontal, then remapped so that bars fanned out by perspective become exactly vertical.
Averaging along the bars then removes noise without blurring across them. The averaged profiles go
to ZBar (as they are, and re-binarised from their local extrema, which keeps thin bars that blur has
pulled towards grey) and to the model-based decoder in ``_bars``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from motcua.devices.barcode._locate import Region

_PROFILE_ROWS = 4  # a 1-D profile is handed to ZBar as a few identical rows
_BANDS = ((0.2, 0.8), (0.12, 0.42), (0.58, 0.88))  # vertical slices of the code that are averaged
_MIN_FORESHORTENING = 1.06  # bar height ratio between the code's ends worth correcting
_MAX_FORESHORTENING = 1.6


@dataclass(frozen=True, slots=True)
class View:
    image: np.ndarray  # uint8, bars vertical
    independent_rows: bool  # False when every row is a copy (ZBar's "quality" then means nothing)


@dataclass(frozen=True, slots=True)
class Rectified:
    """A linear code warped so that its bars are vertical (float32 images)."""

    crop: np.ndarray
    straight: np.ndarray  # the same with perspective fan-out removed: bars exactly vertical

    def views(self) -> Iterator[View]:
        """Images for ZBar, the cheap and likely ones first."""
        height = self.crop.shape[0]
        yield View(_u8(self.crop), True)
        yield View(_u8(cv2.blur(self.crop, (1, max(3, height // 4)))), True)
        yield View(_u8(cv2.blur(self.straight, (1, max(3, height // 3)))), True)
        for profile in _band_profiles(self.straight):
            yield View(_rows(_u8(profile)), False)
            yield View(_rows(binarize_profile(profile)), False)

    def profiles(self) -> Iterator[np.ndarray]:
        """Intensity along the code averaged over horizontal bands (noise drops with the band height).

        Then the same with foreshortening evened out, when the code's far end is clearly smaller: the
        model-based decoder tracks a drifting module width, but only within ±15 %.
        """
        yield from _band_profiles(self.straight)
        even = unforeshorten(self.straight)
        if even is not None:
            yield from _band_profiles(even)


def rectified(gray: np.ndarray, region: Region) -> Rectified | None:
    """The region with its bars vertical, or None if it is too small (or absurdly large) to warp."""
    crop = rectify(gray, region)
    return None if crop is None else Rectified(crop, straighten(crop))


def _band_profiles(image: np.ndarray) -> Iterator[np.ndarray]:
    height = image.shape[0]
    for top, bottom in _BANDS:
        yield image[int(top * height) : int(bottom * height)].mean(axis=0)


def rectify(gray: np.ndarray, region: Region) -> np.ndarray | None:
    """Warp the region so that its bars are vertical and the code's axis horizontal (float32)."""
    cos, sin = np.cos(region.theta), np.sin(region.theta)
    rotation = np.array([[cos, sin], [-sin, cos]])  # takes the bar normal to the +x axis
    rotated = region.points @ rotation.T
    # A sheared or foreshortened code is a parallelogram: once bars are vertical its axis may still
    # slope. A shear along y fixes that and keeps the bars vertical.
    shear = np.array([[1.0, 0.0], [-_axis_slope(rotated), 1.0]])
    affine = shear @ rotation
    warped = region.points @ affine.T
    (x0, y0), (x1, y1) = warped.min(axis=0), warped.max(axis=0)
    # Quiet zones: ZBar needs white space on both ends of the code.
    pad_x, pad_y = 0.08 * (x1 - x0) + 10, 0.05 * (y1 - y0)
    x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
    width, height = int(x1 - x0), int(y1 - y0)
    if width < 16 or height < 4 or width * height > 40_000_000:
        return None
    matrix = np.hstack([affine, -np.array([[x0], [y0]])])
    return cv2.warpAffine(
        gray.astype(np.float32), matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def straighten(crop: np.ndarray) -> np.ndarray:
    """Make the bars exactly vertical, even when perspective fans them out.

    The shift between a slice near the top and one near the bottom is measured in several windows
    along the code; fitting it linearly in x models both a residual rotation and perspective.
    """
    height, width = crop.shape
    half_band = max(1, height // 24)
    top_y, bottom_y = int(0.3 * height), int(0.7 * height)
    top = crop[top_y - half_band : top_y + half_band + 1].mean(axis=0)
    bottom = crop[bottom_y - half_band : bottom_y + half_band + 1].mean(axis=0)
    windows = 6
    span = width // windows
    max_shift = max(3, int(0.15 * (bottom_y - top_y)))
    xs: list[float] = []
    shifts: list[float] = []
    for index in range(windows):
        a, b = top[index * span : (index + 1) * span], bottom[index * span : (index + 1) * span]
        if a.std() < 2.0 or len(a) <= 2 * max_shift:
            continue  # a quiet-zone window: nothing to correlate
        xs.append((index + 0.5) * span)
        shifts.append(_best_shift(a, b, max_shift))
    if len(xs) < 2:
        return crop
    per_row = np.polyval(np.polyfit(xs, shifts, 1), np.arange(width)) / (bottom_y - top_y)
    grid_y, grid_x = np.mgrid[0:height, 0:width].astype(np.float32)
    map_x = (grid_x + (grid_y - height / 2) * per_row[None, :].astype(np.float32)).astype(np.float32)
    return cv2.remap(crop, map_x, grid_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def unforeshorten(straight: np.ndarray) -> np.ndarray | None:
    """Resample along the code so that modules are equally wide when its far end looks smaller.

    Under perspective the bars' height h(x) varies linearly along the code, and the local module width
    varies as h(x)² (both scale with the projective depth). Stretching x by 1/h(x)² evens it out.
    None when there is nothing worth correcting.
    """
    heights = _bar_heights(straight)
    if heights is None:
        return None
    ratio = float(heights.max() / heights.min())
    if ratio < _MIN_FORESHORTENING or ratio > _MAX_FORESHORTENING:
        return None  # nothing to fix, or a measurement to distrust
    density = (heights.mean() / heights) ** 2
    position = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2)])  # x → stretched x
    width = int(position[-1] + 0.5) + 1
    source = np.interp(np.arange(width, dtype=np.float64), position, np.arange(len(position), dtype=np.float64))
    map_x = np.repeat(source.astype(np.float32)[None, :], straight.shape[0], axis=0)
    map_y = np.repeat(np.arange(straight.shape[0], dtype=np.float32)[:, None], width, axis=1)
    return cv2.remap(straight, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _bar_heights(straight: np.ndarray) -> np.ndarray | None:
    """Height of the bars at every column (a straight-line fit of their top and bottom ends)."""
    height, width = straight.shape
    activity = np.abs(np.diff(straight, axis=1))
    activity = cv2.blur(activity, (max(5, width // 60), 3))
    low, high = np.percentile(activity, 10, axis=0), np.percentile(activity, 90, axis=0)
    contrast = high - low
    columns = np.flatnonzero(contrast > 0.5 * contrast.max())
    if len(columns) < 20:
        return None
    columns = columns[:: max(1, len(columns) // 40)]
    inside = activity[:, columns] > ((low + high) / 2)[None, columns]
    tops = inside.argmax(axis=0).astype(np.float64)
    bottoms = (height - 1 - inside[::-1].argmax(axis=0)).astype(np.float64)
    fits = [_robust_line(columns.astype(np.float64), edge) for edge in (tops, bottoms)]
    heights = np.polyval(fits[1], np.arange(width)) - np.polyval(fits[0], np.arange(width))
    if heights.min() < 0.25 * height:
        return None
    return heights


def _robust_line(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares line, refitted once without the points that are far off (bar ends nicked by noise)."""
    fit = np.polyfit(x, y, 1)
    residual = np.abs(y - np.polyval(fit, x))
    keep = residual <= max(1.0, 2.5 * float(np.median(residual)))
    return np.polyfit(x[keep], y[keep], 1) if keep.sum() >= 3 else fit


def binarize_profile(profile: np.ndarray, relative_delta: float = 0.12, upsample: int = 4) -> np.ndarray:
    """Black/white signal with an edge half-way between each pair of neighbouring extrema.

    Blur lowers the contrast of one-module bars and spaces until a global threshold loses them, but
    they remain local extrema. ``relative_delta`` (of the profile's range) is the hysteresis that
    keeps noise from creating extrema.
    """
    samples = np.interp(np.arange(len(profile) * upsample) / upsample, np.arange(len(profile)), profile)
    low, high = np.percentile(profile, [2, 98])
    found = extrema(samples, (high - low) * relative_delta)
    out = np.full(len(samples), 255, np.uint8)
    if len(found) < 4:
        return out
    start = 0
    for (i0, v0, is_max), (i1, v1, _) in itertools.pairwise(found):
        segment = samples[i0 : i1 + 1]
        middle = (v0 + v1) / 2
        edge = i0 + int(np.argmax(segment <= middle if is_max else segment >= middle))
        out[start:edge] = 255 if is_max else 0
        start = edge
    out[start:] = 255 if found[-1][2] else 0
    return out


def extrema(samples: np.ndarray, delta: float) -> list[tuple[int, float, bool]]:
    """Alternating maxima/minima that stand out by at least ``delta``: ``(index, value, is_max)``."""
    out: list[tuple[int, float, bool]] = []
    hi_i = lo_i = 0
    hi = lo = float(samples[0])
    looking: bool | None = None  # True: after a minimum, waiting for the next maximum
    for i, value in enumerate(samples.tolist()):
        if value > hi:
            hi, hi_i = value, i
        if value < lo:
            lo, lo_i = value, i
        if looking is not False and value < hi - delta:
            out.append((hi_i, hi, True))
            looking, lo, lo_i = False, value, i
        elif looking is not True and value > lo + delta:
            out.append((lo_i, lo, False))
            looking, hi, hi_i = True, value, i
    if looking is True:  # the last swing has no successor; keep it (it is the trailing quiet zone)
        out.append((hi_i, hi, True))
    elif looking is False:
        out.append((lo_i, lo, False))
    return out


def _axis_slope(points: np.ndarray) -> float:
    """Slope dy/dx of the blob's centre line, from the middle of its vertical extent per column."""
    xs, ys = points[:, 0], points[:, 1]
    length = float(xs.max() - xs.min())
    if length <= 0:
        return 0.0
    bins = np.round((xs - xs.min()) / max(2.0, length / 100)).astype(np.int64)
    order = np.argsort(bins, kind="stable")
    bins, xs, ys = bins[order], xs[order], ys[order]
    starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
    centres_x = np.add.reduceat(xs, starts) / np.diff(np.r_[starts, len(xs)])
    centres_y = (np.minimum.reduceat(ys, starts) + np.maximum.reduceat(ys, starts)) / 2
    if len(centres_x) < 3:
        return 0.0
    return float(np.polyfit(centres_x, centres_y, 1)[0])


def _best_shift(a: np.ndarray, b: np.ndarray, max_shift: int) -> float:
    """The sub-pixel shift s with b[x + s] ≈ a[x] (cross-correlation peak, parabola-refined)."""
    a, b = a - a.mean(), b - b.mean()
    n = len(a)
    scores = np.array(
        [
            float(np.dot(a[: n - s], b[s:])) if s >= 0 else float(np.dot(a[-s:], b[: n + s]))
            for s in range(-max_shift, max_shift + 1)
        ]
    )
    best = int(np.argmax(scores))
    offset = 0.0
    if 0 < best < len(scores) - 1:
        curvature = scores[best - 1] - 2 * scores[best] + scores[best + 1]
        if curvature < 0:
            offset = 0.5 * (scores[best - 1] - scores[best + 1]) / curvature
    return best - max_shift + offset


def _u8(image: np.ndarray) -> np.ndarray:
    return np.clip(image, 0, 255).astype(np.uint8)


def _rows(profile: np.ndarray) -> np.ndarray:
    return np.repeat(profile.reshape(1, -1), _PROFILE_ROWS, axis=0)
