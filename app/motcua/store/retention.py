"""Erasing a closed dossier's citizen from a workstation: its row, its history's notes, both search indexes and the
replica's copy of its events, in one transaction.

The replica keeps each event's original SHA-256 in its own column: the node above compares that, never the text,
so an anonymised event is still "already have it" when the centre's feed brings the dossier again, and the text
sent upstream long ago is not what this node now holds (nothing sends it again: only confirmed dossiers are
anonymised, and a confirmed outbox item has no payload left).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from motcua.domain import anonymise
from motcua.domain.sync_envelope import VISIT, canonical_json
from motcua.domain.text import fold
from motcua.store import dossiers
from motcua.store.clock import iso

# Last status change of a dossier: when it reached the status it is in.
_CLOSED_AT = "(SELECT MAX(e.at) FROM dossier_events e WHERE e.dossier_id = d.id)"
# Changes of this dossier that the node above does not hold yet: the only copy is here, keep everything.
_WAITING = "EXISTS (SELECT 1 FROM outbox o WHERE o.entity = d.code AND o.confirmed_at IS NULL)"


def closed_before(db: Database, status: int, before: datetime) -> tuple[list[tuple[int, str]], int]:
    """Dossiers in ``status`` since before ``before`` and not anonymised yet.

    Returns:
        (id, code) of those that may be anonymised now, and how many more wait for their changes to be sent.
    """
    rows = db.execute(
        f"""SELECT d.id, d.code, {_WAITING} FROM dossiers d
            WHERE d.status = ? AND json_extract(d.details, '$.anonymised_at') IS NULL AND {_CLOSED_AT} < ?
            ORDER BY d.id""",
        [status, iso(before)],
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows if not r[2]], sum(1 for r in rows if r[2])


def anonymise_dossier(db: Database, dossier_id: int, code: str, now: datetime) -> None:
    """Erase the citizen from the dossier's row, history notes, search indexes and replica events."""
    row = db.execute("SELECT applicant, details FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    person = anonymise.applicant(json.loads(row[0]))
    details = anonymise.dossier_details(json.loads(row[1] or "{}"))
    details["anonymised_at"] = iso(now)
    db.execute(
        """UPDATE dossiers SET applicant = ?, applicant_name = ?, applicant_id_number = ?, applicant_phone = '',
            details = ?, note = '' WHERE id = ?""",
        [
            json.dumps(person, ensure_ascii=False),
            person.get("name", ""),
            person.get("id_number", ""),
            json.dumps(details, ensure_ascii=False),
            dossier_id,
        ],
    )
    db.execute("UPDATE dossier_events SET note = '' WHERE dossier_id = ? AND note <> ''", [dossier_id])
    d = dossiers.get(db, code)
    db.execute("UPDATE dossier_fts SET text = ? WHERE rowid = ?", [dossiers.search_text(d), dossier_id])
    name = fold(d.applicant.name)
    db.execute(
        "UPDATE dossier_name_fts SET name = ?, whole = ? WHERE rowid = ?", [name, name.replace(" ", ""), dossier_id]
    )
    _anonymise_events(db, db.execute("SELECT key, kind, envelope FROM rep_events WHERE dossier = ?", [code]))


def _anonymise_events(db: Database, rows: Iterable[Any]) -> int:
    n = 0
    keys: list[str] = []
    for key, kind, text in list(rows):
        keys.append(key)
        body = json.loads(text)
        body["data"] = anonymise.event_data(kind, body["data"])
        new = canonical_json(body)
        if new != text:
            # The sha256 column keeps the hash of the bytes the node above holds (see the module's docstring).
            db.execute("UPDATE rep_events SET envelope = ? WHERE key = ?", [new, key])
            n += 1
    if keys:  # confirmed items have no payload already (outbox.confirm); an older build's may still have one
        db.execute(
            f"UPDATE outbox SET payload = '' WHERE confirmed_at IS NOT NULL AND key IN ({','.join('?' * len(keys))})",
            keys,
        )
    return n


def visits_before(db: Database, before: datetime) -> tuple[list[str], int]:
    """Visits (Mẫu 02 without a reception) made before ``before`` whose citizen is still named.

    No feed brings a visit back (it is no dossier), so the node above's "stored" answer is its acknowledgement.

    Returns:
        The keys of their events that may be anonymised, and how many more wait to be sent.
    """
    rows = db.execute(
        f"""SELECT r.key, EXISTS (SELECT 1 FROM outbox o WHERE o.key = r.key AND o.sent_at IS NULL)
            FROM rep_events r WHERE r.kind = ? AND json_extract(r.envelope, '$.at') < ?
            AND COALESCE(json_extract(r.envelope, '$.data.applicant.name'), '') NOT IN ('', '{anonymise.ANONYMISED}')
            ORDER BY r.id""",
        [VISIT, iso(before)],
    ).fetchall()
    return [str(r[0]) for r in rows if not r[1]], sum(1 for r in rows if r[1])


def anonymise_visits(db: Database, keys: Sequence[str]) -> int:
    total = 0
    for i in range(0, len(keys), 500):
        chunk = list(keys[i : i + 500])
        marks = ",".join("?" * len(chunk))
        total += _anonymise_events(
            db, db.execute(f"SELECT key, kind, envelope FROM rep_events WHERE key IN ({marks})", chunk).fetchall()
        )
    return total


def expired_documents(db: Database, statuses: Sequence[int], before: datetime) -> list[tuple[str, str]]:
    """Digitized files (sha256, relative path) whose every dossier is closed (in ``statuses``) since before
    ``before`` and has nothing waiting to be sent: a file reused by a dossier still open stays."""
    marks = ",".join("?" * len(statuses))
    expired = f"(d.status IN ({marks}) AND {_CLOSED_AT} < ? AND NOT {_WAITING})"
    rows = db.execute(
        f"""SELECT a.sha256, MIN(a.path) FROM attachments a JOIN dossiers d ON d.id = a.dossier_id
            GROUP BY a.sha256 HAVING MIN(CASE WHEN {expired} THEN 1 ELSE 0 END) = 1 ORDER BY a.sha256""",
        [*statuses, iso(before)],
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]
