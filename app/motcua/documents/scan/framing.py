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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from motcua.documents.scan.detect import FULL_LONG_SIDE, Corners, detect_page, side_contrasts
from motcua.documents.scan.extrapolate import complete_cut_side
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
    if found is not None:
        if leaves_frame(found, image.shape):
            return FoundPage(found, cut=True)
        if _whole_sheet(image, found, long_side):
            return FoundPage(found, cut=False)
    framed, pad = _desk_framed(image)
    again = detect_page(framed, long_side)
    if again is not None:
        corners: Corners = tuple((x - pad, y - pad) for x, y in again)  # type: ignore[assignment]
        if leaves_frame(corners, image.shape):
            return FoundPage(_whole_page(corners, image.shape), cut=True)
    return None if found is None else FoundPage(found, cut=False)


def _whole_page(corners: Corners, shape: tuple[int, ...]) -> Corners:
    """The outline of the whole page where the part in view ends on the frame's edge (see ``extrapolate``)."""
    completed = complete_cut_side(np.asarray(corners, dtype=np.float64), shape)
    if completed is None:
        return corners
    return tuple((float(x), float(y)) for x, y in completed)  # type: ignore[return-value]
