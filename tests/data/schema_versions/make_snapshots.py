"""Make one snapshot per released schema version: a workstation and a centre database built by that version's code.

Run at each release (from the repository root, with the project's venv)::

    .venv/bin/python tests/data/schema_versions/make_snapshots.py

For every commit that changed a migration file (oldest first), the commit's ``app/`` is exported (``git archive``)
into a temporary folder, and a small script run with that tree on ``PYTHONPATH`` migrates a fresh workstation and
centre database with that version's own migrations and fills them through that version's own services (dossiers
received, documents attached, number leases; the queue's tables, which its services reach only through a running
server, by plain SQL fitted to the columns that version has). A commit whose migration lists equal the previous
snapshot's adds nothing. Each new version is saved as ``<n>_<shortsha>_{workstation,centre}.sql``: a dump of the
schema, the rows, and the full-text indexes' contents (rebuilt on load). Existing snapshots are never rewritten
(they are what was released); ``--force`` remakes them all.

The first commit had migrations but no services yet: its databases get the rows the next version's services wrote,
copied into the columns that version has.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
MIGRATION_FILES = [
    "app/motcua/store/schema.py",
    "app/motcua/store/queue_schema.py",
    "app/motcua/store/replica_schema.py",
]
DATABASES = ("workstation", "centre")

# Run inside the historical tree: argv = out_dir [borrow_dir]
FILLER = r'''
import json, sqlite3, sys
from datetime import datetime, timedelta
from pathlib import Path

out = Path(sys.argv[1])
borrow = Path(sys.argv[2]) if len(sys.argv) > 2 else None
out.mkdir(parents=True, exist_ok=True)
PEOPLE = [
    ("Nguyễn Văn An", "1.001193", "051084009698", "0912345678"),
    ("Trần Thị Bình", "1.001193", "001190012345", ""),
    ("Lò Thị Mai", "2.001019", "", "0987654321"),
    ("Phạm Văn Sinh", "2.000815", "036085001122", ""),
    ("Đặng Hồng Bảo", "1.001193", "", ""),
    ("Giàng A Páo", "2.001019", "011092003344", "0977000111"),
]


def columns(conn, table):
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def insert(conn, table, values):
    """Insert the values of ``values`` whose column ``table`` has in this version."""
    have = columns(conn, table)
    if not have:
        return
    cols = [c for c in values if c in have]
    conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                 [values[c] for c in cols])


def fill_queue(path):
    try:
        from motcua.store.queue_schema import migrate_queue_centre
    except ImportError:
        return
    from sqlite_utils import Database
    db = Database(sqlite3.connect(path))
    migrate_queue_centre(db)
    conn = db.conn
    day = "2026-11-23"
    states = ["done", "done", "serving", "called", "waiting", "no_show"]
    for i, state in enumerate(states, start=1):
        insert(conn, "queue_tickets", {
            "uid": f"T{i:04d}", "centre": "C1", "business_day": day, "service": "HT", "number": i,
            "display": f"HT{i:03d}", "queue": "HT", "priority_group": None, "state": state,
            "issued_at": f"{day}T08:0{i}:00", "kiosk": "K1", "counter": i if state in ("serving", "called") else
            (1 if state == "done" else None), "target_counter": None,
            "called_at": f"{day}T08:1{i}:00" if state != "waiting" else None,
            "started_at": f"{day}T08:2{i}:00" if state in ("done", "serving") else None,
            "finished_at": f"{day}T08:3{i}:00" if state == "done" else None, "calls": 0 if state == "waiting" else 1,
            "served_by": "canbo1" if state in ("done", "serving") else None,
        })
    conn.execute("INSERT INTO queue_ticket_dossiers (ticket_id, dossier_code, linked_at) VALUES (1, ?, ?)",
                 ["000.25.38.H38-261123-0001", f"{day}T08:35:00"])
    for n in (1, 2, 3, 4):
        insert(conn, "queue_counters", {"centre": "C1", "number": n, "paused": int(n == 4), "priority_streak": 0,
                                         "updated_at": f"{day}T08:00:00", "clerk": "canbo1" if n == 1 else None,
                                         "clerk_since": f"{day}T07:30:00" if n == 1 else None})
    for i, kind in enumerate(["issued", "called", "started", "finished"], start=1):
        insert(conn, "queue_events", {"centre": "C1", "at": f"{day}T08:0{i}:00", "business_day": day, "kind": kind,
                                       "ticket_id": 1, "display": "HT001", "counter": 1, "queue": "HT"})
    insert(conn, "queue_requests", {"key": "req-1", "op": "issue", "digest": "d" * 64, "result": "{}",
                                     "at": f"{day}T08:01:00"})
    insert(conn, "device_tokens", {"token_sha256": "a" * 64, "device": "K1", "role": "kiosk", "counter": None,
                                    "created_at": f"{day}T07:00:00", "revoked_at": None})
    insert(conn, "device_tokens", {"token_sha256": "b" * 64, "device": "Q01", "role": "counter", "counter": 1,
                                    "created_at": f"{day}T07:00:00", "revoked_at": None})
    insert(conn, "queue_ratings", {"centre": "C1", "business_day": day, "at": f"{day}T08:40:00", "counter": 1,
                                    "ticket_id": 1, "service": "HT", "clerk": "canbo1", "level": "satisfied",
                                    "reasons": "[]", "dossiers": '["000.25.38.H38-261123-0001"]'})
    insert(conn, "queue_assignments", {"centre": "C1", "business_day": day, "counter": 1, "services": '["HT"]',
                                        "updated_at": f"{day}T07:00:00"})
    conn.commit()
    conn.close()


def fill_with_services():
    from motcua.config import Settings
    from motcua.domain.applicant import Applicant, ApplicantKind
    from motcua.domain.dossier import ReceivedComponent
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context
    from motcua.services.reception import ReceiveRequest, ReceptionService

    now = [datetime(2026, 11, 23, 8, 0)]

    def clock():
        now[0] += timedelta(minutes=7)
        return now[0]

    ctx = open_context(Settings(), out, clock=clock)
    CatalogService(ctx).ensure_sample()
    svc = ReceptionService(ctx)
    try:
        from motcua.services.scanning_station import ScanningStation
        station = ScanningStation(ctx)
    except ImportError:
        station = None
    used = set()
    for i, (name, proc, idn, phone) in enumerate(PEOPLE):
        p = svc.procedure(proc)
        used.add(proc)
        comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
        d = svc.receive(ReceiveRequest(proc, Applicant(ApplicantKind.PERSON, name, idn, phone=phone), comps))
        if station is not None and comps and i % 2 == 0:
            pdf = b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n"
            station.attach_pdf(pdf, d.code, comps[0].code, 1, "bw")
    ctx.close()
    conn = sqlite3.connect(out / "workstation.sqlite")
    conn.execute(f"DELETE FROM procedures WHERE code NOT IN ({', '.join('?' * len(used))})", sorted(used))
    insert(conn, "accounts", {"username": "canbo1", "full_name": "Cán bộ Một", "role": "clerk", "active": 1,
                              "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "pin_hash": "",
                              "failed": 0, "locked_until": "", "dirty": 0, "created_at": "2026-11-23T07:00:00",
                              "updated_at": "2026-11-23T07:00:00"})
    insert(conn, "calendar_overrides", {"day": "2026-12-26", "kind": "off", "label": "Nghỉ bù"})
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


def fill_by_borrowing():
    from sqlite_utils import Database
    from motcua.store import schema
    for name, migrate in (("workstation", schema.migrate_workstation), ("centre", schema.migrate_centre)):
        db = Database(sqlite3.connect(out / f"{name}.sqlite"))
        migrate(db)
        conn = db.conn
        conn.execute("ATTACH DATABASE ? AS src", [str(borrow / f"{name}.sqlite")])
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts_%' AND name != '_sqlite_migrations'")]
        for t in tables:
            mine = columns(conn, t)
            theirs = [r[1] for r in conn.execute(f"PRAGMA src.table_info({t})")]
            common = [c for c in mine if c in theirs]
            if common:
                cols = ", ".join(common)
                conn.execute(f"INSERT INTO main.{t} ({cols}) SELECT {cols} FROM src.{t}")
        conn.commit()
        conn.execute("DETACH DATABASE src")
        conn.close()


if borrow is None:
    fill_with_services()
else:
    fill_by_borrowing()
fill_queue(out / "centre.sqlite")
'''


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True, text=True).stdout


def migration_lists(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        found: dict[str, list[str]] = {}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" in tables:
            for s, n in conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid"):
                found.setdefault(s, []).append(n)
        if "rep_migrations" in tables:
            found["motcua.replica"] = [r[0] for r in conn.execute("SELECT name FROM rep_migrations ORDER BY rowid")]
        return found
    finally:
        conn.close()


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return "X'" + value.hex() + "'"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def dump(path: Path) -> str:
    """The schema and rows of ``path`` as SQL that rebuilds it (unlike ``iterdump``, with working FTS5 tables):
    tables, then rows, then the full-text tables' contents (their index is rebuilt), then indexes and triggers."""
    conn = sqlite3.connect(path)
    try:
        master = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        ).fetchall()
        virtual = [n for t, n, s in master if t == "table" and s.upper().startswith("CREATE VIRTUAL TABLE")]
        shadow = {n for t, n, _ in master if t == "table" and any(n.startswith(v + "_") for v in virtual)}
        lines = ["PRAGMA foreign_keys = OFF;", "BEGIN;"]
        tables = [(n, s) for t, n, s in master if t == "table" and n not in shadow]
        lines += [f"{s};" for _, s in tables]
        for name, _ in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
            select = ", ".join(["rowid", *cols]) if name in virtual else "*"
            for row in conn.execute(f'SELECT {select} FROM "{name}" ORDER BY rowid' if name in virtual
                                    else f'SELECT * FROM "{name}"'):  # fmt: skip
                names = ", ".join(["rowid", *cols]) if name in virtual else ", ".join(f'"{c}"' for c in cols)
                lines.append(f'INSERT INTO "{name}" ({names}) VALUES ({", ".join(_literal(v) for v in row)});')
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
            for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
                lines.append(f"INSERT INTO sqlite_sequence (name, seq) VALUES ({_literal(name)}, {seq});")
        lines += [f"{s};" for t, n, s in master if t in ("index", "trigger", "view") and n not in shadow]
        lines.append("COMMIT;")
        return "\n".join(lines) + "\n"
    finally:
        conn.close()


def has_reception(sha: str) -> bool:
    return bool(git("ls-tree", "--name-only", sha, "app/motcua/services/reception.py").strip())


def generate(sha: str, work: Path, borrow: Path | None = None) -> Path:
    tree = work / sha[:10]
    out = work / f"out-{sha[:10]}"
    if not out.exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "app", "resources"], cwd=REPO, check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(tree / "app"), "MOTCUA_LANG": "vi",
               "MOTCUA_RESOURCES": str(tree / "resources"), "MOTCUA_KIOSK_CONFIG": str(work / "no-config")}  # fmt: skip
        script = work / "filler.py"
        script.write_text(FILLER, encoding="utf-8")
        args = [sys.executable, str(script), str(out), *([str(borrow)] if borrow else [])]
        subprocess.run(args, cwd=tree, env=env, check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--force", action="store_true", help="remake the snapshots that exist")
    args = p.parse_args(argv)
    commits = git("log", "--reverse", "--format=%H", "--", *MIGRATION_FILES).split()
    index: list[dict[str, object]] = []
    previous: object = None
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="motcua-snapshots-") as tmp:
        work = Path(tmp)
        for i, sha in enumerate(commits):
            try:
                if has_reception(sha):
                    out = generate(sha, work)
                else:
                    later = next(c for c in commits[i + 1 :] if has_reception(c))
                    out = generate(sha, work, borrow=generate(later, work))
            except subprocess.CalledProcessError:
                # That commit's own code could not fill its database (it never ran as committed): not a version.
                print(f"skipped {sha[:7]}: its own code fails on a fresh database", file=sys.stderr)
                skipped.append(sha)
                continue
            lists = {db: migration_lists(out / f"{db}.sqlite") for db in DATABASES}
            if lists == previous:
                continue
            previous = lists
            n = len(index) + 1
            stem = f"{n:02d}_{sha[:7]}"
            for db in DATABASES:
                target = HERE / f"{stem}_{db}.sql"
                if args.force or not target.exists():
                    target.write_text(dump(out / f"{db}.sqlite"), encoding="utf-8")
            subject = git("log", "-1", "--format=%ad %s", "--date=short", sha).strip()
            index.append({"n": n, "commit": sha, "stem": stem, "subject": subject[:100], "migrations": lists})
    listing = {"versions": index, "skipped": skipped}
    (HERE / "versions.json").write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for v in index:
        print(v["stem"], v["subject"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
