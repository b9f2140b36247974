"""Telling the centre this device is alive: a heartbeat every minute with its printer's paper and its version.

The supervisor's dashboard lists what the centre heard (:mod:`motcua.ui.supervisor.devices_view`): a kiosk out of
paper, or a board nobody has heard from for three minutes, shows in red there before a citizen complains.

Each report runs off the GUI thread (asking a printer for its paper may take a second or two); a failure is only
logged: the link is down, the next beat will tell. A beat still under way when the next is due is not doubled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from motcua.domain.device_health import REPORT_INTERVAL_S, DeviceHealth, DeviceRole, PaperState
from motcua.services.queue.api import QueueApi
from motcua.ui.ops import Op
from motcua.version import build_info

log = logging.getLogger(__name__)

REPORT_INTERVAL_MS = int(REPORT_INTERVAL_S * 1000)


class HealthReporter(QObject):
    """The heartbeat of one window.

    Args:
        api: the queue (in process, or the centre server with this device's token).
        parent: the window (the beats run as its ops and stop with it).
        role: what the window runs as.
        device: its name in process (over HTTP the token's name is used whatever this says).
        counter: the counter it belongs to (a rating pad, a counter PC).
        paper: asks the printer for its paper (worker thread); None: the device has no printer.
        interval_ms: how often it reports.

    Signals:
        health_did_report(object): the centre recorded this :class:`DeviceHealth`.
    """

    health_did_report = Signal(object)

    def __init__(
        self,
        api: QueueApi,
        parent: QWidget,
        role: DeviceRole,
        *,
        device: str = "",
        counter: int | None = None,
        paper: Callable[[], PaperState] | None = None,
        interval_ms: int = REPORT_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.role = role
        self.device = device
        self.counter = counter
        self._window = parent
        self._paper = paper
        self._version: str | None = None
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.report)
        parent.installEventFilter(self)  # a closed window is no longer a device at work: its beats stop

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt's name
        if obj is self._window and event.type() == QEvent.Type.Close and event.isAccepted():
            self.stop()
        return False

    def start(self) -> HealthReporter:
        self.timer.start()
        self.report()
        return self

    def stop(self) -> None:
        self.timer.stop()

    def report(self) -> None:
        if self._busy:  # a slow printer or centre: do not stack beats
            return
        self._busy = True
        api, role, device, counter, paper = self.api, self.role, self.device, self.counter, self._paper

        def beat() -> DeviceHealth:
            if self._version is None:
                self._version = build_info().one_line()  # (reads files: here, not on the GUI thread)
            try:
                state = PaperState.NONE if paper is None else paper()
            except Exception as exc:  # a printer's driver failing must not stop the device being seen
                log.info("printer state unknown: %s", exc)
                state = PaperState.UNKNOWN
            return api.report_health(role, state, self._version, device=device, counter=counter)

        Op(self._window, beat).success(self._reported).failure(self._failed).run()

    def _reported(self, health: DeviceHealth) -> None:
        self._busy = False
        self.health_did_report.emit(health)

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        log.debug("health report not sent: %s", exc)  # the link is down: the next beat will tell
