"""The display board on the waiting-room TV: each counter's number, the last calls, who waits for what.

Every change heard (push or poll) re-reads the board and the calls made since the last one seen; each new call
flashes its counter and the banner for a few seconds and is announced ("Mời công dân số A012 đến quầy số 3")
through an :class:`~motcua.services.announcer.AnnouncementQueue`: one announcement after another, each to its
end. Calls older than the board's memory (a display that was switched on late, or offline for long) are shown in
the list but not read out.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import NamedTuple

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from motcua.domain.announcement import announce_call
from motcua.domain.queue_views import Board, KioskView, QueueEvent
from motcua.i18n import tr
from motcua.services.announcer import AnnouncementQueue, Announcer, make_announcer
from motcua.services.queue.api import QueueApi
from motcua.ui.display.tiles import DISPLAY_STYLE, CounterTile, repolish
from motcua.ui.queue_link import QueueLink, RefreshGate

FLASH_S = 6.0
FLASH_TICK_MS = 450
LAST_CALLS = 8
STALE_CALL = timedelta(minutes=2)  # a call older than this when first seen is not read out any more
CALL_KINDS = ("called", "recalled")


class BoardUpdate(NamedTuple):
    board: Board
    new_calls: list[QueueEvent]
    seen: int
    centre_name: str | None


class DisplayWindow(QMainWindow):
    """The TV board (F11: full screen).

    Args:
        api: the queue (a display's read-only token is enough).
        announcer: where announcements are played (default: the machine's player, or silence).
        poll_ms: the queue link's polling interval.
    """

    def __init__(self, api: QueueApi, announcer: Announcer | None = None, poll_ms: int = 2000) -> None:
        super().__init__()
        self.api = api
        self.announcements = AnnouncementQueue(announcer or make_announcer())
        self.board: Board | None = None
        self.announced: list[QueueEvent] = []  # every call handed to the announcer (tests, the banner)
        self._seen: int | None = None
        self._centre_name: str | None = None
        self._flash_until: dict[int, float] = {}
        self._banner_until = 0.0
        self.tiles: dict[int, CounterTile] = {}
        self.setObjectName("displayRoot")
        self.setStyleSheet(DISPLAY_STYLE)
        self.setWindowTitle(tr("MotCua Desk — Bảng hiển thị số thứ tự"))
        self.resize(1600, 900)
        self._build()
        self._gate = RefreshGate(self, self._fetch, self._show, self._failed)
        self.link = QueueLink(api, self, poll_ms)
        self.link.queue_did_change.connect(self._gate.request)
        self.link.connection_did_change.connect(lambda online: self.offline.setVisible(not online))
        self._flash_timer = QTimer(self)
        self._flash_timer.timeout.connect(self._flash_tick)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start(1000)
        self._tick_clock()
        QShortcut(
            QKeySequence("F11"), self, lambda: self.showNormal() if self.isFullScreen() else self.showFullScreen()
        )
        self.link.start()
        self._gate.request()

    def _build(self) -> None:
        root = QWidget()
        root.setObjectName("displayRoot")
        lay = QVBoxLayout(root)
        lay.setContentsMargins(24, 16, 24, 16)
        lay.setSpacing(14)
        head = QHBoxLayout()
        self.title = QLabel(tr("MỜI CÔNG DÂN THEO SỐ THỨ TỰ"))
        self.title.setObjectName("boardTitle")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        head.addWidget(self.clock)
        lay.addLayout(head)
        self.banner = QLabel(tr("Xin mời quý vị chờ đến lượt"))
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        lay.addWidget(self.banner)
        middle = QHBoxLayout()
        middle.setSpacing(20)
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        middle.addLayout(self.grid, 3)
        calls = QVBoxLayout()
        section = QLabel(tr("VỪA GỌI"))
        section.setObjectName("section")
        calls.addWidget(section)
        self.call_rows: list[QLabel] = []
        for i in range(LAST_CALLS):
            row = QLabel("")
            row.setObjectName("callRow")
            row.setProperty("first", i == 0)
            calls.addWidget(row)
            self.call_rows.append(row)
        calls.addStretch(1)
        middle.addLayout(calls, 1)
        lay.addLayout(middle, 1)
        section = QLabel(tr("ĐANG CHỜ"))
        section.setObjectName("section")
        lay.addWidget(section)
        self.waiting = QHBoxLayout()
        self.waiting.setSpacing(12)
        self.wait_chips: dict[str, QLabel] = {}
        lay.addLayout(self.waiting)
        self.offline = QLabel(tr("Mất kết nối với máy chủ trung tâm — đang tự kết nối lại…"))
        self.offline.setObjectName("offline")
        self.offline.hide()
        lay.addWidget(self.offline)
        self.setCentralWidget(root)

    # -- reading the queue (worker thread) ---------------------------------------------------------------
    def _fetch(self) -> BoardUpdate:
        api, seen = self.api, self._seen
        centre = self._centre_name
        if centre is None:
            view: KioskView = api.kiosk_view()
            centre = view.centre_name
        board = api.board(LAST_CALLS)
        if seen is None:  # just switched on: show the board, announce nothing of the past
            return BoardUpdate(board, [], board.seq, centre)
        events = api.events(seen, kinds=CALL_KINDS)
        fresh = [e for e in events if board.at - e.at <= STALE_CALL]
        return BoardUpdate(board, fresh, max([board.seq, seen, *(e.seq for e in events)]), centre)

    def _failed(self, exc: Exception) -> None:
        self.offline.setVisible(True)

    # -- showing (GUI thread) ------------------------------------------------------------------------------
    def _show(self, update: BoardUpdate) -> None:
        self.offline.setVisible(False)
        self._seen = update.seen
        if update.centre_name and update.centre_name != self._centre_name:
            self._centre_name = update.centre_name
            self.title.setText(update.centre_name)
        self.board = board = update.board
        for i, c in enumerate(board.counters):
            tile = self.tiles.get(c.number)
            if tile is None:
                tile = self.tiles[c.number] = CounterTile(c.name)
                n = len(board.counters)
                columns = n if n <= 3 else 2 if n == 4 else 3 if n <= 9 else 4
                self.grid.addWidget(tile, i // columns, i % columns)
            tile.show_counter(c)
        for row, call in zip(self.call_rows, [*board.last_calls, *[None] * LAST_CALLS], strict=False):
            row.setText(tr("{number}  ➜  Quầy {counter}", number=call.display, counter=call.counter) if call else "")
        for s in board.services:
            chip = self.wait_chips.get(s.code)
            if chip is None:
                chip = self.wait_chips[s.code] = QLabel()
                chip.setObjectName("waitChip")
                self.waiting.addWidget(chip)
            chip.setText(tr("{service}: {n} người chờ", service=tr(s.name), n=s.waiting))
        for e in update.new_calls:
            self._announce(e)

    def _announce(self, e: QueueEvent) -> None:
        if e.display is None or e.counter is None:
            return
        try:
            announcement = announce_call(e.display, e.counter)
        except ValueError:  # a number without clips: show it, say nothing rather than half of it
            return
        self.announced.append(e)
        self.announcements.say(announcement)
        until = time.monotonic() + FLASH_S
        self._flash_until[e.counter] = until
        self._banner_until = until
        self.banner.setText(announcement.text)
        if not self._flash_timer.isActive():
            self._flash_timer.start(FLASH_TICK_MS)
        self._flash_tick()

    def _flash_tick(self) -> None:
        now = time.monotonic()
        phase = int(now * 1000 / FLASH_TICK_MS) % 2 == 0
        for number, tile in self.tiles.items():
            tile.set_flash(self._flash_until.get(number, 0.0) > now and phase)
        banner_on = self._banner_until > now and phase
        if bool(self.banner.property("flash")) != banner_on:
            self.banner.setProperty("flash", banner_on)
            repolish(self.banner)
        if all(until <= now for until in [*self._flash_until.values(), self._banner_until]):
            self._flash_timer.stop()

    def _tick_clock(self) -> None:
        self.clock.setText(time.strftime("%H:%M  %d/%m/%Y"))

    def closeEvent(self, event: object) -> None:  # Qt's name
        self.link.close()
        self.announcements.close(timeout=0.5)  # the app is leaving: do not hold it for a long announcement
        super().closeEvent(event)  # type: ignore[arg-type]
