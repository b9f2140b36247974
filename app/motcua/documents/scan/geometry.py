"""Small plane-geometry helpers for page quadrilaterals (points are ``(x, y)`` rows of float arrays)."""

from __future__ import annotations

import numpy as np


def line_through(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Homogeneous line ``(a, b, c)`` with ``a·x + b·y + c = 0`` and a unit normal ``(a, b)``."""
    line = np.cross(np.array([p[0], p[1], 1.0]), np.array([q[0], q[1], 1.0]))
    return line / max(float(np.hypot(line[0], line[1])), 1e-12)


def intersect(line_a: np.ndarray, line_b: np.ndarray) -> np.ndarray | None:
    """Crossing point of two homogeneous lines, ``None`` when they are (nearly) parallel."""
    point = np.cross(line_a, line_b)
    if abs(point[2]) < 1e-9:
        return None
    return point[:2] / point[2]


def quad_from_lines(lines: list[np.ndarray]) -> np.ndarray | None:
    """Corners of the quad bounded by four lines given in cyclic order; corner i joins line i-1 and line i."""
    corners = []
    for i in range(4):
        point = intersect(lines[i - 1], lines[i])
        if point is None:
            return None
        corners.append(point)
    return np.array(corners, dtype=np.float64)


def signed_area(quad: np.ndarray) -> float:
    x, y = quad[:, 0], quad[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def is_convex(quad: np.ndarray) -> bool:
    edges = np.roll(quad, -1, axis=0) - quad
    turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    return bool(np.all(turns > 0) or np.all(turns < 0))


def clockwise(quad: np.ndarray) -> np.ndarray:
    """The same quad with its corners clockwise on screen (y down), starting from the same corner."""
    if signed_area(quad) < 0:
        return quad[[0, 3, 2, 1]]
    return quad


def interior_angles_deg(quad: np.ndarray) -> np.ndarray:
    prev_edge = quad - np.roll(quad, 1, axis=0)
    next_edge = np.roll(quad, -1, axis=0) - quad
    cos = -(prev_edge * next_edge).sum(1) / (
        np.linalg.norm(prev_edge, axis=1) * np.linalg.norm(next_edge, axis=1) + 1e-12
    )
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def side_lengths(quad: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.roll(quad, -1, axis=0) - quad, axis=1)
