"""Audit chains on any node (SQLite or PostgreSQL): what goes up, what comes in from below, and the check.

A workstation's own entries are in ``audit_log`` (with ``audit_heads``, see :mod:`motcua.store.audit`); a centre and
the province keep the entries pushed from below, and their own, in ``rep_audit`` (with ``rep_audit_heads``). A
node pushes each origin's entries upstream in number order and remembers, per origin, the last one the node above
has (``rep_state`` ``audit.sent:<origin>``): a retry is answered "already have it", so every entry arrives once.
The receiver stores an entry only if its hash matches its fields and it links to the entry before it that the
receiver holds for that origin; a break is refused, never stored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua.domain.audit_chain import GENESIS, AuditEntry, HeldEntry, Problem, verify_chain
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.store import replica_peers
from motcua.store.clock import iso
from motcua.store.replica import Peer
from motcua.store.sql import Sql

SENT = "audit.sent:"
LAST_ERROR = "audit.last_error"
_COLUMNS = "origin, seq, at, actor, station_id, action, entity, detail, prev_hash, hash"


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    """What the receiving node says of one pushed entry.

    result: ``stored`` (201), ``duplicate`` (200, held with the same hash), ``conflict`` (409, the number is held
    with another hash), ``gap`` (409, the entry before it is not here: resend from ``resend_from``), ``broken``
    (409, it does not link to the entry before it held here), ``forbidden`` (403, not this peer's origin),
    ``rejected`` (422, malformed, or its hash does not match its fields).
    """

    origin: str
    seq: int
    result: str
    status: int
    message: str = ""
    resend_from: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"origin": self.origin, "seq": self.seq, "result": self.result, "status": self.status}
        if self.message:
            out["message"] = self.message
        if self.resend_from is not None:
            out["resend_from"] = self.resend_from
        return out


def tables(sql: Sql) -> tuple[str, str]:
    """(entries, heads) of this node: a workstation's own log, else the node's ``rep_audit``."""
    if sql.dialect == "sqlite":
        row = sql.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_heads'").fetchone()
        if row is not None:
            return "audit_log", "audit_heads"
    return "rep_audit", "rep_audit_heads"


def _entry(r: Sequence[Any]) -> AuditEntry:
    return AuditEntry(str(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], str(r[8]), str(r[9]))


# -- up ------------------------------------------------------------------------------------------------------------
def pending(sql: Sql, limit: int, skip: Collection[str] = ()) -> list[AuditEntry]:
    """Entries the node above does not have yet, each origin's in number order (origins in ``skip`` left out)."""
    entries, heads = tables(sql)
    out: list[AuditEntry] = []
    for origin, top in sql.execute(f"SELECT origin, seq FROM {heads} ORDER BY origin").fetchall():
        if not origin or origin in skip:  # "": entries not given this workstation's origin yet
            continue
        sent = int(replica_peers.get_state(sql, SENT + origin, "0") or 0)
        if int(top) <= sent:
            continue
        rows = sql.execute(
            f"SELECT {_COLUMNS} FROM {entries} WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?",
            [origin, sent, limit - len(out)],
        ).fetchall()
        out += [_entry(r) for r in rows]
        if len(out) >= limit:
            break
    return out


def sent_up_to(sql: Sql, origin: str) -> int:
    return int(replica_peers.get_state(sql, SENT + origin, "0") or 0)


def mark_sent(sql: Sql, origin: str, seq: int) -> None:
    """The node above holds ``origin``'s entries up to ``seq``."""
    replica_peers.set_state(sql, SENT + origin, str(seq))


# -- in from below -------------------------------------------------------------------------------------------------
def accept(sql: Sql, items: Sequence[object], peer: Peer, now: datetime) -> list[AuditOutcome]:
    """Take pushed entries in order (inside one write transaction); each gets its own answer."""
    parsed: list[AuditEntry | AuditOutcome] = []
    for item in items:
        try:
            parsed.append(AuditEntry.from_json(item))
        except ValidationError as exc:
            origin = item.get("origin") if isinstance(item, dict) else None
            seq = item.get("seq") if isinstance(item, dict) else None
            parsed.append(AuditOutcome(
                origin if isinstance(origin, str) else "", seq if type(seq) is int else 0, "rejected", 422, str(exc)
            ))  # fmt: skip
    for origin in sorted({p.origin for p in parsed if isinstance(p, AuditEntry)}):
        sql.lock(f"audit:{origin}")
    return [p if isinstance(p, AuditOutcome) else _accept_one(sql, p, peer, now) for p in parsed]


def _accept_one(sql: Sql, e: AuditEntry, peer: Peer, now: datetime) -> AuditOutcome:
    if not peer.may_push(e.origin):
        return AuditOutcome(e.origin, e.seq, "forbidden", 403, tr(
            "Thiết bị {peer} không được gửi nhật ký của {origin}", peer=peer.id, origin=e.origin))  # fmt: skip
    held = sql.execute("SELECT hash FROM rep_audit WHERE origin = ? AND seq = ?", [e.origin, e.seq]).fetchone()
    if held is not None:
        if held[0] == e.hash:
            return AuditOutcome(e.origin, e.seq, "duplicate", 200)
        return AuditOutcome(e.origin, e.seq, "conflict", 409, tr(
            "Mục {seq} của {origin} đã có ở đây với nội dung khác", seq=e.seq, origin=e.origin))  # fmt: skip
    if not e.intact:
        return AuditOutcome(e.origin, e.seq, "rejected", 422, tr(
            "Mục {seq} của {origin}: mã băm không khớp nội dung", seq=e.seq, origin=e.origin))  # fmt: skip
    if e.seq == 1:
        before = GENESIS
    else:
        row = sql.execute("SELECT hash FROM rep_audit WHERE origin = ? AND seq = ?", [e.origin, e.seq - 1]).fetchone()
        if row is None:
            top = sql.execute("SELECT COALESCE(MAX(seq), 0) FROM rep_audit WHERE origin = ?", [e.origin]).fetchone()
            return AuditOutcome(e.origin, e.seq, "gap", 409, tr(
                "Thiếu mục {seq} của {origin}; hãy gửi lại từ mục {first}",
                seq=e.seq - 1, origin=e.origin, first=int(top[0]) + 1), resend_from=int(top[0]) + 1)  # fmt: skip
        before = str(row[0])
    if e.prev != before:
        return AuditOutcome(e.origin, e.seq, "broken", 409, tr(
            "Mục {seq} của {origin} không nối với mục {prev} đang giữ: chuỗi nhật ký bị đứt, không nhận",
            seq=e.seq, origin=e.origin, prev=e.seq - 1))  # fmt: skip
    store_entry(sql, e, peer.id, now)
    return AuditOutcome(e.origin, e.seq, "stored", 201)


def store_entry(sql: Sql, e: AuditEntry, source: str, now: datetime) -> None:
    sql.execute(
        f"""INSERT INTO rep_audit ({_COLUMNS}, source, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [e.origin, e.seq, e.at, e.actor, e.station, e.action, e.entity, e.detail, e.prev, e.hash, source, iso(now)],
    )
    sql.execute(
        """INSERT INTO rep_audit_heads (origin, seq, hash) VALUES (?, ?, ?)
           ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
           WHERE excluded.seq > rep_audit_heads.seq""",
        [e.origin, e.seq, e.hash],
    )


def record_node(sql: Sql, origin: str, *, actor: str, action: str, entity: str, at: datetime,
                detail: str = "{}") -> AuditEntry:  # fmt: skip
    """An entry made on a centre or the province itself (its own origin), inside the caller's transaction."""
    sql.lock(f"audit:{origin}")
    head = sql.execute("SELECT seq, hash FROM rep_audit_heads WHERE origin = ?", [origin]).fetchone()
    seq, prev = (int(head[0]) + 1, str(head[1])) if head else (1, GENESIS)
    e = AuditEntry.make(origin=origin, seq=seq, at=iso(at) or "", actor=actor, station=origin, action=action,
                        entity=entity, detail=detail, prev=prev)  # fmt: skip
    store_entry(sql, e, "local", at)
    return e


# -- reading and checking ------------------------------------------------------------------------------------------
def entries(sql: Sql, entity: str | None = None, limit: int = 1000) -> list[tuple[int, AuditEntry | None]]:
    """Rows of this node's log (table order, the last ``limit``), optionally of one record: (row, entry or None for
    a row without chain fields)."""
    table, _ = tables(sql)
    where, params = ("WHERE entity = ?", [entity]) if entity is not None else ("", [])
    rows = sql.execute(
        f"SELECT id, {_COLUMNS} FROM {table} {where} ORDER BY id DESC LIMIT ?", [*params, limit]
    ).fetchall()
    return [(int(r[0]), _held(r[1:])) for r in reversed(rows)]


def _held(r: Sequence[Any]) -> AuditEntry | None:
    if r[1] is None or r[8] is None or r[9] is None:
        return None
    return _entry(r)


def verify(sql: Sql) -> tuple[int, int, list[Problem]]:
    """Check every chain held here: (origins, entries, problems)."""
    table, heads_table = tables(sql)
    chains: dict[str, list[HeldEntry]] = {}
    count = 0
    for r in sql.execute(f"SELECT id, {_COLUMNS} FROM {table} ORDER BY id").fetchall():
        chains.setdefault(str(r[1] or ""), []).append(HeldEntry(int(r[0]), _held(r[1:])))
        count += 1
    heads = {str(r[0]): (int(r[1]), str(r[2])) for r in sql.execute(f"SELECT origin, seq, hash FROM {heads_table}")
             .fetchall()}  # fmt: skip
    problems: list[Problem] = []
    for origin in sorted(set(chains) | set(heads)):
        problems += verify_chain(origin, chains.get(origin, []), heads.get(origin))
    return len(set(chains) | set(heads)), count, problems
