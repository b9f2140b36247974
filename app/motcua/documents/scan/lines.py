"""Page candidates from straight lines: when a page border fades into the desk somewhere (a saturated
highlight, a shadow), its visible stretches still lie on four long lines whose crossings are the corners."""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from motcua.documents.scan import geometry as geo

_MIN_SEGMENT = 10.0  # pixels at the working size; shorter ones are mostly text strokes
_ANGLE_TOLERANCE = np.radians(4.0)
_DISTANCE_TOLERANCE = 3.0
_MAX_LINES = 18
_SAMPLES_PER_SIDE = 32


def _segments(gray: np.ndarray) -> np.ndarray:
    detector = cv2.createLineSegmentDetector()
    found = detector.detect(gray)[0]
    if found is None:
        return np.zeros((0, 4))
    segments = found.reshape(-1, 4).astype(np.float64)
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    return segments[lengths >= _MIN_SEGMENT]


def _fit_line(points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    centre = (points * weights[:, None]).sum(0) / weights.sum()
    d = points - centre
    _, vecs = np.linalg.eigh((d * weights[:, None]).T @ d)
    normal = vecs[:, 0]
    return np.array([normal[0], normal[1], -normal @ centre])


def merged_lines(gray: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """Collinear segments joined into lines, longest total support first: ``(homogeneous line, length)``."""
    segments = _segments(gray)
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    clusters: list[dict] = []
    for index in np.argsort(-lengths):
        p, q = segments[index, :2], segments[index, 2:]
        line = geo.line_through(p, q)
        for cluster in clusters:
            other = cluster["line"]
            cos = abs(line[0] * other[0] + line[1] * other[1])
            if cos < np.cos(_ANGLE_TOLERANCE):
                continue
            if max(abs(other[:2] @ p + other[2]), abs(other[:2] @ q + other[2])) > _DISTANCE_TOLERANCE:
                continue
            cluster["points"].extend([p, q])
            cluster["weights"].extend([lengths[index] / 2] * 2)
            cluster["length"] += lengths[index]
            cluster["line"] = _fit_line(np.array(cluster["points"]), np.array(cluster["weights"]))
            break
        else:
            clusters.append(
                {"line": line, "points": [p, q], "weights": [lengths[index] / 2] * 2, "length": lengths[index]}
            )
    clusters.sort(key=lambda c: -c["length"])
    return [(c["line"], float(c["length"])) for c in clusters[:_MAX_LINES]]


def _are_opposite(a: np.ndarray, b: np.ndarray, min_gap: float, centre: np.ndarray) -> bool:
    # Opposite sides of a page seen in perspective are far from parallel only under extreme tilts.
    if abs(a[0] * b[0] + a[1] * b[1]) < np.cos(np.radians(35.0)):
        return False
    foot = centre - (a[:2] @ centre + a[2]) * a[:2]
    return abs(b[:2] @ foot + b[2]) > min_gap


def _quads_from_lines(lines: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Every plausible quad made of two pairs of opposite lines, as clockwise corners (Q, 4, 2)."""
    h, w = shape
    centre = np.array([w / 2, h / 2])
    pairs = np.array(
        [
            (i, j)
            for i, j in itertools.combinations(range(len(lines)), 2)
            if _are_opposite(lines[i], lines[j], 0.12 * min(h, w), centre)
        ]
    ).reshape(-1, 2)
    if len(pairs) < 2:
        return np.zeros((0, 4, 2))
    first, second = np.array(list(itertools.combinations(range(len(pairs)), 2))).T
    a, b = pairs[first], pairs[second]
    distinct = (a[:, :, None] != b[:, None, :]).all(axis=(1, 2))
    a, b = a[distinct], b[distinct]
    table = np.array(lines)
    la1, la2, lb1, lb2 = table[a[:, 0]], table[a[:, 1]], table[b[:, 0]], table[b[:, 1]]
    # The two pairs must cross at a clear angle, or they are four sides of nothing.
    crossing = np.abs((la1[:, :2] * lb1[:, :2]).sum(1)) < np.cos(np.radians(45.0))
    sides = np.stack([lb1, la1, lb2, la2], axis=1)[crossing]  # cyclic order; corner k joins k-1 and k
    corners_h = np.cross(np.roll(sides, 1, axis=1), sides)
    with np.errstate(divide="ignore", invalid="ignore"):
        quads = corners_h[..., :2] / corners_h[..., 2:3]
    finite = np.isfinite(quads).all(axis=(1, 2))
    quads = quads[finite]
    low, high = np.array([-0.25 * w, -0.25 * h]), np.array([1.25 * w, 1.25 * h])
    in_reach = ((quads >= low) & (quads <= high)).all(axis=(1, 2))
    quads = quads[in_reach]
    edges = np.roll(quads, -1, axis=1) - quads
    turns = edges[..., 0] * np.roll(edges[..., 1], -1, axis=1) - edges[..., 1] * np.roll(edges[..., 0], -1, axis=1)
    convex = (turns > 0).all(1) | (turns < 0).all(1)
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.abs((x * np.roll(y, -1, axis=1) - y * np.roll(x, -1, axis=1)).sum(1))
    shortest = np.linalg.norm(edges, axis=2).min(1)
    keep = convex & (area >= 0.04 * h * w) & (shortest >= 0.08 * min(h, w))
    quads = quads[keep]
    counter = (x * np.roll(y, -1, axis=1) - y * np.roll(x, -1, axis=1)).sum(1)[keep] < 0
    quads[counter] = quads[counter][:, [0, 3, 2, 1]]
    return quads


def _side_support(likeness: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """Fraction of each side (Q, 4) along which the inside is clearly brighter than the outside."""
    h, w = likeness.shape
    t = np.linspace(0.05, 0.95, _SAMPLES_PER_SIDE)
    starts = quads
    ends = np.roll(quads, -1, axis=1)
    points = starts[:, :, None, :] + t[None, None, :, None] * (ends - starts)[:, :, None, :]
    direction = ends - starts
    direction /= np.linalg.norm(direction, axis=2, keepdims=True) + 1e-9
    outward = np.stack([direction[..., 1], -direction[..., 0]], axis=-1)  # clockwise on screen: left is outside
    offset = 2.5 * outward[:, :, None, :]

    def sample(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.rint(pts[..., 0]).astype(int)
        y = np.rint(pts[..., 1]).astype(int)
        inside_frame = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        return likeness[np.clip(y, 0, h - 1), np.clip(x, 0, w - 1)], inside_frame

    inner, inner_ok = sample(points - offset)
    outer, outer_ok = sample(points + offset)
    visible = inner_ok & outer_ok
    supported = visible & (inner - outer > 10.0)
    return supported.sum(2) / np.maximum(visible.sum(2), 1)


def line_quads(likeness: np.ndarray, keep: int = 6) -> list[np.ndarray]:
    """The best-supported quads formed by four of the longest lines in the image."""
    low, high = float(likeness.min()), float(likeness.max())
    gray = np.clip((likeness - low) * (255.0 / max(high - low, 1e-6)), 0, 255).astype(np.uint8)
    lines = [line for line, _ in merged_lines(gray)]
    quads = _quads_from_lines(lines, likeness.shape)
    if len(quads) == 0:
        return []
    support = _side_support(likeness, quads)
    score = support.mean(1) * np.sqrt(support.min(1))
    order = np.argsort(-score)[:keep]
    return [quads[i] for i in order if score[i] > 0.3]
