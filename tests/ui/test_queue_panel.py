"""The counter's queue panel driven by a clerk: call next, start, finish, no-show, transfer, pause, link a dossier."""

from __future__ import annotations

import pytest
import test_counter_window as counter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from motcua.domain.queue import TicketState
from motcua.ui.counter import queue_panel
from motcua.ui.counter.queue_panel import QueuePanel
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops
from motcua.ui.widgets.message_bar import MessageBar

questions = counter.questions  # a fixture: the yes/no questions asked, answered without a modal box


@pytest.fixture
def panel(qtbot, queue_service, questions):
    p = QueuePanel(queue_service, 1, poll_ms=200)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    yield p
    p.link.close()
    wait_for_ops()


def _state(panel: QueuePanel) -> TicketState | None:
    t = panel.current()
    return t.state if t else None


def test_call_next_start_finish_and_nobody_left(qtbot, panel, queue_service) -> None:
    assert not panel.finish_button.isEnabled() and panel.call_next_button.isEnabled()
    queue_service.issue_ticket("HT")
    queue_service.issue_ticket("HT", "elderly")
    qtbot.waitUntil(lambda: "Hộ tịch, chứng thực: 2 người chờ" in panel.waiting.text(), timeout=5000)
    qtbot.mouseClick(panel.call_next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.number.text() == "A002", timeout=5000)  # priority first
    assert panel.priority.text() == "Ưu tiên: Người cao tuổi"
    assert not panel.call_next_button.isEnabled()  # called, not started: start, no-show or transfer first
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _state(panel) is TicketState.SERVING, timeout=5000)
    assert panel.ticket_state.text() == "Đang phục vụ"
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() is None, timeout=5000)
    assert [e.kind for e in queue_service.events(0, kinds=("finished",))] == ["finished"]
    qtbot.mouseClick(panel.call_next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
    qtbot.mouseClick(panel.no_show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() is None, timeout=5000)
    qtbot.mouseClick(panel.call_next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Không còn ai chờ" in panel.note.text(), timeout=5000)


def test_pause_stops_calls_and_resume_allows_them(qtbot, panel, queue_service) -> None:
    queue_service.issue_ticket("HT")
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.pause_button.text() == "Tiếp tục nhận số", timeout=5000)
    assert not panel.call_next_button.isEnabled()
    assert queue_service.board().counters[0].paused
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.call_next_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(panel.call_next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)


def test_recall_transfer_and_link(qtbot, panel, queue_service, monkeypatch) -> None:
    queue_service.issue_ticket("HT")
    panel.call_next()
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
    qtbot.mouseClick(panel.recall_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gọi 2 lần" in panel.ticket_state.text(), timeout=5000)
    panel.link_dossier("000.25.38.H38-261123-0001")
    qtbot.waitUntil(lambda: "H38-261123-0001" in panel.dossiers.text(), timeout=5000)
    ticket_id = panel.current().id

    def accept(dialog) -> int:
        dialog.choose("DD", 2)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(queue_panel.TransferDialog, "exec", accept)
    qtbot.mouseClick(panel.transfer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() is None, timeout=5000)
    moved = queue_service.ticket(ticket_id)
    assert (moved.state, moved.queue, moved.target_counter) == (TicketState.TRANSFERRED, "DD", 2)
    assert moved.dossiers == ("000.25.38.H38-261123-0001",)
    assert queue_service.call_next(2).id == ticket_id


def test_no_show_asks_once_naming_the_ticket_and_no_keeps_the_citizen(qtbot, panel, queue_service, questions) -> None:
    queue_service.issue_ticket("HT")
    panel.call_next()
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
    questions.answer = False
    qtbot.mouseClick(panel.no_show_button, Qt.MouseButton.LeftButton)
    assert len(questions.asked) == 1 and "A001" in questions.asked[0]
    wait_for_ops()
    assert queue_service.ticket(panel.current().id).state is TicketState.CALLED  # "no": nothing happened
    questions.answer = True
    qtbot.mouseClick(panel.no_show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() is None, timeout=5000)
    assert len(questions.asked) == 2
    assert [e.kind for e in queue_service.events(0, kinds=("no_show",))] == ["no_show"]


def test_pause_offers_an_undo_that_resumes(qtbot, panel, queue_service, questions) -> None:
    """Pausing is undone by resuming (the queue allows both at any time): no question, an undo instead."""
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue_service.board().counters[0].paused, timeout=5000)
    assert questions.asked == []
    bar: MessageBar = panel.messages
    qtbot.waitUntil(lambda: [b.text() for b in bar.buttons()] == ["Hoàn tác"], timeout=5000)
    assert "tạm dừng" in bar.text()
    bar.buttons()[0].click()
    qtbot.waitUntil(lambda: not queue_service.board().counters[0].paused, timeout=5000)
    qtbot.waitUntil(lambda: panel.call_next_button.isEnabled(), timeout=5000)
    assert bar.buttons() == []  # an undo is not undone again


def test_counter_window_has_the_panel_and_links_a_saved_dossier(qtbot, ctx, queue_service, shot) -> None:
    w = CounterWindow(ctx, queue_service)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        panel = w.queue_panel
        assert panel is not None and panel.counter == ctx.settings.counter.counter_number
        queue_service.issue_ticket("HT")
        qtbot.waitUntil(lambda: panel.state is not None and panel.call_next_button.isEnabled(), timeout=5000)
        panel.call_next()
        qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
        panel.start_button.click()
        qtbot.waitUntil(lambda: _state(panel) is TicketState.SERVING, timeout=5000)
        from types import SimpleNamespace

        w._on_saved(SimpleNamespace(code="000.25.38.H38-261123-0009", due_at=None), False)  # as after a save
        qtbot.waitUntil(lambda: "0009" in panel.dossiers.text(), timeout=5000)
        shot(w, "counter-with-queue-panel")
    finally:
        panel.link.close()
        w.close()
        wait_for_ops()
