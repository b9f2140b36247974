"""The sync replica: the events a node holds, its view of each dossier, its feed for the nodes below, and its
queue for the node above. The same code runs on a workstation, a centre and the province (SQLite or PostgreSQL).

Three ways an event gets here, each inside one write transaction with everything it changes:

- :meth:`Replica.record_local`: a change made on this node (a clerk saved a dossier): the event, the new view,
  the feed row and the outbox item commit together.
- :meth:`Replica.accept`: events pushed by a node below. The unique constraint on the key decides "already have
  it" (same bytes) from a conflict (other bytes); an event whose predecessor is missing is refused as a gap; one
  that names a document not yet here waits for it.
- :meth:`Replica.apply_snapshots`: dossiers pulled from the node above, which carry that node's view.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.domain.codes import parse_dossier_code
from motcua.domain.errors import ValidationError
from motcua.domain.sync_envelope import (
    ACTION,
    CONFLICT_SETTLED,
    FIRST_KINDS,
    RECEIVED,
    VISIT,
    Envelope,
    make_envelope,
    parse_envelope,
)
from motcua.domain.sync_view import APPLIED, CONFLICT, DossierView, ViewEvent, replay
from motcua.i18n import tr
from motcua.store import outbox
from motcua.store.clock import iso
from motcua.store.sql import Sql

EVERY_WORKSTATION = "*"  # the holder name of a centre's feed: every workstation of the centre reads it


@dataclass(frozen=True, slots=True)
class Peer:
    """A node below that pushes here, as its credential says.

    Attributes:
        id: the device (at a centre) or the centre id (at the province); recorded as the events' source.
        origins: the origins it may push events for (exact ids, or prefixes ending in "/").
        agencies: the agency ids whose dossier codes it may create (a reception's code starts with one).
        holder: the feed holder it reads (``*`` for a workstation; its centre id at the province), and whose
            dossiers it may change.
    """

    id: str
    origins: tuple[str, ...]
    agencies: frozenset[str]
    holder: str

    def may_push(self, origin: str) -> bool:
        return any(origin == o or (o.endswith("/") and origin.startswith(o)) for o in self.origins)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the receiving node says of one pushed event.

    result: ``stored`` (201), ``duplicate`` (200, already held with identical bytes), ``conflict`` (409, the key
    or the origin's sequence number is taken by other bytes), ``gap`` (409, the event's predecessor is not here:
    resend from ``resend_from``), ``missing_documents`` (424, upload ``missing`` first), ``forbidden`` (403),
    ``rejected`` (422, malformed; will never be accepted).
    """

    key: str
    result: str
    status: int
    message: str = ""
    resend_from: int | None = None
    missing: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "result": self.result, "status": self.status}
        if self.message:
            out["message"] = self.message
        if self.resend_from is not None:
            out["resend_from"] = self.resend_from
        if self.missing:
            out["missing"] = list(self.missing)
        return out


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the feed: dossier snapshots changed after the caller's cursor, and the next cursor."""

    cursor: int
    more: bool
    dossiers: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying pulled snapshots did: dossiers whose view changed, and events new to this node."""

    changed: tuple[str, ...]
    new_events: int
    errors: tuple[str, ...] = ()


ViewHook = Callable[[Sql, str, DossierView, list[Envelope]], None]
RouteHook = Callable[[Sql, str, Envelope], Iterable[str]]


@dataclass
class Replica:
    """One node's replica.

    Args:
        origin: this node's own origin id, for the events made here.
        root: True on the province: no upstream, every verdict is final and nothing goes to an outbox.
        documents_dir: where ``files/<sha[:2]>/<sha>.pdf`` live (see :mod:`motcua.store.replica_docs`).
        on_view: called inside the transaction whenever a dossier's view changed (a workstation rewrites the
            tables its windows read).
        route: at the province, extra holders of a dossier after an applied event (the centre whose agency handles
            a dossier received elsewhere).
    """

    origin: str
    root: bool = False
    documents_dir: Path | None = None
    on_view: ViewHook | None = None
    route: RouteHook | None = None

    # -- reading -------------------------------------------------------------------------------------------
    def envelopes(self, sql: Sql, dossier: str) -> list[tuple[Envelope, str]]:
        """The dossier's events in this node's view order, with their verdicts."""
        rows = sql.execute(
            "SELECT envelope, verdict FROM rep_events WHERE dossier = ? ORDER BY pos, id", [dossier]
        ).fetchall()
        return [(parse_envelope(r[0]), r[1]) for r in rows]

    def snapshot(self, sql: Sql, dossier: str) -> dict[str, Any] | None:
        row = sql.execute("SELECT version, status, due_at FROM rep_dossiers WHERE code = ?", [dossier]).fetchone()
        if row is None:
            return None
        events = sql.execute(
            "SELECT key, verdict, envelope, at_root FROM rep_events WHERE dossier = ? ORDER BY pos, id", [dossier]
        ).fetchall()
        return {
            "code": dossier,
            "version": int(row[0]),
            "status": row[1],
            "due_at": row[2],
            "events": [{"key": e[0], "verdict": e[1], "envelope": e[2], "at_root": bool(e[3])} for e in events],
        }

    def not_at_root(self, sql: Sql, dossier: str | None = None) -> int:
        """Events (of one dossier, or all) the province does not have yet, as far as this node knows."""
        if dossier is None:
            return int(sql.execute("SELECT COUNT(*) FROM rep_events WHERE at_root = 0").fetchone()[0])
        row = sql.execute("SELECT COUNT(*) FROM rep_events WHERE dossier = ? AND at_root = 0", [dossier])
        return int(row.fetchone()[0])

    def high_water(self, sql: Sql, origin: str) -> int:
        row = sql.execute("SELECT high_water FROM rep_origins WHERE origin = ?", [origin]).fetchone()
        return int(row[0]) if row else 0

    def known(self, sql: Sql, keys: Sequence[str]) -> list[str]:
        found: list[str] = []
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            found += [r[0] for r in sql.execute(f"SELECT key FROM rep_events WHERE key IN ({marks})", chunk).fetchall()]
        return found

    def changes(self, sql: Sql, holder: str, after: int, limit: int) -> Page:
        """Dossiers changed after ``after`` for ``holder``; call inside ``read()`` (one snapshot).

        The cursor is taken before the query: feed rows are numbered in commit order (writers serialise on the
        feed), so nothing committed later can get a number at or below it.
        """
        top = int(sql.execute("SELECT COALESCE(MAX(seq), 0) FROM rep_feed").fetchone()[0])
        rows = sql.execute(
            "SELECT seq, dossier FROM rep_feed WHERE holder = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
            [holder, after, top, limit],
        ).fetchall()
        more = len(rows) == limit
        cursor = int(rows[-1][0]) if more else max(top, after)
        snaps = [s for s in (self.snapshot(sql, r[1]) for r in rows) if s is not None]
        return Page(cursor, more, snaps)

    # -- local changes -------------------------------------------------------------------------------------
    def last_key(self, sql: Sql, dossier: str) -> str | None:
        row = sql.execute(
            "SELECT key FROM rep_events WHERE dossier = ? ORDER BY pos DESC, id DESC LIMIT 1", [dossier]
        ).fetchone()
        return None if row is None else str(row[0])

    def record_local(
        self,
        sql: Sql,
        *,
        kind: str,
        dossier: str,
        data: dict[str, Any],
        now: datetime,
        documents: Sequence[str] = (),
        at: datetime | None = None,
    ) -> Envelope:
        """Make an event here (inside the caller's write transaction, with the change it describes)."""
        sql.lock(f"dossier:{dossier}")
        prev = None if kind in FIRST_KINDS else self.last_key(sql, dossier)
        if kind not in FIRST_KINDS and prev is None:
            raise ValidationError(tr("Không tìm thấy hồ sơ {code}", code=dossier))
        env = make_envelope(
            origin=self.origin,
            origin_seq=self.high_water(sql, self.origin) + 1,
            kind=kind,
            dossier=dossier,
            prev=prev,
            at=iso(at or now) or "",
            data=data,
            documents=tuple(documents),
        )
        self._insert(sql, env, "local", now)
        self._refresh(sql, dossier, now)
        if not self.root:
            self._enqueue(sql, env, now)
        return env

    # -- pushed from below ---------------------------------------------------------------------------------
    def accept(self, sql: Sql, texts: Sequence[str], peer: Peer, now: datetime) -> list[Outcome]:
        """Take a batch of pushed events, in order (call inside one write transaction)."""
        parsed: list[Envelope | Outcome] = []
        for text in texts:
            try:
                parsed.append(parse_envelope(text))
            except ValidationError as exc:
                parsed.append(Outcome(key_of(text), "rejected", 422, str(exc)))
            except RecursionError:  # JSON nested deeper than the parser goes: as malformed as any other
                reason = tr("Sự kiện đồng bộ không hợp lệ: {reason}", reason="nested too deeply")
                parsed.append(Outcome("", "rejected", 422, reason))
        # Lock every dossier of the batch up front, in one order, so two batches cannot deadlock.
        for code in sorted({p.dossier for p in parsed if isinstance(p, Envelope)}):
            sql.lock(f"dossier:{code}")
        changed: set[str] = set()
        out: list[Outcome] = []
        for p in parsed:
            if isinstance(p, Outcome):
                out.append(p)
                continue
            outcome = self._accept_one(sql, p, peer, now)
            if outcome.result == "stored":
                changed.add(p.dossier)
            out.append(outcome)
        for code in sorted(changed):
            self._refresh(sql, code, now)
        return out

    def _accept_one(self, sql: Sql, env: Envelope, peer: Peer, now: datetime) -> Outcome:
        same = sql.execute("SELECT sha256 FROM rep_events WHERE key = ?", [env.key]).fetchone()
        if same is not None:
            if same[0] == env.sha256:
                return Outcome(env.key, "duplicate", 200)
            return Outcome(env.key, "conflict", 409, tr("Khóa sự kiện đã có với nội dung khác"))
        taken = sql.execute(
            "SELECT key FROM rep_events WHERE origin = ? AND origin_seq = ?", [env.origin, env.origin_seq]
        ).fetchone()
        if taken is not None:
            return Outcome(
                env.key,
                "conflict",
                409,
                tr("Số thứ tự {seq} của {origin} đã dùng cho sự kiện khác", seq=env.origin_seq, origin=env.origin),
            )
        if not peer.may_push(env.origin):
            return Outcome(
                env.key,
                "forbidden",
                403,
                tr("Thiết bị {peer} không được gửi sự kiện của {origin}", peer=peer.id, origin=env.origin),
            )
        if env.kind == RECEIVED:
            try:
                agency = parse_dossier_code(env.dossier).agency_id
            except ValidationError as exc:  # the shape of a code, but no such day (261332): this event only
                return Outcome(env.key, "rejected", 422, str(exc))
            if agency not in peer.agencies:
                return Outcome(
                    env.key,
                    "forbidden",
                    403,
                    tr("Mã hồ sơ {code} không thuộc đơn vị của {peer}", code=env.dossier, peer=peer.id),
                )
            if env.data.get("agency_id") != agency:
                return Outcome(env.key, "rejected", 422, tr("Mã đơn vị trong hồ sơ khác mã hồ sơ"))
        elif env.kind != VISIT:
            prev = sql.execute("SELECT dossier FROM rep_events WHERE key = ?", [env.prev]).fetchone()
            if prev is None:
                return Outcome(
                    env.key,
                    "gap",
                    409,
                    tr("Thiếu sự kiện đứng trước; hãy gửi lại từ chỗ thiếu"),
                    resend_from=self.high_water(sql, env.origin) + 1,
                    missing=(env.prev or "",),
                )
            if prev[0] != env.dossier:
                return Outcome(env.key, "rejected", 422, tr("Sự kiện đứng trước thuộc hồ sơ khác"))
            if self.root and not self._holds(sql, env.dossier, peer.holder):
                return Outcome(
                    env.key,
                    "forbidden",
                    403,
                    tr("Đơn vị {peer} không giữ hồ sơ {code}", peer=peer.id, code=env.dossier),
                )
        missing = tuple(d for d in env.documents if not self.has_document(sql, d))
        if missing:
            return Outcome(env.key, "missing_documents", 424, tr("Hãy gửi tệp trước sự kiện"), missing=missing)
        self._insert(sql, env, peer.id, now)
        if self.root and env.kind == RECEIVED:
            self.add_holder(sql, env.dossier, peer.holder, now)
        if not self.root:
            self._enqueue(sql, env, now)
        return Outcome(env.key, "stored", 201)

    # -- pulled from above ---------------------------------------------------------------------------------
    def apply_snapshots(self, sql: Sql, snapshots: Sequence[dict[str, Any]], now: datetime) -> Applied:
        """Adopt the upstream's view of each dossier (call inside one write transaction).

        A snapshot that cannot be adopted (malformed, or an event whose bytes differ from ours) is left out and
        reported, inside a savepoint, so that one bad dossier never stops the others from arriving.
        """
        changed: list[str] = []
        errors: list[str] = []
        new = 0
        for snap in snapshots:
            code = str(snap.get("code", ""))
            sql.execute("SAVEPOINT snapshot")
            try:
                added, moved = self._apply_snapshot(sql, code, snap, now)
            except (ValidationError, KeyError, TypeError, ValueError) as exc:
                sql.execute("ROLLBACK TO SAVEPOINT snapshot")
                errors.append(f"{code}: {exc}")
            else:
                new += added
                if moved:
                    changed.append(code)
            sql.execute("RELEASE SAVEPOINT snapshot")
        return Applied(tuple(changed), new, tuple(errors))

    def _apply_snapshot(self, sql: Sql, code: str, snap: dict[str, Any], now: datetime) -> tuple[int, bool]:
        sql.lock(f"dossier:{code}")
        seen: set[str] = set()
        new = 0
        reached = False  # the province now has events it did not: tell the nodes below, though the view is the same
        for pos, item in enumerate(snap["events"]):
            env = parse_envelope(item["envelope"])
            if env.dossier != code or env.key != item["key"]:
                raise ValidationError(tr("Dữ liệu đồng bộ từ máy chủ không khớp hồ sơ {code}", code=code))
            verdict = item["verdict"] if item["verdict"] in (APPLIED, CONFLICT) else CONFLICT
            seen.add(env.key)
            row = sql.execute("SELECT sha256 FROM rep_events WHERE key = ?", [env.key]).fetchone()
            if row is None:
                taken = sql.execute(
                    "SELECT key FROM rep_events WHERE origin = ? AND origin_seq = ?", [env.origin, env.origin_seq]
                ).fetchone()
                if taken is not None:
                    raise ValidationError(
                        tr(
                            "Số thứ tự {seq} của {origin} đã dùng cho sự kiện khác",
                            seq=env.origin_seq,
                            origin=env.origin,
                        )
                    )
                self._insert(sql, env, "up", now)
                new += 1
            elif row[0] != env.sha256:
                # Never overwrite bytes: keep ours, and say so (a bug or tampering somewhere).
                raise ValidationError(tr("Máy chủ gửi sự kiện {key} với nội dung khác", key=env.key))
            cur = sql.execute(
                "UPDATE rep_events SET at_root = ? WHERE key = ? AND at_root <> ?",
                [int(bool(item.get("at_root"))), env.key, int(bool(item.get("at_root")))],
            )
            reached |= bool(cur.rowcount)
            sql.execute("UPDATE rep_events SET up_pos = ?, up_verdict = ? WHERE key = ?", [pos, verdict, env.key])
            outbox.confirm(sql, env.key, now)
        # The upstream lost events it had confirmed (a restored backup): they are pending here again, and ours go
        # back into the outbox.
        for (key,) in sql.execute(
            "SELECT key FROM rep_events WHERE dossier = ? AND up_pos IS NOT NULL", [code]
        ).fetchall():
            if key not in seen:
                sql.execute("UPDATE rep_events SET up_pos = NULL, up_verdict = NULL WHERE key = ?", [key])
                outbox.unconfirm(sql, key)
        sql.execute("UPDATE rep_dossiers SET up_version = ? WHERE code = ?", [int(snap["version"]), code])
        return new, self._refresh(sql, code, now, force=reached)

    # -- shared steps --------------------------------------------------------------------------------------
    def _insert(self, sql: Sql, env: Envelope, source: str, now: datetime) -> None:
        sql.execute(
            """INSERT INTO rep_events (key, origin, origin_seq, dossier, prev, kind, envelope, sha256, source,
                arrived_at, at_root) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                env.key,
                env.origin,
                env.origin_seq,
                env.dossier,
                env.prev,
                env.kind,
                env.text,
                env.sha256,
                source,
                iso(now),
                int(self.root),
            ],
        )
        for sha in env.documents:
            sql.execute(
                "INSERT INTO rep_event_documents (event_key, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [env.key, sha],
            )
        if env.kind == RECEIVED:
            # Made here, a code already held is a broken number lease: fail the save (the UNIQUE constraint
            # raises) rather than print a receipt with a code someone else has. Arriving from elsewhere, it is kept
            # and shown as a conflict.
            on_conflict = "" if source == "local" else " ON CONFLICT (code) DO NOTHING"
            sql.execute(
                f"INSERT INTO rep_dossiers (code, agency_id, updated_at) VALUES (?, ?, ?){on_conflict}",
                [env.dossier, parse_dossier_code(env.dossier).agency_id, iso(now)],
            )
        self._advance_origin(sql, env.origin, env.origin_seq)

    def _advance_origin(self, sql: Sql, origin: str, seq: int) -> None:
        """Keep the highest sequence number held with none missing below it (what a gap answer resends from)."""
        hw = self.high_water(sql, origin)
        if seq != hw + 1:
            return
        top = seq
        while sql.execute("SELECT 1 FROM rep_events WHERE origin = ? AND origin_seq = ?", [origin, top + 1]).fetchone():
            top += 1
        sql.execute(
            """INSERT INTO rep_origins (origin, high_water) VALUES (?, ?)
               ON CONFLICT (origin) DO UPDATE SET high_water = excluded.high_water""",
            [origin, top],
        )

    def _enqueue(self, sql: Sql, env: Envelope, now: datetime) -> None:
        sql.execute(
            """INSERT INTO outbox (key, kind, entity, payload, sha256, created_at, origin, origin_seq)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING""",
            [env.key, env.kind, env.dossier, env.text, env.sha256, iso(now), env.origin, env.origin_seq],
        )

    def view(self, sql: Sql, dossier: str) -> DossierView:
        """The dossier's view as this node replays it now (what :meth:`_refresh` stores)."""
        return self._replay(sql, dossier)[2]

    def _replay(self, sql: Sql, dossier: str) -> tuple[list[Any], dict[str, Envelope], DossierView]:
        rows = sql.execute(
            "SELECT key, envelope, up_pos, up_verdict, pos, verdict FROM rep_events WHERE dossier = ? ORDER BY id",
            [dossier],
        ).fetchall()
        envs = {r[0]: parse_envelope(r[1]) for r in rows}
        confirmed = sorted((r for r in rows if r[2] is not None), key=lambda r: int(r[2]))
        pending = [r for r in rows if r[2] is None]
        view = replay(
            [(ViewEvent(r[0], envs[r[0]].kind, envs[r[0]].data), r[3] or CONFLICT) for r in confirmed],
            [ViewEvent(r[0], envs[r[0]].kind, envs[r[0]].data) for r in pending],
        )
        return rows, envs, view

    def _refresh(self, sql: Sql, dossier: str, now: datetime, force: bool = False) -> bool:
        """Replay the dossier's view; store positions, verdicts and state; feed and project it if it changed."""
        rows, envs, view = self._replay(sql, dossier)
        before = {r[0]: (int(r[4]), r[5]) for r in rows}
        moved = False
        for pos, (key, verdict) in enumerate(view.order):
            if before[key] != (pos, verdict):
                moved = True
                sql.execute("UPDATE rep_events SET pos = ?, verdict = ? WHERE key = ?", [pos, verdict, key])
        state = sql.execute(
            "SELECT status, due_at, received_key, version FROM rep_dossiers WHERE code = ?", [dossier]
        ).fetchone()
        status = None if view.status is None else int(view.status)
        new_state = (status, view.due_at, view.received_key)
        if state is None:
            # Events without their reception (its holder will send it): nothing to show yet.
            return False
        if not moved and not force and tuple(state[:3]) == new_state:
            return False
        sql.execute(
            """UPDATE rep_dossiers SET status = ?, due_at = ?, received_key = ?, version = version + 1,
                conflicts = ?, updated_at = ? WHERE code = ?""",
            [status, view.due_at, view.received_key, len(view.conflicts), iso(now), dossier],
        )
        holders = [EVERY_WORKSTATION] if not self.root else self._holders(sql, dossier)
        if self.root and self.route is not None:
            for key, verdict in view.order:
                if verdict == APPLIED and envs[key].kind in (RECEIVED, ACTION):
                    for holder in self.route(sql, dossier, envs[key]):
                        if holder not in holders:
                            self.add_holder(sql, dossier, holder, now, feed=False)
                            holders.append(holder)
        for key, verdict in view.order:
            env = envs[key]
            if verdict == APPLIED and env.kind == CONFLICT_SETTLED:
                sql.execute(
                    "UPDATE rep_events SET settled_by = ? WHERE key = ? AND settled_by IS NULL",
                    [str(env.data.get("by") or env.origin), env.data.get("conflict")],
                )
        self._feed(sql, dossier, holders)
        if self.on_view is not None:
            self.on_view(sql, dossier, view, [envs[k] for k, _ in view.order])
        return True

    def _feed(self, sql: Sql, dossier: str, holders: Iterable[str]) -> None:
        # The last lock a writer takes, held to its commit: feed numbers are given in commit order.
        sql.lock("feed")
        for holder in holders:
            sql.execute("DELETE FROM rep_feed WHERE holder = ? AND dossier = ?", [holder, dossier])
            sql.execute("INSERT INTO rep_feed (holder, dossier) VALUES (?, ?)", [holder, dossier])

    def _holders(self, sql: Sql, dossier: str) -> list[str]:
        rows = sql.execute("SELECT holder FROM rep_holders WHERE dossier = ? ORDER BY since, holder", [dossier])
        return [r[0] for r in rows.fetchall()]

    def _holds(self, sql: Sql, dossier: str, holder: str) -> bool:
        row = sql.execute("SELECT 1 FROM rep_holders WHERE dossier = ? AND holder = ?", [dossier, holder])
        return row.fetchone() is not None

    def add_holder(self, sql: Sql, dossier: str, holder: str, now: datetime, feed: bool = True) -> None:
        cur = sql.execute(
            "INSERT INTO rep_holders (dossier, holder, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [dossier, holder, iso(now)],
        )
        if feed and cur.rowcount and sql.execute("SELECT 1 FROM rep_dossiers WHERE code = ?", [dossier]).fetchone():
            self._feed(sql, dossier, [holder])

    def has_document(self, sql: Sql, sha: str) -> bool:
        return sql.execute("SELECT 1 FROM rep_documents WHERE sha256 = ?", [sha]).fetchone() is not None

    def missing_documents(self, sql: Sql, limit: int = 100, foreign_to: str | None = None) -> list[str]:
        """Files named by events held here whose bytes are not here (to fetch from upstream).

        Args:
            foreign_to: only for dossiers received by another unit than this agency (the papers of a dossier
                received here are already at its own workstation and centre).
        """
        rows = sql.execute(
            """SELECT DISTINCT x.sha256 FROM rep_event_documents x
               JOIN rep_events e ON e.key = x.event_key
               JOIN rep_dossiers r ON r.code = e.dossier
               LEFT JOIN rep_documents d ON d.sha256 = x.sha256
               WHERE d.sha256 IS NULL AND (? = '' OR r.agency_id <> ?) ORDER BY x.sha256 LIMIT ?""",
            [foreign_to or "", foreign_to or "", limit],
        ).fetchall()
        return [r[0] for r in rows]


def key_of(text: str) -> str:
    """The key of an event we could not accept, if it has a readable one (for the answer)."""
    try:
        value = json.loads(text).get("key", "")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return value if isinstance(value, str) else ""
