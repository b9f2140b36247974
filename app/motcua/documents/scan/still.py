"""When to capture on its own: the page has been held still for a moment, and not captured already.

Pure logic on small grey copies of successive frames. After an automatic capture the scene must change (the
clerk turns the page) before another capture can fire, so a page left on the desk is captured once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

_SIDE = 160


def _thumb(frame: np.ndarray) -> np.ndarray:
    gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape[:2]
    scale = _SIDE / max(h, w)
    small = cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small, (3, 3), 0).astype(np.float32)


@dataclass
class StillDetector:
    """Feed every frame to ``update``; it returns True on the frame that should be captured.

    "Still" is a time, not a number of frames: the live view runs at whatever rate the camera and the PC allow
    (5 frames a second on an old PC, 30 on a new one), and the clerk's hand needs the same moment on both.

    Args:
        still_s: how long the page must stay calm before it is taken.
        min_frames: and over at least this many calm frames (one calm pair of frames proves little).
        calm_level: mean absolute grey difference between frames under which a frame is calm.
        motion_level: the difference that counts as the page being moved (re-arms after a capture).
        clock: seconds, monotonic.
    """

    still_s: float = 0.8
    min_frames: int = 3
    calm_level: float = 2.5
    motion_level: float = 8.0
    clock: Callable[[], float] = time.monotonic
    _previous: np.ndarray | None = field(default=None, repr=False)
    _calm: int = 0
    _calm_since: float = 0.0
    _armed: bool = True

    def update(self, frame: np.ndarray, page_found: bool = True) -> bool:
        now = self.clock()
        thumb = _thumb(frame)
        previous, self._previous = self._previous, thumb
        if previous is None or previous.shape != thumb.shape:
            self._calm = 0
            return False
        change = float(np.mean(np.abs(thumb - previous)))
        if change >= self.motion_level:
            self._armed = True
        if change < self.calm_level:
            if self._calm == 0:
                self._calm_since = now
            self._calm += 1
        else:
            self._calm = 0
        still = self._calm >= self.min_frames and now - self._calm_since >= self.still_s
        if self._armed and page_found and still:
            self._armed = False
            self._calm = 0
            return True
        return False

    def rearm(self) -> None:
        """Allow the next still page to be captured even without motion (a manual capture just happened)."""
        self._armed = True
        self._calm = 0

    def disarm(self) -> None:
        """The current page was captured by hand: wait for the next page."""
        self._armed = False
        self._calm = 0
