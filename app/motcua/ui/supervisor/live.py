"""Today, live: the day's summary re-read whenever the queue changes (push or poll) and every 15 seconds.

The queue's changes come through the same :class:`~motcua.ui.queue_link.QueueLink` the counter and the board use;
dossiers have no push of their own on a workstation, so a timer re-reads them. Every read runs off the GUI thread,
one at a time (:class:`~motcua.ui.queue_link.RefreshGate`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from motcua.domain.device_health import DeviceHealth
from motcua.domain.errors import MotcuaError
from motcua.domain.queue_views import Board
from motcua.domain.reports.daily import DailySummary
from motcua.domain.reports.facts import QueueSnapshot
from motcua.services.queue.api import QueueApi
from motcua.services.reports import ReportService
from motcua.services.status import StatusService, WorkstationStatus
from motcua.ui.queue_link import QueueLink, RefreshGate

log = logging.getLogger(__name__)


class QueueSnapshots:
    """The queue as the reports read it (:class:`~motcua.services.reports.QueueFacts`).

    A centre that does not answer must not blank the dossiers' figures: its part comes back empty and
    ``error`` says why (the window shows it), until a read succeeds again.
    """

    def __init__(self, api: QueueApi) -> None:
        self._api = api
        self.error: str | None = None

    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        try:
            snap = self._api.snapshot(start, end, tickets)
        except MotcuaError as exc:
            self.error = str(exc)
            return QueueSnapshot()
        self.error = None
        return snap


@dataclass(frozen=True, slots=True)
class LiveState:
    """What the dashboard shows.

    Attributes:
        board: the queue's board (the counters' services and the services' names), None without a queue.
        queue_error: why the queue's figures are missing, if they are.
        devices: every device's health as the centre last heard it (None: not read, see ``devices_error``).
        devices_error: why the devices' list is missing (a centre older than it, or unreachable).
    """

    summary: DailySummary
    status: WorkstationStatus
    board: Board | None = None
    queue_error: str | None = None
    devices: tuple[DeviceHealth, ...] | None = None
    devices_error: str | None = None


class LiveReader:
    """Reads the live state (worker thread). One per window: it holds the queue adapter's last error."""

    def __init__(self, reports: ReportService, status: StatusService, queue: QueueApi | None) -> None:
        self.reports = reports
        self.status = status
        self.queue = queue
        self.snapshots = reports.queue if isinstance(reports.queue, QueueSnapshots) else None

    def __call__(self) -> LiveState:
        status = self.status.snapshot()
        today = self.reports.ctx.clock().date()
        summary = self.reports.daily(today, unsynced=status.outbox_pending, parked=status.outbox_parked)
        error = self.snapshots.error if self.snapshots is not None else None
        board = None
        devices: tuple[DeviceHealth, ...] | None = None
        devices_error = None
        if self.queue is not None and error is None:
            try:
                board = self.queue.board(0)
            except MotcuaError as exc:
                error = str(exc)
        if self.queue is not None and error is None:
            try:
                devices = tuple(self.queue.device_health())
            except MotcuaError as exc:  # (a centre server older than the devices' list answers 404)
                devices_error = str(exc)
        return LiveState(summary, status, board, error, devices, devices_error)


class LiveFeed(QObject):
    """Keeps a window's live state fresh.

    Args:
        parent: the window (the reads run as its ops and stop with it).
        read: reads the state (worker thread).
        queue: the queue whose changes trigger a read (None: the timer only).
        refresh_ms: how often dossiers are re-read when nothing else triggers a read.
        poll_ms: the queue link's polling interval.
        settle_ms: a change of the queue is read this long after it is heard, with the changes heard meanwhile
            (a busy centre's queue changes every few seconds; each read goes through the day's dossiers).

    Signals:
        state_did_change(object): a new :class:`LiveState`.
        read_did_fail(object): the read failed (the exception).
    """

    state_did_change = Signal(object)
    read_did_fail = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        read: LiveReader,
        queue: QueueApi | None,
        refresh_ms: int = 15_000,
        poll_ms: int = 2000,
        settle_ms: int = 500,
    ) -> None:
        super().__init__(parent)
        self.state: LiveState | None = None
        self._closed = False
        self._gate = RefreshGate(parent, read, self._show, self.read_did_fail.emit)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self._gate.request)
        self.link = QueueLink(queue, parent, poll_ms) if queue is not None else None
        if self.link is not None:
            self.link.queue_did_change.connect(self._queue_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self._gate.request)

    def start(self) -> None:
        self.timer.start()
        if self.link is not None:
            self.link.start()  # its first poll hears the sequence and asks for a read
        self._gate.request()

    def refresh(self) -> None:
        self._gate.request()

    def _queue_changed(self, _seq: int) -> None:
        if not self._settle.isActive():
            self._settle.start()

    def close(self) -> None:
        self._closed = True
        self.timer.stop()
        self._settle.stop()
        if self.link is not None:
            self.link.close()

    def _show(self, state: LiveState) -> None:
        if self._closed:  # a read that was under way when the window closed
            return
        self.state = state
        self.state_did_change.emit(state)
