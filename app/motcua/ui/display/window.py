"""The display board on the waiting-room TV: each counter's number, the last calls, who waits for what.

Every change heard (push or poll) re-reads the board and the calls made since the last one seen; each new call
flashes its counter and the banner for a few seconds and is announced ("Mời công dân số A012 đến quầy số 3")
through an :class:`~motcua.services.announcer.AnnouncementQueue`: one announcement after another, each to its
end. Calls older than the board's memory (a display that was switched on late, or offline for long) are shown in
the list but not read out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMainWindow,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.announcement import announce_call
from motcua.domain.device_health import DeviceRole
from motcua.domain.queue import TicketState
from motcua.domain.queue_views import Board, KioskView, QueueEvent
from motcua.i18n import tr
from motcua.services.announcer import AnnouncementQueue, Announcer
from motcua.services.queue.api import QueueApi
from motcua.ui.audio import board_announcer
from motcua.ui.display.big_type import screen_scale
from motcua.ui.display.tiles import CounterTile, FitLabel, display_style, repolish
from motcua.ui.health import HealthReporter
from motcua.ui.queue_link import QueueLink, RefreshGate

FLASH_S = 6.0
FLASH_TICK_MS = 450
LAST_CALLS = 8
STALE_CALL = timedelta(minutes=2)  # a call older than this when first seen is not read out any more
CALL_KINDS = ("called", "recalled")
SPACING = 10  # between tiles, chips and rows, at the reference size
Glyph = Callable[[float, float], float]  # a tile's width and height -> how tall its number's digits come out


def standing_invitation(board: Board) -> QueueEvent | None:
    """The newest call whose citizen is still invited: the ticket is still called (not served, not marked absent,
    not moved) at that counter, and the counter is not paused."""
    standing = {
        (c.ticket_id, c.number)
        for c in board.counters
        if c.state is TicketState.CALLED and c.ticket_id is not None and not c.paused
    }
    return next((e for e in board.last_calls if (e.ticket_id, e.counter) in standing), None)


def best_columns(count: int, width: float, height: float, spacing: float, glyph: Glyph) -> int:
    """The number of tile columns that makes the called numbers largest in a ``width`` x ``height`` area.

    ``glyph(w, h)`` is the digits' height in a tile of that size.
    """
    best, best_height = 1, -1.0
    for columns in range(1, max(1, count) + 1):
        rows = math.ceil(count / columns)
        w = (width - (columns - 1) * spacing) / columns
        h = (height - (rows - 1) * spacing) / rows
        got = glyph(w, h) if w > 0 and h > 0 else 0.0
        if got > best_height + 0.5:
            best, best_height = columns, got
    return best


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
        device: the board's name in its health reports (over HTTP: its token's).
    """

    def __init__(
        self, api: QueueApi, announcer: Announcer | None = None, poll_ms: int = 2000, device: str = "display"
    ) -> None:
        super().__init__()
        self.api = api
        self.announcements = AnnouncementQueue(announcer or board_announcer())
        self.board: Board | None = None
        self.announced: list[QueueEvent] = []  # every call handed to the announcer (tests, the banner)
        self._seen: int | None = None
        self._centre_name: str | None = None
        self._flash_until: dict[int, float] = {}
        self._banner_until = 0.0
        self._banner_flash = False
        self.tiles: dict[int, CounterTile] = {}
        self._columns = 0
        self._chip_columns = 0
        self._scale = 0.0
        self.setObjectName("displayRoot")
        self.setWindowTitle(tr("MotCua Desk — Bảng hiển thị số thứ tự"))
        self._build()
        # The type scales to the window, so any size will do: the window never insists on its content's
        # minimum (on a one-PC centre it shares the screen with the counter).
        layout = self.layout()
        assert layout is not None  # a main window always has its own
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.resize(1600, 900)
        self._restyle()
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
        self.health = HealthReporter(api, self, DeviceRole.DISPLAY, device=device).start()

    def _build(self) -> None:
        root = QWidget()
        root.setObjectName("displayRoot")
        self.root_layout = lay = QVBoxLayout(root)
        head = QHBoxLayout()
        self.title = QLabel(tr("MỜI CÔNG DÂN THEO SỐ THỨ TỰ"))
        self.title.setObjectName("boardTitle")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        head.addWidget(self.clock)
        lay.addLayout(head)
        self.idle_text = tr("Xin mời quý vị chờ đến lượt")
        self.banner = QLabel(self.idle_text)
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        lay.addWidget(self.banner)
        self.middle = middle = QHBoxLayout()
        # The tiles take three quarters of the width whatever the texts say, so the numbers keep their size.
        self.tile_area = QWidget()
        self.tile_area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.grid = QGridLayout(self.tile_area)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.tile_area.installEventFilter(self)
        middle.addWidget(self.tile_area, 3)
        self.calls_area = QWidget()
        self.calls_area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        calls = QVBoxLayout(self.calls_area)
        calls.setContentsMargins(0, 0, 0, 0)
        calls.setSpacing(0)
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
        middle.addWidget(self.calls_area, 1)
        lay.addLayout(middle, 1)
        section = QLabel(tr("ĐANG CHỜ"))
        section.setObjectName("section")
        lay.addWidget(section)
        self.wait_area = QWidget()
        self.waiting = QGridLayout(self.wait_area)
        self.waiting.setContentsMargins(0, 0, 0, 0)
        self.wait_area.installEventFilter(self)
        self.wait_chips: dict[str, QLabel] = {}
        lay.addWidget(self.wait_area)
        self.offline = QLabel(tr("Mất kết nối với máy chủ trung tâm — đang tự kết nối lại…"))
        self.offline.setObjectName("offline")
        self.offline.setWordWrap(True)
        self.offline.hide()
        lay.addWidget(self.offline)
        self.setCentralWidget(root)

    # -- fitting the screen --------------------------------------------------------------------------------
    def _restyle(self) -> None:
        """Type, margins and spacing follow the screen: the same board on a 32" commune TV and a 55" one."""
        scale = screen_scale(self.width(), self.height())
        if abs(scale - self._scale) < 0.01:
            return
        self._scale = scale
        self.setStyleSheet(display_style(scale))
        gap = max(4, round(SPACING * scale))
        self.root_layout.setContentsMargins(round(16 * scale), round(10 * scale), round(16 * scale), round(10 * scale))
        self.root_layout.setSpacing(gap)
        self.middle.setSpacing(round(16 * scale))
        self.grid.setSpacing(gap)
        self.waiting.setSpacing(gap)
        self._columns = self._chip_columns = 0  # sizes changed: lay the tiles and chips out again

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        self._restyle()
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.Resize:
            if watched is self.tile_area:
                self._arrange_tiles()
            elif watched is self.wait_area:
                self._arrange_chips()
        return super().eventFilter(watched, event)

    def _arrange_tiles(self, force: bool = False) -> None:
        """Tiles in the number of columns that makes the called numbers largest (2 x 2 for four counters on a TV)."""
        tiles = list(self.tiles.values())
        if not tiles:
            return
        sample = tiles[0]
        chrome = sample.chrome()
        font = sample.number.font()

        def glyph(w: float, h: float) -> float:
            return FitLabel.glyph_height(font, "A000", w - chrome.width(), h - chrome.height())

        area = self.tile_area.size()
        columns = best_columns(len(tiles), area.width(), area.height(), self.grid.spacing(), glyph)
        if columns == self._columns and not force:
            return
        self._columns = columns
        for tile in tiles:
            self.grid.removeWidget(tile)
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        for i in range(self.grid.rowCount()):
            self.grid.setRowStretch(i, 0)
        # Each tile spans two half-columns, so that a short last row sits in the middle (three counters: 2 + 1).
        for i, tile in enumerate(tiles):
            row, col = divmod(i, columns)
            in_row = min(columns, len(tiles) - row * columns)
            self.grid.addWidget(tile, row, 2 * col + (columns - in_row), 1, 2)
        for i in range(2 * columns):
            self.grid.setColumnStretch(i, 1)
        for i in range(math.ceil(len(tiles) / columns)):
            self.grid.setRowStretch(i, 1)

    def _arrange_chips(self, force: bool = False) -> None:
        """As many waiting counts in a row as fit the width; the rest go to the next row."""
        chips = list(self.wait_chips.values())
        if not chips:
            return
        width, gap = self.wait_area.width(), self.waiting.spacing()
        widest = max(c.sizeHint().width() for c in chips)
        columns = max(1, min(len(chips), (width + gap) // max(1, widest + gap)))
        if columns == self._chip_columns and not force:
            return
        self._chip_columns = columns
        for chip in chips:
            self.waiting.removeWidget(chip)
        for i in range(self.waiting.columnCount()):
            self.waiting.setColumnStretch(i, 0)
        for i, chip in enumerate(chips):
            self.waiting.addWidget(chip, i // columns, i % columns)
        for i in range(columns):
            self.waiting.setColumnStretch(i, 1)

    # -- reading the queue (worker thread) ---------------------------------------------------------------
    def _fetch(self) -> BoardUpdate:
        api, seen = self.api, self._seen
        centre = self._centre_name
        if centre is None:
            view: KioskView = api.kiosk_view()
            centre = view.centre_name
        if seen is None:  # just switched on: show the board, announce nothing of the past
            board = api.board(LAST_CALLS)
            return BoardUpdate(board, [], board.seq, centre)
        # The calls first, then the board: a call made between the two reads is then on the board and announced
        # by the next poll. The other way round it was announced against a board that did not show it yet, which
        # stopped its flash at once, and the next poll, past it, never flashed it.
        events = api.events(seen, kinds=CALL_KINDS)
        board = api.board(LAST_CALLS)
        fresh = [e for e in events if board.at - e.at <= STALE_CALL]
        return BoardUpdate(board, fresh, max([seen, *(e.seq for e in events)]), centre)

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
        added = False
        for c in board.counters:
            tile = self.tiles.get(c.number)
            if tile is None:
                tile = self.tiles[c.number] = CounterTile(c.name)
                added = True
            tile.show_counter(c)
        if added:
            self._arrange_tiles(force=True)
        for row, call in zip(self.call_rows, [*board.last_calls, *[None] * LAST_CALLS], strict=False):
            row.setText(tr("{number}  ➜  Quầy {counter}", number=call.display, counter=call.counter) if call else "")
        added = False
        for s in board.services:
            chip = self.wait_chips.get(s.code)
            if chip is None:
                chip = self.wait_chips[s.code] = QLabel()
                chip.setObjectName("waitChip")
                added = True
            chip.setText(tr("{service}: {n} người chờ", service=tr(s.name), n=s.waiting))
        self._arrange_chips(force=added)
        for e in update.new_calls:
            self._announce(e)
        self._show_invitation(board)
        # A call answered, given up on or paused stops flashing at once: it no longer asks anybody to come.
        for c in board.counters:
            if c.number in self._flash_until and (c.state is not TicketState.CALLED or c.paused):
                del self._flash_until[c.number]
        if self._flash_timer.isActive():
            self._flash_tick()

    def _show_invitation(self, board: Board) -> None:
        """The banner invites the newest citizen still called; once served, absent or paused, it stops."""
        call = standing_invitation(board)
        text = self.idle_text
        if call is not None and call.display is not None and call.counter is not None:
            try:
                text = announce_call(call.display, call.counter).text
            except ValueError:  # no clips for this number: the screen still says it
                text = tr("Mời công dân số {number} đến quầy số {counter}", number=call.display, counter=call.counter)
        if call is None:
            self._banner_until = 0.0  # "please wait" does not flash
        if self.banner.text() != text:
            self.banner.setText(text)

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
        if not self._flash_timer.isActive():
            self._flash_timer.start(FLASH_TICK_MS)
        self._flash_tick()

    def _flash_tick(self) -> None:
        now = time.monotonic()
        phase = int(now * 1000 / FLASH_TICK_MS) % 2 == 0
        for number, tile in self.tiles.items():
            tile.set_flash(self._flash_until.get(number, 0.0) > now and phase)
        banner_on = self._banner_until > now and phase
        if self._banner_flash != banner_on:
            self._banner_flash = banner_on
            self.banner.setProperty("flash", banner_on)
            repolish(self.banner)
        if all(until <= now for until in [*self._flash_until.values(), self._banner_until]):
            self._flash_timer.stop()

    def _tick_clock(self) -> None:
        self.clock.setText(time.strftime("%H:%M  %d/%m/%Y"))

    def closeEvent(self, event: object) -> None:  # Qt's name
        self.link.close()
        self.health.stop()
        self.announcements.close(timeout=0.5)  # the app is leaving: do not hold it for a long announcement
        super().closeEvent(event)  # type: ignore[arg-type]
