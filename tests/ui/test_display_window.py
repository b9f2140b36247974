"""The TV board: a counter's call appears, flashes and is announced; announcements queue and are never cut off."""

from __future__ import annotations

import time

import pytest

from motcua.domain.announcement import announce_call
from motcua.services.announcer import (
    AnnouncementQueue,
    FakeAnnouncer,
    SilentAnnouncer,
    clip_paths,
    duration_s,
    join_wav,
)
from motcua.ui.display.window import DisplayWindow
from motcua.ui.ops import wait_for_ops


class _Subscription:
    def close(self) -> None:
        pass


class PushLost:
    """The queue with a push channel that never says anything: only polling can notice changes."""

    def __init__(self, api: object) -> None:
        self._api = api

    def subscribe(self, on_change: object) -> _Subscription:
        return _Subscription()

    def __getattr__(self, name: str) -> object:
        return getattr(self._api, name)


def _open(qtbot, api, announcer, poll_ms: int = 200) -> DisplayWindow:
    w = DisplayWindow(api, announcer, poll_ms=poll_ms)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.board is not None and len(w.tiles) == 3, timeout=5000)
    return w


def _close(w: DisplayWindow) -> None:
    w.link.close()
    w.announcements.close()
    wait_for_ops()


def names(clips) -> list[str]:
    return [p.stem for p in clips]


def test_a_call_by_a_counter_is_shown_flashed_and_announced(qtbot, queue_service, shot) -> None:
    for service in ("HT", "HT", "DD"):
        queue_service.issue_ticket(service)
    announcer = FakeAnnouncer()
    w = _open(qtbot, queue_service, announcer)
    try:
        assert "TRUNG TÂM" in w.title.text()
        t = queue_service.call_next(1)
        qtbot.waitUntil(lambda: w.tiles[1].number.text() == "A001", timeout=5000)
        assert w.tiles[1].state.text() == "Mời lên quầy"
        assert w.call_rows[0].text().startswith("A001")
        assert w.banner.text() == "Mời công dân số A001 đến quầy số 1"
        # The board and the call event may come in separate updates: the tile then lights up on the next one.
        qtbot.waitUntil(lambda: w.tiles[1].flash_on, timeout=5000)
        qtbot.waitUntil(lambda: len(announcer.played) == 1, timeout=5000)
        assert names(announcer.played[0]) == [
            "moi_cong_dan_so", "letter_a", "digit_0", "digit_0", "digit_1", "den_quay_so", "digit_1"
        ]  # fmt: skip
        queue_service.start(1, t.id)
        queue_service.call_next(2)
        qtbot.waitUntil(lambda: w.tiles[2].number.text() == "B001", timeout=5000)
        assert w.tiles[1].state.text() == "Đang phục vụ"
        qtbot.waitUntil(lambda: w.wait_chips["HT"].text() == "Hộ tịch, chứng thực: 1 người chờ", timeout=5000)
        shot(w, "display-calls")
    finally:
        _close(w)


def test_two_quick_calls_are_announced_in_order_without_cutting(qtbot, queue_service) -> None:
    queue_service.issue_ticket("HT")
    queue_service.issue_ticket("DD")
    announcer = FakeAnnouncer(seconds=0.3)
    w = _open(qtbot, queue_service, announcer)
    try:
        queue_service.call_next(1)
        queue_service.call_next(2)
        qtbot.waitUntil(lambda: len(announcer.played) == 2, timeout=5000)
        assert [names(c)[1:5] for c in announcer.played] == [
            ["letter_a", "digit_0", "digit_0", "digit_1"],
            ["letter_b", "digit_0", "digit_0", "digit_1"],
        ]
        (s1, e1), (s2, _e2) = announcer.spans
        assert e1 - s1 >= 0.3 and s2 >= e1  # the second waited for the first to finish
        assert [e.display for e in w.announced] == ["A001", "B001"]  # each call announced once
    finally:
        _close(w)


def test_polling_updates_the_board_when_the_push_is_lost(qtbot, queue_service) -> None:
    queue_service.issue_ticket("DD")
    announcer = FakeAnnouncer()
    w = _open(qtbot, PushLost(queue_service), announcer, poll_ms=150)
    try:
        queue_service.call_next(2)
        qtbot.waitUntil(lambda: w.tiles[2].number.text() == "B001", timeout=5000)
        qtbot.waitUntil(lambda: len(announcer.played) == 1, timeout=5000)
    finally:
        _close(w)


def test_a_recall_is_announced_again(qtbot, queue_service) -> None:
    queue_service.issue_ticket("HT")
    announcer = FakeAnnouncer()
    w = _open(qtbot, queue_service, announcer)
    try:
        t = queue_service.call_next(1)
        qtbot.waitUntil(lambda: len(announcer.played) == 1, timeout=5000)
        queue_service.recall(1, t.id)
        qtbot.waitUntil(lambda: len(announcer.played) == 2, timeout=5000)
    finally:
        _close(w)


# -- the announcement queue, without Qt and without sound ---------------------------------------------------
def test_queue_plays_one_at_a_time_in_order_and_close_never_cuts_the_current_one() -> None:
    fake = FakeAnnouncer(seconds=0.2)
    q = AnnouncementQueue(fake)
    for number in ("A001", "A002", "A003"):
        q.say(announce_call(number, 1))
    assert q.wait_idle(5)
    assert [names(c)[4] for c in fake.played] == ["digit_1", "digit_2", "digit_3"]
    assert all(b[0] >= a[1] for a, b in zip(fake.spans, fake.spans[1:], strict=False))
    q.say(announce_call("A004", 2))
    deadline = time.monotonic() + 5
    while not q.busy and time.monotonic() < deadline:
        time.sleep(0.01)
    q.say(announce_call("A005", 2))
    q.close()  # the one playing ends; the one waiting is dropped
    assert len(fake.played) == 4 and fake.spans[-1][1] - fake.spans[-1][0] >= 0.2


def test_a_long_backlog_keeps_only_the_latest_calls() -> None:
    fake = FakeAnnouncer(seconds=0.2)
    q = AnnouncementQueue(fake, max_pending=2)
    for n in range(1, 7):
        q.say(announce_call(f"A00{n}", 1))
    assert q.wait_idle(5)
    q.close()
    spoken = [names(c)[4] for c in fake.played]
    assert spoken[-2:] == ["digit_5", "digit_6"] and len(spoken) <= 3


def test_clips_join_into_one_wav_of_the_summed_length() -> None:
    clips = clip_paths(announce_call("A012", 3))
    import io
    import wave

    with wave.open(io.BytesIO(join_wav(clips))) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(duration_s(clips))
    assert isinstance(SilentAnnouncer(), SilentAnnouncer)
