"""The kiosk's rating step driven by touches, on the real queue service: home → "Đánh giá sự hài lòng" → the number
on the ticket → the three choices → reasons → thanks → home; what the citizen reads when a number is not taken;
the return home after a while without a touch; and that every screen fits a kiosk and a TV in both languages
without ever showing the clerk."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from test_board_screens import cut_marks, overflowing, ui_font, unreadable  # noqa: F401  (ui_font: a fixture)

from motcua.config import Settings
from motcua.devices.printer import FakePrinter
from motcua.domain.errors import NotFoundError
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.services.queue.devices import make_kiosk_service
from motcua.services.queue.service import QueueService
from motcua.ui.kiosk import rating as flow_module
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops

SHOTS = Path("/tmp/shots_kioskrating")
VERY, BAD = RatingLevel.VERY_SATISFIED, RatingLevel.DISSATISFIED


def finished(q: QueueService, counter: int = 1, service: str = "HT") -> int:
    """A ticket served to the end at ``counter``; its id."""
    q.issue_ticket(service)
    t = q.call_next(counter)
    assert t is not None
    q.start(counter, t.id)
    q.finish(counter, t.id)
    return t.id


def open_kiosk(qtbot, api: QueueService, size: tuple[int, int] = (1366, 768)) -> KioskWindow:
    service, demo = make_kiosk_service(api, Settings(), FakePrinter())
    w = KioskWindow(api, service, demo, poll_ms=200)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: "HT" in w.start_page.buttons, timeout=5000)
    return w


def close_kiosk(w: KioskWindow) -> None:
    w.link.close()
    w.rating_flow.stop()
    w._return_timer.stop()
    for _ in range(2):
        wait_for_ops()
        QApplication.processEvents()


@pytest.fixture
def kiosk(qtbot, queue_service: QueueService) -> Iterator[KioskWindow]:
    queue_service.set_clerk(1, "lan.nt")
    w = open_kiosk(qtbot, queue_service)
    yield w
    close_kiosk(w)


def touch(qtbot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_number(qtbot, w: KioskWindow, keys: str) -> None:
    for ch in keys:
        touch(qtbot, w.rating_flow.number_page.keypad.keys[ch])


def open_rating(qtbot, w: KioskWindow) -> None:
    qtbot.waitUntil(lambda: w.start_page.rating_button.isVisible(), timeout=5000)
    touch(qtbot, w.start_page.rating_button)
    assert w.current_page() is w.rating_flow
    assert w.rating_flow.currentWidget() is w.rating_flow.number_page


def ratings(q: QueueService) -> tuple[RatingFact, ...]:
    day = q.clock().date()
    return q.snapshot(day, day).ratings


def texts(page: QWidget) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel)]


def test_a_citizen_rates_their_ticket_not_satisfied_with_reasons(qtbot, kiosk, queue_service, monkeypatch) -> None:
    monkeypatch.setattr(flow_module, "THANKS_MS", 50)
    tid = finished(queue_service)
    queue_service.set_clerk(1, "minh.pv")  # another clerk now: the rating still goes to who served it
    open_rating(qtbot, kiosk)
    flow = kiosk.rating_flow
    # The keypad offers the centre's prefixes (A, B, C) and the digits; nothing else can be typed on it.
    assert sorted(k for k in flow.number_page.keypad.keys if k.isalpha()) == ["A", "B", "C"]
    assert not flow.number_page.next_button.isEnabled()
    type_number(qtbot, kiosk, "A01")
    assert flow.number_page.text() == "A01"
    touch(qtbot, flow.number_page.next_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.choose_page, timeout=5000)
    assert "A001" in flow.choose_page.ticket.text() and "Quầy 1" in flow.choose_page.ticket.text()
    assert not any("lan.nt" in t or "minh.pv" in t for t in texts(flow))
    touch(qtbot, flow.choose_page.buttons[BAD])
    assert flow.currentWidget() is flow.reasons_page
    touch(qtbot, next(t for t in flow.reasons_page.toggles if t.code == "wait"))
    touch(qtbot, flow.reasons_page.send_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.thanks_page, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.start_page, timeout=5000)
    [rating] = ratings(queue_service)
    assert (rating.ticket_id, rating.level, rating.reasons, rating.clerk) == (tid, BAD, ("wait",), "lan.nt")


def test_an_unknown_number_is_said_and_kept_to_be_corrected(qtbot, kiosk, queue_service) -> None:
    finished(queue_service)
    open_rating(qtbot, kiosk)
    page = kiosk.rating_flow.number_page
    type_number(qtbot, kiosk, "A9")
    touch(qtbot, page.next_button)
    qtbot.waitUntil(lambda: "Không tìm thấy số A9" in page.message.text(), timeout=5000)
    assert kiosk.rating_flow.currentWidget() is page and page.text() == "A9"
    touch(qtbot, page.keypad.erase_key)
    type_number(qtbot, kiosk, "1")
    assert page.message.text() == ""  # a new number: the old message goes
    qtbot.keyClick(page, Qt.Key.Key_Return)  # a keyboard works too
    qtbot.waitUntil(lambda: kiosk.rating_flow.currentWidget() is kiosk.rating_flow.choose_page, timeout=5000)


def test_an_already_rated_or_unfinished_ticket_is_said_plainly(qtbot, kiosk, queue_service) -> None:
    finished(queue_service)
    queue_service.rate(1, VERY)  # at the counter's pad, just after
    queue_service.issue_ticket("HT")  # A002, still waiting
    open_rating(qtbot, kiosk)
    page = kiosk.rating_flow.number_page
    type_number(qtbot, kiosk, "A001")
    touch(qtbot, page.next_button)
    qtbot.waitUntil(lambda: "đã được đánh giá" in page.message.text(), timeout=5000)
    assert "Lượt phục vụ số A001" in page.message.text()
    touch(qtbot, page.keypad.clear_key)
    type_number(qtbot, kiosk, "A2")
    touch(qtbot, page.next_button)
    qtbot.waitUntil(lambda: "chưa được phục vụ xong" in page.message.text(), timeout=5000)
    assert len(ratings(queue_service)) == 1


def test_without_a_touch_the_kiosk_goes_home_at_any_step(qtbot, kiosk, queue_service, monkeypatch) -> None:
    monkeypatch.setattr(flow_module, "IDLE_MS", 300)
    finished(queue_service)
    open_rating(qtbot, kiosk)
    type_number(qtbot, kiosk, "B7")
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.start_page, timeout=3000)  # at the number
    open_rating(qtbot, kiosk)
    flow = kiosk.rating_flow
    assert flow.number_page.text() == ""  # the next citizen does not see the last one's number
    type_number(qtbot, kiosk, "A1")
    touch(qtbot, flow.number_page.next_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.choose_page, timeout=5000)
    for _ in range(3):  # touches keep it (here on the page, not on a choice)
        qtbot.wait(150)
        touch(qtbot, flow.choose_page.ticket)
        assert kiosk.current_page() is flow
    touch(qtbot, flow.choose_page.buttons[BAD])
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.start_page, timeout=3000)  # at the reasons
    assert ratings(queue_service) == ()


def test_no_button_when_the_centre_takes_no_rating_at_kiosks(qtbot, queue_service) -> None:
    config = queue_service.config
    queue_service.config = dataclasses.replace(config, rating=dataclasses.replace(config.rating, kiosk=False))
    w = open_kiosk(qtbot, queue_service)
    try:
        assert w.view is not None and not w.view.rating
        assert not w.start_page.rating_button.isVisible()
        w.open_rating()  # (a stale touch) does nothing without the centre's word
        assert w.current_page() is w.start_page
    finally:
        close_kiosk(w)


@pytest.mark.usefixtures("ui_font")  # the app's own font, as `motcua run` installs it
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_step_fits_reads_and_never_names_the_clerk(qtbot, queue_service, size, lang) -> None:
    queue_service.set_clerk(1, "lan.nt")
    finished(queue_service)
    w = open_kiosk(qtbot, queue_service, size)
    try:
        if lang == "en":
            w.switch_language()
        open_rating(qtbot, w)
        flow = w.rating_flow
        type_number(qtbot, w, "A1")
        touch(qtbot, flow.number_page.next_button)
        qtbot.waitUntil(lambda: flow.currentWidget() is flow.choose_page, timeout=5000)
        close_kiosk(w)  # no refresh and no timer from here on: what is measured stays on screen
        flow.reasons_page.toggles[1].setChecked(True)
        # Every page is photographed; the layout checks (slow on a TV's pixels) go over the pages this step added
        # or shows in a new place: the thanks page is the pad's own, and the number without a message is a part of
        # the number with one.
        steps: dict[str, tuple[QWidget, bool]] = {
            "home": (w.start_page, True),
            "number": (flow.number_page, False),
            "number-refused": (flow.number_page, True),
            "choices": (flow.choose_page, True),
            "reasons": (flow.reasons_page, True),
            "thanks": (flow.thanks_page, False),
        }
        for name, (page, check) in steps.items():
            if name == "number-refused":  # the longest message, under the number still typed
                flow.number_page.show_message(flow.why(NotFoundError(""), flow.number_page.text()))
            if page is w.start_page:
                w.stack.setCurrentWidget(page)
            else:
                w.stack.setCurrentWidget(flow)
                flow.setCurrentWidget(page)
            qtbot.wait(1)
            SHOTS.mkdir(parents=True, exist_ok=True)
            w.grab().save(str(SHOTS / f"{size[0]}x{size[1]}-{lang}-{name}.png"))
            assert not any("lan.nt" in t for t in texts(w))
            if not check:
                continue
            assert (w.width(), w.height()) == size
            assert overflowing(w) == [], name
            assert unreadable(w) == [], name
            assert cut_marks(w) == [], name
            # A finger, not a mouse: every button at least 48 px tall and 80 px wide, the choices whole panels.
            buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
            assert all(b.height() >= 48 and b.width() >= 80 for b in buttons), [(b.text(), b.size()) for b in buttons]
            big = [b for b in buttons if b in flow.choose_page.buttons.values()]
            assert all(b.height() >= 250 and b.width() >= 250 for b in big)
    finally:
        close_kiosk(w)
