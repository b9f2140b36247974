"""The board and "what changed since N", built once per change and shared by every display that asks.

Fifty displays reading the board after each call used to build it fifty times, with every counter's row. Here
the board is built once for a sequence number and kept as JSON text; each reader gets that text with its own
``at``. A reader states what it already has (``min_seq``): the plain board (``GET /board``) wants the latest,
so a clerk reading the board after calling sees the call; a long-polling display wants anything newer than what
it shows, so the displays woken together by a burst of calls share one build (see :func:`tick_delay`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from motcua.domain.queue import business_day
from motcua.domain.queue_codec import to_json
from motcua.domain.queue_config import QueueConfig
from motcua.domain.queue_views import Board
from motcua.store import queue_archive
from motcua.store import queue_read as reads

BuildBoard = Callable[[Database, QueueConfig, datetime, int], Board]
MAX_EVENTS = 1000  # more changes than this since N: a snapshot answers faster than the list


def tick_delay(interval: float, now: float | None = None) -> float:
    """Seconds to the next multiple of ``interval`` on the monotonic clock.

    Long-polls woken by a change wait for the same instant, then ask together: one board build and one events read
    serve every display, however many changes came in between (at most ``interval`` of added delay).
    """
    t = time.monotonic() if now is None else now
    return interval - (t % interval) if interval > 0 else 0.0


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One built board and its JSON text without ``at`` (what every reader shares)."""

    board: Board
    body: str
    key: tuple[date, tuple[bool, ...], int]

    def json(self, now: datetime) -> str:
        at = json.dumps(now.replace(microsecond=0).isoformat())
        return '{"at": ' + at + ", " + self.body[1:]


class BoardCache:
    """The board by sequence number, built by one thread while the others wait for it.

    Attributes:
        builds: how many boards were built (tests count them).
    """

    def __init__(self, config: QueueConfig, build: BuildBoard) -> None:
        self.config = config
        self._build = build
        self._lock = threading.Lock()
        self._entries: dict[int, BoardEntry] = {}  # by last_calls
        self.builds = 0

    def get(self, db: Database, now: datetime, last_calls: int, min_seq: int | None = None) -> BoardEntry:
        """A board at least as new as ``min_seq`` (None: as the latest change), for today and the services open now."""
        key = (business_day(now), tuple(s.is_open(now) for s in self.config.services), last_calls)
        need = reads.latest_seq(db, self.config.centre_id) if min_seq is None else min_seq
        entry = self._entries.get(last_calls)
        if entry is not None and entry.key == key and entry.board.seq >= need:
            return entry
        with self._lock:
            entry = self._entries.get(last_calls)  # built by the thread this one waited for?
            if entry is not None and entry.key == key and entry.board.seq >= need:
                return entry
            board = self._build(db, self.config, now, last_calls)
            data = to_json(board)
            del data["at"]
            entry = BoardEntry(board, json.dumps(data, ensure_ascii=False), key)
            if len(self._entries) >= 8:  # a client asking every last_calls from 0 to 100 keeps a few, not all
                self._entries.clear()
            self._entries[last_calls] = entry
            self.builds += 1
            return entry


class ChangeReader:
    """``GET /changes`` as JSON text: events since N (read once per tick and kinds, shared), and the board."""

    def __init__(self, config: QueueConfig, cache: BoardCache, last_calls: int = 10) -> None:
        self.centre = config.centre_id
        self.cache = cache
        self.last_calls = last_calls
        self._lock = threading.Lock()
        self._events: dict[tuple[int, int, tuple[str, ...]], str] = {}
        self._tick_head: tuple[int, tuple[int, int]] | None = None

    def _head(self, db: Database, tick: int | None) -> tuple[int, int]:
        if tick is None:
            return queue_archive.head(db, self.centre)
        with self._lock:
            if self._tick_head is None or self._tick_head[0] != tick:
                self._tick_head = (tick, queue_archive.head(db, self.centre))
            return self._tick_head[1]

    def _events_json(self, db: Database, since: int, upto: int, kinds: tuple[str, ...]) -> str | None:
        key = (since, upto, kinds)
        text = self._events.get(key)
        if text is None:
            found = reads.events_since(db, self.centre, since, MAX_EVENTS + 1, kinds, upto=upto)
            if len(found) > MAX_EVENTS:
                return None
            text = json.dumps(to_json(found), ensure_ascii=False)
            with self._lock:
                if len(self._events) >= 256:
                    self._events.clear()
                self._events[key] = text
        return text

    def read(
        self, db: Database, now: datetime, since: int, kinds: Sequence[str], board: bool, tick: int | None = None
    ) -> tuple[int, str]:
        """(the sequence answered up to, the JSON of a :class:`~motcua.domain.queue_views.QueueChanges`).

        ``tick``: the long-poll instant this read belongs to (reads of one tick share the head they answer up to).
        """
        seq, archived_to = self._head(db, tick)
        snapshot = since < archived_to or since > seq
        entry = None
        if snapshot or board:
            entry = self.cache.get(db, now, self.last_calls, min_seq=min(since + 1, seq))
            seq = entry.board.seq
        events = "[]" if snapshot or since >= seq else self._events_json(db, since, seq, tuple(sorted(kinds)))
        if events is None:
            snapshot, events = True, "[]"
            entry = entry or self.cache.get(db, now, self.last_calls, min_seq=seq)
            seq = entry.board.seq
        shown = "null" if entry is None else entry.json(now)
        return seq, f'{{"seq": {seq}, "snapshot": {json.dumps(snapshot)}, "events": {events}, "board": {shown}}}'
