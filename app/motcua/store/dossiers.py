"""The dossier repository: rows, history, and diacritic-insensitive search over a million of them."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from motcua.domain.dossier import Dossier, Event
from motcua.domain.errors import ConflictError, NotFoundError
from motcua.domain.numbers import ascii_digits, number
from motcua.domain.status import Status
from motcua.domain.text import fold, phone_key
from motcua.i18n import tr
from motcua.store.clock import day_key, iso
from motcua.store.serialize import (
    applicant_to_dict,
    components_to_json,
    details_to_dict,
    dossier_from_row,
    event_from_row,
)

_SELECT = "SELECT * FROM dossiers"


def _rows(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def search_text(d: Dossier) -> str:
    """What the search index holds for a dossier: folded name and procedure, code, ID and phone.

    The applicant's folded name is also indexed alone (``dossier_name_fts``), so that a name query can match
    names only and never the words of a procedure's name.
    """
    a = d.applicant
    return " ".join(
        [
            fold(a.name),
            fold(d.procedure_name),
            d.code.lower(),
            d.code.replace(".", "").replace("-", "").lower(),
            a.id_number,
            a.old_id_number,
            phone_key(a.phone),
        ]
    ).strip()


def insert(db: Database, d: Dossier, seq: int, station_id: str, now: datetime) -> int:
    a = d.applicant
    cur = db.execute(
        """INSERT INTO dossiers (code, agency_id, day, seq, procedure_code, procedure_name, applicant_kind,
            applicant_name, applicant_id_number, applicant_phone, applicant, channel, received_at,
            original_due_at, due_at, status, sets, components, fee_vnd, note, result_delivery, received_by,
            station_id, updated_at, details)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            d.code,
            d.agency_id,
            day_key(d.received_at.date()),
            seq,
            d.procedure_code,
            d.procedure_name,
            a.kind.value,
            a.name,
            a.id_number,
            phone_key(a.phone),
            json.dumps(applicant_to_dict(a), ensure_ascii=False),
            d.channel.value,
            iso(d.received_at),
            iso(d.due_at),
            iso(d.due_at),
            int(d.status),
            d.sets,
            components_to_json(d.components),
            d.fee_vnd,
            d.note,
            d.result_delivery,
            d.received_by,
            station_id,
            iso(now),
            json.dumps(details_to_dict(d), ensure_ascii=False),
        ],
    )
    rowid = int(cur.lastrowid or 0)
    db.execute("INSERT INTO dossier_fts (rowid, text) VALUES (?, ?)", [rowid, search_text(d)])
    name = fold(a.name)
    db.execute(
        "INSERT INTO dossier_name_fts (rowid, name, whole) VALUES (?, ?, ?)", [rowid, name, name.replace(" ", "")]
    )
    return rowid


def add_event(db: Database, dossier_id: int, e: Event) -> int:
    seq = db.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_events WHERE dossier_id = ?", [dossier_id]
    ).fetchone()[0]
    db.execute(
        """INSERT INTO dossier_events (dossier_id, seq, action, status_after, at, clerk, note, agency, due_after)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            dossier_id,
            seq,
            e.action.value,
            int(e.status_after),
            iso(e.at),
            e.clerk,
            e.note,
            e.agency,
            iso(e.due_after),
        ],
    )
    return int(seq)


def update_status(
    db: Database, dossier_id: int, expected: Status, status: Status, due_at: datetime | None, now: datetime
) -> None:
    """Compare-and-set, so two clerks acting on one dossier at once cannot both win."""
    cur = db.execute(
        "UPDATE dossiers SET status = ?, due_at = ?, updated_at = ? WHERE id = ? AND status = ?",
        [int(status), iso(due_at), iso(now), dossier_id, int(expected)],
    )
    if cur.rowcount != 1:
        raise ConflictError(tr("Hồ sơ vừa được người khác cập nhật; hãy mở lại để xem trạng thái mới."))


def events(db: Database, dossier_id: int) -> tuple[Event, ...]:
    rows = _rows(db, "SELECT * FROM dossier_events WHERE dossier_id = ? ORDER BY seq", [dossier_id])
    return tuple(event_from_row(r) for r in rows)


def get(db: Database, code: str) -> Dossier:
    rows = _rows(db, f"{_SELECT} WHERE code = ?", [code])
    if not rows:
        raise NotFoundError(tr("Không tìm thấy hồ sơ {code}", code=code))
    return dossier_from_row(rows[0], events(db, rows[0]["id"]))


def original_due(db: Database, code: str) -> str | None:
    row = db.execute("SELECT original_due_at FROM dossiers WHERE code = ?", [code]).fetchone()
    return row[0] if row else None


def _fts_query(text: str, prefix_all: bool = False) -> str:
    """Whole words, except the last one which may still be being typed (a prefix); or every word a prefix."""
    tokens = fold(text).split()
    if not tokens:
        return ""
    return " ".join(f'"{t}"*' if prefix_all or k == len(tokens) - 1 else f'"{t}"' for k, t in enumerate(tokens))


def _fts_ids(db: Database, table: str, match: str, limit: int) -> list[int]:
    rows = db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?", [match, limit])
    return [int(r[0]) for r in rows]


def _name_ids(db: Database, text: str, limit: int) -> list[int]:
    """Dossiers whose applicant's name holds the words: the exact folded name first, then names holding the
    words in order side by side, then every word whole in any order, then words beginning so; newest first within
    each."""
    tokens = fold(text).split()
    if not tokens:
        return []
    words = " ".join(tokens)
    tiers = (
        f'{{whole}} : "{"".join(tokens)}"',  # the whole name is one word there: an exact match is one lookup
        f'{{name}} : "{words}"',
        "{name} : (" + " ".join(f'"{t}"' for t in tokens) + ")",
        "{name} : (" + _fts_query(text, prefix_all=True) + ")",
    )
    found: list[int] = []
    seen: set[int] = set()
    for match in tiers:
        for i in _fts_ids(db, "dossier_name_fts", match, limit + len(found)):
            if i not in seen:
                seen.add(i)
                found.append(i)
        if len(found) >= limit:
            break
    return found[:limit]


def search(db: Database, text: str, limit: int = 50) -> list[Dossier]:
    """Find by code, 12-digit ID, phone, the applicant's name, or the procedure.

    Exact keys use their B-tree indexes. Words go through the FTS5 index of folded text, so "dang hong bao" finds
    "Đặng Hồng Bảo":

    1. Words that some applicant's name holds are a name (``dossier_name_fts``): only names match, the exact full
       name first, then names holding the words in order, then in any order, then words beginning so ("ng v an").
       A person called Khải is found by "khai" without every "khai sinh" dossier around him.
    2. Otherwise the words are looked for in everything indexed (``dossier_fts``): a procedure ("khai sinh",
       "chung thuc"), part of a code, ID or phone, or a name and a procedure together ("bao khai sinh").

    Newest first within each step.
    """
    q = ascii_digits(text).strip()  # ０９１２…, ٠٩١٢…: the digits the index holds
    if not q:
        return []
    d = number(q.removeprefix("+"), drop="()")  # an ID or phone typed in groups: 0912 345 678, 051.084.009.698
    rows: list[dict[str, Any]] = []
    if q.upper() == q and "-" in q and "." in q:
        rows = _rows(db, f"{_SELECT} WHERE code = ?", [q.strip("*").upper()])
    if not rows and d:
        if len(d) == 12 or len(d) == 9:
            rows = _rows(db, f"{_SELECT} WHERE applicant_id_number = ? ORDER BY id DESC LIMIT ?", [d, limit])
        if not rows:
            rows = _rows(db, f"{_SELECT} WHERE applicant_phone = ? ORDER BY id DESC LIMIT ?", [phone_key(q), limit])
    if rows:
        return [dossier_from_row(r) for r in rows]
    if not fold(q):
        return []
    ids = _name_ids(db, q, limit) or _fts_ids(db, "dossier_fts", _fts_query(q), limit)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    by_id = {r["id"]: r for r in _rows(db, f"{_SELECT} WHERE id IN ({marks})", ids)}
    return [dossier_from_row(by_id[i]) for i in ids if i in by_id]


def list_between(db: Database, start: date, end: date) -> list[Dossier]:
    rows = _rows(
        db,
        f"{_SELECT} WHERE received_at >= ? AND received_at < ? ORDER BY received_at",
        [day_key(start), day_key(end) + "~"],
    )
    return [dossier_from_row(r, events(db, r["id"])) for r in rows]


def count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0])
