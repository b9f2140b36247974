"""The outline of a page whose one side lies beyond the frame, from its three sides in view and its paper.

When a page runs out of the frame across one side, the detector (see ``framing``) outlines the part in view: one
side of its quad lies on the frame's edge. The two sides that cross the frame's edge are still on their true
lines, and the side opposite the cut one is whole, so only how far the page reaches along those two lines is
unknown. ISO 216 paper (A4, A5) has sides in the ratio √2, so the whole page reaches the opposite side's
length times √2, or times 1/√2 when the whole side is the long one.

Perspective shortens distances towards the point where the two lines meet (their vanishing point). Along a line
through the whole side's corner ``A`` with its vanishing point at distance ``v``, a length ``s`` on the paper
(in units of the whole side, whose image length is ``W``) lies at ``x = W·s / (1 + W·s / v)`` from ``A``: the
1-D projective map with unit scale at ``A`` (a camera looking roughly down sees the page's two directions at
one scale near a corner) and the vanishing point at ``v``. Parallel lines (``v`` infinite) give ``x = W·s``.

The same map, inverted, measures a quad's proportions (``paper_ratio``): an outline far from √2 is not a whole
ISO page (``iso_mismatch``), and a page followed from frame to frame keeps its proportions when a side is hidden
beyond the frame (``iso_ratio_across``, ``extend_side``).
"""

from __future__ import annotations

import numpy as np

from motcua.documents.scan import geometry as geo

_ISO_RATIOS = (1 / np.sqrt(2.0), np.sqrt(2.0))
# A corner within this share of the frame's short side from its edge lies on it.
_EDGE_SHARE = 0.01
# A side with one end within the first share of the frame's short side from one of its edges, the other within
# the second, may stop at a line of print near where the frame cuts the page.
_NEAR_EDGE_SHARE = 0.1
_FAR_END_SHARE = 0.3
# The proportions seen in a frame are off by a few percent (perspective, a corner a little off): the shorter
# paper that falls short of the part in view by less than this share (a log, as ``iso_mismatch``) still fits,
# its corners then taken on the frame's edge. A page of which a quarter is hidden beyond the frame shows 1.06
# times its short side along its long one, far beyond the short paper's 0.71.
_REACH_TOLERANCE = 0.1


def side_on_edge(quad: np.ndarray, shape: tuple[int, ...]) -> int | None:
    """Index ``i`` of the side (corners ``i`` → ``i + 1``) that lies along one edge of the frame, if any."""
    h, w = shape[:2]
    margin = max(3.0, _EDGE_SHARE * min(h, w))
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        for axis, limit in ((0, 0.0), (0, w - 1.0), (1, 0.0), (1, h - 1.0)):
            if abs(p[axis] - limit) <= margin and abs(q[axis] - limit) <= margin:
                return i
    return None


def _reach(start: np.ndarray, towards: np.ndarray, vanishing: np.ndarray | None, length: float) -> np.ndarray | None:
    """The point ``length`` (paper length, in image pixels at ``start``) from ``start`` towards ``towards``."""
    direction = (towards - start) / max(float(np.linalg.norm(towards - start)), 1e-9)
    v = np.inf if vanishing is None else float((vanishing - start) @ direction)
    denominator = 1.0 + (length / v if np.isfinite(v) and abs(v) > 1e-9 else 0.0)
    if denominator <= 0.05:
        return None  # at or past the vanishing point: no sheet of paper looks like that
    return start + direction * (length / denominator)


def complete_cut_side(quad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """``quad`` (clockwise, a side on the frame's edge) with that side moved to where the page ends, or ``None``
    when no side lies on the edge. The shortest ISO paper that reaches beyond the frame is chosen."""
    cut = side_on_edge(quad, shape)
    if cut is None:
        return None
    m, m1, m2, m3 = cut, (cut + 1) % 4, (cut + 2) % 4, (cut + 3) % 4
    a, b = quad[m3], quad[m2]  # the whole side, opposite the cut one
    seen_a, seen_b = float(np.linalg.norm(quad[m] - a)), float(np.linalg.norm(quad[m1] - b))
    least = np.exp(-_REACH_TOLERANCE)
    completed = None
    for ratio in _ISO_RATIOS:
        extended = extend_side(quad, cut, ratio)
        if extended is None:
            continue
        completed = extended
        reach_a, reach_b = float(np.linalg.norm(extended[m] - a)), float(np.linalg.norm(extended[m1] - b))
        # The page goes on beyond the frame's edge, so it reaches at least as far as the part in view.
        if reach_a >= least * seen_a and reach_b >= least * seen_b:
            if reach_a < seen_a:
                completed[m] = quad[m]
            if reach_b < seen_b:
                completed[m1] = quad[m1]
            return completed
    return completed


def extend_side(quad: np.ndarray, side: int, ratio: float) -> np.ndarray | None:
    """``quad`` (clockwise) with side ``side``'s corners moved along the two sides that meet it to ``ratio``
    times the paper length of the opposite side; ``None`` if that is at or past the vanishing point."""
    m, m1, m2, m3 = side, (side + 1) % 4, (side + 2) % 4, (side + 3) % 4
    a, b = quad[m3], quad[m2]  # the whole side, opposite the one moved
    vanishing = geo.intersect(geo.line_through(a, quad[m]), geo.line_through(b, quad[m1]))
    whole = float(np.linalg.norm(a - b))
    corner_a = _reach(a, quad[m], vanishing, whole * ratio)
    corner_b = _reach(b, quad[m1], vanishing, whole * ratio)
    if corner_a is None or corner_b is None:
        return None
    extended = quad.copy()
    extended[m], extended[m1] = corner_a, corner_b
    return extended


def iso_ratio_across(quad: np.ndarray, side: int) -> float:
    """The ISO ratio (paper length of the two sides meeting ``side`` over that of the opposite side) nearest to
    the one ``quad`` (clockwise) shows: the ratio to keep when ``side`` is hidden beyond the frame."""
    m, m1, m2, m3 = side, (side + 1) % 4, (side + 2) % 4, (side + 3) % 4
    a, b = quad[m3], quad[m2]
    vanishing = geo.intersect(geo.line_through(a, quad[m]), geo.line_through(b, quad[m1]))
    whole = float(np.linalg.norm(a - b))
    across = 0.5 * (_paper_length(a, quad[m], vanishing, whole) + _paper_length(b, quad[m1], vanishing, whole))
    if not np.isfinite(across) or across <= 0:
        return float(_ISO_RATIOS[0])
    return float(min(_ISO_RATIOS, key=lambda r: abs(np.log(across / r))))


def _paper_length(start: np.ndarray, end: np.ndarray, vanishing: np.ndarray | None, unit: float) -> float:
    """The paper length from ``start`` to ``end`` in units of ``unit`` (the image length of the side at
    ``start``): the inverse of the map in ``_reach``."""
    seen = float(np.linalg.norm(end - start))
    direction = (end - start) / max(seen, 1e-9)
    v = np.inf if vanishing is None else float((vanishing - start) @ direction)
    shrink = 1.0 - seen / v if np.isfinite(v) and abs(v) > 1e-9 else 1.0
    return seen / max(unit * shrink, 1e-9) if shrink > 0.05 else np.inf


def paper_ratio(quad: np.ndarray) -> float:
    """The ratio of the paper lengths of the sides ``1 → 2`` and ``0 → 1`` of ``quad`` (clockwise), undoing
    perspective as ``complete_cut_side`` applies it, each side taken in turn as the unit."""
    logs = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        from_a, from_b = quad[(i - 1) % 4], quad[(i + 2) % 4]
        vanishing = geo.intersect(geo.line_through(a, from_a), geo.line_through(b, from_b))
        unit = float(np.linalg.norm(b - a))
        across = 0.5 * (_paper_length(a, from_a, vanishing, unit) + _paper_length(b, from_b, vanishing, unit))
        if not np.isfinite(across) or across <= 0:
            return np.inf
        logs.append(np.log(across) * (1 if i % 2 == 0 else -1))
    return float(np.exp(np.mean(logs)))


def iso_mismatch(quad: np.ndarray) -> float:
    """How far (a log of ratios) the proportions of ``quad`` are from an ISO 216 page's, either way round."""
    ratio = paper_ratio(quad)
    if not np.isfinite(ratio):
        return np.inf
    return float(min(abs(np.log(ratio / r)) for r in _ISO_RATIOS))


def cut_at_edge(quad: np.ndarray, shape: tuple[int, ...], movable: np.ndarray | None = None) -> list[np.ndarray]:
    """``quad`` (clockwise) with one side moved onto an edge of the frame, for each side with one end near the
    edge and the other not far from it: where the outline of a page cut by the frame may have stopped at a line
    of print just inside the cut (parallel to the page's side beyond the frame) instead of the frame's edge.
    ``movable``: which sides may be moved (all by default)."""
    h, w = shape[:2]
    near = _NEAR_EDGE_SHARE * min(h, w)
    edges = (
        (np.array([1.0, 0.0, 0.0]), quad[:, 0]),  # x = 0, distance x
        (np.array([1.0, 0.0, -(w - 1.0)]), w - 1.0 - quad[:, 0]),
        (np.array([0.0, 1.0, 0.0]), quad[:, 1]),
        (np.array([0.0, 1.0, -(h - 1.0)]), h - 1.0 - quad[:, 1]),
    )
    moved_quads = []
    for i in range(4):
        if movable is not None and not movable[i]:
            continue
        j = (i + 1) % 4
        for edge, distance in edges:
            if min(distance[i], distance[j]) > near or max(distance[i], distance[j]) > _FAR_END_SHARE * min(h, w):
                continue
            before = geo.line_through(quad[(i - 1) % 4], quad[i])
            after = geo.line_through(quad[j], quad[(j + 1) % 4])
            corner_i, corner_j = geo.intersect(before, edge), geo.intersect(edge, after)
            if corner_i is None or corner_j is None:
                continue
            moved = quad.copy()
            moved[i], moved[j] = corner_i, corner_j
            if geo.is_convex(moved) and abs(geo.signed_area(moved)) > abs(geo.signed_area(quad)):
                moved_quads.append(moved)
    return moved_quads
