"""What the supervisor does to a counter through the centre's queue: pause it, resume it, give it other services
for today. Each change is sent off the GUI thread; the dashboard re-reads the queue afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from motcua.domain.queue_views import Board
from motcua.i18n import tr
from motcua.services.queue.api import QueueApi
from motcua.ui.ops import Op
from motcua.ui.supervisor.services_dialog import ServicesDialog
from motcua.ui.widgets.message_bar import MessageBar


class CounterActions:
    """Args:
    parent: the window (the ops are its own, the dialog its child).
    queue: the centre's queue.
    messages: where the outcome is said (with an undo for a pause or a resume).
    refresh: asks the dashboard to re-read.
    """

    def __init__(self, parent: QWidget, queue: QueueApi, messages: MessageBar, refresh: Callable[[], None]) -> None:
        self._parent = parent
        self._queue = queue
        self._messages = messages
        self._refresh = refresh

    def set_paused(self, counter: int, pause: bool, offer_undo: bool = True) -> None:
        queue = self._queue

        def done(_view: object) -> None:
            text = (
                tr("Quầy {n} đã tạm dừng, không nhận số mới", n=counter)
                if pause
                else tr("Quầy {n} nhận số trở lại", n=counter)
            )
            if offer_undo:  # pausing and resuming undo each other
                self._messages.offer_undo(text, lambda: self.set_paused(counter, not pause, offer_undo=False))
            else:
                self._messages.show_message(text, "ok")

        self._run(lambda: queue.pause(counter) if pause else queue.resume(counter), done)

    def choose_services(self, counter: int, board: Board | None) -> ServicesDialog | None:
        """Ask which services counter ``counter`` takes today, then tell the queue. Returns the dialog (tests)."""
        if board is None:
            self._messages.show_message(tr("Chưa đọc được hàng đợi của trung tâm; hãy thử lại sau."), "warn")
            return None
        view = next((c for c in board.counters if c.number == counter), None)
        name = view.name if view is not None and view.name else tr("Quầy {n}", n=counter)
        dialog = ServicesDialog(name, board.services, view.services if view is not None else (), self._parent)
        if dialog.exec() != ServicesDialog.DialogCode.Accepted:
            return dialog
        chosen = dialog.chosen()
        names = {s.code: s.name for s in board.services}
        queue = self._queue

        def done(_view: object) -> None:
            self._messages.show_message(
                tr(
                    "{counter} nhận trong hôm nay: {services}",
                    counter=name,
                    services=", ".join(names[c] for c in chosen),
                ),
                "ok",
            )

        self._run(lambda: queue.assign_services(counter, chosen), done)
        return dialog

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        def ok(result: Any) -> None:
            done(result)
            self._refresh()

        def failed(exc: Exception) -> None:
            self._messages.show_error(exc)
            self._refresh()  # a refusal often means the screen was stale

        Op(self._parent, fn).success(ok).failure(failed).run()
