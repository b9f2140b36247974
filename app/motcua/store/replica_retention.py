"""Erasing closed dossiers' citizens from a sync node's replica (a centre's copy of its counters' events).

A centre holds every event its counters push until the province has it, and keeps it afterwards for its own
feed and supervision. Once a dossier has been closed for its retention period and the province holds every one of
its events, the centre's copy need not name the citizen any more: each event's text is rewritten with the person
erased (:mod:`motcua.domain.anonymise`). The ``sha256`` column keeps the hash of the bytes the nodes above and below
hold, so "already have it?" still answers yes when a feed brings the dossier again. ``rep_anonymised`` records
which dossiers are done, so a run looks only at the new ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from motcua.domain import anonymise
from motcua.domain.sync_envelope import VISIT, canonical_json
from motcua.store.clock import iso
from motcua.store.sql import Sql

_NOT_AT_ROOT = "EXISTS (SELECT 1 FROM rep_events e WHERE e.dossier = d.code AND e.at_root = 0)"


def closed_before(sql: Sql, status: int, before: datetime) -> tuple[list[str], int]:
    """Dossiers in ``status`` unchanged since before ``before`` and not anonymised here yet.

    Returns:
        The codes that may be anonymised now, and how many more wait for the province to hold all their events.
    """
    rows = sql.execute(
        f"""SELECT d.code, {_NOT_AT_ROOT} FROM rep_dossiers d
            WHERE d.status = ? AND d.updated_at < ?
            AND NOT EXISTS (SELECT 1 FROM rep_anonymised a WHERE a.dossier = d.code)
            ORDER BY d.code""",
        [status, iso(before)],
    ).fetchall()
    return [str(r[0]) for r in rows if not r[1]], sum(1 for r in rows if r[1])


def anonymise_dossier(sql: Sql, code: str, now: datetime) -> int:
    """Erase the citizen from every event of ``code`` held here; returns how many events changed."""
    rows = sql.execute("SELECT key, kind, envelope FROM rep_events WHERE dossier = ?", [code]).fetchall()
    changed = _rewrite(sql, rows)
    sql.execute("INSERT INTO rep_anonymised (dossier, at) VALUES (?, ?)", [code, iso(now)])
    return changed


def visits_before(sql: Sql, before: datetime) -> tuple[list[str], int]:
    """Visits (Mẫu 02 without a reception) made before ``before`` whose citizen is still named here.

    Returns:
        The keys of those the province holds, and how many more it does not hold yet.
    """
    # No feed brings a visit back down (it is no dossier), so the province's "stored" answer to the push (the outbox
    # item sent) is what says it holds it.
    rows = sql.execute(
        """SELECT r.key, r.envelope,
                  r.at_root = 1 OR EXISTS (SELECT 1 FROM outbox o WHERE o.key = r.key AND o.sent_at IS NOT NULL)
           FROM rep_events r WHERE r.kind = ? ORDER BY r.id""",
        [VISIT],
    ).fetchall()
    due: list[str] = []
    waiting = 0
    cutoff = iso(before) or ""
    for key, text, held_above in rows:
        body = json.loads(text)
        name = str((body.get("data", {}).get("applicant") or {}).get("name", ""))
        if str(body.get("at", "")) >= cutoff or name in ("", anonymise.ANONYMISED):
            continue
        if held_above:
            due.append(str(key))
        else:
            waiting += 1
    return due, waiting


def anonymise_visits(sql: Sql, keys: Sequence[str]) -> int:
    total = 0
    for i in range(0, len(keys), 500):
        chunk = list(keys[i : i + 500])
        marks = ",".join("?" * len(chunk))
        rows = sql.execute(f"SELECT key, kind, envelope FROM rep_events WHERE key IN ({marks})", chunk).fetchall()
        total += _rewrite(sql, rows)
    return total


def _rewrite(sql: Sql, rows: Sequence[Any]) -> int:
    changed = 0
    keys: list[str] = []
    for key, kind, text in rows:
        keys.append(str(key))
        body = json.loads(text)
        body["data"] = anonymise.event_data(str(kind), body.get("data") or {})
        new = canonical_json(body)
        if new != text:
            sql.execute("UPDATE rep_events SET envelope = ? WHERE key = ?", [new, key])
            changed += 1
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        # The province confirmed these long ago (they are at the root); a payload an older build left goes too.
        sql.execute(
            f"UPDATE outbox SET payload = '' WHERE confirmed_at IS NOT NULL AND key IN ({','.join('?' * len(chunk))})",
            chunk,
        )
    return changed
