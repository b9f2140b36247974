"""SmartDoc 2015 page-detection metric: Jaccard index measured in the page's own frame.

Both quadrilaterals are mapped through the inverse of the true homography (true corners → a rectangle of the
page's size in millimetres) before their overlap is measured, so that an error on the far, foreshortened side
of a page counts as much as the same error on its near side.
"""

from __future__ import annotations

import cv2
import numpy as np

Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]


def _page_rectangle(page_mm: tuple[float, float]) -> np.ndarray:
    width, height = page_mm
    return np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)


def _as_convex_polygon(points: np.ndarray) -> np.ndarray:
    # A detector may return a self-crossing quad; its convex hull is what an area-based metric can measure.
    hull = cv2.convexHull(points.astype(np.float32))
    return hull.reshape(-1, 2)


def _polygon_area(polygon: np.ndarray) -> float:
    if len(polygon) < 3:
        return 0.0
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _clip_to_rectangle(polygon: np.ndarray, width: float, height: float) -> np.ndarray:
    """Sutherland–Hodgman clipping of a convex polygon by the page rectangle.

    Done by hand because ``cv2.intersectConvexConvex`` mis-measures polygons that share edges, which is
    exactly the case of a perfect detection."""
    # Each boundary as (axis, limit, keep-below): x >= 0, x <= width, y >= 0, y <= height.
    boundaries = ((0, 0.0, False), (0, width, True), (1, 0.0, False), (1, height, True))
    points = [tuple(p) for p in polygon]
    for axis, limit, keep_below in boundaries:
        if not points:
            break

        def inside(p: tuple[float, float], axis: int = axis, limit: float = limit, below: bool = keep_below) -> bool:
            return p[axis] <= limit if below else p[axis] >= limit

        clipped: list[tuple[float, float]] = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    clipped.append(_crossing(previous, current, axis, limit))
                clipped.append(current)
            elif inside(previous):
                clipped.append(_crossing(previous, current, axis, limit))
        points = clipped
    return np.array(points, dtype=np.float64).reshape(-1, 2)


def _crossing(p: tuple[float, float], q: tuple[float, float], axis: int, limit: float) -> tuple[float, float]:
    t = (limit - p[axis]) / (q[axis] - p[axis])
    return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))


def jaccard_in_page_frame(
    truth: Corners | np.ndarray, found: Corners | np.ndarray | None, page_mm: tuple[float, float] = (210, 297)
) -> float:
    """Intersection over union of ``found`` and ``truth``, both seen in the page frame; ``None`` scores 0."""
    if found is None:
        return 0.0
    truth_pts = np.asarray(truth, dtype=np.float64).reshape(4, 2)
    found_pts = np.asarray(found, dtype=np.float64).reshape(4, 2)
    if not np.all(np.isfinite(found_pts)):
        return 0.0
    rect = _page_rectangle(page_mm)
    to_page = cv2.getPerspectiveTransform(truth_pts.astype(np.float32), rect.astype(np.float32))
    mapped = cv2.perspectiveTransform(found_pts.reshape(1, 4, 2), to_page).reshape(4, 2)
    # Points that fall behind the camera plane come back non-finite: nothing sensible overlaps then.
    if not np.all(np.isfinite(mapped)):
        return 0.0
    found_poly = _as_convex_polygon(mapped).astype(np.float64)
    found_area = _polygon_area(found_poly)
    if found_area <= 0.0:
        return 0.0
    intersection = _polygon_area(_clip_to_rectangle(found_poly, float(page_mm[0]), float(page_mm[1])))
    union = found_area + float(page_mm[0]) * float(page_mm[1]) - intersection
    return float(intersection / union) if union > 0 else 0.0
