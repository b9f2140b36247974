"""A sync node's use cases as a server offers them to the nodes below: take pushed events and documents, hand
out changes after a cursor, serve the catalog, and let an operator move a dossier (the province deciding it).

The same class serves a centre (for its workstations) and the province (for its centres); the difference is the
replica's ``root`` flag and who the peers are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.domain.codes import check_agency_id
from motcua.domain.errors import ConflictError, NotFoundError, ValidationError
from motcua.domain.status import Action, Status, next_status
from motcua.domain.sync_conflicts import ConflictItem, check_note
from motcua.domain.sync_envelope import ACTION, CONFLICT_SETTLED, Envelope, parse_envelope
from motcua.domain.sync_view import CONFLICT
from motcua.i18n import tr
from motcua.services.queue.feed import ChangeFeed
from motcua.store import audit_chain, replica_peers
from motcua.store.replica import Outcome, Page, Peer, Replica
from motcua.store.replica_docs import DocumentStore, UploadState
from motcua.store.replica_schema import migrate
from motcua.store.sql import Database, Sql

Clock = Callable[[], datetime]
MAX_BATCH = 1000
MAX_PAGE = 500


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class SyncNode:
    """One node's replica, documents and change notifications.

    Args:
        db: the node's database (SQLite store or PostgreSQL).
        replica: how events are kept here (its ``root`` flag says whether this is the province).
        files_dir: the node's data folder (documents under ``files/``).
        clock: "now".
    """

    def __init__(self, db: Database, replica: Replica, files_dir: Path, clock: Clock = _now) -> None:
        self.db = db
        self.replica = replica
        self.docs = DocumentStore(files_dir, db)
        self.clock = clock
        self.feed = ChangeFeed()  # "the feed moved": the server's push channel re-emits it
        self.on_push: list[Callable[[], None]] = []  # "events arrived from below" (the uplink wakes up)
        with db.write() as sql:
            migrate(sql, clock())
            top = sql.execute("SELECT COALESCE(MAX(seq), 0) FROM rep_feed").fetchone()[0]
        self.feed.publish(int(top))

    def announce(self) -> None:
        """Tell the nodes below that the feed moved (after changes pulled from above, say)."""
        self._published()

    def _published(self) -> None:
        with self.db.read() as sql:
            top = sql.execute("SELECT COALESCE(MAX(seq), 0) FROM rep_feed").fetchone()[0]
        self.feed.publish(int(top))

    # -- pushed from below ---------------------------------------------------------------------------------
    def push(self, texts: Sequence[str], peer: Peer) -> list[Outcome]:
        if len(texts) > MAX_BATCH:
            raise ValidationError(tr("Mỗi lần gửi tối đa {n} sự kiện", n=MAX_BATCH), "events")
        with self.db.write() as sql:
            out = self.replica.accept(sql, texts, peer, self.clock())
            tally: dict[str, int] = {}
            for o in out:
                tally[o.result] = tally.get(o.result, 0) + 1
            for result, n in tally.items():  # what this server answered, for the operator and the fault tests
                replica_peers.bump_state(sql, f"answered.{result}", n)
        if any(o.result == "stored" for o in out):
            self._published()
            for hook in self.on_push:
                hook()
        return out

    def known(self, keys: Sequence[str]) -> list[str]:
        if len(keys) > 5000:
            raise ValidationError(tr("Mỗi lần hỏi tối đa {n} khóa", n=5000), "keys")
        if any("\x00" in k for k in keys):  # no key has one, and PostgreSQL text cannot even hold it to compare
            raise ValidationError(tr("Khóa sự kiện không được chứa ký tự NUL"), "keys")
        with self.db.read() as sql:
            return self.replica.known(sql, keys)

    def high_water(self, origin: str) -> int:
        with self.db.read() as sql:
            return self.replica.high_water(sql, origin)

    # -- documents -----------------------------------------------------------------------------------------
    def upload_state(self, sha: str) -> UploadState:
        return self.docs.state(sha)

    def put_chunk(self, sha: str, offset: int, total: int, chunk: bytes, peer: Peer) -> UploadState:
        return self.docs.put_chunk(sha, offset, total, chunk, peer.id, self.clock())

    def read_document(self, sha: str, offset: int, length: int) -> tuple[bytes, int]:
        return self.docs.read_chunk(sha, offset, length)

    # -- handed down -----------------------------------------------------------------------------------------
    def changes(self, holder: str, after: int, limit: int) -> Page:
        with self.db.read() as sql:
            return self.replica.changes(sql, holder, max(0, after), max(1, min(limit, MAX_PAGE)))

    def dossier(self, code: str) -> dict[str, Any]:
        with self.db.read() as sql:
            # No code has a NUL, and PostgreSQL text cannot even hold one to look it up.
            snap = None if "\x00" in code else self.replica.snapshot(sql, code)
        if snap is None:
            raise NotFoundError(tr("Không tìm thấy hồ sơ {code}", code=code))
        return snap

    def catalog(self) -> tuple[str, str] | None:
        with self.db.read() as sql:
            return replica_peers.catalog(sql)

    def published(self, name: str) -> tuple[str, str] | None:
        """(etag, body) of what this node hands down as ``name`` (the calendar's announced days)."""
        with self.db.read() as sql:
            return replica_peers.published(sql, name)

    def publish(self, name: str, body: str) -> str:
        with self.db.write() as sql:
            etag = replica_peers.publish(sql, name, body, self.clock())
        return etag

    def publish_catalog(self, body: str) -> str:
        with self.db.write() as sql:
            etag = replica_peers.publish_catalog(sql, body, self.clock())
        return etag

    # -- decided here ----------------------------------------------------------------------------------------
    def act(self, code: str, action: Action, actor: str, note: str = "", agency: str = "") -> Envelope:
        """A status change decided at this node (the province resolving, asking for a supplement …)."""
        if action in (Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.STOP, Action.WITHDRAW) and not note:
            raise ValidationError(tr("Hãy ghi lý do"), "note")
        if action is Action.TRANSFER:
            agency = check_agency_id(agency)
        now = self.clock()
        with self.db.write() as sql:
            sql.lock(f"dossier:{code}")
            row = sql.execute("SELECT status, due_at FROM rep_dossiers WHERE code = ?", [code]).fetchone()
            if row is None or row[0] is None:
                raise NotFoundError(tr("Không tìm thấy hồ sơ {code}", code=code))
            target = next_status(Status(int(row[0])), action)
            data = {
                "action": action.value,
                "status_after": int(target),
                "clerk": actor,
                "note": note,
                "agency": agency,
                "due_after": row[1],
            }
            env = self.replica.record_local(sql, kind=ACTION, dossier=code, data=data, now=now)
            # The node's own audit chain: a province or centre decision is attributed like a counter's.
            detail = json.dumps({"note": note, "agency": agency}, ensure_ascii=False)
            audit_chain.record_node(
                sql, self.replica.origin, actor=actor, action=action.value, entity=code, at=now, detail=detail
            )
        self._published()
        return env

    def conflicts(self, include_settled: bool = False) -> list[ConflictItem]:
        with self.db.read() as sql:
            rows = sql.execute(
                "SELECT key, dossier, kind, origin, envelope, settled_by FROM rep_events WHERE verdict = ? ORDER BY id",
                [CONFLICT],
            ).fetchall()
        out = []
        for r in rows:
            if r[5] and not include_settled:
                continue
            env = parse_envelope(r[4])
            out.append(ConflictItem(r[0], r[1], r[2], r[3], env.at, str(env.data.get("action", env.kind)), r[5]))
        return out

    def settle(self, key: str, actor: str, note: str) -> Envelope:
        """A supervisor has looked at a conflict: record it (as an event that travels like the others).

        Settling is done once: the same note again (a retry) answers the first settlement's event and records
        nothing; another note on a settled conflict is refused (:class:`ConflictError`, naming who settled it).
        """
        note = check_note(note)
        now = self.clock()
        with self.db.write() as sql:
            row = sql.execute("SELECT dossier, verdict, settled_by FROM rep_events WHERE key = ?", [key]).fetchone()
            if row is None or row[1] != CONFLICT:
                raise NotFoundError(tr("Không có xung đột {key}", key=key))
            if row[2] is not None:
                first = self._settlement(sql, row[0], key)
                if first is not None and first.data.get("note") == note:
                    return first
                raise ConflictError(tr("Xung đột {key} đã được {by} xử lý", key=key, by=row[2]))
            env = self.replica.record_local(
                sql,
                kind=CONFLICT_SETTLED,
                dossier=row[0],
                data={"conflict": key, "by": actor, "note": note},
                now=now,
            )
            sql.execute("UPDATE rep_events SET settled_by = ? WHERE key = ?", [actor, key])
            detail = json.dumps({"conflict": key, "note": note}, ensure_ascii=False)
            audit_chain.record_node(
                sql, self.replica.origin, actor=actor, action="settle_conflict", entity=row[0], at=now, detail=detail
            )
        self._published()
        return env

    @staticmethod
    def _settlement(sql: Sql, dossier: str, key: str) -> Envelope | None:
        """The first event settling conflict ``key`` of ``dossier`` held here (None: settled with no event here)."""
        rows = sql.execute(
            "SELECT envelope FROM rep_events WHERE dossier = ? AND kind = ? ORDER BY id", [dossier, CONFLICT_SETTLED]
        ).fetchall()
        for (text,) in rows:
            env = parse_envelope(text)
            if env.data.get("conflict") == key:
                return env
        return None

    def summary(self) -> dict[str, Any]:
        with self.db.read() as sql:

            def one(q: str, *p: Any) -> int:
                return int(sql.execute(q, list(p)).fetchone()[0] or 0)

            return {
                "dossiers": one("SELECT COUNT(*) FROM rep_dossiers"),
                "events": one("SELECT COUNT(*) FROM rep_events"),
                "documents": one("SELECT COUNT(*) FROM rep_documents"),
                "conflicts": one("SELECT COUNT(*) FROM rep_events WHERE verdict = ? AND settled_by IS NULL", CONFLICT),
                "outbox_pending": one("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND parked = 0"),
                "outbox_parked": one("SELECT COUNT(*) FROM outbox WHERE parked <> 0"),
                "feed_seq": one("SELECT COALESCE(MAX(seq), 0) FROM rep_feed"),
                "answered": replica_peers.counters(sql, "answered."),
            }

    def close(self) -> None:
        self.db.close()
