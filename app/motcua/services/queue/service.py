"""The queue's use cases on the centre database: issue, call, serve, transfer, pause, and the board.

:class:`QueueService` implements :class:`~motcua.services.queue.api.QueueApi` in-process: the one-PC centre uses
it directly, and the centre server wraps it in HTTP. Each write is one ``BEGIN IMMEDIATE`` transaction that
also records an event (the push channel's sequence) and, when a key is given, the answer to the request, so a
retry is answered from that record instead of being carried out twice.

Printing is not done here: the kiosk prints on its own machine after the centre saved the ticket (see
:mod:`motcua.services.queue.kiosk`), so a number is never shown before it exists.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlite_utils import Database

from motcua.domain.device_health import SILENT_AFTER_S, DeviceHealth, DeviceRole, PaperState
from motcua.domain.errors import ConflictError, MotcuaError, NotFoundError, ValidationError
from motcua.domain.queue import (
    CALLABLE,
    CounterPausedError,
    ServiceClosedError,
    Ticket,
    TicketState,
    business_day,
    check_transition,
    choose_next,
    display_number,
    estimate_wait_min,
)
from motcua.domain.queue_codec import from_json, to_json
from motcua.domain.queue_config import CounterConfig, QueueConfig, ServiceConfig
from motcua.domain.queue_rating import WrongTries
from motcua.domain.queue_views import (
    Board,
    CounterView,
    IssuedTicket,
    KioskView,
    QueueChanges,
    QueueEvent,
    RatingPadView,
    TicketRatingView,
)
from motcua.domain.reports.facts import QueueSnapshot, RatingFact, RatingLevel
from motcua.i18n import tr
from motcua.services.context import Clock
from motcua.services.queue import health, supervision
from motcua.services.queue.board import build_board, build_kiosk_view, hours_text
from motcua.services.queue.changes import BoardCache, ChangeReader
from motcua.services.queue.feed import ChangeFeed, Subscription
from motcua.store import queue_archive, queue_ratings
from motcua.store import queue_read as reads
from motcua.store import queue_repo as repo
from motcua.store.db import Store
from motcua.store.queue_schema import migrate_queue_centre

R = TypeVar("R")


def open_queue_store(path: Any) -> Store:
    """The centre database with the queue tables (migrated)."""
    return Store(path, migrate_queue_centre)


# A retried request (same idempotency key) is answered from its record for this many days, then forgotten.
RETRIES_KEPT_DAYS = 2


class QueueService:
    """The centre's queue, in this process.

    Args:
        store: the centre database (open it with :func:`open_queue_store`).
        config: services, counters, priority groups, policy (``kiosk_config/queue.toml``).
        clock: "now" (tests pass a fixed clock).
        feed: where changes are published (one is made when not given).

    Attributes:
        wrong_tries: the wrong ticket numbers each kiosk may still type (the kiosk's rating step).
    """

    def __init__(self, store: Store, config: QueueConfig, clock: Clock = datetime.now, feed: ChangeFeed | None = None):
        self.store = store
        self.config = config
        self.clock = clock
        self.centre = config.centre_id
        self.feed = feed or ChangeFeed()
        self.wrong_tries = WrongTries()
        self._archived_day: date | None = None  # the day whose earlier days' events this process moved out
        self.boards = BoardCache(config, build_board)
        self.changes_reader = ChangeReader(config, self.boards)
        self.feed.publish(reads.latest_seq(store.read(), self.centre))

    # -- plumbing ---------------------------------------------------------------------------------------
    def _mutate(
        self,
        op: str,
        key: str | None,
        params: dict[str, Any],
        fn: Callable[[Database, datetime], R],
        decode: Callable[[Any], R],
    ) -> R:
        # Only a request with a key is recorded and compared: the busiest writes (kiosks, start, finish) carry none.
        digest = hashlib.sha256(json.dumps([op, params], sort_keys=True).encode()).hexdigest() if key else ""
        with self.store.write() as db:
            if key:
                found = repo.find_request(db, key)
                if found is not None:
                    if (found[0], found[1]) != (op, digest):
                        raise ConflictError(tr("Khóa yêu cầu {key} đã được dùng cho một yêu cầu khác", key=key))
                    return decode(json.loads(found[2]))
            now = self.clock()
            day = business_day(now)
            if day != self._archived_day:
                # The first write of a business day closes the days before it (see store/queue_archive.py).
                queue_archive.archive_before(db, self.centre, day)
                queue_archive.forget_requests_before(db, day - timedelta(days=RETRIES_KEPT_DAYS))
            result = fn(db, now)
            if key:
                repo.save_request(db, key, op, digest, json.dumps(to_json(result), ensure_ascii=False), now)
            seq = reads.latest_seq(db, self.centre)
        self._archived_day = day  # only once committed: a rolled-back write leaves the move to the next one
        self.feed.publish(seq)
        return result

    def publish_head(self) -> None:
        """Tell the feed the latest sequence in the database (another process may have written it)."""
        self.feed.publish(reads.latest_seq(self.store.read(), self.centre))

    def commit_failed(self) -> None:
        """A transaction that held writes of this service did not commit (motcua.server.writer runs several in one):
        forget that today's archiving was done, so the next write does it again."""
        self._archived_day = None

    def _service(self, code: str) -> ServiceConfig:
        svc = self.config.service(code)
        if svc is None:
            raise NotFoundError(tr("Không có dịch vụ {code}", code=code))
        return svc

    def _counter(self, number: int) -> CounterConfig:
        cfg = self.config.counter(number)
        if cfg is None:
            raise NotFoundError(tr("Không có quầy số {n}", n=number))
        return cfg

    def _own(self, db: Database, counter: int, ticket_id: int) -> Ticket:
        """The ticket, which must be the one at ``counter``: a stale screen cannot act on someone else's."""
        self._counter(counter)
        t = repo.get_ticket(db, ticket_id)
        if t is None or t.centre != self.centre:
            raise NotFoundError(tr("Không có phiếu số thứ tự {id}", id=ticket_id))
        if t.counter != counter:
            raise ConflictError(tr("Số {number} không ở quầy {counter}", number=t.display, counter=counter))
        return t

    def _move(self, db: Database, t: Ticket, target: TicketState, kind: str, now: datetime, **cols: Any) -> Ticket:
        check_transition(t.display, t.state, target)
        if not repo.set_state(db, t.id, [t.state], target, **cols):
            raise ConflictError(tr("Số {number} vừa được cập nhật ở nơi khác; hãy thử lại", number=t.display))
        if target is TicketState.DONE and t.counter is not None:
            queue_ratings.stamp_clerk(db, self.centre, t.counter, t.id)
        moved = repo.get_ticket(db, t.id)
        assert moved is not None
        repo.add_event(db, self.centre, now, kind, moved, moved.counter)
        return moved

    @staticmethod
    def _ticket_or_none(data: Any) -> Ticket | None:
        return None if data is None else from_json(Ticket, data)

    # -- kiosk ------------------------------------------------------------------------------------------
    def kiosk_view(self) -> KioskView:
        db = self.store.read()
        now = self.clock()
        view = build_kiosk_view(self.config, reads.waiting_counts(db, self.centre, business_day(now)), now)
        return dataclasses.replace(view, rating=self.config.rating.kiosk)

    def issue_ticket(
        self, service: str, priority_group: str | None = None, *, kiosk: str = "", key: str | None = None
    ) -> IssuedTicket:
        svc = self._service(service)
        if priority_group is not None and self.config.priority_group(priority_group) is None:
            raise ValidationError(tr("Không có nhóm ưu tiên {code}", code=priority_group), "priority_group")

        def issue(db: Database, now: datetime) -> IssuedTicket:
            if not svc.is_open(now):
                raise ServiceClosedError(
                    tr(
                        "Dịch vụ \u201c{name}\u201d hiện không cấp số. Giờ cấp số: {hours}.",
                        name=svc.name,
                        hours=hours_text(svc),
                    )
                )
            day = business_day(now)
            number = repo.next_number(db, self.centre, day, svc.code, svc.first_number)
            if number > svc.last_number:
                raise MotcuaError(tr("Đã hết số thứ tự của dịch vụ \u201c{name}\u201d hôm nay", name=svc.name))
            ticket_id = repo.insert_ticket(
                db,
                uid=secrets.token_hex(8),
                centre=self.centre,
                day=day,
                service=svc.code,
                number=number,
                display=display_number(svc.prefix, number, svc.digits),
                priority_group=priority_group,
                now=now,
                kiosk=kiosk,
            )
            t = repo.get_ticket(db, ticket_id, dossiers=False)  # just made: no dossier is linked to it yet
            assert t is not None
            repo.add_event(db, self.centre, now, "issued", t)
            ahead = reads.people_ahead(db, t)
            open_counters = supervision.open_counters(db, self.config, day, svc.code)
            recent = reads.recent_service_seconds(db, self.centre, svc.code, self.config.policy.recent_window)
            wait = estimate_wait_min(ahead, open_counters, recent, self.config.policy)
            return IssuedTicket(t, svc.name, ahead, wait)

        def replay(data: Any) -> IssuedTicket:
            issued = from_json(IssuedTicket, data)
            return IssuedTicket(
                issued.ticket, issued.service_name, issued.people_ahead, issued.estimated_wait_min, True
            )

        params = {"service": service, "priority_group": priority_group, "kiosk": kiosk}
        return self._mutate("issue", key, params, issue, replay)

    def cancel_ticket(self, ticket_id: int, *, key: str | None = None) -> Ticket:
        def cancel(db: Database, now: datetime) -> Ticket:
            t = repo.get_ticket(db, ticket_id)
            if t is None or t.centre != self.centre:
                raise NotFoundError(tr("Không có phiếu số thứ tự {id}", id=ticket_id))
            return self._move(db, t, TicketState.CANCELLED, "cancelled", now, finished_at=now)

        return self._mutate("cancel", key, {"ticket": ticket_id}, cancel, lambda d: from_json(Ticket, d))

    # -- counter ----------------------------------------------------------------------------------------
    def nobody_to_call(self, counter: int, key: str | None) -> bool:
        """Read-only: nothing for ``counter`` to do (no earlier answer under ``key``, open, no ticket of its own,
        nobody waiting). An idle clerk's repeated call-next then costs one read, no write, no event; anything else
        goes through the write, whose compare-and-set decides (this read only ever says "none", never who).

        The server asks it before queueing the write (motcua.server.fast_path).
        """
        cfg = self._counter(counter)
        db = self.store.read()
        day = business_day(self.clock())
        busy, assigned, waiting = reads.counter_state(db, self.centre, day, counter, key, cfg.services)
        if busy:
            return False
        if assigned is not None:  # reassigned for today (rare): who waits for those services, as todays_counter reads
            return not reads.any_callable(db, self.centre, day, tuple(json.loads(assigned)), counter)
        return not waiting

    def call_next(self, counter: int, *, key: str | None = None, checked: bool = False) -> Ticket | None:
        """See :meth:`QueueApi.call_next`; ``checked``: the caller asked :meth:`nobody_to_call` just now (and was
        told there may be someone), so the write goes ahead without asking again."""
        self._counter(counter)
        if not checked and self.nobody_to_call(counter, key):
            return None

        def call(db: Database, now: datetime) -> Ticket | None:
            paused, streak = repo.counter_row(db, self.centre, counter)
            if paused:
                raise CounterPausedError(tr("Quầy {counter} đang tạm dừng; hãy mở lại quầy trước", counter=counter))
            current = repo.active_ticket(db, self.centre, counter)
            if current is not None and current.business_day < business_day(now):
                # Left open when the centre closed yesterday: that day is over, so close it rather than block
                # the counter (a citizen being served is done; one only called never came).
                if current.state is TicketState.SERVING:
                    self._move(db, current, TicketState.DONE, "finished", now, finished_at=now)
                else:
                    self._move(db, current, TicketState.NO_SHOW, "no_show", now, finished_at=now)
                current = None
            if current is not None and current.state is TicketState.SERVING:
                self._move(db, current, TicketState.DONE, "finished", now, finished_at=now)
            elif current is not None:
                raise ConflictError(
                    tr(
                        "Quầy {counter} đang gọi số {number}: hãy bắt đầu phục vụ, báo vắng mặt hoặc chuyển số này "
                        "trước khi gọi số tiếp theo",
                        counter=counter,
                        number=current.display,
                    )
                )
            day = business_day(now)
            cfg = supervision.todays_counter(db, self.config, day, counter)
            choice = choose_next(
                cfg, repo.candidates(db, self.centre, day, cfg.services, counter), now, self.config.policy, streak
            )
            if choice is None:
                return None
            t = repo.get_ticket(db, choice.ticket_id)
            assert t is not None
            check_transition(t.display, t.state, TicketState.CALLED)
            # The compare-and-set is what guarantees one clerk per ticket, whatever happened above.
            if not repo.set_state(db, t.id, CALLABLE, TicketState.CALLED, counter=counter):
                raise ConflictError(tr("Số {number} vừa được quầy khác gọi; hãy gọi lại", number=t.display))
            repo.bump_calls(db, t.id, now)
            queue_ratings.stamp_clerk(db, self.centre, counter, t.id)
            repo.save_counter(db, self.centre, counter, now, priority_streak=choice.priority_streak)
            called = repo.get_ticket(db, t.id)
            assert called is not None
            repo.add_event(db, self.centre, now, "called", called, counter)
            return called

        return self._mutate("call_next", key, {"counter": counter}, call, self._ticket_or_none)

    def _ticket_op(
        self,
        op: str,
        counter: int,
        ticket_id: int,
        key: str | None,
        fn: Callable[[Database, datetime, Ticket], Ticket],
        **extra: Any,
    ) -> Ticket:
        def run(db: Database, now: datetime) -> Ticket:
            return fn(db, now, self._own(db, counter, ticket_id))

        params = {"counter": counter, "ticket": ticket_id, **extra}
        return self._mutate(op, key, params, run, lambda d: from_json(Ticket, d))

    def recall(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        def recall(db: Database, now: datetime, t: Ticket) -> Ticket:
            check_transition(t.display, t.state, TicketState.CALLED)
            repo.bump_calls(db, t.id, now)
            again = repo.get_ticket(db, t.id)
            assert again is not None
            repo.add_event(db, self.centre, now, "recalled", again, counter)
            return again

        return self._ticket_op("recall", counter, ticket_id, key, recall)

    def start(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_op(
            "start",
            counter,
            ticket_id,
            key,
            lambda db, now, t: self._move(db, t, TicketState.SERVING, "started", now, started_at=now),
        )

    def finish(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_op(
            "finish",
            counter,
            ticket_id,
            key,
            lambda db, now, t: self._move(db, t, TicketState.DONE, "finished", now, finished_at=now),
        )

    def no_show(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_op(
            "no_show",
            counter,
            ticket_id,
            key,
            lambda db, now, t: self._move(db, t, TicketState.NO_SHOW, "no_show", now, finished_at=now),
        )

    def transfer(
        self,
        counter: int,
        ticket_id: int,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        key: str | None = None,
    ) -> Ticket:
        if to_service is None and to_counter is None:
            raise ValidationError(tr("Hãy chọn dịch vụ hoặc quầy nhận chuyển"), "to_service")
        if to_service is not None:
            self._service(to_service)
        if to_counter is not None:
            self._counter(to_counter)

        def move(db: Database, now: datetime, t: Ticket) -> Ticket:
            return self._move(
                db,
                t,
                TicketState.TRANSFERRED,
                "transferred",
                now,
                queue=to_service or t.queue,
                target_counter=to_counter,
            )

        return self._ticket_op("transfer", counter, ticket_id, key, move, to_service=to_service, to_counter=to_counter)

    def link_dossier(self, counter: int, ticket_id: int, dossier_code: str, *, key: str | None = None) -> Ticket:
        code = dossier_code.strip()
        if not code:
            raise ValidationError(tr("Thiếu mã hồ sơ"), "dossier_code")

        def link(db: Database, now: datetime, t: Ticket) -> Ticket:
            if t.state not in (TicketState.CALLED, TicketState.SERVING, TicketState.DONE):
                raise ConflictError(tr("Số {number} chưa được phục vụ ở quầy này", number=t.display))
            repo.link_dossier(db, t.id, code, now)
            repo.add_event(db, self.centre, now, "linked", t, counter)
            linked = repo.get_ticket(db, t.id)
            assert linked is not None
            return linked

        return self._ticket_op("link", counter, ticket_id, key, link, dossier=code)

    def _set_paused(self, counter: int, paused: bool, key: str | None) -> CounterView:
        self._counter(counter)

        def run(db: Database, now: datetime) -> CounterView:
            repo.save_counter(db, self.centre, counter, now, paused=int(paused))
            repo.add_event(db, self.centre, now, "paused" if paused else "resumed", None, counter)
            return supervision.counter_view(db, self.config, counter, now)

        op = "pause" if paused else "resume"
        return self._mutate(op, key, {"counter": counter}, run, lambda d: from_json(CounterView, d))

    def pause(self, counter: int, *, key: str | None = None) -> CounterView:
        return self._set_paused(counter, True, key)

    def resume(self, counter: int, *, key: str | None = None) -> CounterView:
        return self._set_paused(counter, False, key)

    # -- ratings, presence, the day's services (supervision.py) -----------------------------------------
    @staticmethod
    def _level(level: RatingLevel | str) -> RatingLevel:
        try:
            return RatingLevel(level)
        except ValueError:
            raise ValidationError(tr("Mức đánh giá không hợp lệ: {level}", level=level), "level") from None

    def rate(
        self, counter: int, level: RatingLevel, reasons: Sequence[str] = (), *, key: str | None = None
    ) -> RatingFact:
        level = self._level(level)
        params = {"counter": counter, "level": level.value, "reasons": list(reasons)}

        def run(db: Database, now: datetime) -> RatingFact:
            return supervision.rate(db, self.config, now, counter, level, reasons)

        return self._mutate("rate", key, params, run, lambda d: from_json(RatingFact, d))

    def _typed(self, kiosk: str, fn: Callable[[], R]) -> R:
        """A kiosk's use of a typed ticket number: refused while the kiosk has no wrong try left; any refusal
        (unknown, unfinished, rated, malformed) counts as a wrong try."""
        now = self.clock().timestamp()
        self.wrong_tries.check(kiosk, now)
        try:
            return fn()
        except MotcuaError:
            self.wrong_tries.missed(kiosk, now)
            raise

    def ticket_rating_view(self, display: str, *, kiosk: str = "") -> TicketRatingView:
        return self._typed(
            kiosk, lambda: supervision.ticket_rating_view(self.store.read(), self.config, self.clock(), display)
        )

    def rate_ticket(
        self,
        display: str,
        level: RatingLevel,
        reasons: Sequence[str] = (),
        *,
        kiosk: str = "",
        key: str | None = None,
    ) -> RatingFact:
        level = self._level(level)
        params = {"display": display, "level": level.value, "reasons": list(reasons), "kiosk": kiosk}

        def run(db: Database, now: datetime) -> RatingFact:
            return supervision.rate_ticket(db, self.config, now, display, level, reasons)

        return self._typed(
            kiosk, lambda: self._mutate("rate_ticket", key, params, run, lambda d: from_json(RatingFact, d))
        )

    def rating_view(self, counter: int) -> RatingPadView:
        return supervision.rating_view(self.store.read(), self.config, counter, self.clock())

    def set_clerk(self, counter: int, clerk: str | None, *, key: str | None = None) -> CounterView:
        self._counter(counter)
        name = supervision.clean_clerk(clerk)

        def run(db: Database, now: datetime) -> CounterView:
            return supervision.set_clerk(db, self.config, now, counter, name)

        return self._mutate("clerk", key, {"counter": counter, "clerk": name}, run, lambda d: from_json(CounterView, d))

    def assign_services(self, counter: int, services: Sequence[str], *, key: str | None = None) -> CounterView:
        self._counter(counter)
        codes = supervision.checked_services(self.config, services)

        def run(db: Database, now: datetime) -> CounterView:
            return supervision.assign_services(db, self.config, now, counter, codes)

        params = {"counter": counter, "services": list(codes)}
        return self._mutate("assign", key, params, run, lambda d: from_json(CounterView, d))

    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        return supervision.snapshot(self.store.read(), self.config, self.clock(), start, end, tickets)

    # -- devices' health (health.py) --------------------------------------------------------------------
    def report_health(
        self,
        role: DeviceRole,
        printer: PaperState,
        version: str,
        *,
        device: str = "",
        counter: int | None = None,
    ) -> DeviceHealth:
        r, p, v, name = health.checked(role, printer, version, device)
        # Not through _mutate: a heartbeat is no change of the queue (no event, nothing published, no board
        # re-read) and needs no idempotency record (an upsert of "heard now": a repeat writes the same state).
        with self.store.write() as db:
            return health.report(db, self.centre, self.clock(), r, p, v, name, counter)

    def device_health(self, silent_after_s: float = SILENT_AFTER_S) -> list[DeviceHealth]:
        return health.devices(self.store.read(), self.centre, self.clock(), silent_after_s)

    # -- reads ------------------------------------------------------------------------------------------
    def board(self, last_calls: int = 10) -> Board:
        now = self.clock()
        return dataclasses.replace(
            self.boards.get(self.store.read(), now, last_calls).board, at=now.replace(microsecond=0)
        )

    def board_json(self, last_calls: int = 10) -> str:
        """:meth:`board` as JSON text, from the one built for the latest change (the server's answer)."""
        now = self.clock()
        return self.boards.get(self.store.read(), now, last_calls).json(now)

    def changes_json(self, since: int, kinds: Sequence[str] = (), board: bool = False, tick: int | None = None) -> str:
        """What changed since ``since``, as the JSON of a :class:`QueueChanges` (see :mod:`.changes`)."""
        return self.changes_reader.read(self.store.read(), self.clock(), since, kinds, board, tick)[1]

    def changes(self, since: int, kinds: Sequence[str] = (), board: bool = False) -> QueueChanges:
        return from_json(QueueChanges, json.loads(self.changes_json(since, kinds, board)))

    def ticket(self, ticket_id: int) -> Ticket:
        t = repo.get_ticket(self.store.read(), ticket_id)
        if t is None or t.centre != self.centre:
            raise NotFoundError(tr("Không có phiếu số thứ tự {id}", id=ticket_id))
        return t

    def events(self, after: int, limit: int = 200, kinds: Sequence[str] = ()) -> list[QueueEvent]:
        return reads.events_since(self.store.read(), self.centre, after, min(max(1, limit), 1000), kinds)

    def latest_seq(self) -> int:
        return reads.latest_seq(self.store.read(), self.centre)

    def subscribe(self, on_change: Callable[[int], None]) -> Subscription:
        return self.feed.subscribe(on_change)
