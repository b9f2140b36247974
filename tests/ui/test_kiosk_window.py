"""The kiosk driven by touches: a number appears only when it is saved and printed; refusals are plain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from motcua.config import Settings
from motcua.devices.printer import FakePrinter, decode_raster
from motcua.domain.queue import TicketState
from motcua.i18n import tr
from motcua.services.queue.devices import make_kiosk_service
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def kiosk(qtbot, queue_service, printer):
    service, demo = make_kiosk_service(queue_service, Settings(), printer)
    w = KioskWindow(queue_service, service, demo, poll_ms=200)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: "HT" in w.start_page.buttons, timeout=5000)
    yield w
    w.link.close()
    wait_for_ops()


def test_citizen_takes_a_number_and_sees_the_saved_ticket(qtbot, kiosk, queue_service, printer, shot) -> None:
    queue_service.issue_ticket("HT")  # someone is already waiting
    qtbot.waitUntil(lambda: "1 người" in kiosk.start_page.buttons["HT"].detail.text(), timeout=5000)
    shot(kiosk, "kiosk-start")
    qtbot.mouseClick(kiosk.start_page.buttons["HT"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.result_page, timeout=5000)
    shown = kiosk.result_page.number.text()
    saved = queue_service.ticket(kiosk.last_issued.ticket.id)
    assert shown == saved.display == "A002"
    assert saved.state is TicketState.WAITING
    assert kiosk.result_page.ahead.text() == "Trước bạn còn 1 người"
    assert "phút" in kiosk.result_page.wait.text()
    assert len(printer.jobs) == 1
    assert decode_raster(printer.jobs[0][1])  # real ESC/POS raster bytes went to the printer
    shot(kiosk, "kiosk-result")
    kiosk.result_page.done.emit()
    assert kiosk.current_page() is kiosk.start_page


def test_priority_needs_a_group_and_issues_a_priority_ticket(qtbot, kiosk, queue_service) -> None:
    page = kiosk.start_page
    assert list(page.group_buttons) == ["elderly", "disabled", "pregnant", "war_invalid"]
    qtbot.mouseClick(page.priority, Qt.MouseButton.LeftButton)
    assert page.groups_box.isVisible()
    shot_page = page.buttons["DD"]
    qtbot.mouseClick(shot_page, Qt.MouseButton.LeftButton)
    assert page.hint.isVisible() and kiosk.current_page() is page  # no group chosen: nothing issued
    qtbot.mouseClick(page.group_buttons["elderly"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.buttons["DD"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.result_page, timeout=5000)
    assert kiosk.last_issued.ticket.priority_group == "elderly"
    assert kiosk.result_page.priority.isVisible()


def test_out_of_paper_is_refused_clearly_and_no_number_is_shown(qtbot, kiosk, queue_service, printer, shot) -> None:
    printer.out_of_paper = True
    qtbot.mouseClick(kiosk.start_page.buttons["HT"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.error_page, timeout=5000)
    assert kiosk.error_page.title.text() == "Không in được phiếu"
    assert "hết giấy" in kiosk.error_page.detail.text()
    assert "Chưa cấp số" in kiosk.error_page.consequence.text()
    assert kiosk.last_issued is None and kiosk.result_page.number.text() == ""
    # The ticket the centre saved was withdrawn: nobody will be called for it.
    assert [e.kind for e in queue_service.events(0, kinds=("issued", "cancelled"))] == ["issued", "cancelled"]
    assert queue_service.call_next(1) is None
    shot(kiosk, "kiosk-out-of-paper")


def test_closed_service_is_disabled_and_refused(qtbot, kiosk, clock) -> None:
    assert kiosk.start_page.buttons["KH"].isEnabled()  # Monday 9:30
    clock.set("2026-11-22T09:30")  # a Sunday
    kiosk._gate.request()
    qtbot.waitUntil(lambda: not kiosk.start_page.buttons["KH"].isEnabled(), timeout=5000)
    assert kiosk.start_page.buttons["KH"].detail.text() == "Ngoài giờ tiếp nhận"
    kiosk.take_number("KH", None)  # a stale screen: the centre still refuses
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.error_page, timeout=5000)
    assert kiosk.error_page.title.text() == "Dịch vụ này đang ngoài giờ tiếp nhận"
    assert kiosk.last_issued is None


def test_language_switch_and_back_for_the_next_citizen(qtbot, kiosk, shot) -> None:
    kiosk.start_page.lang_button.click()
    assert kiosk.start_page.lang_button.text() == "Tiếng Việt"
    assert kiosk.start_page.priority.text().startswith("Priority")
    english_name = tr("Hộ tịch, chứng thực", lang="en")  # configured names go through the catalog too
    assert english_name != "Hộ tịch, chứng thực"
    qtbot.waitUntil(lambda: kiosk.start_page.buttons["HT"].text() == english_name, timeout=5000)
    shot(kiosk, "kiosk-english")
    kiosk.start_page.buttons["HT"].click()
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.result_page, timeout=5000)
    assert kiosk.result_page.ahead.text() == "You are next"
    kiosk.back_to_start()
    assert kiosk.start_page.lang_button.text() == "English"


def test_demo_mode_says_there_is_no_printer(qtbot, queue_service) -> None:
    service, demo = make_kiosk_service(queue_service, Settings())
    assert demo
    w = KioskWindow(queue_service, service, demo)
    qtbot.addWidget(w)
    assert "không có máy in" in w.start_page.findChild(type(w.start_page.hint), "banner").text()
    w.take_number("HT", None)
    qtbot.waitUntil(lambda: w.current_page() is w.result_page, timeout=5000)
    assert "ghi nhớ số" in w.result_page.take.text()
    w.link.close()
    wait_for_ops()
