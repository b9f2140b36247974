"""Is the whole page in the picture? A page partly outside the camera's frame (one side or a corner cut off) must
be flagged, not captured as if it were whole, nor missed because no four-sided outline fits it.

``detect_page`` alone cannot say so: a page that runs out of the frame has a side with no border to fit, so the
detector either extrapolates its lines (corners outside the frame: easy to tell) or settles on a line printed
inside the page (a table rule, the last line of text) and returns a smaller quad well inside the frame. The
second case is told apart by the quad's sides: the four borders of a real sheet each show paper inside and desk
outside; a printed line has paper again just beyond it, so one side is far weaker than the others. Then the
frame is framed once more by a band of desk colour and searched again: the page's cut side now meets "desk" at
the frame border and the page is found, its outline lying on the frame's edge; that side is then moved out to
where the page must end, from the three sides in view and the paper's proportions (``extrapolate``).

An outline that runs out of the frame may still stop, inside it, at a line of print near the cut: print is as
colourless as paper, so such a side is no border in the colour cue, and the outline is out of the ISO paper
proportions (√2) that a whole A4 or A5 sheet keeps. Such a side is laid on the frame's edge and the page
completed from there; of the candidates in the paper's proportions, the one whose sides in view look most like
a sheet's border is the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from motcua.documents.scan import snap
from motcua.documents.scan.detect import (
    CUES,
    FULL_LONG_SIDE,
    Corners,
    as_bgr,
    at_fit_size,
    cue_image,
    find_quad,
)
from motcua.documents.scan.extrapolate import complete_cut_side, cut_at_edge, iso_mismatch
from motcua.documents.scan.orientation import reading_order
from motcua.i18n import tr

# A corner closer to the frame's edge than this share of the frame's short side touches it (about 5 px at 1200).
_TOUCH_SHARE = 0.004
# A quad whose weakest side has less than this share of its strongest side's contrast is not a whole sheet.
# Sheets seen in the fixtures score 0.39 or more (a white desk under a lamp), lines printed inside a page 0.22
# or less.
_WEAK_SIDE_RATIO = 0.3
# A quad smaller than this share of the frame may be another object on the desk, the page beside it cut off.
_MIN_PAGE_SHARE = 0.1
# Width of the desk-coloured band around the frame, as a share of its long side.
_PAD_SHARE = 0.05
# The search of the frame in its band judges only the candidates that reach this near the frame's edge (a share
# of its long side): the others were judged in the frame alone already.
_NEAR_BAND_SHARE = 0.02
_RING = 3
# An outline whose sides are in a ratio this far (as a log) from √2 is not a whole ISO page. The calibration
# scenes' pages measure 0.095 or less; outlines that stop at a line of print near the cut, 0.107 or more.
_ISO_TOLERANCE = 0.1


def cut_message(sides: Sequence[str] = ()) -> str:
    """What to tell the clerk about a page partly outside the picture: which way to move it, when the sides it
    leaves by say so (``sides`` from :func:`sides_leaving`); a page that leaves by opposite sides is too big for
    the picture, and the camera must see more of the desk."""
    if ("left" in sides and "right" in sides) or ("top" in sides and "bottom" in sides):
        return tr("Trang lớn hơn khung hình: hãy nâng camera lên cao hoặc lùi giấy ra xa")
    ways = [_MOVE[side]() for side in ("left", "right", "top", "bottom") if side in sides]
    if not ways:
        return tr("Trang bị cắt ngoài khung hình, hãy dịch giấy vào giữa")
    return tr("Trang bị cắt ngoài khung hình, hãy dịch giấy {way}", way=tr(" và ").join(ways))


# The picture's sides, and the way the page must move to come back in (as the clerk sees it on the screen).
_MOVE = {
    "left": lambda: tr("sang phải"),
    "right": lambda: tr("sang trái"),
    "top": lambda: tr("xuống dưới"),
    "bottom": lambda: tr("lên trên"),
}


def sides_leaving(corners: Corners | np.ndarray, shape: tuple[int, ...]) -> list[str]:
    """The sides of a frame of ``shape`` ("left", "top", "right", "bottom") the outline touches or crosses."""
    h, w = shape[:2]
    quad = np.asarray(corners, dtype=np.float64).reshape(4, 2)
    margin = max(2.0, _TOUCH_SHARE * min(h, w))
    xs, ys = quad[:, 0], quad[:, 1]
    reached = {
        "left": bool((xs < margin).any()),
        "top": bool((ys < margin).any()),
        "right": bool((xs > w - 1 - margin).any()),
        "bottom": bool((ys > h - 1 - margin).any()),
    }
    return [side for side, hit in reached.items() if hit]


@dataclass(frozen=True)
class FoundPage:
    """A page in a frame.

    Attributes:
        corners: its outline in frame pixels, reading order (TL, TR, BR, BL); when ``cut``, either corners
            extrapolated beyond the frame or the outline of the part in view, lying on the frame's edge.
        cut: part of the page is outside the frame.
    """

    corners: Corners
    cut: bool


def leaves_frame(corners: Corners | np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether the outline touches or crosses the edge of a frame of ``shape`` (a convex quad lies inside a
    rectangle exactly when its four corners do)."""
    return bool(sides_leaving(corners, shape))


class _View:
    """A frame at the size it is searched at, its cue images computed once for every judgement of one search."""

    def __init__(self, frame: np.ndarray, long_side: int) -> None:
        self.frame = frame
        self.shape = frame.shape
        self.small, self.reduction = at_fit_size(frame, long_side)
        self.cues: dict[int, np.ndarray] = {}

    def cue(self, index: int) -> np.ndarray:
        if index not in self.cues:
            self.cues[index] = cue_image(self.small, CUES[index])
        return self.cues[index]

    def quad(self, corners: Corners | np.ndarray) -> np.ndarray:
        """``corners`` (frame pixels) in the small copy's pixels."""
        return (np.asarray(corners, dtype=np.float64).reshape(4, 2) + 0.5) * self.reduction - 0.5

    def corners(self, quad: np.ndarray) -> Corners:
        """``quad`` (small copy's pixels) in frame pixels."""
        return _as_corners((quad + 0.5) / self.reduction - 0.5)


def _view(image: np.ndarray, long_side: int) -> _View | None:
    frame = as_bgr(image)
    return None if frame is None else _View(frame, long_side)


def _detect(view: _View) -> Corners | None:
    """``detect_page`` in the view, its cue images kept."""
    found = find_quad(view.small, cues=view.cues)
    if found is None:
        return None
    return view.corners(reading_order(view.small, found[0]))


def _detect_framed(view: _View) -> Corners | None:
    """The page in the frame inside a band of desk colour (``_desk_framed``), in frame pixels: of the
    candidates that reach near the frame's edge, as those inside it were judged in the frame alone."""
    framed, pad = _desk_framed(view.frame)
    small, reduction = at_fit_size(framed, max(view.small.shape[:2]))
    h, w = view.shape[:2]
    margin = _NEAR_BAND_SHARE * max(h, w)
    low = (np.array([pad + margin, pad + margin]) + 0.5) * reduction - 0.5
    high = (np.array([pad + w - 1 - margin, pad + h - 1 - margin]) + 0.5) * reduction - 0.5

    def near_edge(quad: np.ndarray) -> bool:
        return bool(((quad < low) | (quad > high)).any())

    found = find_quad(small, keep=near_edge)
    if found is None:
        return None
    return _as_corners((reading_order(small, found[0]) + 0.5) / reduction - 0.5 - pad)


def _whole_sheet(view: _View, corners: Corners) -> bool:
    quad = view.quad(corners)
    judged = [snap.border_contrasts(view.cue(index), quad) for index in range(len(CUES))]
    contrasts = max(judged, key=snap.border_evidence)
    area = abs(float(cv2.contourArea(np.asarray(corners, dtype=np.float32))))
    h, w = view.shape[:2]
    return bool(contrasts.min() >= _WEAK_SIDE_RATIO * contrasts.max() and area >= _MIN_PAGE_SHARE * h * w)


def _desk_framed(image: np.ndarray) -> tuple[np.ndarray, int]:
    """The frame inside a band of the colour seen along its edges (mostly desk: the median ignores a page that
    covers less than half of them), so that a page running out of the frame meets desk at its cut side."""
    frame = image[..., :3] if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    pad = round(max(frame.shape[:2]) * _PAD_SHARE)
    ring = np.concatenate(
        [
            frame[:_RING].reshape(-1, 3),
            frame[-_RING:].reshape(-1, 3),
            frame[:, :_RING].reshape(-1, 3),
            frame[:, -_RING:].reshape(-1, 3),
        ]
    )
    colour = [float(c) for c in np.median(ring, axis=0)]
    return cv2.copyMakeBorder(frame, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=colour), pad


def locate_page(image: np.ndarray, long_side: int = FULL_LONG_SIDE) -> FoundPage | None:
    """The page in a camera frame and whether part of it is outside the frame; ``None`` when no page is seen.

    ``long_side``: the size the frame is searched at (see ``detect_page``); corners are in ``image`` pixels."""
    view = _view(image, long_side)
    if view is None:
        return None
    found = _detect(view)
    raw_cut = found is not None and leaves_frame(found, image.shape)
    if found is not None and not raw_cut and _whole_sheet(view, found):
        quad = np.asarray(found, dtype=np.float64)
        # A sheet in view is whole unless it is out of the paper's proportions and ends near the frame's edge
        # or has a side that is no border (on a line of print near the cut, or further in).
        if iso_mismatch(quad) <= _ISO_TOLERANCE or not (
            cut_at_edge(quad, image.shape) or _weak_sides(view, found).any()
        ):
            return FoundPage(found, cut=False)
    if found is not None and raw_cut and _sheet_in_view(found):
        return FoundPage(found, cut=True)
    again = _detect_framed(view)
    outlines = [found] if found is not None else []
    if again is not None:
        outlines.append(again)
    cut = _likeliest_page(view, outlines)
    if cut is not None:
        return FoundPage(cut, cut=True)
    return None if found is None else FoundPage(found, cut=False)


def _sheet_in_view(corners: Corners) -> bool:
    """Whether an outline that runs out of the frame is a whole sheet's: in the paper's proportions. One that
    ends, inside the frame, on a line of print near the cut is cut short, out of them."""
    return iso_mismatch(np.asarray(corners, dtype=np.float64)) <= _ISO_TOLERANCE


def weak_sides(image: np.ndarray, corners: Corners | np.ndarray, long_side: int = FULL_LONG_SIDE) -> np.ndarray:
    """Which sides of ``corners`` in view are no border: in a cue where every other side in view is one (of
    ``MIN_CONTRAST`` or more), a side below ``_WEAK_SIDE_RATIO`` of the weakest of them. Print is as colourless
    as the paper, so a line of print that passes for a border in one cue is none in another."""
    view = _view(image, long_side)
    return np.zeros(4, bool) if view is None else _weak_sides(view, corners)


def _weak_sides(view: _View, corners: Corners | np.ndarray) -> np.ndarray:
    weak = np.zeros(4, bool)
    quad = view.quad(corners)
    for index in range(len(CUES)):
        contrasts, seen = snap.border_contrasts_seen(view.cue(index), quad)
        for i in np.flatnonzero(seen):
            others = contrasts[seen & (np.arange(4) != i)]
            if others.size and others.min() >= snap.MIN_CONTRAST and contrasts[i] < _WEAK_SIDE_RATIO * others.min():
                weak[i] = True
    return weak


def _likeliest_page(view: _View, outlines: list[Corners]) -> Corners | None:
    """The outline of a cut page, completed to the whole page, from the outlines found; ``None`` if none runs
    out of the frame.

    An outline on the frame's edge is completed (``extrapolate``). An outline that runs out of the frame, or
    one inside it out of the paper's proportions, may end on a line of print near the cut (a side that is no
    border, ``weak_sides``): laid on the frame's edge there and completed, it is another candidate (one from
    inside the frame only if its sides in view look at least as much like a border as the outline's own). Of
    the candidates in the paper's proportions, the one whose sides in view look most like a sheet's border
    wins."""
    shape = view.shape
    wholes: list[Corners] = []
    for outline in outlines:
        quad = np.asarray(outline, dtype=np.float64)
        leaves = leaves_frame(outline, shape)
        if leaves:
            wholes.append(_whole_page(outline, shape))
        elif iso_mismatch(quad) <= _ISO_TOLERANCE:
            continue
        least = 0.0 if leaves else _seen_evidence(view, outline)
        for moved in cut_at_edge(quad, shape, _weak_sides(view, outline)):
            whole = _whole_page(_as_corners(moved), shape)
            if _seen_evidence(view, whole) >= least:
                wholes.append(whole)
    if not wholes:
        return None
    fitting = [c for c in wholes if iso_mismatch(np.asarray(c, dtype=np.float64)) <= _ISO_TOLERANCE] or wholes
    return max(fitting, key=lambda c: _seen_evidence(view, c))


def _as_corners(quad: np.ndarray) -> Corners:
    return tuple((float(x), float(y)) for x, y in quad)  # type: ignore[return-value]


def seen_contrasts(image: np.ndarray, corners: Corners | np.ndarray, long_side: int = FULL_LONG_SIDE) -> np.ndarray:
    """``border_contrasts`` of the sides of ``corners`` in view, in the cue where they look most like a sheet's
    border; empty with fewer than two sides in view."""
    view = _view(image, long_side)
    return np.zeros(0) if view is None else _seen_contrasts(view, corners)


def _seen_contrasts(view: _View, corners: Corners | np.ndarray) -> np.ndarray:
    quad = view.quad(corners)
    best, best_evidence = np.zeros(0), -1.0
    for index in range(len(CUES)):
        contrasts, seen = snap.border_contrasts_seen(view.cue(index), quad)
        if seen.sum() >= 2 and snap.border_evidence(contrasts[seen]) > best_evidence:
            best, best_evidence = contrasts[seen], snap.border_evidence(contrasts[seen])
    return best


def seen_evidence(image: np.ndarray, corners: Corners | np.ndarray, long_side: int = FULL_LONG_SIDE) -> float:
    """How much the sides of ``corners`` in view look like a sheet's border (``border_evidence`` of those sides
    alone); 0 with fewer than two sides in view."""
    view = _view(image, long_side)
    return 0.0 if view is None else _seen_evidence(view, corners)


def _seen_evidence(view: _View, corners: Corners | np.ndarray) -> float:
    contrasts = _seen_contrasts(view, corners)
    return snap.border_evidence(contrasts) if contrasts.size >= 2 else 0.0


def _whole_page(corners: Corners, shape: tuple[int, ...]) -> Corners:
    """The outline of the whole page where the part in view ends on the frame's edge (see ``extrapolate``)."""
    completed = complete_cut_side(np.asarray(corners, dtype=np.float64), shape)
    if completed is None:
        return corners
    return tuple((float(x), float(y)) for x, y in completed)  # type: ignore[return-value]
