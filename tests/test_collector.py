"""The cycle collector's policy: what is due, collected; a full collection at most every FULL_EVERY_S."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from motcua import collector


@pytest.fixture
def eager() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(1, 1, 1)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _make_everything_due() -> list[list[int]]:
    gc.collect(1)
    gc.collect(1)  # two middle collections since the last full one
    gc.collect(0)
    gc.collect(0)  # two young ones since the last middle one
    keep: list[list[int]] = [[] for _ in range(100)]  # young containers, alive until the collection
    counts = gc.get_count()
    assert min(counts) > 1, counts
    return keep


def test_a_full_collection_at_most_every_thirty_seconds(eager, monkeypatch) -> None:
    monkeypatch.setattr(collector, "_last_full", 0.0)
    keep = _make_everything_due()
    assert collector.collect_due(now=1000.0) == 2
    keep = _make_everything_due()
    assert collector.collect_due(now=1000.0 + collector.FULL_EVERY_S - 1) == 1  # too soon: the middle one
    keep = _make_everything_due()
    assert keep and collector.collect_due(now=1000.0 + collector.FULL_EVERY_S + 1) == 2


def test_nothing_is_collected_below_the_thresholds() -> None:
    gc.collect()
    assert collector.collect_due() is None


def test_inside_the_block_nothing_is_collected_automatically() -> None:
    gc.enable()
    try:
        with collector.collected_after():
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.disable()  # as the test session runs (tests/conftest.py)
