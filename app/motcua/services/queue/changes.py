"""The board and "what changed since N", built once per change and shared by every display that asks.

Fifty displays reading the board after each call used to build it fifty times, with every counter's row. Here
the board is built once for a sequence number and kept as JSON text; each reader gets that text with its own
``at``. A reader states what it already has (``min_seq``): the plain board (``GET /board``) wants the latest,
so a clerk reading the board after calling sees the call; a long-polling display wants anything newer than what
it shows, so the displays woken together by a burst of calls share one build (see :func:`tick_delay`).
"""

from __future__ import annotations

import bisect
import dataclasses
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
from motcua.domain.queue_views import Board, CounterView
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
        self._counters: dict[CounterView, str] = {}  # each counter's JSON, as it was at the last build
        self.builds = 0

    def _body(self, board: Board) -> str:
        """The board's JSON without ``at``: what :func:`to_json` and ``json.dumps`` make of it, with each counter's
        part reused from the build before when the counter did not change (most of a thousand did not: encoding
        them all again was most of a build)."""
        data = to_json(dataclasses.replace(board, counters=()))
        del data["at"]
        text = json.dumps(data, ensure_ascii=False)
        known = self._counters
        if len(known) > 4 * len(board.counters) + 64:  # the states counters were in, from builds long gone
            known.clear()
        parts = []
        for c in board.counters:
            part = known.get(c)
            if part is None:
                part = known[c] = json.dumps(to_json(c), ensure_ascii=False)
            parts.append(part)
        # The key comes before any text a service or call could hold, and a quote inside those is escaped.
        return text.replace('"counters": []', '"counters": [' + ", ".join(parts) + "]", 1)

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
            entry = BoardEntry(board, self._body(board), key)
            if len(self._entries) >= 8:  # a client asking every last_calls from 0 to 100 keeps a few, not all
                self._entries.clear()
            self._entries[last_calls] = entry
            self.builds += 1
            return entry


class RecentEvents:
    """The latest events of some kinds as JSON, read once and sliced for every display that asks.

    Fifty displays each a few calls behind asked fifty different "since N": fifty reads of the same rows, each
    decoded and encoded again. Here the events of (``low``, ``high``] are kept, in sequence order; a request within
    that range is a slice, one past ``high`` reads only what is new. Events never change once written and are
    committed in sequence order (one writer), and ``upto`` is a head read after its events were committed, so what
    is kept is what the table holds. A day's events moved to the archive are no concern: a request from before
    ``archived_to`` is answered with a snapshot before it gets here.
    """

    KEEP = 4 * MAX_EVENTS

    def __init__(self, centre: str, kinds: tuple[str, ...]) -> None:
        self.centre = centre
        self.kinds = kinds
        self._lock = threading.Lock()
        self._low: int | None = None  # nothing kept yet
        self._high = 0
        self._seqs: list[int] = []
        self._texts: list[str] = []

    def between(self, db: Database, since: int, upto: int) -> list[str] | None:
        """The JSON of each event after ``since`` up to ``upto`` (None: ``since`` is older than what is kept)."""
        with self._lock:
            if self._low is None or since < self._low:
                if self._low is not None and self._seqs:
                    return None
                self._low = self._high = since  # nothing kept (or nothing worth keeping): start from here
                self._seqs, self._texts = [], []
            if upto > self._high:
                rows = reads.events_since(db, self.centre, self._high, self.KEEP + 1, self.kinds, upto=upto)
                if len(rows) > self.KEEP:  # too far behind to keep up by reading on: start again from the next one
                    self._low, self._seqs, self._texts = None, [], []
                    return None
                for e in rows:
                    self._seqs.append(e.seq)
                    self._texts.append(json.dumps(to_json(e), ensure_ascii=False))
                self._high = upto
                if len(self._seqs) > self.KEEP:
                    cut = len(self._seqs) - self.KEEP
                    self._low = self._seqs[cut - 1]
                    del self._seqs[:cut], self._texts[:cut]
            if since < self._low:
                return None
            return self._texts[bisect.bisect_right(self._seqs, since) : bisect.bisect_right(self._seqs, upto)]


class ChangeReader:
    """``GET /changes`` as JSON text: events since N (read once per tick and kinds, shared), and the board."""

    def __init__(self, config: QueueConfig, cache: BoardCache, last_calls: int = 10) -> None:
        self.centre = config.centre_id
        self.cache = cache
        self.last_calls = last_calls
        self._lock = threading.Lock()
        self._recent: dict[tuple[str, ...], RecentEvents] = {}
        self._tick_head: tuple[int, tuple[int, int]] | None = None

    def _head(self, db: Database, tick: int | None) -> tuple[int, int]:
        if tick is None:
            return queue_archive.head(db, self.centre)
        with self._lock:
            if self._tick_head is None or self._tick_head[0] != tick:
                self._tick_head = (tick, queue_archive.head(db, self.centre))
            return self._tick_head[1]

    def _events_json(self, db: Database, since: int, upto: int, kinds: tuple[str, ...]) -> str | None:
        recent = self._recent.get(kinds)
        if recent is None:
            with self._lock:
                recent = self._recent.setdefault(kinds, RecentEvents(self.centre, kinds))
        found = recent.between(db, since, upto)
        if found is None:  # older than what is kept: read from the table
            rows = reads.events_since(db, self.centre, since, MAX_EVENTS + 1, kinds, upto=upto)
            found = [json.dumps(to_json(e), ensure_ascii=False) for e in rows]
        if len(found) > MAX_EVENTS:
            return None
        return "[" + ", ".join(found) + "]"

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
