"""Decoding a live camera stream within a per-frame time budget.

The recovery stages read codes the fast pass misses (tilted, blurred, low-contrast), but a full run of them takes
half a second or more on a full HD frame: run on every frame, they would hold the camera loop at two frames a
second. Here every frame gets the fast pass, and the recovery stages get what is left of the frame's budget; a run
that does not finish is resumed on the next frame, on the frame it started with. A citizen holds the card up for
seconds, so a read from a frame a few hundred milliseconds old is as good as a fresh one, and a hard code is still
read within a second or two while the camera loop keeps its pace.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np

from motcua.devices.barcode._decode import Symbol, Tally, fast_pass, recovery, to_gray

# Per frame, fast pass included. One recovery step may overrun it (the slowest take 20-40 ms on a full HD
# frame), so it is about half of the 66 ms a 15 frames/s loop has.
LIVE_BUDGET_MS = 30.0
_MAX_STARVED = 3


class LiveDecoder:
    """Decodes successive frames of one camera; not thread-safe (one decoding thread owns it).

    Args:
        budget_ms: the time one ``decode`` call aims to stay within.
        clock: seconds, monotonic (tests pass a fake one).
    """

    def __init__(self, budget_ms: float = LIVE_BUDGET_MS, clock: Callable[[], float] = time.perf_counter) -> None:
        self.budget_ms = budget_ms
        self._clock = clock
        self._pending: Iterator[None] | None = None
        self._tally = Tally()
        self.recovery_runs = 0  # recovery runs completed or cut short by a read (for the benchmark)
        self._starved = 0  # frames in a row on which the recovery made no step

    def decode(self, frame: np.ndarray) -> list[Symbol]:
        """The codes read from this frame, or from the earlier frame a resumed recovery run works on."""
        started = self._clock()
        gray = to_gray(frame)
        if gray is None:
            return []
        # Cards and labels at a counter are dark on light: the light-on-dark search is left to still images.
        found = fast_pass(gray, invert=False)
        if found:
            self._pending = None  # what is in view now is read: the older frame no longer matters
            return found
        if self._pending is None:
            # The run keeps this frame for later calls; the caller may reuse the buffer of a grey frame.
            kept = gray.copy() if np.shares_memory(gray, frame) else gray
            self._tally = Tally()
            self._pending = recovery(kept, self._tally)
        # A frame so large that the fast pass alone eats the budget still moves the recovery on now and then.
        forced = self._starved >= _MAX_STARVED
        self._starved += 1
        while forced or (self._clock() - started) * 1000.0 < self.budget_ms:
            forced, self._starved = False, 0
            if next(self._pending, _DONE) is _DONE:
                self._finish()
                return []
            accepted = self._tally.accepted()
            if accepted:
                self._finish()
                return accepted
        return []

    def _finish(self) -> None:
        self._pending = None
        self.recovery_runs += 1


_DONE = object()
