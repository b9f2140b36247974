"""Devices' health end to end in one process: the kiosk, the board and the rating pad report through their windows'
heartbeat, and the supervisor's dashboard lists them: a kiosk out of paper says "Hết giấy" in red, a device not
heard from is marked silent, a centre that cannot give the list is said."""

from __future__ import annotations

from datetime import timedelta

import pytest
import test_supervisor_window as sup
from PySide6.QtGui import QColor

from motcua.config import Settings
from motcua.devices.printer import FakePrinter
from motcua.domain.device_health import DeviceRole, PaperState
from motcua.domain.errors import MotcuaError
from motcua.services.queue.devices import make_kiosk_service
from motcua.ui.display.window import DisplayWindow
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops
from motcua.ui.rating.window import RatingWindow
from motcua.ui.supervisor.look import AMBER, RED

makers = sup.makers
fake_queue = sup.fake_queue


class Silent:
    def play(self, *_args: object) -> None:
        pass


def cell(table, device: str, column: int):  # type: ignore[no-untyped-def]
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == device)
    return table.item(row, column)


def test_a_kiosk_out_of_paper_shows_on_the_supervisors_dashboard(qtbot, ctx, clock, queue_service, makers, tmp_path):
    printer = FakePrinter(out_of_paper=True)
    service, demo = make_kiosk_service(queue_service, Settings(), printer)
    kiosk = KioskWindow(queue_service, service, demo, poll_ms=200)
    qtbot.addWidget(kiosk)
    board = DisplayWindow(queue_service, announcer=None, poll_ms=200, device="D-Q01")
    qtbot.addWidget(board)
    pad = RatingWindow(queue_service, 1, poll_ms=200)
    qtbot.addWidget(pad)
    try:
        qtbot.waitUntil(lambda: len(queue_service.device_health()) == 3, timeout=5000)
        w = sup.open_window(qtbot, ctx, queue_service, makers, tmp_path / "reports")
        table = w.dashboard.devices.table
        qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=5000)
        paper = cell(table, "K-Q01", 3)
        assert paper.text() == "Hết giấy"
        assert paper.foreground().color() == QColor(RED)
        assert cell(table, "K-Q01", 1).text() == "Ki-ốt"
        assert cell(table, "K-Q01", 2).text() == "vừa xong"
        assert cell(table, "D-Q01", 3).text() == "—"  # a board has no printer
        assert cell(table, "rating-1", 1).text() == "Đánh giá · quầy 1"
        assert table.item(0, 0).text() == "K-Q01"  # what needs someone first
        side = w.dashboard.side
        assert side.tabText(side.indexOf(w.dashboard.devices)) == "Thiết bị (1 cần xem)"

        # Paper is put in and running low; the kiosk's next beat says so, the dashboard's next read shows it.
        printer.out_of_paper, printer.paper_low = False, True
        kiosk.health.report()
        qtbot.waitUntil(
            lambda: {d.device: d.printer for d in queue_service.device_health()}["K-Q01"] is PaperState.LOW,
            timeout=5000,
        )
        w.refresh()
        qtbot.waitUntil(lambda: cell(table, "K-Q01", 3).text() == "Sắp hết giấy", timeout=5000)
        assert cell(table, "K-Q01", 3).foreground().color() == QColor(AMBER)
        assert side.tabText(side.indexOf(w.dashboard.devices)) == "Thiết bị"

        # The board is switched off: its beats stop; four minutes later it is silent, the others reported.
        board.close()
        clock.now += timedelta(minutes=4)
        kiosk.health.report()
        pad.health.report()
        qtbot.waitUntil(lambda: sum(d.silent for d in queue_service.device_health()) == 1, timeout=5000)
        w.refresh()
        qtbot.waitUntil(lambda: cell(table, "D-Q01", 2).text() == "\u26a0 4 phút trước", timeout=5000)
        assert cell(table, "D-Q01", 0).foreground().color() == QColor(RED)
        assert table.item(0, 0).text() == "D-Q01"
        assert side.tabText(side.indexOf(w.dashboard.devices)) == "Thiết bị (1 cần xem)"
        w.live.close()
    finally:
        for window in (kiosk, board, pad):
            window.link.close()
            window.health.stop()
        wait_for_ops()


def test_a_beat_that_cannot_reach_the_centre_is_dropped_quietly(qtbot, queue_service, monkeypatch) -> None:
    pad = RatingWindow(queue_service, 2, poll_ms=200, device="R-Q02")
    qtbot.addWidget(pad)
    qtbot.waitUntil(lambda: len(queue_service.device_health()) == 1, timeout=5000)
    calls: list[DeviceRole] = []

    def down(role: DeviceRole, *_args: object, **_kw: object) -> None:
        calls.append(role)
        raise MotcuaError("Không kết nối được máy chủ trung tâm")

    monkeypatch.setattr(queue_service, "report_health", down)
    pad.health.report()
    qtbot.waitUntil(lambda: calls == [DeviceRole.RATING] and not pad.health._busy, timeout=5000)
    pad.health.report()  # the next beat is sent again
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert pad.health.timer.isActive()
    pad.close()  # a closed window is no device at work: its beats stop (they kept the worker pool busy)
    assert not pad.health.timer.isActive()
    pad.link.close()
    wait_for_ops()


@pytest.mark.parametrize("fails", [False, True])
def test_the_dashboard_marks_a_silent_board_or_says_the_list_is_missing(window, fake_queue, qtbot, fails) -> None:
    d = window.dashboard
    if fails:

        def refused(*_args: object) -> list[object]:
            raise MotcuaError("Máy chủ trung tâm từ chối yêu cầu (HTTP 404)")

        fake_queue.device_health = refused
        window.refresh()
        qtbot.waitUntil(lambda: not d.devices.note.isHidden(), timeout=5000)
        assert "HTTP 404" in d.devices.note.text()
        assert d.devices.table.rowCount() == 0
        return
    table = d.devices.table
    assert cell(table, "D-Q01", 2).text() == "\u26a0 10 phút trước"  # 09:20, now 09:30: silent
    assert "tắt, treo hoặc mất mạng" in cell(table, "D-Q01", 2).toolTip()
    assert cell(table, "K-Q01", 3).text() == "Hết giấy"
    assert cell(table, "K-Q01", 4).text() == "1.0"
    assert d.side.tabText(d.side.indexOf(d.devices)) == "Thiết bị (2 cần xem)"
    assert d.devices.note.isHidden()


window = sup.window
