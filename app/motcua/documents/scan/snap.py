"""Snapping a rough quad onto the border of the page, and judging how much each side looks like one.

Works in a cue image where paper scores higher than what surrounds it (``cues``). Along the normals of each
side, the border is where the median cue drops from paper inside to not-paper outside for a good distance; a
robust line is fitted to those points, coarse to fine with sub-pixel peaks, and the four lines are intersected
(so a corner just outside the frame is extrapolated).

Window sizes are given in pixels of a frame with a 1600-pixel long side and scaled to the frame at hand, so the
live view can snap in a small frame and the capture in a large one with the same rules.
"""

from __future__ import annotations

import cv2
import numpy as np

from motcua.documents.scan import geometry as geo

# The long side, in pixels, that the window sizes below are given for.
REFERENCE_LONG_SIDE = 1600
# A page must stand out from the desk along its border by a few percent of the cue's range.
MIN_CONTRAST = 8.0
Stages = tuple[tuple[int, int], ...]
# (search half-width, median window) per snapping pass.
COARSE_STAGES: Stages = ((24, 8),)
FINE_STAGES: Stages = ((6, 6), (3, 5), (3, 5))


def scaled(stages: Stages, long_side: int) -> Stages:
    """``stages`` for a frame with ``long_side`` pixels (a median window never shrinks below 3 pixels)."""
    factor = long_side / REFERENCE_LONG_SIDE
    return tuple((max(2, round(search * factor)), max(3, round(box * factor))) for search, box in stages)


def sample_profiles(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at ``points`` (..., 2)."""
    shape = points.shape[:-1]
    flat = points.reshape(-1, 2).astype(np.float32)
    map_x = flat[:, 0].reshape(1, -1)
    map_y = flat[:, 1].reshape(1, -1)
    values = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return values.reshape(shape)


def robust_line(points: np.ndarray, weights: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Line through weighted points that ignores outliers (a clutter stroke crossing the border, a corner
    of a neighbouring object): the best of a fixed set of point pairs, then Tukey-reweighted total least
    squares. Returns the homogeneous line and the inlier mask."""
    usable = np.flatnonzero(weights > 0)
    rng = np.random.default_rng(len(points))  # fixed seed: the same frame always gives the same corners
    first = rng.choice(usable, 64)
    second = rng.choice(usable, 64)
    p, q = points[first], points[second]
    normals = np.stack([p[:, 1] - q[:, 1], q[:, 0] - p[:, 0]], axis=1)
    norms = np.linalg.norm(normals, axis=1)
    valid = norms > 1e-6
    if not valid.any():
        return np.zeros(3), np.zeros(len(points), bool)
    normals = normals[valid] / norms[valid, None]
    offsets = -(normals * p[valid]).sum(1)
    residuals = np.abs(normals @ points.T + offsets[:, None])
    support = ((residuals < scale) * weights[None, :]).sum(1)
    k = int(np.argmax(support))
    line = np.array([normals[k, 0], normals[k, 1], offsets[k]])
    for _ in range(4):
        u = np.clip(np.abs(points @ line[:2] + line[2]) / (2 * scale), 0, 1)
        w = weights * (1 - u**2) ** 2
        if w.sum() <= 0:
            break
        centre = (points * w[:, None]).sum(0) / w.sum()
        d = points - centre
        _, vecs = np.linalg.eigh((d * w[:, None]).T @ d)
        normal = vecs[:, 0]
        line = np.array([normal[0], normal[1], -normal @ centre])
    residual = np.abs(points @ line[:2] + line[2])
    return line, residual < scale


def fit_side(
    cue: np.ndarray, p0: np.ndarray, p1: np.ndarray, outward: np.ndarray, search: int, box: int
) -> np.ndarray | None:
    """Move one side of the quad onto the page edge: along normals within ``search`` pixels, find where the
    median cue inside drops most to the outside; then fit a line (``None``: no border there)."""
    h, w = cue.shape
    length = float(np.linalg.norm(p1 - p0))
    # Wide searches need fewer samples: they only have to get near; the narrow passes fit precisely.
    spacing = (10 if search > 12 else 5) * max(h, w) / REFERENCE_LONG_SIDE
    count = int(np.clip(length / max(spacing, 2.0), 16, 120))
    t = np.linspace(0.06, 0.94, count)
    base = p0[None, :] + t[:, None] * (p1 - p0)[None, :]
    reach = 3 * box
    offsets = np.arange(-search - box, search + reach + 1, dtype=np.float64)
    grid = base[:, None, :] + offsets[None, :, None] * outward[None, None, :]
    profiles = sample_profiles(cue, grid)
    n_pos = 2 * search + 1
    # Inside: a short window of paper. Outside: a long one, so that a line of text just inside the page
    # (dark for a few pixels, then paper again) does not pass for the page border, whose outside stays dark.
    inside = np.median(np.lib.stride_tricks.sliding_window_view(profiles, box, axis=1), axis=2)[:, :n_pos]
    outside = np.median(np.lib.stride_tricks.sliding_window_view(profiles, reach, axis=1), axis=2)
    outside = outside[:, box + 1 : box + 1 + n_pos]
    step = inside - outside
    rows = np.arange(count)
    contrast = step.max(axis=1)
    # The median step is flat for several pixels around the border; the steepest drop among the positions
    # with a near-maximal step is where the border really is.
    drop = profiles[:, box - 1 : box - 1 + n_pos] - profiles[:, box + 1 : box + 1 + n_pos]
    eligible = step >= 0.6 * contrast[:, None]
    best = np.argmax(np.where(eligible, drop, -np.inf), axis=1)
    left = drop[rows, np.clip(best - 1, 0, n_pos - 1)]
    mid = drop[rows, best]
    right = drop[rows, np.clip(best + 1, 0, n_pos - 1)]
    denom = left - 2 * mid + right
    shift = np.where(np.abs(denom) > 1e-9, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0.0)
    shift = np.where((best > 0) & (best < n_pos - 1), np.clip(shift, -0.5, 0.5), 0.0)
    pos = offsets[best + box] + shift
    found = base + pos[:, None] * outward[None, :]
    in_frame = (found[:, 0] >= 1) & (found[:, 0] <= w - 2) & (found[:, 1] >= 1) & (found[:, 1] <= h - 2)
    good = in_frame & (contrast > MIN_CONTRAST)
    if good.sum() < 6:
        return None
    line, _ = robust_line(found, np.where(good, contrast, 0.0), scale=1.5)
    return line


def outward_normal(p0: np.ndarray, p1: np.ndarray, centre: np.ndarray) -> np.ndarray:
    direction = (p1 - p0) / max(float(np.linalg.norm(p1 - p0)), 1e-9)
    outward = np.array([direction[1], -direction[0]])
    return outward if np.dot((p0 + p1) / 2 - centre, outward) >= 0 else -outward


def refine(cue: np.ndarray, quad: np.ndarray, stages: Stages) -> np.ndarray | None:
    """Snap each side onto the page border, coarse to fine (``(search, box)`` in pixels of this frame per
    stage), and intersect the fitted lines."""
    for search, box in stages:
        centre = quad.mean(0)
        lines = []
        for i in range(4):
            p0, p1 = quad[i], quad[(i + 1) % 4]
            line = fit_side(cue, p0, p1, outward_normal(p0, p1, centre), search, box)
            if line is None:
                return None
            lines.append(line)
        new_quad = geo.quad_from_lines([lines[(i - 1) % 4] for i in range(1, 5)])
        if new_quad is None or not geo.is_convex(new_quad):
            return None
        quad = geo.clockwise(new_quad)
    return quad


def border_contrasts(cue: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """How much each side looks like the edge of a sheet: paper just inside, and something that is not
    paper for a good distance outside (a line of print inside the page has paper again a little further
    out). Mean contrast per side, 0 for a side hidden beyond the frame."""
    return border_contrasts_seen(cue, quad)[0]


def border_contrasts_seen(cue: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``border_contrasts`` and which sides are in view (a side hidden beyond the frame has contrast 0 and
    tells nothing, where a side in view with contrast 0 is no border at all)."""
    h, w = cue.shape
    factor = max(h, w) / REFERENCE_LONG_SIDE
    centre = quad.mean(0)
    offsets = np.arange(-12.0, 41.0) * factor
    inner_band = (offsets >= -12 * factor) & (offsets <= -3 * factor)
    outer_band = offsets >= 3 * factor
    values = []
    seen = np.zeros(4, bool)
    for i in range(4):
        p0, p1 = quad[i], quad[(i + 1) % 4]
        outward = outward_normal(p0, p1, centre)
        t = np.linspace(0.1, 0.9, 40)
        base = p0[None, :] + t[:, None] * (p1 - p0)[None, :]
        # Only where the desk beyond the side is in the frame can the side be told from the frame edge.
        beyond = base + 12.0 * factor * outward
        visible = (beyond[:, 0] >= 0) & (beyond[:, 0] < w) & (beyond[:, 1] >= 0) & (beyond[:, 1] < h)
        if visible.sum() < 5:
            values.append(0.0)
            continue
        seen[i] = True
        grid = base[visible][:, None, :] + offsets[None, :, None] * outward[None, None, :]
        profiles = sample_profiles(cue, grid)
        contrast = np.median(profiles[:, inner_band], axis=1) - np.median(profiles[:, outer_band], axis=1)
        values.append(float(np.mean(np.clip(contrast, 0.0, 80.0))))
    return np.array(values), seen


def border_evidence(contrasts: np.ndarray) -> float:
    # The weakest side weighs in: a page has four borders, a stretch of print or a shadow fewer.
    return float(np.sqrt(contrasts.mean() * contrasts.min()))
