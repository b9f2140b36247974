"""Find the four corners of a paper page in a camera frame (classical computer vision, no learned models).

The method, in a "paper likeness" image (bright and colourless scores high):

1. Candidates, in a copy with a 400-pixel long side: regions bounded by edges (the page stays one region
   whatever the lighting), bright regions at several thresholds, and quads made of four long straight lines
   (a border that fades somewhere still lies on its line). Each region is reduced to a quad through its hull.
2. Snapping, at a 1600-pixel long side: along the normals of each side, the border is where the median
   brightness drops from paper inside to not-paper outside for a good distance; a robust line is fitted to
   those points, coarse to fine with sub-pixel peaks, and the four lines are intersected (so a corner just
   outside the frame is extrapolated).
3. The candidate whose four sides look most like a sheet's border wins; then the print on the page tells
   which corner is its top-left (see ``orientation``).
"""

from __future__ import annotations

import cv2
import numpy as np

from motcua.documents.scan import geometry as geo
from motcua.documents.scan.lines import line_quads
from motcua.documents.scan.orientation import reading_order

Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]

# Long side of the frame copy in which page candidates are looked for.
_WORK_LONG_SIDE = 400
# Long side of the frame in which corners are fitted.
_REFINE_LONG_SIDE = 1600
# How much colour (max − min of B, G, R) counts against brightness: wood and coloured clutter are not paper.
_CHROMA_WEIGHT = 0.75
# A page must stand out from the desk along its border by a few percent of the brightness range.
_MIN_CONTRAST = 8.0


def paper_likeness(image: np.ndarray) -> np.ndarray:
    """Bright and colourless scores high: luma minus a share of the channel spread, float32.

    Computed from BGR directly; a Lab conversion of a full frame costs several times more and separates
    white paper from desks no better."""
    luma = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    blue, green, red = cv2.split(image)
    spread = cv2.subtract(cv2.max(cv2.max(blue, green), red), cv2.min(cv2.min(blue, green), red))
    return cv2.addWeighted(luma.astype(np.float32), 1.0, spread.astype(np.float32), -_CHROMA_WEIGHT, 0.0)


def _quad_from_hull(hull: np.ndarray) -> np.ndarray | None:
    """The quad that best matches a convex hull, or ``None`` if the hull is not four-sided."""
    perimeter = cv2.arcLength(hull, True)
    for fraction in (0.01, 0.02, 0.03, 0.05):
        poly = cv2.approxPolyDP(hull, fraction * perimeter, True).reshape(-1, 2).astype(np.float64)
        if len(poly) < 4:
            return None
        if len(poly) <= 6:
            break
    else:
        return None
    if len(poly) == 4:
        return poly
    # A corner cut off by the frame edge or a shadow leaves a short extra edge: keep the four longest edges
    # and let their lines meet where the real corners are.
    lengths = geo.side_lengths(poly)
    keep = np.sort(np.argsort(lengths)[-4:])
    lines = [geo.line_through(poly[i], poly[(i + 1) % len(poly)]) for i in keep]
    quad = geo.quad_from_lines([lines[(i + 1) % 4] for i in range(4)])
    return quad


def _quads_from_mask(mask: np.ndarray, min_area: float) -> list[np.ndarray]:
    quads = []
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in contours:
        if cv2.contourArea(contour) < min_area:
            continue
        quad = _quad_from_hull(cv2.convexHull(contour))
        if quad is not None and geo.is_convex(quad):
            quads.append(geo.clockwise(quad))
    return quads


def _smooth_region_quads(smooth: np.ndarray) -> list[np.ndarray]:
    """Regions bounded by edges: lighting gradients change slowly, a page border changes at once, so the
    page stays one region however its brightness compares with the rest of the desk."""
    h, w = smooth.shape
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = cv2.magnitude(gx, gy)
    quads: list[np.ndarray] = []
    kernel = np.ones((3, 3), np.uint8)
    for threshold in (12.0, 24.0, 48.0):
        edges = cv2.dilate((magnitude > threshold).astype(np.uint8), kernel)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(1 - edges, connectivity=4)
        for label in range(1, count):
            if stats[label, cv2.CC_STAT_AREA] < 0.03 * h * w:
                continue
            region = (labels == label).astype(np.uint8)
            quads.extend(_quads_from_mask(region, 0.03 * h * w))
    return quads


def _candidate_quads(smooth: np.ndarray) -> list[np.ndarray]:
    """Rough page quads in the small likeness image, from three independent cues."""
    h, w = smooth.shape
    quads = _smooth_region_quads(smooth)
    quads.extend(line_quads(smooth))
    lo, hi = np.percentile(smooth, [5, 99.5])
    as_u8 = np.clip((smooth - lo) / max(hi - lo, 1e-6) * 255, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(as_u8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    thresholds = sorted({int(otsu), *(int(255 * r) for r in (0.35, 0.5, 0.65, 0.8))})
    open_kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    close_kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    for t in thresholds:
        mask = (as_u8 > t).astype(np.uint8)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, close_kernel)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, open_kernel)
        quads.extend(_quads_from_mask(mask, 0.03 * h * w))
    return quads


def _sample_profiles(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at ``points`` (..., 2)."""
    shape = points.shape[:-1]
    flat = points.reshape(-1, 2).astype(np.float32)
    map_x = flat[:, 0].reshape(1, -1)
    map_y = flat[:, 1].reshape(1, -1)
    values = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return values.reshape(shape)


def _robust_line(points: np.ndarray, weights: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
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


def _fit_side(
    likeness: np.ndarray, p0: np.ndarray, p1: np.ndarray, outward: np.ndarray, search: int, box: int
) -> np.ndarray | None:
    """Move one side of the quad onto the page edge: along normals within ``search`` pixels, find where the
    median brightness inside drops most to the outside; then fit a line (``None``: no border there)."""
    h, w = likeness.shape
    length = float(np.linalg.norm(p1 - p0))
    # Wide searches need fewer samples: they only have to get near; the narrow passes fit precisely.
    count = int(np.clip(length / (10 if search > 12 else 5), 16, 120))
    t = np.linspace(0.06, 0.94, count)
    base = p0[None, :] + t[:, None] * (p1 - p0)[None, :]
    reach = 3 * box
    offsets = np.arange(-search - box, search + reach + 1, dtype=np.float64)
    grid = base[:, None, :] + offsets[None, :, None] * outward[None, None, :]
    profiles = _sample_profiles(likeness, grid)
    n_pos = 2 * search + 1
    # Inside: a short window of paper. Outside: a long one, so that a line of text just inside the page
    # (dark for a few pixels, then paper again) does not pass for the page border, whose outside stays dark.
    inside = np.median(np.lib.stride_tricks.sliding_window_view(profiles, box, axis=1), axis=2)[:, :n_pos]
    outside = np.median(np.lib.stride_tricks.sliding_window_view(profiles, reach, axis=1), axis=2)
    outside = outside[:, box + 1 : box + 1 + n_pos]
    step = inside - outside
    rows = np.arange(count)
    contrast = step.max(axis=1)
    # The median step is flat for several pixels around the border; the steepest brightness drop among the
    # positions with a near-maximal step is where the border really is.
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
    good = in_frame & (contrast > _MIN_CONTRAST)
    if good.sum() < 6:
        return None
    line, _ = _robust_line(found, np.where(good, contrast, 0.0), scale=1.5)
    return line


def _outward_normal(p0: np.ndarray, p1: np.ndarray, centre: np.ndarray) -> np.ndarray:
    direction = (p1 - p0) / max(float(np.linalg.norm(p1 - p0)), 1e-9)
    outward = np.array([direction[1], -direction[0]])
    return outward if np.dot((p0 + p1) / 2 - centre, outward) >= 0 else -outward


# (search half-width, median window) in pixels of the 1600-pixel frame, per snapping pass.
_COARSE_STAGES = ((24, 8),)
_FINE_STAGES = ((6, 6), (3, 5), (3, 5))


def _refine(likeness: np.ndarray, quad: np.ndarray, stages: tuple[tuple[int, int], ...]) -> np.ndarray | None:
    """Snap each side onto the page border, coarse to fine (``(search, box)`` in pixels per stage), and
    intersect the fitted lines."""
    for search, box in stages:
        centre = quad.mean(0)
        lines = []
        for i in range(4):
            p0, p1 = quad[i], quad[(i + 1) % 4]
            line = _fit_side(likeness, p0, p1, _outward_normal(p0, p1, centre), search, box)
            if line is None:
                return None
            lines.append(line)
        new_quad = geo.quad_from_lines([lines[(i - 1) % 4] for i in range(1, 5)])
        if new_quad is None or not geo.is_convex(new_quad):
            return None
        quad = geo.clockwise(new_quad)
    return quad


def _border_contrasts(likeness: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """How much each side looks like the edge of a sheet: paper just inside, and something that is not
    paper for a good distance outside (a line of print inside the page has paper again a little further
    out). Mean contrast per side, 0 for a side hidden beyond the frame."""
    h, w = likeness.shape
    centre = quad.mean(0)
    offsets = np.arange(-12.0, 41.0)
    inner_band = (offsets >= -12) & (offsets <= -3)
    outer_band = offsets >= 3
    values = []
    for i in range(4):
        p0, p1 = quad[i], quad[(i + 1) % 4]
        outward = _outward_normal(p0, p1, centre)
        t = np.linspace(0.1, 0.9, 40)
        base = p0[None, :] + t[:, None] * (p1 - p0)[None, :]
        # Only where the desk beyond the side is in the frame can the side be told from the frame edge.
        beyond = base + 12.0 * outward
        visible = (beyond[:, 0] >= 0) & (beyond[:, 0] < w) & (beyond[:, 1] >= 0) & (beyond[:, 1] < h)
        if visible.sum() < 5:
            values.append(0.0)
            continue
        grid = base[visible][:, None, :] + offsets[None, :, None] * outward[None, None, :]
        profiles = _sample_profiles(likeness, grid)
        contrast = np.median(profiles[:, inner_band], axis=1) - np.median(profiles[:, outer_band], axis=1)
        values.append(float(np.mean(np.clip(contrast, 0.0, 80.0))))
    return np.array(values)


def _border_evidence(contrasts: np.ndarray) -> float:
    # The weakest side weighs in: a page has four borders, a stretch of print or a shadow fewer.
    return float(np.sqrt(contrasts.mean() * contrasts.min()))


def detect_page(image: np.ndarray) -> Corners | None:
    """Corners of the page in ``image`` (BGR, or gray), top-left, top-right, bottom-right, bottom-left of the
    page as read, in image pixels (corners just outside the frame are extrapolated); ``None`` if no page."""
    frame = _as_bgr(image)
    if frame is None:
        return None
    frame, reduction = _at_fit_size(frame)
    h, w = frame.shape[:2]
    scale = _WORK_LONG_SIDE / max(h, w)
    small = cv2.resize(frame, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    small_likeness = cv2.GaussianBlur(paper_likeness(small), (0, 0), 1.0)
    candidates = _candidate_quads(small_likeness)
    if not candidates:
        return None
    likeness = cv2.GaussianBlur(paper_likeness(frame), (0, 0), 1.0)
    best = _best_candidate(likeness, _dedupe([(c + 0.5) / scale - 0.5 for c in candidates]))
    if best is None:
        return None
    ordered = (reading_order(frame, best) + 0.5) / reduction - 0.5
    return tuple((float(x), float(y)) for x, y in ordered)  # type: ignore[return-value]


def _at_fit_size(frame: np.ndarray) -> tuple[np.ndarray, float]:
    """The frame at the size corners are fitted in, and the factor from the given frame to it."""
    # The pixel sizes of the search windows suit frames of this size, so every frame is brought to it.
    reduction = _REFINE_LONG_SIDE / max(frame.shape[:2])
    if abs(reduction - 1.0) <= 0.02:
        return frame, 1.0
    interpolation = cv2.INTER_AREA if reduction < 1.0 else cv2.INTER_CUBIC
    return cv2.resize(frame, None, fx=reduction, fy=reduction, interpolation=interpolation), reduction


def side_contrasts(image: np.ndarray, corners: Corners | np.ndarray) -> np.ndarray:
    """How much each side of ``corners`` (image pixels) looks like the edge of a sheet, as the detector judges
    its candidates: paper inside, no paper for a good distance outside; 0 for a side beyond the frame."""
    frame = _as_bgr(image)
    if frame is None:
        return np.zeros(4)
    frame, reduction = _at_fit_size(frame)
    likeness = cv2.GaussianBlur(paper_likeness(frame), (0, 0), 1.0)
    quad = (np.asarray(corners, dtype=np.float64).reshape(4, 2) + 0.5) * reduction - 0.5
    return _border_contrasts(likeness, quad)


def _as_bgr(image: np.ndarray | None) -> np.ndarray | None:
    if image is None or image.ndim not in (2, 3) or min(image.shape[:2]) < 64:
        return None
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image if image.shape[2] == 3 else None


def _plausible_page(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
    # A sheet seen from above a desk: no needle-sharp corners, not a sliver, not a speck.
    angles = geo.interior_angles_deg(quad)
    lengths = geo.side_lengths(quad)
    area = abs(geo.signed_area(quad))
    return bool(
        angles.min() > 35.0
        and angles.max() < 145.0
        and lengths.min() > 0.05 * min(shape)
        and area > 0.02 * shape[0] * shape[1]
    )


def _best_candidate(likeness: np.ndarray, candidates: list[np.ndarray], finalists: int = 3) -> np.ndarray | None:
    # Every candidate gets one coarse snap; only the most border-like few get the costly fine passes.
    coarse = [q for q in (_refine(likeness, c, _COARSE_STAGES) for c in candidates) if q is not None]
    coarse.sort(key=lambda q: -_border_evidence(_border_contrasts(likeness, q)))
    best, best_score = None, 0.0
    for quad in _dedupe(coarse)[:finalists]:
        refined = _refine(likeness, quad, _FINE_STAGES)
        if refined is None:
            continue
        if not _plausible_page(refined, likeness.shape):
            continue
        contrasts = _border_contrasts(likeness, refined)
        score = _border_evidence(contrasts)
        if score > best_score and contrasts.mean() >= _MIN_CONTRAST:
            best, best_score = refined, score
    return best


def _dedupe(quads: list[np.ndarray], tolerance: float = 12.0) -> list[np.ndarray]:
    """Drop quads whose corners all lie within ``tolerance`` pixels of a quad already kept."""
    kept: list[np.ndarray] = []
    for quad in quads:
        if all(np.min([np.abs(np.roll(quad, r, 0) - k).max() for r in range(4)]) > tolerance for k in kept):
            kept.append(quad)
    return kept
