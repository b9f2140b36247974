"""The live view's outline: found in a small copy of the frame, in the frame's own pixels, followed as the page
slides across the desk (a page partly outside the frame too, by its sides in view), searched again once lost;
the captured frame's outline sharpened at full resolution.
(Speed is the benchmark's business: ``motcua bench scan-detect``.)"""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest

from motcua.bench.desk_scenes import scene
from motcua.documents.scan import jaccard_in_page_frame, live
from motcua.documents.scan.framing import FoundPage
from motcua.documents.scan.live import LiveTracker, sharpen


@pytest.mark.parametrize("cls", ["dark", "white"])
def test_the_tracker_follows_a_page_sliding_across_the_desk(cls: str) -> None:
    frames = [scene(cls, 5001, shift=(8.0 * i, -4.0 * i)) for i in range(8)]
    tracker = LiveTracker()

    found = [tracker.update(f.frame) for f in frames]

    assert all(f is not None for f in found)
    scores = [jaccard_in_page_frame(f.corners, g.corners) for f, g in zip(frames, found, strict=True) if g]
    assert min(scores) > 0.97
    assert tracker.redetections == 1  # searched once, then followed


def test_the_tracker_searches_again_after_losing_the_page() -> None:
    page = scene("dark", 5002)
    empty = np.full_like(page.frame, 70)
    moved = scene("dark", 5002, shift=(-150.0, 0.0))  # too far for following: found by a new search
    tracker = LiveTracker()

    first, lost, again = tracker.update(page.frame), tracker.update(empty), tracker.update(moved.frame)

    assert first is not None and lost is None and again is not None
    assert jaccard_in_page_frame(moved.corners, again.corners) > 0.97
    assert tracker.redetections == 3


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_live_outline_is_in_the_full_frame_pixels(size: tuple[int, int]) -> None:
    item = scene("white", 5003, size=size)
    tracker = LiveTracker(long_side=480)

    found = tracker.update(item.frame)

    assert found is not None
    # The small copy is a quarter (1920) or three eighths (1280) of the frame: a pixel there is 2.7–4 here.
    assert np.linalg.norm(np.asarray(found.corners) - item.corners, axis=1).max() < 8.0


def test_the_captured_outline_is_sharpened_at_full_resolution() -> None:
    item = scene("light_grey", 5004)
    rough = tuple((x + 3.0, y - 3.0) for x, y in item.corners)

    sharp = sharpen(item.frame, rough)  # type: ignore[arg-type]

    assert np.linalg.norm(np.asarray(sharp) - item.corners, axis=1).max() < 2.0
    assert sharp != rough


def test_a_scaled_frame_scales_the_outline() -> None:
    item = scene("pale_yellow", 5005)
    big = cv2.resize(item.frame, (1920, 1080), interpolation=cv2.INTER_CUBIC)

    small, large = LiveTracker().update(item.frame), LiveTracker().update(big)

    assert small is not None and large is not None
    assert np.abs(np.asarray(large.corners) / 1.5 - np.asarray(small.corners)).max() < 3.0


@pytest.mark.parametrize(("cls", "seed"), [("out25", 1000), ("out10", 1004), ("out10", 1005)])
def test_a_cut_page_is_followed_without_a_fresh_search(cls: str, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = [scene(cls, seed, shift=(3.0 * i, 1.5 * i)) for i in range(6)]
    searches = []
    search = live.locate_page

    def counted(image: np.ndarray, long_side: int) -> FoundPage | None:
        searches.append(image.shape)
        return search(image, long_side)

    monkeypatch.setattr(live, "locate_page", counted)
    tracker = LiveTracker()

    found = [tracker.update(f.frame) for f in frames]

    assert all(f is not None and f.cut for f in found)
    assert len(searches) == 1 and tracker.redetections == 1  # searched once, then followed by its sides in view
    scores = [jaccard_in_page_frame(f.corners, g.corners) for f, g in zip(frames, found, strict=True) if g]
    assert min(scores) > 0.9
    # It moves with the page: no jumps between frames beyond the page's own 3.4 px.
    corners = [np.asarray(f.corners) for f in found if f is not None]
    steps = [np.abs(b - a).max() for a, b in itertools.pairwise(corners)]
    assert max(steps) < 8.0


def test_a_cut_page_that_leaves_the_view_is_searched_again() -> None:
    page = scene("out10", 1004)
    empty = np.full_like(page.frame, 70)
    tracker = LiveTracker()

    first, lost = tracker.update(page.frame), tracker.update(empty)

    assert first is not None and first.cut and lost is None
    assert tracker.redetections == 2
