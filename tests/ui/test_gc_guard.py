"""The cycle collector runs on the GUI thread only (motcua.ui.gc_guard), whatever the worker threads allocate."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from motcua.collector import collect_due
from motcua.ui.gc_guard import GuiThreadCollector


class _Cycle:
    freed_in: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.freed_in.append(threading.get_ident())


@pytest.fixture
def automatic_gc() -> Iterator[None]:
    """The interpreter's default (the test session runs with it off)."""
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def _allocate_on_a_worker() -> None:
    def churn() -> None:
        keep = [[i] for i in range(200_000)]  # many container objects: the automatic collector would run here
        del keep

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()


def test_a_cycle_is_freed_on_the_gui_thread_not_on_the_worker_that_allocates(qtbot, automatic_gc) -> None:
    thresholds = gc.get_threshold()
    collector = GuiThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        _Cycle.freed_in.clear()
        _Cycle()
        _allocate_on_a_worker()
        assert _Cycle.freed_in == []  # the worker's allocations did not collect it
        gc.set_threshold(1, 1, 1)  # make the next check due at once
        qtbot.waitUntil(lambda: _Cycle.freed_in != [], timeout=2000)
        assert _Cycle.freed_in == [threading.get_ident()]
    finally:
        gc.set_threshold(*thresholds)
        collector.stop()
    assert gc.isenabled()  # handed back as it was


def test_without_the_guard_a_worker_frees_it_which_is_what_crashed(automatic_gc) -> None:
    _Cycle.freed_in.clear()
    _Cycle()
    _allocate_on_a_worker()
    assert _Cycle.freed_in and _Cycle.freed_in[0] != threading.get_ident()


def test_collect_due_collects_nothing_below_the_thresholds() -> None:
    gc.collect()
    assert collect_due() is None
