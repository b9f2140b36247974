"""When Python's cycle collector runs: on a thread of our choosing, and a full collection not too often.

The app switches automatic collection off and calls :func:`collect_due` on its GUI thread (motcua.ui.gc_guard):
a worker thread freeing a window left in a cycle crashed the process. A command that builds one large report
(``motcua report``, the report benchmark) does the same around its work with :func:`collected_after`.

A full collection walks every live object: with a year of report facts in memory that is a third of a second, so
one is made at most every :data:`FULL_EVERY_S` (the interpreter's own collector has a like rule, by the share of
objects new since the last one); the young generations, cheap, are collected whenever due.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

FULL_EVERY_S = 30.0
_last_full = 0.0


def collect_due(now: float | None = None) -> int | None:
    """Collect the oldest generation whose allocation count passed its threshold, as the automatic collector would
    (a full one only once per :data:`FULL_EVERY_S`, a middle one instead).

    Returns:
        the generation collected, or None when none was due.
    """
    global _last_full
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [g for g in range(3) if thresholds[g] and counts[g] > thresholds[g]]
    if not due:
        return None
    generation = due[-1]
    now = time.monotonic() if now is None else now
    if generation == 2:
        if now - _last_full < FULL_EVERY_S:
            generation = 1
        else:
            _last_full = now
    gc.collect(generation)
    return generation


@contextmanager
def collected_after() -> Iterator[None]:
    """No automatic collection inside the block; what fell due is collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        collect_due()
