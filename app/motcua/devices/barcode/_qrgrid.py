"""Re-sampling a blurred or noisy QR code on its module grid and redrawing it cleanly.

ZBar and OpenCV binarise pixels; when blur is about a module wide, or noise is strong, the pixel-level
picture falls apart although the code is still there on average. Here the three finder patterns are
located by template matching (robust to both), the version is chosen by how well the timing patterns
alternate, the bottom-right alignment pattern adds a fourth point for perspective, and every module is
averaged over its centre. The grid is then decided module by module, compensating the blur that
neighbouring modules spill into each other, and drawn again as a crisp symbol with the fixed patterns
restored. Reed-Solomon in the decoder mends the remaining module errors and rejects the attempt if
there are too many; variants with the least certain modules flipped give it a few more chances.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

_SEARCH_SIZE = 240  # the view is shrunk to this for the finder search
_FINDER_MIN_SCORE = 0.6  # normalised correlation each finder must reach (real codes: 0.8+)
_MODULE_PX = 4  # drawing scale of the redrawn symbol
_QUIET_MODULES = 4
_ALIGNMENT_MIN_SCORE = 0.4
_CHASE_MODULES = 6  # least certain modules tried flipped, alone and in pairs (21 variants)


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
    """Centres of the three finder patterns, in view pixels, in the symbol's own orientation."""

    top_left: np.ndarray
    top_right: np.ndarray
    bottom_left: np.ndarray
    module: float  # module size in view pixels (coarse: from the template scale)


def resampled_symbols(view: np.ndarray, finders: Finders) -> Iterator[np.ndarray]:
    """Redrawn symbols (uint8) from a view in which the code is roughly square and upright-ish."""
    sizes = _candidate_sizes(view, finders)
    for size in sizes[:2]:
        affine = _initial_homography(finders, size)
        refined = _refine_with_alignment(view, finders, affine, size)
        # The alignment pattern may have been matched in the wrong place: keep the affine grid too.
        for homography in (affine,) if refined is None else (refined, affine):
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
        half = (template.shape[0] - 1) / 2  # template centre, relative to its top-left pixel
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
    module_px = float(np.median([best[(missing + k) % 4][3] for k in (1, 2, 3)])) / factor
    coarse = [(np.array(best[(missing + k) % 4][1:3]) + 0.5) / factor - 0.5 for k in (1, 2, 3)]
    centre = [_refined_centre(view, c, module_px, _FINDER) for c in coarse]
    return Finders(top_left=centre[1], top_right=centre[2], bottom_left=centre[0], module=module_px)


def _refined_centre(view: np.ndarray, guess: np.ndarray, module: float, pattern: np.ndarray) -> np.ndarray:
    """A pattern's centre located at full resolution near ``guess`` (sub-pixel); ``guess`` if unsure."""
    best: tuple[float, np.ndarray] = (-1.0, guess)
    for size in (0.92 * module, module, 1.08 * module):
        found = _match_near(view, guess, size, pattern, reach=1.0 * module)
        if found is not None and found[0] > best[0]:
            best = found
    return best[1]


def _match_near(
    view: np.ndarray, guess: np.ndarray, module: float, pattern: np.ndarray, reach: float
) -> tuple[float, np.ndarray] | None:
    """Best normalised correlation of ``pattern`` within ``reach`` pixels of ``guess``, and where."""
    template = _pattern_template(pattern, module)
    half = (template.shape[0] - 1) / 2
    x0 = max(0, int(guess[0] - half - reach))
    y0 = max(0, int(guess[1] - half - reach))
    x1 = min(view.shape[1], int(guess[0] + half + reach) + 2)
    y1 = min(view.shape[0], int(guess[1] + half + reach) + 2)
    window = view[y0:y1, x0:x1].astype(np.float32)
    if window.shape[0] <= template.shape[0] or window.shape[1] <= template.shape[1]:
        return None
    scores = cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED)
    _, score, _, (bx, by) = cv2.minMaxLoc(scores)
    dx, dy = _subpixel(scores, bx, by)
    return float(score), np.array([x0 + bx + dx + half, y0 + by + dy + half])


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


def _refine_with_alignment(view: np.ndarray, finders: Finders, homography: np.ndarray, size: int) -> np.ndarray | None:
    """Add the bottom-right alignment pattern as a fourth point, which captures perspective.

    None when the symbol has no alignment pattern (version 1) or it is not found.
    """
    version = (size - 17) // 4
    if version < 2:
        return None
    expected = size - 6.5  # centre of the alignment pattern nearest the bottom-right corner
    module = float(np.sqrt(abs(np.linalg.det(homography[:2, :2]))))
    centre = cv2.perspectiveTransform(np.array([[[expected, expected]]], np.float32), homography)[0, 0]
    found = _match_near(view, centre, module, _ALIGNMENT, reach=2.0 * module)
    if found is None or found[0] < _ALIGNMENT_MIN_SCORE:
        return None
    source = np.array([[3.5, 3.5], [size - 3.5, 3.5], [3.5, size - 3.5], [expected, expected]], np.float32)
    target = np.array([finders.top_left, finders.top_right, finders.bottom_left, found[1]], np.float32)
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
    """Dark-module masks (True = dark): local threshold, blur-compensated, global, then Chase variants."""
    local = modules < cv2.blur(modules, (7, 7), borderType=cv2.BORDER_REFLECT)
    yield local
    equalised, confidence = _equalised(modules, _restore_function_patterns(local))
    yield equalised
    yield modules < cv2.blur(modules, (11, 11), borderType=cv2.BORDER_REFLECT)
    scaled = cv2.normalize(modules, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    threshold, _ = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield scaled < threshold
    yield from _chase(equalised, confidence)


def _chase(dark: np.ndarray, confidence: np.ndarray) -> Iterator[np.ndarray]:
    """The grid with one or two of its least certain modules flipped (Chase decoding).

    When a few modules too many are wrong for Reed-Solomon, the culprits are usually among those
    closest to the decision threshold; flipping them in turn brings the error count back in range.
    """
    doubtful = np.argsort(confidence, axis=None)[:_CHASE_MODULES]
    for count in (1, 2):
        for flips in itertools.combinations(doubtful.tolist(), count):
            variant = dark.copy().reshape(-1)
            variant[list(flips)] ^= True
            yield variant.reshape(dark.shape)


def _equalised(modules: np.ndarray, dark: np.ndarray, rounds: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Undo inter-module blur: each module's value is modelled from its own colour and its neighbours'.

    ``value ≈ lighting(x, y) + a·own + Σ b_k·(neighbours in ring k)`` is fitted by least squares over
    the current guess (the lighting term is a plane, for shading across the code); then every module
    is re-decided knowing its neighbours, in two interleaved halves (a checkerboard) so that the
    updates do not oscillate. Returns the decisions and how far each value was from its threshold
    (function-pattern modules, which are known, get infinite confidence).
    """
    size = modules.shape[0]
    checker = (np.add.outer(np.arange(size), np.arange(size)) % 2).astype(bool)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64) / size
    bits = dark.astype(np.float32)
    confidence = np.full(modules.shape, np.inf)
    for round_ in range(rounds):
        rings = [cv2.filter2D(bits, -1, kernel, borderType=cv2.BORDER_CONSTANT) for kernel in _RINGS]
        context = np.column_stack([np.ones(bits.size), xs.ravel(), ys.ravel(), *(r.ravel() for r in rings)])
        design = np.column_stack([context, bits.ravel()])
        coef, *_ = np.linalg.lstsq(design, modules.ravel().astype(np.float64), rcond=None)
        own = coef[-1]
        if own >= 0:  # a dark module must make the value lower; otherwise the model is meaningless
            return dark, confidence
        threshold = (context @ coef[:-1]).reshape(size, size) + own / 2
        decided = modules < threshold
        confidence = np.abs(modules - threshold)
        half = checker if round_ % 2 == 0 else ~checker
        bits = np.where(half, decided, bits.astype(bool))
        bits = _restore_function_patterns(bits).astype(np.float32)
    confidence[_function_mask(size)] = np.inf
    return bits.astype(bool), confidence


@cache
def _function_mask(size: int) -> np.ndarray:
    """Modules whose colour the standard fixes (finders, separators, timing, alignment, dark module)."""
    ones = _restore_function_patterns(np.ones((size, size), bool))
    zeros = _restore_function_patterns(np.zeros((size, size), bool))
    return ones == zeros


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
