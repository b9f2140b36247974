"""The reports' facts read from a workstation database (a supervisor's workstation holds every dossier of its
centre; a one-PC centre's is the only one) and from the centre's queue database.

Reads only what the reports print: no applicant names, ID numbers or phones leave these queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from sqlite_utils import Database

from motcua.domain.dossier import Event, Timeliness
from motcua.domain.procedures import Channel
from motcua.domain.queue import TicketState
from motcua.domain.reports.facts import DossierFact, Outcome, Settled, TicketFact
from motcua.domain.status import Action, Status
from motcua.store.clock import from_iso, iso

APOLOGY_ACTION = "issue_apology"  # the audit action of an apology letter (Mẫu 04) made for a late dossier
# Statuses after which nothing more happens: such a dossier whose last change is older than a report's range is
# not that report's business (a resolved dossier still waits for its result to be handed over).
_FINISHED = (Status.REFUSED, Status.WITHDRAWN, Status.RETURNED)
_OPEN = tuple(int(s) for s in Status if s not in _FINISHED)


def dossier_facts(
    db: Database, start: date, end: date, checkpoints: Sequence[datetime] | None = None
) -> tuple[list[DossierFact], list[tuple[int, str, DossierFact]]]:
    """The dossiers a report of ``start``–``end`` needs: received by its end, and not finished before its start.

    Args:
        checkpoints: the times the report asks about the dossiers; a dossier it asks about only after its last
            step comes without its history (its kept final state answers). None: every history is read.

    Returns:
        The facts, and the final states computed anew (dossier id, stamp, fact) for :func:`save_settled`.
    """
    begin, finish = iso(datetime.combine(start, time.min)), iso(datetime.combine(end, time.max))
    marks = ",".join("?" * len(_OPEN))
    rows = db.execute(
        f"""SELECT d.id, d.code, d.procedure_code, d.procedure_name, COALESCE(p.sector, ''), d.agency_id, d.channel,
                   d.received_at, d.original_due_at, d.status, d.received_by, d.fee_vnd,
                   d.updated_at || '|' || COALESCE((SELECT MAX(seq) FROM dossier_events e WHERE e.dossier_id = d.id),
                                                   0),
                   s.stamp, s.last_at, s.status, s.outcome, s.end_at, s.judgement, s.due_at, s.holder
            FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code
                 LEFT JOIN report_settled s ON s.dossier_id = d.id
            WHERE d.received_at <= ? AND d.id IN (SELECT id FROM dossiers WHERE status IN ({marks})
                                                  UNION SELECT id FROM dossiers WHERE updated_at >= ?)""",
        [finish, *_OPEN, begin],
    ).fetchall()
    if not rows:
        return [], []
    ids = [r[0] for r in rows]
    digitized, reused = _attachments(db, ids)
    apologised = _apologies(db, [r[1] for r in rows])
    bare: dict[int, DossierFact] = {}
    for r in rows:
        kept = _settled(r[14:]) if r[13] == r[12] else None
        bare[r[0]] = DossierFact(
            code=r[1],
            procedure_code=r[2],
            procedure_name=r[3],
            sector=r[4],
            agency_id=r[5],
            channel=Channel(r[6]),
            received_at=datetime.fromisoformat(r[7]),
            original_due_at=from_iso(r[8]),
            status=_STATUSES[r[9]],
            received_by=r[10],
            fee_vnd=r[11],
            digitized=r[0] in digitized,
            reused=r[0] in reused,
            apology=r[1] in apologised,
            settled=kept,
        )
    needed = [i for i, f in bare.items() if checkpoints is None or f.settled is None or f.needs_history(checkpoints)]
    events = _events(db, needed)
    out: list[DossierFact] = []
    fresh: list[tuple[int, str, DossierFact]] = []
    stamps = {r[0]: r[12] for r in rows}
    for i, f in bare.items():
        if i in events or f.settled is None:
            f = replace(f, events=events.get(i, ()))
            if f.settled is None:
                fresh.append((i, stamps[i], f))
        out.append(f)
    return out, fresh


def _settled(r: Sequence[Any]) -> Settled:
    last_at, status, outcome, end_at, judgement, due_at, holder = r
    return Settled(
        from_iso(last_at),
        _STATUSES[status],
        (Outcome(outcome), datetime.fromisoformat(end_at)) if outcome else None,
        Timeliness(judgement) if judgement else None,
        from_iso(due_at),
        holder,
    )


def save_settled(db: Database, fresh: Sequence[tuple[int, str, DossierFact]]) -> None:
    """Keep the final states :func:`dossier_facts` computed (in the caller's write transaction)."""
    rows = []
    for dossier_id, stamp, f in fresh:
        s = f.final
        rows.append(
            (
                dossier_id,
                stamp,
                iso(s.last_at),
                int(s.status),
                s.end[0].value if s.end else None,
                iso(s.end[1]) if s.end else None,
                s.judgement.value if s.judgement else None,
                iso(s.due_at),
                s.holder,
            )
        )
    db.conn.executemany("INSERT OR REPLACE INTO report_settled VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


_ACTIONS = {a.value: a for a in Action}
_STATUSES = {int(s): s for s in Status}


_COLUMNS = "dossier_id, seq, action, status_after, at, clerk, agency, due_after"


def _events(db: Database, ids: list[int]) -> dict[int, tuple[Event, ...]]:
    """The events of the dossiers ``ids``, each dossier's in the order of its steps.

    A day's few thousand dossiers: by id; a year's: one scan of the events table (faster than thousands of id
    lookups, or a join sorted by dossier)."""
    wanted = set(ids)
    rows: Iterable[tuple[Any, ...]]
    if len(ids) < 20_000:
        rows = (
            row
            for chunk in _chunks(ids)
            for row in db.execute(
                f"SELECT {_COLUMNS} FROM dossier_events WHERE dossier_id IN ({','.join('?' * len(chunk))})", chunk
            )
        )
    else:
        rows = db.execute(f"SELECT {_COLUMNS} FROM dossier_events")
    found: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    parse = datetime.fromisoformat
    for dossier_id, seq, action, status, at, clerk, agency, due in rows:
        if dossier_id in wanted:
            event = Event(
                _ACTIONS[action], _STATUSES[status], parse(at), clerk, "", agency, parse(due) if due else None
            )
            found[dossier_id].append((seq, event))
    # read in the order they were written, which is almost always their steps' order: the sort only checks it
    return {k: tuple(e for _, e in sorted(v, key=_first)) for k, v in found.items()}


def _first(item: tuple[int, Event]) -> int:
    return item[0]


def _attachments(db: Database, ids: list[int]) -> tuple[set[int], set[int]]:
    """Which of ``ids`` have scanned files, and which re-used one (one grouped pass, kept to ``ids``)."""
    wanted = set(ids)
    digitized: set[int] = set()
    reused: set[int] = set()
    if len(ids) < 20_000:  # a day's: by id
        rows: Iterable[tuple[int, int]] = (
            row
            for chunk in _chunks(ids)
            for row in db.execute(
                f"""SELECT dossier_id, MAX(reused_from IS NOT NULL) FROM attachments
                    WHERE dossier_id IN ({",".join("?" * len(chunk))}) GROUP BY dossier_id""",
                chunk,
            )
        )
    else:
        rows = db.execute("SELECT dossier_id, MAX(reused_from IS NOT NULL) FROM attachments GROUP BY dossier_id")
    for dossier_id, any_reused in rows:
        if dossier_id in wanted:
            digitized.add(dossier_id)
            if any_reused:
                reused.add(dossier_id)
    return digitized, reused


def _apologies(db: Database, codes: list[str]) -> set[str]:
    """Dossiers with an apology letter: this workstation's own audit entries, and those its centre holds."""
    return set(apology_codes(db)) & set(codes)


def apology_codes(db: Database) -> tuple[str, ...]:
    """The codes of the dossiers given an apology letter, in the audit entries this database holds (its own, and
    on a centre those of its workstations)."""
    tables = [t for t in ("audit_log", "rep_audit") if db[t].exists()]
    found: set[str] = set()
    for table in tables:
        found.update(
            r[0] for r in db.execute(f"SELECT DISTINCT entity FROM {table} WHERE action = ?", [APOLOGY_ACTION])
        )
    return tuple(sorted(found))


def ticket_facts(db: Database, centre: str, start: date, end: date) -> list[TicketFact]:
    """The queue's tickets of the business days ``start``–``end`` (the centre's queue database)."""
    links: dict[int, list[str]] = defaultdict(list)
    for ticket_id, code in db.execute(
        """SELECT l.ticket_id, l.dossier_code FROM queue_ticket_dossiers l JOIN queue_tickets t ON t.id = l.ticket_id
           WHERE t.centre = ? AND t.business_day BETWEEN ? AND ?""",
        [centre, start.isoformat(), end.isoformat()],
    ):
        links[ticket_id].append(code)
    out = []
    for r in db.execute(
        """SELECT id, business_day, service, display, state, issued_at, counter, called_at, started_at, finished_at,
                  priority_group
           FROM queue_tickets WHERE centre = ? AND business_day BETWEEN ? AND ? ORDER BY id""",
        [centre, start.isoformat(), end.isoformat()],
    ):
        out.append(
            TicketFact(
                id=r[0],
                business_day=date.fromisoformat(r[1]),
                service=r[2],
                display=r[3],
                state=TicketState(r[4]),
                issued_at=datetime.fromisoformat(r[5]),
                counter=r[6],
                called_at=from_iso(r[7]),
                started_at=from_iso(r[8]),
                finished_at=from_iso(r[9]),
                priority_group=r[10],
                dossiers=tuple(links.get(r[0], ())),
            )
        )
    return out
