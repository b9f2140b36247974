"""The board says what is true now: a citizen marked absent or a paused counter is no longer invited, a recall is one
line, and nothing personal (names, ID numbers, phones) ever reaches the TV, even for tickets linked to dossiers."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

import test_display_window as display
from PySide6.QtWidgets import QLabel, QWidget

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.queue_codec import to_json
from motcua.services.announcer import FakeAnnouncer
from motcua.services.queue.service import QueueService
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.ui.display.window import DisplayWindow

IDLE = "Xin mời quý vị chờ đến lượt"
QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


def _open(qtbot, api: QueueService) -> DisplayWindow:
    return display._open(qtbot, api, FakeAnnouncer(), poll_ms=100)


_close = display._close


def _calls(w: DisplayWindow) -> list[str]:
    return [row.text() for row in w.call_rows if row.text()]


def test_after_a_no_show_the_banner_stops_inviting_that_number(qtbot, queue_service: QueueService) -> None:
    queue_service.issue_ticket("DD")
    queue_service.issue_ticket("HT")
    w = _open(qtbot, queue_service)
    try:
        waiting = queue_service.call_next(2)
        absent = queue_service.call_next(1)
        assert waiting is not None and absent is not None
        qtbot.waitUntil(lambda: w.banner.text() == "Mời công dân số A001 đến quầy số 1", timeout=5000)
        queue_service.no_show(1, absent.id)
        # The citizen still called at counter 2 is invited again; A001 no longer is.
        qtbot.waitUntil(lambda: w.tiles[1].number.text() == "—", timeout=5000)
        assert w.banner.text() == "Mời công dân số B001 đến quầy số 2"
        assert 1 not in w._flash_until and not w.tiles[1].flash_on  # its tile stopped flashing too
        queue_service.start(2, waiting.id)
        qtbot.waitUntil(lambda: w.tiles[2].state.text() == "Đang phục vụ", timeout=5000)
        assert w.banner.text() == IDLE  # nobody is called any more: the banner asks people to wait…
        assert w._banner_until == 0.0 and not w._flash_until  # …without flashing
    finally:
        _close(w)


def test_a_recall_is_listed_once_at_the_top(qtbot, queue_service: QueueService) -> None:
    queue_service.issue_ticket("HT")
    queue_service.issue_ticket("DD")
    w = _open(qtbot, queue_service)
    try:
        first = queue_service.call_next(1)
        assert first is not None
        queue_service.call_next(2)
        qtbot.waitUntil(lambda: len(_calls(w)) == 2, timeout=5000)
        queue_service.recall(1, first.id)
        queue_service.recall(1, first.id)
        qtbot.waitUntil(lambda: _calls(w)[0].startswith("A001"), timeout=5000)
        assert _calls(w) == ["A001  ➜  Quầy 1", "B001  ➜  Quầy 2"]
        board = queue_service.board(8)  # what an HTTP display gets too
        assert [e.display for e in board.last_calls] == ["A001", "B001"]
    finally:
        _close(w)


def test_a_paused_counter_shows_no_call(qtbot, queue_service: QueueService) -> None:
    queue_service.issue_ticket("HT")
    w = _open(qtbot, queue_service)
    try:
        queue_service.call_next(1)
        qtbot.waitUntil(lambda: w.tiles[1].number.text() == "A001", timeout=5000)
        queue_service.pause(1)  # the clerk left with A001 still called
        qtbot.waitUntil(lambda: w.tiles[1].state.text() == "Tạm dừng", timeout=5000)
        assert w.tiles[1].number.text() == "—"
        assert w.banner.text() == IDLE
        queue_service.resume(1)
        qtbot.waitUntil(lambda: w.tiles[1].number.text() == "A001", timeout=5000)
        assert w.banner.text() == "Mời công dân số A001 đến quầy số 1"
    finally:
        _close(w)


def _everything_shown(window: QWidget) -> str:
    """Every text the window can show or say: labels, titles, tooltips, accessible names."""
    parts = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        parts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(), widget.statusTip()]
        if isinstance(widget, QLabel):
            parts.append(widget.text())
    return "\n".join(parts)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def test_no_personal_data_on_the_board_even_for_tickets_linked_to_dossiers(
    qtbot, ctx, queue_service: QueueService
) -> None:
    reception = ReceptionService(ctx)  # type: ignore[arg-type]
    procedure = reception.procedure("1.001193")
    components = tuple(ReceivedComponent(c.code, c.name, 1) for c in procedure.components)
    first = parse_cccd(QR).to_applicant()
    second = replace(first, name="Lê Thị Hồng Nhung", id_number="", old_id_number="", phone="0912345678")
    dossiers = [reception.receive(ReceiveRequest("1.001193", a, components)) for a in (first, second)]
    queue_service.issue_ticket("HT")
    queue_service.issue_ticket("DD")
    for counter, dossier in zip((1, 2), dossiers, strict=True):
        ticket = queue_service.call_next(counter)
        assert ticket is not None
        queue_service.link_dossier(counter, ticket.id, dossier.code)
        if counter == 1:
            queue_service.start(counter, ticket.id)
    secrets = [first.name, first.id_number, first.old_id_number, second.name, second.phone]
    assert all(secrets)
    w = _open(qtbot, queue_service)
    try:
        qtbot.waitUntil(lambda: w.tiles[2].number.text() == "B001", timeout=5000)
        assert w.tiles[1].number.text() == "A001"
        shown = _fold(_everything_shown(w))
        assert "a001" in shown and "b001" in shown  # the board does show the linked tickets…
        assert [s for s in secrets if _fold(s) in shown] == []  # …and nobody's name, ID number or phone
        # Nor does anything a display receives from the centre carry them, whatever field a change might add.
        payload = [to_json(queue_service.board(100)), to_json(queue_service.events(0))]
        sent = _fold(json.dumps(payload, ensure_ascii=False))
        assert [s for s in secrets if _fold(s) in sent] == []
    finally:
        _close(w)


def test_many_recalls_do_not_push_other_numbers_off_the_board(queue_service: QueueService) -> None:
    for service in ("HT", "DD", "HT", "DD"):
        queue_service.issue_ticket(service)
    first = queue_service.call_next(1)
    assert first is not None
    called = [queue_service.call_next(2), queue_service.call_next(3)]
    assert all(called)
    for _ in range(20):  # a citizen who does not come: the clerk calls again and again
        queue_service.recall(1, first.id)
    assert [e.display for e in queue_service.board(3).last_calls] == ["A001", "A002", "B001"]


class _CallsRightAfterTheBoard:
    """The queue, with a counter calling just after the board has been read (the race a busy centre hits)."""

    def __init__(self, real: QueueService) -> None:
        self.real = real
        self.armed = False

    def board(self, last_calls: int = 10):  # type: ignore[no-untyped-def]
        b = self.real.board(last_calls)
        if self.armed:
            self.armed = False
            self.real.call_next(1)
        return b

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.real, name)


def test_a_call_made_while_the_board_reads_still_flashes(qtbot, queue_service: QueueService) -> None:
    queue_service.issue_ticket("HT")
    api = _CallsRightAfterTheBoard(queue_service)
    w = display._open(qtbot, api, FakeAnnouncer(), poll_ms=100)
    try:
        api.armed = True
        queue_service.issue_ticket("HT")  # a change: the board is read again, and the call lands right after
        qtbot.waitUntil(lambda: not api.armed, timeout=5000)
        qtbot.waitUntil(lambda: w.tiles[1].number.text() == "A001", timeout=5000)
        qtbot.waitUntil(lambda: len(w.announced) == 1, timeout=5000)
        assert w._flash_timer.isActive() and w._flash_until.get(1, 0) > 0
    finally:
        _close(w)
