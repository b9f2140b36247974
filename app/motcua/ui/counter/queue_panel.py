"""The counter's queue panel: call the next citizen, recall, start, finish, no-show, transfer, pause, link dossiers.

The panel shows what the centre says this counter has (the board), never what it guesses: after every action it
re-reads. Each action names the ticket the clerk sees, so a stale panel is refused by the centre rather than
finishing someone else (the message says so and the panel refreshes). The counter is
``settings.counter.counter_number``, the ``number`` of a ``[[counters]]`` entry of ``queue.toml``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.queue import Ticket, TicketState
from motcua.domain.queue_views import Board, CounterView
from motcua.i18n import tr
from motcua.services.queue.api import QueueApi
from motcua.ui.counter.transfer_dialog import TransferDialog
from motcua.ui.ops import Op
from motcua.ui.queue_link import QueueLink, RefreshGate
from motcua.ui.widgets import dialogs
from motcua.ui.widgets.message_bar import MessageBar, describe_error

PANEL_STYLE = """
QLabel#queueTitle { font-size: 14pt; font-weight: bold; color: #0b3d6e; }
QLabel#queueNumber { font-size: 36pt; font-weight: bold; color: #0b3d6e; }
QLabel#queueState { color: #333; }
QLabel#queuePriority { font-weight: bold; color: #8a4b00; }
QLabel#queueNote { color: #8a1c14; }
QPushButton#callNext { background: #0b5cad; color: white; font-weight: bold; font-size: 14pt; padding: 8px;
                       border-radius: 6px; }
QPushButton#callNext:disabled { background: #8fa9c4; }
QPushButton { padding: 6px 8px; }
"""


def _identity(t: Ticket | None) -> tuple[int, TicketState] | None:
    return (t.id, t.state) if t is not None else None


class PanelState(NamedTuple):
    counter: CounterView | None
    ticket: Ticket | None
    board: Board
    groups: dict[str, str]  # priority group code → label


class QueuePanel(QWidget):
    """The queue at one counter.

    Args:
        api: the queue.
        counter: this counter's number in ``queue.toml``.
        poll_ms: the queue link's polling interval.
        messages: where an undo is offered (the window's message bar; default: the panel's own).

    Signals:
        ticket_did_change(object): the ticket at the counter now (a ``Ticket``) or None.
    """

    ticket_did_change = Signal(object)

    def __init__(
        self,
        api: QueueApi,
        counter: int,
        poll_ms: int = 2000,
        parent: QWidget | None = None,
        messages: MessageBar | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.counter = counter
        self.state: PanelState | None = None
        self.setStyleSheet(PANEL_STYLE)
        self._own_messages = messages is None
        self.messages = messages or MessageBar()
        self._build()
        self._gate = RefreshGate(self, self._fetch, self._show, self._failed)
        self.link = QueueLink(api, self, poll_ms)
        self.link.queue_did_change.connect(self._gate.request)
        self.link.start()
        self._gate.request()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        if self._own_messages:
            lay.addWidget(self.messages)
        self.title = QLabel(tr("Hàng đợi — Quầy {n}", n=self.counter))
        self.title.setObjectName("queueTitle")
        self.number = QLabel("—")
        self.number.setObjectName("queueNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_state = QLabel(tr("Chưa gọi ai"))
        self.ticket_state.setObjectName("queueState")
        self.ticket_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_state.setWordWrap(True)
        self.priority = QLabel("")
        self.priority.setObjectName("queuePriority")
        self.priority.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dossiers = QLabel("")
        self.dossiers.setWordWrap(True)
        for w in (self.title, self.number, self.ticket_state, self.priority, self.dossiers):
            lay.addWidget(w)
        self.call_next_button = QPushButton(tr("Gọi tiếp (F2)"))
        self.call_next_button.setObjectName("callNext")
        self.call_next_button.setShortcut("F2")
        self.call_next_button.clicked.connect(self.call_next)
        lay.addWidget(self.call_next_button)
        grid = QGridLayout()
        self.recall_button = self._button(tr("Gọi lại"), lambda t: self.api.recall(self.counter, t.id))
        self.start_button = self._button(tr("Bắt đầu"), lambda t: self.api.start(self.counter, t.id))
        self.finish_button = self._button(tr("Xong"), lambda t: self.api.finish(self.counter, t.id))
        self.no_show_button = QPushButton(tr("Vắng mặt"))
        self.no_show_button.clicked.connect(self.no_show)
        self.transfer_button = QPushButton(tr("Chuyển…"))
        self.transfer_button.clicked.connect(self.transfer)
        self.link_button = QPushButton(tr("Gắn hồ sơ…"))
        self.link_button.clicked.connect(self._ask_dossier)
        self.pause_button = QPushButton(tr("Tạm dừng quầy"))
        self.pause_button.clicked.connect(self.toggle_pause)
        buttons = (
            self.recall_button,
            self.start_button,
            self.finish_button,
            self.no_show_button,
            self.transfer_button,
            self.link_button,
        )
        for i, b in enumerate(buttons):
            grid.addWidget(b, i // 2, i % 2)
        grid.addWidget(self.pause_button, 3, 0, 1, 2)
        lay.addLayout(grid)
        self.waiting = QLabel("")
        self.waiting.setWordWrap(True)
        lay.addWidget(self.waiting)
        self.note = QLabel("")
        self.note.setObjectName("queueNote")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        lay.addStretch(1)
        self._enable()

    def _button(self, label: str, action: Callable[[Ticket], Any]) -> QPushButton:
        b = QPushButton(label)
        b.clicked.connect(lambda: self._on_ticket(action))
        return b

    # -- reading ---------------------------------------------------------------------------------------------
    def _fetch(self) -> PanelState:
        board = self.api.board(0)
        mine = next((c for c in board.counters if c.number == self.counter), None)
        ticket = self.api.ticket(mine.ticket_id) if mine is not None and mine.ticket_id is not None else None
        groups = self.state.groups if self.state else dict(self.api.kiosk_view().priority_groups)
        return PanelState(mine, ticket, board, groups)

    def refresh(self) -> None:
        self._gate.request()

    def current(self) -> Ticket | None:
        return self.state.ticket if self.state else None

    def _show(self, state: PanelState) -> None:
        before = self.current()
        self.state = state
        c, t = state.counter, state.ticket
        if c is None:
            self.note.setText(
                tr("Quầy số {n} chưa có trong cấu hình hàng đợi (queue.toml): không gọi số được.", n=self.counter)
            )
        self.number.setText(t.display if t else "—")
        if t is None:
            self.ticket_state.setText(tr("Tạm dừng — không nhận số mới") if c and c.paused else tr("Chưa gọi ai"))
        else:
            self.ticket_state.setText(t.state.label + (tr(" · gọi {n} lần", n=t.calls) if t.calls > 1 else ""))
        self.priority.setText(
            tr("Ưu tiên: {group}", group=tr(state.groups.get(t.priority_group or "", t.priority_group or "")))
            if t and t.priority
            else ""
        )
        self.dossiers.setText(tr("Hồ sơ đã gắn: {codes}", codes=", ".join(t.dossiers)) if t and t.dossiers else "")
        self.pause_button.setText(tr("Tiếp tục nhận số") if c and c.paused else tr("Tạm dừng quầy"))
        served = c.services if c else ()
        counts = [tr("{service}: {n} người chờ", service=tr(s.name), n=s.waiting) for s in state.board.services]
        self.waiting.setText(
            "\n".join(line for s, line in zip(state.board.services, counts, strict=True) if s.code in served)
        )
        self._enable()
        if _identity(before) != _identity(t):
            self.ticket_did_change.emit(t)

    def _failed(self, exc: Exception) -> None:
        self.note.setText(describe_error(exc))

    def _enable(self) -> None:
        c = self.state.counter if self.state else None
        t = self.current()
        called = t is not None and t.state is TicketState.CALLED
        at_counter = t is not None and t.state.active
        self.call_next_button.setEnabled(c is not None and not c.paused and not called)
        self.recall_button.setEnabled(called)
        self.start_button.setEnabled(called)
        self.no_show_button.setEnabled(called)
        self.finish_button.setEnabled(at_counter)
        self.transfer_button.setEnabled(at_counter)
        self.link_button.setEnabled(at_counter)
        self.pause_button.setEnabled(c is not None)

    # -- acting ----------------------------------------------------------------------------------------------
    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        self.note.setText("")

        def ok(result: Any) -> None:
            if done is not None:
                done(result)
            self.refresh()

        def failed(exc: Exception) -> None:
            self.note.setText(describe_error(exc))
            self.refresh()  # a refusal often means the screen was stale

        Op(self, fn).success(ok).failure(failed).run()

    def _on_ticket(self, action: Callable[[Ticket], Any]) -> None:
        t = self.current()
        if t is not None:
            self._run(lambda: action(t))

    def call_next(self) -> None:
        def called(t: Ticket | None) -> None:
            if t is None:
                self.note.setText(tr("Không còn ai chờ các dịch vụ của quầy này."))

        self._run(lambda: self.api.call_next(self.counter), called)

    def no_show(self) -> None:
        """Mark the called citizen absent, after asking once: the number leaves the queue for good."""
        t = self.current()
        if t is None:
            return
        question = tr("Số {number} không có mặt? Số này sẽ bị bỏ qua và không gọi lại được.", number=t.display)
        if dialogs.confirm(self, tr("Vắng mặt"), question):
            self._run(lambda: self.api.no_show(self.counter, t.id))

    def toggle_pause(self) -> None:
        c = self.state.counter if self.state else None
        if c is None:
            return
        self._set_paused(not c.paused, offer_undo=True)

    def _set_paused(self, pause: bool, offer_undo: bool) -> None:
        api, n = self.api, self.counter

        def done(_view: object) -> None:
            if not offer_undo:
                self.messages.show_message(
                    tr("Quầy {n} đã tạm dừng", n=n) if pause else tr("Quầy {n} nhận số trở lại", n=n), "ok"
                )
                return
            # Pausing and resuming undo each other: the queue allows both at any time.
            self.messages.offer_undo(
                tr("Quầy {n} đã tạm dừng, không nhận số mới", n=n) if pause else tr("Quầy {n} nhận số trở lại", n=n),
                lambda: self._set_paused(not pause, offer_undo=False),
            )

        self._run(lambda: api.pause(n) if pause else api.resume(n), done)

    def link_dossier(self, code: str) -> None:
        """Link the ticket at the counter to dossier ``code`` (the window calls this when a dossier is saved)."""
        t = self.current()
        if t is None or not t.state.active or code in t.dossiers:
            return
        self._run(lambda: self.api.link_dossier(self.counter, t.id, code))

    def _ask_dossier(self) -> None:
        code, ok = QInputDialog.getText(self, tr("Gắn hồ sơ"), tr("Mã hồ sơ đã tiếp nhận cho số này:"))
        if ok and code.strip():
            self.link_dossier(code.strip())

    def transfer(self) -> None:
        t = self.current()
        if t is None or self.state is None:
            return
        dialog = TransferDialog(self.state.board, t, self.counter, self)
        if dialog.exec() != TransferDialog.DialogCode.Accepted:
            return
        to_service, to_counter = dialog.choice()
        self._run(lambda: self.api.transfer(self.counter, t.id, to_service=to_service, to_counter=to_counter))

    def closeEvent(self, event: object) -> None:  # Qt's name
        self.link.close()
        super().closeEvent(event)  # type: ignore[arg-type]
