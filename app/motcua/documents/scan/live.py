"""The page outline on the live view, in real time: found in a small copy of each frame and followed from frame
to frame.

A full search (``locate_page``: candidates from three cues, many snapped and judged) costs far more than one
frame's time. Between frames a page moves a little or not at all, so the last outline is snapped onto the new
frame's page border (one candidate, a few passes) and kept while its sides still look like a sheet's; the full
search runs, in the small copy, only when the page is lost, or cut off by the frame's edge (a side with no
border to snap to). The outline drawn on the live view needs no more precision than the small copy gives; the
captured frame's outline is sharpened at full resolution (``sharpen``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

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
from motcua.documents.scan.framing import FoundPage, leaves_frame, locate_page

# Long side of the copy the live view is searched in: a tenth of the pixels of a 1080p frame, and still about
# two pixels per millimetre of an A4 page lying across the frame's height.
LIVE_LONG_SIDE = 640
# Snapping passes when following the page: the first one's search (24 px at 1600, 10 at 640) is how far a
# side may move between two frames.
_TRACK_STAGES: snap.Stages = snap.COARSE_STAGES + snap.FINE_STAGES[:2]
# A followed outline is kept while its weakest side keeps this share of its strongest side's contrast.
_KEEP_RATIO = 0.3


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

    def update(self, image: np.ndarray) -> FoundPage | None:
        frame = as_bgr(image)
        if frame is None:
            self._quad = None
            return None
        if self._quad is not None:
            small, reduction = at_fit_size(frame, self.long_side)
            followed = follow(cue_image(small, CUES[self._cue]), (self._quad + 0.5) * reduction - 0.5)
            if followed is not None:
                self._quad = (followed + 0.5) / reduction - 0.5
                return FoundPage(_as_corners(self._quad), cut=False)
        return self._search(frame)

    def _search(self, frame: np.ndarray) -> FoundPage | None:
        self.redetections += 1
        found = locate_page(frame, self.long_side)
        self._quad = None
        if found is None or found.cut:
            return found  # a cut page has a side with no border to follow: searched afresh every frame
        self._quad = np.asarray(found.corners, dtype=np.float64)
        small, reduction = at_fit_size(frame, self.long_side)
        self._cue = _cue_of(small, (self._quad + 0.5) * reduction - 0.5)
        return found

    def reset(self) -> None:
        self._quad = None


def _cue_of(small: np.ndarray, quad: np.ndarray) -> int:
    """The cue in which the page's sides look most like a sheet's border: the one to follow it in."""
    evidence = [snap.border_evidence(snap.border_contrasts(cue_image(small, cue_of), quad)) for cue_of in CUES]
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
