"""The rating pad driven by touches, on the real queue service: what is saved, what the citizen reads, and that it
fits a 1366x768 screen and a 1024x600 tablet in both languages without ever showing the clerk's name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from test_board_screens import cut_marks, overflowing, ui_font, unreadable  # noqa: F401  (ui_font: a fixture)

from motcua.domain.queue import CentreUnreachableError
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.services.queue.service import QueueService
from motcua.ui.ops import wait_for_ops
from motcua.ui.rating import window as pad_window
from motcua.ui.rating.window import RatingWindow

SHOTS = Path("/tmp/shots_rating")
VERY, BAD = RatingLevel.VERY_SATISFIED, RatingLevel.DISSATISFIED


def serving(q: QueueService, counter: int = 1) -> int:
    q.issue_ticket("HT")
    t = q.call_next(counter)
    assert t is not None
    q.start(counter, t.id)
    return t.id


def open_pad(qtbot, api: QueueService, size: tuple[int, int] = (1366, 768)) -> RatingWindow:
    w = RatingWindow(api, 1, poll_ms=100)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.view is not None, timeout=5000)
    return w


def close_pad(w: RatingWindow) -> None:
    """Stop the pad's refreshes and let its ops end (a late result may ask for one more read) before the test's
    database closes."""
    w.link.close()
    w._return_timer.stop()
    for _ in range(2):
        wait_for_ops()
        QApplication.processEvents()


@pytest.fixture
def pad(qtbot, queue_service: QueueService) -> Iterator[RatingWindow]:
    queue_service.set_clerk(1, "lan.nt")
    w = open_pad(qtbot, queue_service)
    yield w
    close_pad(w)


def ratings(q: QueueService) -> tuple[RatingFact, ...]:
    day = q.clock().date()
    return q.snapshot(day, day).ratings


def touch(qtbot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_touch_rates_the_citizen_served_and_thanks_them(qtbot, pad, queue_service, monkeypatch) -> None:
    monkeypatch.setattr(pad_window, "THANKS_MS", 50)
    tid = serving(queue_service)
    qtbot.waitUntil(lambda: "A001" in pad.choose_page.ticket.text(), timeout=5000)
    touch(qtbot, pad.choose_page.buttons[VERY])
    qtbot.waitUntil(lambda: pad.current_page() is pad.thanks_page, timeout=5000)
    assert [(r.ticket_id, r.level, r.clerk) for r in ratings(queue_service)] == [(tid, VERY, "lan.nt")]
    qtbot.waitUntil(lambda: pad.current_page() is pad.choose_page, timeout=5000)
    qtbot.waitUntil(lambda: "đã được đánh giá" in pad.choose_page.ticket.text(), timeout=5000)


def test_not_satisfied_asks_for_reasons_then_sends_them(qtbot, pad, queue_service) -> None:
    serving(queue_service)
    touch(qtbot, pad.choose_page.buttons[BAD])
    assert pad.current_page() is pad.reasons_page and ratings(queue_service) == ()  # nothing sent yet
    toggles = {t.code: t for t in pad.reasons_page.toggles}
    assert [t.text() for t in toggles.values()] == [
        "Chờ lâu",
        "Thái độ chưa tốt",
        "Hướng dẫn chưa rõ",
        "Giải quyết chậm",
        "Khác",
    ]
    touch(qtbot, toggles["slow"])
    touch(qtbot, toggles["wait"])
    touch(qtbot, pad.reasons_page.send_button)
    qtbot.waitUntil(lambda: pad.current_page() is pad.thanks_page, timeout=5000)
    assert [(r.level, r.reasons) for r in ratings(queue_service)] == [(BAD, ("wait", "slow"))]  # the list's order


def test_going_back_from_the_reasons_sends_nothing(qtbot, pad, queue_service) -> None:
    serving(queue_service)
    touch(qtbot, pad.choose_page.buttons[BAD])
    touch(qtbot, pad.reasons_page.toggles[0])
    touch(qtbot, pad.reasons_page.back_button)
    assert pad.current_page() is pad.choose_page and ratings(queue_service) == ()
    touch(qtbot, pad.choose_page.buttons[BAD])
    assert pad.reasons_page.chosen() == ()  # the next look at the reasons starts clear


def test_nothing_to_rate_and_already_rated_are_said_plainly(qtbot, pad, queue_service) -> None:
    qtbot.waitUntil(lambda: "sau khi được phục vụ" in pad.choose_page.ticket.text(), timeout=5000)
    touch(qtbot, pad.choose_page.buttons[VERY])
    qtbot.waitUntil(lambda: pad.current_page() is pad.error_page, timeout=5000)
    assert pad.error_page.title.text() == "Hiện chưa có lượt phục vụ nào để đánh giá"
    touch(qtbot, pad.error_page.findChild(QPushButton, "backButton"))
    assert pad.current_page() is pad.choose_page
    serving(queue_service)
    queue_service.rate(1, VERY)  # rated meanwhile (another touch, a retry)
    touch(qtbot, pad.choose_page.buttons[VERY])
    qtbot.waitUntil(lambda: pad.current_page() is pad.error_page, timeout=5000)
    assert pad.error_page.title.text() == "Lượt phục vụ này đã được đánh giá"
    assert len(ratings(queue_service)) == 1


def test_an_unreachable_centre_is_a_plain_refusal(qtbot, queue_service, monkeypatch) -> None:
    def down(*_a: object, **_k: object) -> RatingFact:
        raise CentreUnreachableError("connection refused")

    monkeypatch.setattr(queue_service, "rate", down)
    w = open_pad(qtbot, queue_service)
    try:
        touch(qtbot, w.choose_page.buttons[VERY])
        qtbot.waitUntil(lambda: w.current_page() is w.error_page, timeout=5000)
        assert w.error_page.title.text() == "Không kết nối được máy chủ trung tâm"
        assert "chưa được ghi nhận" in w.error_page.detail.text()
    finally:
        close_pad(w)


def test_the_pad_speaks_the_citizens_language_then_vietnamese_again(qtbot, pad, queue_service, monkeypatch) -> None:
    monkeypatch.setattr(pad_window, "THANKS_MS", 50)
    serving(queue_service)
    touch(qtbot, pad.choose_page.lang_button)
    assert pad.lang == "en" and pad.choose_page.lang_button.text() == "Tiếng Việt"
    assert pad.choose_page.counter.text() == "Counter 1"
    touch(qtbot, pad.choose_page.buttons[VERY])
    qtbot.waitUntil(lambda: pad.current_page() is pad.choose_page and pad.lang == "vi", timeout=5000)
    assert pad.choose_page.counter.text() == "Quầy 1"


@pytest.mark.usefixtures("ui_font")  # the app's own font, as `motcua run` installs it
@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_screen_fits_reads_and_never_names_the_clerk(qtbot, queue_service, size, lang) -> None:
    queue_service.set_clerk(1, "lan.nt")
    serving(queue_service)
    w = open_pad(qtbot, queue_service, size)
    try:
        if lang == "en":
            w.switch_language()
        qtbot.waitUntil(lambda: "A001" in w.choose_page.ticket.text(), timeout=5000)
        close_pad(w)  # no refresh from here on: what is measured stays on screen
        w.choose_page.set_offline(True)
        w.reasons_page.toggles[1].setChecked(True)
        w.error_page.show_message("Hiện chưa có lượt phục vụ nào để đánh giá", "Quý khách vui lòng đánh giá khi đang.")
        pages = {"choose": w.choose_page, "reasons": w.reasons_page, "thanks": w.thanks_page, "error": w.error_page}
        for name, page in pages.items():
            w.stack.setCurrentWidget(page)
            qtbot.wait(1)
            SHOTS.mkdir(parents=True, exist_ok=True)
            w.grab().save(str(SHOTS / f"test-{size[0]}x{size[1]}-{lang}-{name}.png"))
            assert (w.width(), w.height()) == size
            assert overflowing(w) == [], name
            assert unreadable(w) == [], name
            assert cut_marks(w) == [], name
            texts = [label.text() for label in page.findChildren(QLabel)] + [w.windowTitle()]
            assert not any("lan.nt" in t for t in texts)
            # A finger, not a mouse: the three choices are whole panels, every other button at least 48 px tall.
            buttons = page.findChildren(QPushButton)
            big = [b for b in buttons if b in w.choose_page.buttons.values()]
            assert all(b.height() >= 250 and b.width() >= 250 for b in big)
            assert all(b.height() >= 48 and b.width() >= 100 for b in buttons), [(b.text(), b.size()) for b in buttons]
    finally:
        close_pad(w)


def test_a_double_touch_on_send_rates_once(qtbot, pad, queue_service) -> None:
    serving(queue_service)
    touch(qtbot, pad.choose_page.buttons[BAD])
    pad.reasons_page.send_button.click()
    pad.reasons_page.send_button.click()  # the page is still there for a moment: the second must be ignored
    qtbot.waitUntil(lambda: pad.current_page() is pad.thanks_page, timeout=5000)
    wait_for_ops()
    qtbot.wait(20)
    assert pad.current_page() is pad.thanks_page and len(ratings(queue_service)) == 1


def test_run_mode_rating_opens_the_pad_of_the_configured_counter(qtbot, ctx, queue_service) -> None:
    from motcua.ui.app import RUN_MODES, open_windows

    assert "rating" in RUN_MODES
    settings = ctx.settings
    (w,) = open_windows(settings, ctx, {"rating"}, queue_service)
    qtbot.addWidget(w)
    try:
        assert isinstance(w, RatingWindow) and w.counter == settings.counter.counter_number
    finally:
        close_pad(w)
