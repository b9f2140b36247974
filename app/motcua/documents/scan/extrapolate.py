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
"""

from __future__ import annotations

import numpy as np

from motcua.documents.scan import geometry as geo

_ISO_RATIOS = (1 / np.sqrt(2.0), np.sqrt(2.0))
# A corner within this share of the frame's short side from its edge lies on it.
_EDGE_SHARE = 0.01


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
    line_a, line_b = geo.line_through(a, quad[m]), geo.line_through(b, quad[m1])
    vanishing = geo.intersect(line_a, line_b)
    whole = float(np.linalg.norm(a - b))
    seen_a, seen_b = float(np.linalg.norm(quad[m] - a)), float(np.linalg.norm(quad[m1] - b))
    completed = None
    for ratio in _ISO_RATIOS:
        corner_a = _reach(a, quad[m], vanishing, whole * ratio)
        corner_b = _reach(b, quad[m1], vanishing, whole * ratio)
        if corner_a is None or corner_b is None:
            continue
        completed = quad.copy()
        completed[m], completed[m1] = corner_a, corner_b
        # The page goes on beyond the frame's edge, so it reaches at least as far as the part in view.
        if np.linalg.norm(corner_a - a) >= 0.98 * seen_a and np.linalg.norm(corner_b - b) >= 0.98 * seen_b:
            return completed
    return completed
