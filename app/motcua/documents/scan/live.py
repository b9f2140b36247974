"""The page outline on the live view, in real time: found in a small copy of each frame and followed from frame
to frame.

A full search (``locate_page``: candidates from three cues, many snapped and judged) costs far more than one
frame's time. Between frames a page moves a little or not at all, so the last outline is snapped onto the new
frame's page border (one candidate, a few passes) and kept while its sides still look like a sheet's; the full
search runs, in the small copy, only when the page is lost. A page cut off by the frame's edge is followed the
same way by its sides in view (``follow_cut``): the part of each side inside the frame is snapped, and a side
hidden beyond the frame is placed where the paper ends, in the proportions the search found (``extrapolate``).
The outline drawn on the live view needs no more precision than the small copy gives; the captured frame's
outline is sharpened at full resolution (``sharpen``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from motcua.documents.scan import geometry as geo
from motcua.documents.scan import snap
from motcua.documents.scan.detect import (
    CUES,
    FULL_LONG_SIDE,
    Corners,
    as_bgr,
    at_fit_size,
    cue_image,
    plausible_page,
)
from motcua.documents.scan.extrapolate import extend_side, iso_ratio_across
from motcua.documents.scan.framing import FoundPage, leaves_frame, locate_page

# Long side of the copy the live view is searched in: a tenth of the pixels of a 1080p frame, and still about
# two pixels per millimetre of an A4 page lying across the frame's height.
LIVE_LONG_SIDE = 640
# Snapping passes when following the page: the first one's search (24 px at 1600, 10 at 640) is how far a
# side may move between two frames.
_TRACK_STAGES: snap.Stages = snap.COARSE_STAGES + snap.FINE_STAGES[:2]
# A followed outline is kept while its weakest side keeps this share of its strongest side's contrast.
_KEEP_RATIO = 0.3
# A side of a cut page is snapped if this share of it (and at least _MIN_SEEN pixels) lies inside the frame,
# this far from its edge; otherwise it is hidden beyond the frame. One hidden side is placed from the other
# three; a page with two is searched afresh.
_SEEN_SHARE = 0.2
_MIN_SEEN = 16.0
_INSET = 2.0


def _as_corners(quad: np.ndarray) -> Corners:
    return tuple((float(x), float(y)) for x, y in quad)  # type: ignore[return-value]


def follow(cue: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (cue pixels, clockwise) snapped onto the page border near it, or ``None`` if the page is not
    there any more (no border, or borders that no longer look like a sheet's)."""
    snapped = snap.refine(cue, quad, snap.scaled(_TRACK_STAGES, max(cue.shape)))
    if snapped is None or not plausible_page(snapped, cue.shape):
        return None
    contrasts = snap.border_contrasts(cue, snapped)
    if contrasts.mean() < snap.MIN_CONTRAST or contrasts.min() < _KEEP_RATIO * contrasts.max():
        return None
    return snapped


def follow_cut(cue: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (cue pixels, clockwise, running out of the frame) snapped by its sides in view onto the page
    border near them, a side hidden beyond the frame kept at the paper's proportions; ``None`` if the page is
    not there any more, or too little of it is in view to follow.

    A side that only grazes the frame may show too little of the border to snap to (or, placed from the
    paper's proportions, run a little inside the page): when it is the one weak side, it is placed from the
    other three instead."""
    ratios = [iso_ratio_across(quad, side) for side in range(4)]
    followed, weakest = _follow_cut(cue, quad, ratios, None)
    if followed is None and weakest is not None:
        followed, _ = _follow_cut(cue, quad, ratios, weakest)
    return followed


def _follow_cut(
    cue: np.ndarray, quad: np.ndarray, ratios: list[float], hide: int | None
) -> tuple[np.ndarray | None, int | None]:
    """``follow_cut`` with side ``hide`` taken as hidden; when it fails only because one side in view is weak
    (and no side was hidden), that side's index comes second."""
    h, w = cue.shape
    hidden: list[int] = []
    for search, box in snap.scaled(_TRACK_STAGES, max(cue.shape)):
        centre = quad.mean(0)
        lines, hidden = [], []
        for i in range(4):
            p0, p1 = quad[i], quad[(i + 1) % 4]
            seen = None if i == hide else _in_view(p0, p1, w, h)
            if seen is None:
                hidden.append(i)
                lines.append(geo.line_through(p0, p1))  # only its neighbours' corners are used
                continue
            line = snap.fit_side(cue, seen[0], seen[1], snap.outward_normal(p0, p1, centre), search, box)
            if line is None:
                return None, (i if hide is None and _hidden_count(quad, w, h) == 0 else None)
            lines.append(line)
        if len(hidden) > 1:
            return None, None
        moved = geo.quad_from_lines(lines)
        if moved is None or not geo.is_convex(moved):
            return None, None
        moved = geo.clockwise(moved)
        if hidden:
            moved = extend_side(moved, hidden[0], ratios[hidden[0]])
            if moved is None or not geo.is_convex(moved):
                return None, None
        quad = moved
    if not plausible_page(quad, cue.shape):
        return None, None
    contrasts, seen_sides = snap.border_contrasts_seen(cue, quad)
    seen_sides[hidden] = False
    shown = contrasts[seen_sides]
    if shown.size < 2 or shown.mean() < snap.MIN_CONTRAST:
        return None, None
    if shown.min() < _KEEP_RATIO * shown.max():
        weak = int(np.flatnonzero(seen_sides)[np.argmin(shown)])
        return None, (weak if not hidden and shown.size == 4 else None)
    return quad, None


def _hidden_count(quad: np.ndarray, w: int, h: int) -> int:
    return sum(_in_view(quad[i], quad[(i + 1) % 4], w, h) is None for i in range(4))


def _in_view(p0: np.ndarray, p1: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The part of the segment ``p0``–``p1`` inside the frame (``_INSET`` from its edges), if long enough to
    snap (Liang–Barsky clipping)."""
    d = p1 - p0
    lo, hi = 0.0, 1.0
    for q, dq, low, high in ((p0[0], d[0], _INSET, w - 1 - _INSET), (p0[1], d[1], _INSET, h - 1 - _INSET)):
        if abs(dq) < 1e-9:
            if q < low or q > high:
                return None
            continue
        t0, t1 = sorted(((low - q) / dq, (high - q) / dq))
        lo, hi = max(lo, t0), min(hi, t1)
    length = (hi - lo) * float(np.linalg.norm(d))
    if hi <= lo or length < max(_MIN_SEEN, _SEEN_SHARE * float(np.linalg.norm(d))):
        return None
    return p0 + lo * d, p0 + hi * d


@dataclass
class LiveTracker:
    """Feed every live frame to ``update``: the page in it, in that frame's pixels, or ``None``.

    Attributes:
        long_side: the size of the copy searched.
        redetections: how many frames needed the full search (the rest were followed).
    """

    long_side: int = LIVE_LONG_SIDE
    redetections: int = 0
    _quad: np.ndarray | None = field(default=None, repr=False)  # reading order, frame pixels
    _cue: int = 0
    _cut: bool = False

    def update(self, image: np.ndarray) -> FoundPage | None:
        frame = as_bgr(image)
        if frame is None:
            self._quad = None
            return None
        if self._quad is not None:
            small, reduction = at_fit_size(frame, self.long_side)
            cue = cue_image(small, CUES[self._cue])
            quad = (self._quad + 0.5) * reduction - 0.5
            followed = follow_cut(cue, quad) if self._cut else follow(cue, quad)
            if followed is not None:
                self._quad = (followed + 0.5) / reduction - 0.5
                self._cut = leaves_frame(self._quad, frame.shape)
                return FoundPage(_as_corners(self._quad), cut=self._cut)
        return self._search(frame)

    def _search(self, frame: np.ndarray) -> FoundPage | None:
        self.redetections += 1
        found = locate_page(frame, self.long_side)
        self._quad = None
        if found is None:
            return None
        self._quad = np.asarray(found.corners, dtype=np.float64)
        self._cut = found.cut
        small, reduction = at_fit_size(frame, self.long_side)
        self._cue = _cue_of(small, (self._quad + 0.5) * reduction - 0.5)
        return found

    def reset(self) -> None:
        self._quad = None


def _cue_of(small: np.ndarray, quad: np.ndarray) -> int:
    """The cue in which the page's sides (those in view) look most like a sheet's border: the one to follow it
    in."""
    evidence = []
    for cue_of in CUES:
        contrasts, seen = snap.border_contrasts_seen(cue_image(small, cue_of), quad)
        evidence.append(snap.border_evidence(contrasts[seen]) if seen.sum() >= 2 else 0.0)
    return int(np.argmax(evidence))


def sharpen(image: np.ndarray, corners: Corners) -> Corners:
    """The outline found on the live view, fitted again at full resolution for the capture (the same corner
    order); the outline unchanged if the page's border is not found near it, or runs out of the frame."""
    frame = as_bgr(image)
    if frame is None or leaves_frame(corners, image.shape):
        return corners
    big, reduction = at_fit_size(frame, FULL_LONG_SIDE)
    quad = (np.asarray(corners, dtype=np.float64) + 0.5) * reduction - 0.5
    index = _cue_of(big, quad)
    snapped = snap.refine(cue_image(big, CUES[index]), quad, snap.COARSE_STAGES + snap.FINE_STAGES)
    if snapped is None or not plausible_page(snapped, big.shape):
        return corners
    return _as_corners((snapped + 0.5) / reduction - 0.5)
