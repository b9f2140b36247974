"""Re-sampling a blurred or noisy QR code on its module grid and redrawing it cleanly.

ZBar and OpenCV binarise pixels; when blur is about a module wide, or noise is strong, the pixel-level
picture falls apart although the code is still there on average. Here the three finder patterns are
located by template matching (robust to both), the version is chosen by how well the timing patterns
alternate, every module is averaged over its centre, and the grid is thresholded against its local
neighbourhood and drawn again as a crisp symbol with the fixed patterns restored. Reed-Solomon in the
decoder mends the remaining module errors, and rejects the attempt if there are too many.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

_SEARCH_SIZE = 240  # the view is shrunk to this for the finder search
_FINDER_MIN_SCORE = 0.6  # normalised correlation each finder must reach (real codes: 0.8+)
_MODULE_PX = 4  # drawing scale of the redrawn symbol
_QUIET_MODULES = 4
_ALIGNMENT_MIN_SCORE = 0.4


def _bordered(core: list[str]) -> np.ndarray:
    """A pattern (``#`` dark) surrounded by one light module; 1.0 = light."""
    inner = np.array([[0.0 if ch == "#" else 1.0 for ch in row] for row in core], np.float32)
    return np.pad(inner, 1, constant_values=1.0)


_FINDER = _bordered(["#######", "#.....#", "#.###.#", "#.###.#", "#.###.#", "#.....#", "#######"])
# Neighbour rings around a module: the 4 edge neighbours, the 4 diagonal ones, the 4 at distance two.
_RINGS = (
    np.array([[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 1, 0, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]], np.float32),
    np.array([[0, 0, 0, 0, 0], [0, 1, 0, 1, 0], [0, 0, 0, 0, 0], [0, 1, 0, 1, 0], [0, 0, 0, 0, 0]], np.float32),
    np.array([[0, 0, 1, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 1], [0, 0, 0, 0, 0], [0, 0, 1, 0, 0]], np.float32),
)
_ALIGNMENT = _bordered(["#####", "#...#", "#.#.#", "#...#", "#####"])


@dataclass(frozen=True, slots=True)
class Finders:
    top_left: np.ndarray
    top_right: np.ndarray
    bottom_left: np.ndarray
    module: float  # module size in view pixels (coarse: from the template scale)


def resampled_symbols(view: np.ndarray, finders: Finders) -> Iterator[np.ndarray]:
    """Redrawn symbols (uint8) from a view in which the code is roughly square and upright-ish."""
    sizes = _candidate_sizes(view, finders)
    for size in sizes[:2]:
        homography = _refine_with_alignment(view, finders, size)
        modules = _sample(view, homography, size)
        for bits in _binarisations(modules):
            yield _draw(_restore_function_patterns(bits))


def find_finders(view: np.ndarray) -> Finders | None:
    """Finder centres in the three corners of the view that hold one (the fourth corner has none)."""
    factor = _SEARCH_SIZE / max(view.shape)
    small = cv2.resize(view, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA).astype(np.float32)
    height, width = small.shape
    best: list[tuple[float, float, float, float]] = [(-1.0, 0.0, 0.0, 0.0)] * 4  # score, x, y, module
    module = 2.5
    while module * 9 < min(height, width) / 2:
        template = _pattern_template(_FINDER, module)
        scores = cv2.matchTemplate(small, template, cv2.TM_CCOEFF_NORMED)
        half = template.shape[0] / 2
        for corner, (x0, y0) in enumerate(((0, 0), (1, 0), (1, 1), (0, 1))):  # clockwise from top-left
            quadrant = scores[
                y0 * scores.shape[0] // 2 : (y0 + 1) * scores.shape[0] // 2,
                x0 * scores.shape[1] // 2 : (x0 + 1) * scores.shape[1] // 2,
            ]
            _, score, _, (qx, qy) = cv2.minMaxLoc(quadrant)
            if score > best[corner][0]:
                cx = qx + x0 * scores.shape[1] // 2 + half
                cy = qy + y0 * scores.shape[0] // 2 + half
                best[corner] = (score, cx, cy, module)
        module *= 1.08
    order = sorted(range(4), key=lambda corner: best[corner][0])
    missing = order[0]
    if best[order[1]][0] < _FINDER_MIN_SCORE:
        return None
    # In the symbol's own frame the corner without a finder is bottom-right; walking clockwise from
    # it gives bottom-left, top-left, top-right.
    centre = [np.array(best[(missing + k) % 4][1:3]) / factor for k in (1, 2, 3)]
    module_px = float(np.median([best[(missing + k) % 4][3] for k in (1, 2, 3)])) / factor
    return Finders(top_left=centre[1], top_right=centre[2], bottom_left=centre[0], module=module_px)


def _pattern_template(pattern: np.ndarray, module: float) -> np.ndarray:
    """A function pattern (with its white border) drawn at ``module`` pixels, blurred a little."""
    side = max(pattern.shape[0], round(pattern.shape[0] * module))
    template = cv2.resize(pattern, (side, side), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(template, (0, 0), 0.4 * module)


def _candidate_sizes(view: np.ndarray, finders: Finders) -> list[int]:
    """Symbol sizes (17 + 4·version) near the estimate, best timing-pattern contrast first."""
    span = (
        np.linalg.norm(finders.top_right - finders.top_left) + np.linalg.norm(finders.bottom_left - finders.top_left)
    ) / 2
    estimate = span / finders.module + 7
    sizes = [17 + 4 * version for version in range(1, 41) if abs(17 + 4 * version - estimate) <= 0.2 * estimate + 4]
    scored = [(_timing_score(_sample(view, _initial_homography(finders, size), size)), size) for size in sizes]
    return [size for score, size in sorted(scored, reverse=True) if score > 0.2]


def _timing_score(modules: np.ndarray) -> float:
    """How well row 6 and column 6 alternate dark/light between the finders, as they must."""
    size = modules.shape[0]
    expected = np.where(np.arange(8, size - 8) % 2 == 0, -1.0, 1.0)  # even index: dark
    row, column = modules[6, 8 : size - 8], modules[8 : size - 8, 6]
    if row.std() == 0 or column.std() == 0:
        return 0.0
    return float(np.corrcoef(row, expected)[0, 1] + np.corrcoef(column, expected)[0, 1]) / 2


def _initial_homography(finders: Finders, size: int) -> np.ndarray:
    """Module coordinates → view pixels, from the three finder centres (an affine map)."""
    source = np.array([[3.5, 3.5], [size - 3.5, 3.5], [3.5, size - 3.5]], np.float32)
    target = np.array([finders.top_left, finders.top_right, finders.bottom_left], np.float32)
    return np.vstack([cv2.getAffineTransform(source, target), [0.0, 0.0, 1.0]])


def _refine_with_alignment(view: np.ndarray, finders: Finders, size: int) -> np.ndarray:
    """Add the bottom-right alignment pattern as a fourth point, which captures perspective."""
    homography = _initial_homography(finders, size)
    version = (size - 17) // 4
    if version < 2:
        return homography
    expected = size - 6.5  # centre of the alignment pattern nearest the bottom-right corner
    module = float(np.sqrt(abs(np.linalg.det(homography[:2, :2]))))
    centre = cv2.perspectiveTransform(np.array([[[expected, expected]]], np.float32), homography)[0, 0]
    template = _pattern_template(_ALIGNMENT, module)
    reach = int(2.5 * module) + template.shape[0] // 2 + 1
    x0, y0 = int(centre[0]) - reach, int(centre[1]) - reach
    window = view[max(0, y0) : y0 + 2 * reach, max(0, x0) : x0 + 2 * reach].astype(np.float32)
    if window.shape[0] <= template.shape[0] or window.shape[1] <= template.shape[1]:
        return homography
    scores = cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED)
    _, score, _, (bx, by) = cv2.minMaxLoc(scores)
    if score < _ALIGNMENT_MIN_SCORE:
        return homography
    dx, dy = _subpixel(scores, bx, by)
    found = (max(0, x0) + bx + dx + template.shape[1] / 2, max(0, y0) + by + dy + template.shape[0] / 2)
    source = np.array([[3.5, 3.5], [size - 3.5, 3.5], [3.5, size - 3.5], [expected, expected]], np.float32)
    target = np.array([finders.top_left, finders.top_right, finders.bottom_left, found], np.float32)
    return cv2.getPerspectiveTransform(source, target)


def _subpixel(scores: np.ndarray, x: int, y: int) -> tuple[float, float]:
    """Parabolic refinement of a correlation peak."""

    def offset(a: float, b: float, c: float) -> float:
        curvature = a - 2 * b + c
        return 0.5 * (a - c) / curvature if curvature < 0 else 0.0

    dx = offset(scores[y, x - 1], scores[y, x], scores[y, x + 1]) if 0 < x < scores.shape[1] - 1 else 0.0
    dy = offset(scores[y - 1, x], scores[y, x], scores[y + 1, x]) if 0 < y < scores.shape[0] - 1 else 0.0
    return float(dx), float(dy)


def _sample(view: np.ndarray, homography: np.ndarray, size: int) -> np.ndarray:
    """Mean intensity over the central part of each module (size × size, float32)."""
    steps = (np.arange(3) - 1) * 0.25 + 0.5  # 3 × 3 samples in the middle half of a module
    coords = (np.arange(size)[:, None] + steps[None, :]).reshape(-1)
    grid_x, grid_y = np.meshgrid(coords, coords)
    points = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1).reshape(-1, 1, 2).astype(np.float32)
    mapped = cv2.perspectiveTransform(points, homography).reshape((*grid_x.shape, 2))
    samples = cv2.remap(
        view.astype(np.float32),
        mapped[..., 0].astype(np.float32),
        mapped[..., 1].astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return samples.reshape(size, 3, size, 3).mean(axis=(1, 3))


def _binarisations(modules: np.ndarray) -> Iterator[np.ndarray]:
    """Dark-module masks (True = dark): local threshold, then blur-compensated, then global."""
    local = modules < cv2.blur(modules, (7, 7), borderType=cv2.BORDER_REFLECT)
    yield local
    yield _equalised(modules, _restore_function_patterns(local))
    yield modules < cv2.blur(modules, (11, 11), borderType=cv2.BORDER_REFLECT)
    scaled = cv2.normalize(modules, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    threshold, _ = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield scaled < threshold


def _equalised(modules: np.ndarray, dark: np.ndarray, rounds: int = 8) -> np.ndarray:
    """Undo inter-module blur: each module's value is modelled from its own colour and its neighbours'.

    ``value ≈ lighting(x, y) + a·own + Σ b_k·(neighbours in ring k)`` is fitted by least squares over
    the current guess (the lighting term is a plane, for shading across the code); then every module
    is re-decided knowing its neighbours, in two interleaved halves (a checkerboard) so that the
    updates do not oscillate.
    """
    size = modules.shape[0]
    checker = (np.add.outer(np.arange(size), np.arange(size)) % 2).astype(bool)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64) / size
    bits = dark.astype(np.float32)
    for round_ in range(rounds):
        rings = [cv2.filter2D(bits, -1, kernel, borderType=cv2.BORDER_CONSTANT) for kernel in _RINGS]
        context = np.column_stack([np.ones(bits.size), xs.ravel(), ys.ravel(), *(r.ravel() for r in rings)])
        design = np.column_stack([context, bits.ravel()])
        coef, *_ = np.linalg.lstsq(design, modules.ravel().astype(np.float64), rcond=None)
        own = coef[-1]
        if own >= 0:  # a dark module must make the value lower; otherwise the model is meaningless
            return dark
        without = (context @ coef[:-1]).reshape(size, size)
        decided = modules < without + own / 2
        half = checker if round_ % 2 == 0 else ~checker
        bits = np.where(half, decided, bits.astype(bool))
        bits = _restore_function_patterns(bits).astype(np.float32)
    return bits.astype(bool)


def _restore_function_patterns(dark: np.ndarray) -> np.ndarray:
    """Overwrite finders, separators, timing and alignment patterns with their known values."""
    size = dark.shape[0]
    out = dark.copy()
    finder = np.zeros((8, 8), bool)
    finder[:7, :7] = True
    finder[1:6, 1:6] = False
    finder[2:5, 2:5] = True
    out[:8, :8] = finder
    out[:8, size - 8 :] = finder[:, ::-1]
    out[size - 8 :, :8] = finder[::-1, :]
    alternating = np.arange(8, size - 8) % 2 == 0
    out[6, 8 : size - 8] = alternating
    out[8 : size - 8, 6] = alternating
    alignment = np.ones((5, 5), bool)
    alignment[1:4, 1:4] = False
    alignment[2, 2] = True
    centres = _alignment_centres((size - 17) // 4)
    for cy in centres:
        for cx in centres:
            if (cx, cy) in ((6, 6), (6, size - 7), (size - 7, 6)):
                continue  # those would overlap a finder
            out[cy - 2 : cy + 3, cx - 2 : cx + 3] = alignment
    out[size - 8, 8] = True  # the "dark module"
    return out


def _alignment_centres(version: int) -> list[int]:
    """Row/column indices of alignment pattern centres (ISO/IEC 18004 table, in closed form)."""
    if version < 2:
        return []
    size = 17 + 4 * version
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    return sorted([6] + [size - 7 - i * step for i in range(count - 1)])


def _draw(dark: np.ndarray) -> np.ndarray:
    image = np.where(dark, 0, 255).astype(np.uint8)
    image = np.pad(image, _QUIET_MODULES, constant_values=255)
    return np.kron(image, np.ones((_MODULE_PX, _MODULE_PX), np.uint8))
