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
    detect_page,
    side_contrasts,
)
from motcua.documents.scan.extrapolate import complete_cut_side, cut_at_edge, iso_mismatch
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


def _whole_sheet(image: np.ndarray, corners: Corners, long_side: int) -> bool:
    contrasts = side_contrasts(image, corners, long_side)
    quad = np.asarray(corners, dtype=np.float32)
    area = abs(float(cv2.contourArea(quad)))
    h, w = image.shape[:2]
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
    found = detect_page(image, long_side)
    raw_cut = found is not None and leaves_frame(found, image.shape)
    if found is not None and not raw_cut and _whole_sheet(image, found, long_side):
        quad = np.asarray(found, dtype=np.float64)
        # A sheet in view is whole unless it is out of the paper's proportions and ends near the frame's edge
        # (on a line of print near the cut).
        if iso_mismatch(quad) <= _ISO_TOLERANCE or not cut_at_edge(quad, image.shape):
            return FoundPage(found, cut=False)
    if found is not None and raw_cut and _sheet_in_view(found):
        return FoundPage(found, cut=True)
    framed, pad = _desk_framed(image)
    again = detect_page(framed, long_side)
    outlines = [found] if found is not None else []
    if again is not None:
        outlines.append(tuple((x - pad, y - pad) for x, y in again))  # type: ignore[arg-type]
    cut = _likeliest_page(image, outlines, long_side)
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
    weak = np.zeros(4, bool)
    frame = as_bgr(image)
    if frame is None:
        return weak
    small, reduction = at_fit_size(frame, long_side)
    quad = (np.asarray(corners, dtype=np.float64).reshape(4, 2) + 0.5) * reduction - 0.5
    for cue_of in CUES:
        contrasts, seen = snap.border_contrasts_seen(cue_image(small, cue_of), quad)
        for i in np.flatnonzero(seen):
            others = contrasts[seen & (np.arange(4) != i)]
            if others.size and others.min() >= snap.MIN_CONTRAST and contrasts[i] < _WEAK_SIDE_RATIO * others.min():
                weak[i] = True
    return weak


def _likeliest_page(image: np.ndarray, outlines: list[Corners], long_side: int) -> Corners | None:
    """The outline of a cut page, completed to the whole page, from the outlines found; ``None`` if none runs
    out of the frame.

    An outline on the frame's edge is completed (``extrapolate``). An outline that runs out of the frame, or
    one inside it out of the paper's proportions, may end on a line of print near the cut (a side that is no
    border, ``weak_sides``): laid on the frame's edge there and completed, it is another candidate (one from
    inside the frame only if its sides in view look at least as much like a border as the outline's own). Of
    the candidates in the paper's proportions, the one whose sides in view look most like a sheet's border
    wins."""
    shape = image.shape
    wholes: list[Corners] = []
    for outline in outlines:
        quad = np.asarray(outline, dtype=np.float64)
        leaves = leaves_frame(outline, shape)
        if leaves:
            wholes.append(_whole_page(outline, shape))
        elif iso_mismatch(quad) <= _ISO_TOLERANCE:
            continue
        least = 0.0 if leaves else seen_evidence(image, outline, long_side)
        for moved in cut_at_edge(quad, shape, weak_sides(image, outline, long_side)):
            whole = _whole_page(_as_corners(moved), shape)
            if seen_evidence(image, whole, long_side) >= least:
                wholes.append(whole)
    if not wholes:
        return None
    fitting = [c for c in wholes if iso_mismatch(np.asarray(c, dtype=np.float64)) <= _ISO_TOLERANCE] or wholes
    return max(fitting, key=lambda c: seen_evidence(image, c, long_side))


def _as_corners(quad: np.ndarray) -> Corners:
    return tuple((float(x), float(y)) for x, y in quad)  # type: ignore[return-value]


def seen_contrasts(image: np.ndarray, corners: Corners | np.ndarray, long_side: int = FULL_LONG_SIDE) -> np.ndarray:
    """``border_contrasts`` of the sides of ``corners`` in view, in the cue where they look most like a sheet's
    border; empty with fewer than two sides in view."""
    frame = as_bgr(image)
    if frame is None:
        return np.zeros(0)
    small, reduction = at_fit_size(frame, long_side)
    quad = (np.asarray(corners, dtype=np.float64).reshape(4, 2) + 0.5) * reduction - 0.5
    best, best_evidence = np.zeros(0), -1.0
    for cue_of in CUES:
        contrasts, seen = snap.border_contrasts_seen(cue_image(small, cue_of), quad)
        if seen.sum() >= 2 and snap.border_evidence(contrasts[seen]) > best_evidence:
            best, best_evidence = contrasts[seen], snap.border_evidence(contrasts[seen])
    return best


def seen_evidence(image: np.ndarray, corners: Corners | np.ndarray, long_side: int = FULL_LONG_SIDE) -> float:
    """How much the sides of ``corners`` in view look like a sheet's border (``border_evidence`` of those sides
    alone); 0 with fewer than two sides in view."""
    contrasts = seen_contrasts(image, corners, long_side)
    return snap.border_evidence(contrasts) if contrasts.size >= 2 else 0.0


def _whole_page(corners: Corners, shape: tuple[int, ...]) -> Corners:
    """The outline of the whole page where the part in view ends on the frame's edge (see ``extrapolate``)."""
    completed = complete_cut_side(np.asarray(corners, dtype=np.float64), shape)
    if completed is None:
        return corners
    return tuple((float(x), float(y)) for x, y in completed)  # type: ignore[return-value]
