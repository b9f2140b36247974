"""Find the four corners of a paper page in a camera frame (classical computer vision, no learned models).

The method, in a cue image where paper scores high (``cues``: first "bright and colourless", then, if that
finds no page, "unlike the desk's colour", for white desks, desks brighter than the paper, coloured paper):

1. Candidates, in a copy with a 400-pixel long side: regions bounded by edges (the page stays one region
   whatever the lighting), bright regions at several thresholds, and quads made of four long straight lines
   (a border that fades somewhere still lies on its line). Each region is reduced to a quad through its hull.
2. Snapping (``snap``), at a 1600-pixel long side for a capture, smaller for the live view: each side moves
   onto the border where the cue drops from paper to not-paper, lines are fitted and intersected.
3. The candidate whose four sides look most like a sheet's border wins; then the print on the page tells
   which corner is its top-left (see ``orientation``).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from motcua.documents.scan import geometry as geo
from motcua.documents.scan import snap
from motcua.documents.scan.cues import hue_difference, paper_likeness
from motcua.documents.scan.lines import line_quads
from motcua.documents.scan.orientation import reading_order

Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]
Cue = Callable[[np.ndarray], np.ndarray]

# Long side of the frame copy in which page candidates are looked for.
_WORK_LONG_SIDE = 400
# Long side of the frame in which a capture's corners are fitted.
FULL_LONG_SIDE = snap.REFERENCE_LONG_SIDE
# In order: a page found clearly in one cue is not looked for in the next.
CUES: tuple[Cue, ...] = (paper_likeness, hue_difference)
# A page is found clearly when its borders are this strong, or when its weakest side has this share of its
# strongest side's contrast (a sheet has four borders; a quad that ends on a line of print, or a stretch of a
# page on a white desk, has one far weaker side). In the fixtures and calibration scenes, pages found in the
# wrong cue score 0.4 or less, pages in the right one 0.58 or more, or have borders of 27 or more.
_CLEAR_EVIDENCE = 25.0
_WHOLE_SHEET_RATIO = 0.5
# A candidate holding the best one inside it wins if its borders score at least this share of the best's.
_CONTAINING_SHARE = 0.8


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


def detect_page(image: np.ndarray, long_side: int = FULL_LONG_SIDE) -> Corners | None:
    """Corners of the page in ``image`` (BGR, or gray), top-left, top-right, bottom-right, bottom-left of the
    page as read, in image pixels (corners just outside the frame are extrapolated); ``None`` if no page.

    ``long_side``: the frame is brought to this size to fit the corners; smaller is faster and less precise."""
    frame = as_bgr(image)
    if frame is None:
        return None
    frame, reduction = at_fit_size(frame, long_side)
    found = find_quad(frame)
    if found is None:
        return None
    ordered = (reading_order(frame, found[0]) + 0.5) / reduction - 0.5
    return tuple((float(x), float(y)) for x, y in ordered)  # type: ignore[return-value]


def find_quad(
    frame: np.ndarray,
    keep: Callable[[np.ndarray], bool] | None = None,
    cues: dict[int, np.ndarray] | None = None,
) -> tuple[np.ndarray, int] | None:
    """The page's quad in ``frame`` (BGR, at the size to fit in; clockwise, any starting corner) and the index
    in ``CUES`` of the cue it was found in.

    ``keep``: which candidates (quads in ``frame`` pixels) to judge, all by default (a search that repeats
    another one judges only the candidates the first could not see); ``cues``: the cue images of ``frame``
    (``cue_image``) by index in ``CUES``, filled as they are computed, for the caller to judge by them too."""
    h, w = frame.shape[:2]
    scale = _WORK_LONG_SIDE / max(h, w)
    small = cv2.resize(frame, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    cues = {} if cues is None else cues
    chosen: tuple[np.ndarray, int, float] | None = None
    for index, cue_of in enumerate(CUES):
        candidates = [(c + 0.5) / scale - 0.5 for c in _candidate_quads(cue_image(small, cue_of))]
        if keep is not None:
            candidates = [c for c in candidates if keep(c)]
        if not candidates:
            continue
        if index not in cues:
            cues[index] = cue_image(frame, cue_of)
        best = _best_candidate(cues[index], _dedupe(candidates))
        if best is None:
            continue
        quad, contrasts = best
        ratio = float(contrasts.min() / max(contrasts.max(), 1e-9))
        if chosen is None or (ratio >= _WHOLE_SHEET_RATIO and ratio > chosen[2]):
            chosen = (quad, index, ratio)
        if snap.border_evidence(contrasts) >= _CLEAR_EVIDENCE or ratio >= _WHOLE_SHEET_RATIO:
            break
    return None if chosen is None else (chosen[0], chosen[1])


def cue_image(frame: np.ndarray, cue_of: Cue) -> np.ndarray:
    return cv2.GaussianBlur(cue_of(frame), (0, 0), 1.0)


def at_fit_size(frame: np.ndarray, long_side: int = FULL_LONG_SIDE) -> tuple[np.ndarray, float]:
    """The frame at the size corners are fitted in, and the factor from the given frame to it."""
    # The pixel sizes of the search windows suit frames of this size, so every frame is brought to it.
    reduction = long_side / max(frame.shape[:2])
    if abs(reduction - 1.0) <= 0.02:
        return frame, 1.0
    interpolation = cv2.INTER_AREA if reduction < 1.0 else cv2.INTER_CUBIC
    return cv2.resize(frame, None, fx=reduction, fy=reduction, interpolation=interpolation), reduction


def side_contrasts(image: np.ndarray, corners: Corners | np.ndarray, long_side: int = FULL_LONG_SIDE) -> np.ndarray:
    """How much each side of ``corners`` (image pixels) looks like the edge of a sheet, as the detector judges
    its candidates: paper inside, no paper for a good distance outside; 0 for a side beyond the frame. In the
    cue where the sides look most like a sheet's."""
    frame = as_bgr(image)
    if frame is None:
        return np.zeros(4)
    frame, reduction = at_fit_size(frame, long_side)
    quad = (np.asarray(corners, dtype=np.float64).reshape(4, 2) + 0.5) * reduction - 0.5
    judged = [snap.border_contrasts(cue_image(frame, cue_of), quad) for cue_of in CUES]
    return max(judged, key=snap.border_evidence)


def as_bgr(image: np.ndarray | None) -> np.ndarray | None:
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


def plausible_page(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
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


def _best_candidate(
    cue: np.ndarray, candidates: list[np.ndarray], finalists: int = 3
) -> tuple[np.ndarray, np.ndarray] | None:
    """The most sheet-like candidate after snapping, and the contrast along each of its sides."""
    # Every candidate gets one coarse snap; only the most border-like few get the costly fine passes.
    long_side = max(cue.shape)
    coarse_stages = snap.scaled(snap.COARSE_STAGES, long_side)
    fine_stages = snap.scaled(snap.FINE_STAGES, long_side)
    coarse = [q for q in (snap.refine(cue, c, coarse_stages) for c in candidates) if q is not None]
    coarse.sort(key=lambda q: -snap.border_evidence(snap.border_contrasts(cue, q)))
    judged = []
    for quad in _dedupe(coarse)[:finalists]:
        refined = snap.refine(cue, quad, fine_stages)
        if refined is None or not plausible_page(refined, cue.shape):
            continue
        contrasts = snap.border_contrasts(cue, refined)
        if contrasts.mean() >= snap.MIN_CONTRAST:
            judged.append((snap.border_evidence(contrasts), refined, contrasts))
    if not judged:
        return None
    judged.sort(key=lambda j: -j[0])
    score, best, contrasts = judged[0]
    # Print seen small blurs into a grey band whose edge looks like a border: a quad ending on the last line of
    # text can score as well as the page around it. The page is the outer one.
    for other_score, other, other_contrasts in judged[1:]:
        if other_score >= _CONTAINING_SHARE * score and _contains(other, best):
            best, contrasts = other, other_contrasts
    return best, contrasts


def _contains(outer: np.ndarray, inner: np.ndarray) -> bool:
    contour = outer.astype(np.float32).reshape(-1, 1, 2)
    inside = [cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -2.0 for x, y in inner]
    return all(inside) and abs(geo.signed_area(outer)) > 1.1 * abs(geo.signed_area(inner))


def _dedupe(quads: list[np.ndarray], tolerance: float = 12.0) -> list[np.ndarray]:
    """Drop quads whose corners all lie within ``tolerance`` pixels of a quad already kept."""
    kept: list[np.ndarray] = []
    for quad in quads:
        if all(np.min([np.abs(np.roll(quad, r, 0) - k).max() for r in range(4)]) > tolerance for k in kept):
            kept.append(quad)
    return kept
