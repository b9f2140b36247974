"""Every released schema version (tests/data/schema_versions, one per distinct migration list in git history) opens in
this version: its rows survive the migrations, dossiers read and search through today's code, the files are whole,
and the schema ends up exactly a fresh database's (a shipped migration edited afterwards would show here)."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from motcua.config import Settings
from motcua.services.context import open_context
from motcua.services.reception import ReceptionService
from motcua.store import attachments, dossiers
from motcua.store.queue_schema import migrate_queue_centre
from motcua.store.schema import migrate_workstation

SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "schema_versions"
VERSIONS: list[dict[str, Any]] = json.loads((SNAPSHOTS / "versions.json").read_text(encoding="utf-8"))["versions"]
INTERNAL = ("_sqlite_migrations", "rep_migrations", "sqlite_sequence")


def _load(sql_file: Path, target: Path) -> None:
    conn = sqlite3.connect(target)
    conn.executescript(sql_file.read_text(encoding="utf-8"))
    conn.close()


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names if n not in INTERNAL}
    finally:
        conn.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
        return sorted((t, n, re.sub(r"\s+", " ", s).strip()) for t, n, s in rows)
    finally:
        conn.close()


def _sound(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _migrate(path: Path, migrate: Any) -> None:
    db = Database(sqlite3.connect(path))
    migrate(db)
    db.close()


def test_there_is_one_snapshot_per_version_and_they_stay_small() -> None:
    assert len(VERSIONS) >= 10
    assert [v["n"] for v in VERSIONS] == list(range(1, len(VERSIONS) + 1))
    sizes = [p.stat().st_size for p in SNAPSHOTS.glob("*.sql")]
    assert len(sizes) == 2 * len(VERSIONS) and max(sizes) < 150_000 and sum(sizes) < 1_000_000
    # Each adds a migration to the one before (that is what makes it a version).
    flat = [sorted((db, s, n) for db, sets in v["migrations"].items() for s, ns in sets.items() for n in ns)
            for v in VERSIONS]  # fmt: skip
    assert all(set(a) < set(b) for a, b in itertools.pairwise(flat))


@pytest.mark.parametrize("version", VERSIONS, ids=[v["stem"] for v in VERSIONS])
def test_a_workstation_of_every_version_upgrades_with_its_data(tmp_path: Path, version: dict[str, Any]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db_path = data / "workstation.sqlite"
    _load(SNAPSHOTS / f"{version['stem']}_workstation.sql", db_path)
    before = _counts(db_path)
    codes = [r[0] for r in sqlite3.connect(db_path).execute("SELECT code FROM dossiers ORDER BY id")]
    assert len(codes) >= 6

    _migrate(db_path, migrate_workstation)
    after = _counts(db_path)
    for table, n in before.items():
        assert after[table] >= n, table  # nothing lost (the audit log may gain the adoption's entries)
    _sound(db_path)
    fresh = tmp_path / "fresh.sqlite"
    _migrate(fresh, migrate_workstation)
    assert _schema(db_path) == _schema(fresh)

    # Through today's repositories and services, as the app opens it.
    ctx = open_context(Settings(), data)
    try:
        db = ctx.store.read()
        for code in codes:
            d = dossiers.get(db, code)
            assert d.code == code and d.applicant.name
            for a in attachments.for_dossier(db, code):
                assert a.sha256 and a.size > 0
        svc = ReceptionService(ctx)
        assert [d.code for d in svc.search("nguyen van an")][:1] == [codes[0]]
        assert [d.code for d in svc.search("Lò Thị Mai")] == [codes[2]]
        assert svc.search(codes[3])[0].code == codes[3]
        assert dossiers.count(db) == len(codes)
    finally:
        ctx.close()
    _sound(db_path)


@pytest.mark.parametrize("version", VERSIONS, ids=[v["stem"] for v in VERSIONS])
def test_a_centre_of_every_version_upgrades_with_its_queue(tmp_path: Path, version: dict[str, Any]) -> None:
    path = tmp_path / "centre.sqlite"
    _load(SNAPSHOTS / f"{version['stem']}_centre.sql", path)
    before = _counts(path)
    assert before["code_leases"] >= 1
    _migrate(path, migrate_queue_centre)
    after = _counts(path)
    assert all(after[t] == n for t, n in before.items())
    _sound(path)
    fresh = tmp_path / "fresh.sqlite"
    _migrate(fresh, migrate_queue_centre)
    assert _schema(path) == _schema(fresh)
    if "queue_tickets" in before:
        conn = sqlite3.connect(path)
        roles = {r[0] for r in conn.execute("SELECT role FROM device_tokens")}
        assert roles == {"kiosk", "counter"}
        conn.execute(  # the widened CHECK of 0002 holds on a table made by 0001
            "INSERT INTO device_tokens (token_sha256, device, role, created_at) VALUES ('c', 'R1', 'rating', 'x')"
        )
        conn.close()
