"""The audit log is a hash chain per origin: ``motcua audit verify`` finds every entry edited, removed, inserted or
reordered straight in the SQLite file, by kind and position, and passes an intact log."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from motcua.config import Settings
from motcua.devices.printer import FakePrinter
from motcua.domain.audit_chain import EDITED, GENESIS, INSERTED, REMOVED, REORDERED, entry_hash
from motcua.services import audit_trail
from motcua.services.context import open_context
from motcua.store import audit
from motcua.store.db import Store, connect
from motcua.store.schema import migrate_workstation
from motcua.store.sql import SqliteDatabase

ORIGIN = "000.25.38.H38/Q01"  # the default settings' centre and station
T0 = datetime(2026, 12, 1, 8, 0)


def make_log(data: Path, n: int = 8) -> None:
    """A workstation whose log holds ``n`` entries (seq 1..n), as the app writes them."""
    ctx = open_context(Settings(), data, clock=lambda: T0, printer=FakePrinter())
    try:
        for i in range(1, n + 1):
            with ctx.store.write() as db:
                audit.record(db, actor=f"Cán bộ {i}", station_id="Q01", action="receive", entity=f"HS-{i}",
                             at=T0 + timedelta(minutes=i), note=f"lần {i}")  # fmt: skip
    finally:
        ctx.close()


def motcua(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"MOTCUA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi"}
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def tamper(data: Path, *statements: str) -> None:
    db = connect(data / "workstation.sqlite")
    with db.conn:
        for s in statements:
            db.execute(s)
    db.conn.close()


def problems(data: Path) -> list[tuple[str, int | None]]:
    store = Store(data / "workstation.sqlite", migrate_workstation)
    try:
        result = audit_trail.verify(SqliteDatabase(store))
    finally:
        store.close()
    return [(p.kind, p.seq) for p in result.problems]


def swap_rows(a: int, b: int) -> tuple[str, ...]:
    """Statements that swap the table places (rowids) of entries a and b (rows a and b of a fresh log)."""
    return (
        f"UPDATE audit_log SET id = -1 WHERE id = {a}",
        f"UPDATE audit_log SET id = {a} WHERE id = {b}",
        f"UPDATE audit_log SET id = {b} WHERE id = -1",
    )


def test_an_intact_log_verifies(tmp_path: Path) -> None:
    make_log(tmp_path / "data")
    out = motcua(tmp_path / "data", "audit", "verify")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Nhật ký nguyên vẹn: 1 nguồn, 8 mục"
    got = json.loads(motcua(tmp_path / "data", "audit", "verify", "--json").stdout)
    assert got == {"intact": True, "origins": 1, "entries": 8, "problems": []}
    listed = json.loads(motcua(tmp_path / "data", "audit", "list", "--entity", "HS-3", "--json").stdout)
    assert [(e["origin"], e["seq"], e["actor"], e["detail"]) for e in listed] == [
        (ORIGIN, 3, "Cán bộ 3", {"note": "lần 3"})
    ]


def test_every_tampering_is_reported_by_kind_and_position(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_log(data, 10)
    tamper(
        data,
        "UPDATE audit_log SET actor = 'Người khác' WHERE seq = 2",  # edited
        "DELETE FROM audit_log WHERE seq = 4",  # removed
        *swap_rows(6, 7),  # reordered (rows moved)
        # inserted: a row written past the app, without chain fields
        f"INSERT INTO audit_log (at, actor, station_id, action, entity, origin) VALUES "
        f"('2026-12-01 08:08:30', 'Kẻ gian', 'Q01', 'receive', 'HS-X', '{ORIGIN}')",
        "DELETE FROM audit_log WHERE seq = 10",  # removed at the end
    )
    out = motcua(data, "audit", "verify", "--json")
    assert out.returncode == 1, out.stderr
    found = json.loads(out.stdout)
    assert not found["intact"]
    got = [(p["kind"], p["origin"], p["seq"]) for p in found["problems"]]
    assert got == [
        (INSERTED, ORIGIN, None),
        (EDITED, ORIGIN, 2),
        (REMOVED, ORIGIN, 4),
        (REORDERED, ORIGIN, 7),
        (REMOVED, ORIGIN, 10),
    ]
    inserted = found["problems"][0]
    assert inserted["row"] == 11  # the row's place in the table
    text = motcua(data, "audit", "verify")
    assert text.returncode == 1
    lines = text.stdout.strip().splitlines()
    assert lines == [
        f"Nguồn {ORIGIN}: dòng 11 (sau mục 9) được chèn vào, không thuộc chuỗi",
        f"Nguồn {ORIGIN}, mục 2: nội dung đã bị sửa (mã băm không khớp, dòng 2)",
        f"Nguồn {ORIGIN}, mục 4: đã bị xóa",
        f"Nguồn {ORIGIN}, mục 7: bị đổi chỗ (nằm ở dòng 6, sau mục 5)",
        f"Nguồn {ORIGIN}, mục 10: đã bị xóa ở cuối sổ (sổ đã ghi đến mục 10)",
        "Nhật ký có 5 chỗ sai (1 nguồn, 9 mục)",
    ]


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        pytest.param(("UPDATE audit_log SET detail = '{}' WHERE seq = 3",), [(EDITED, 3)], id="edited"),
        pytest.param(("DELETE FROM audit_log WHERE seq IN (3, 4, 5)",), [(REMOVED, 3)], id="removed-run"),
        pytest.param(("DELETE FROM audit_log WHERE seq = 1",), [(REMOVED, 1)], id="removed-first"),
        pytest.param(
            (
                "DELETE FROM audit_log WHERE seq = 6",
                "UPDATE audit_heads SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5)",
            ),
            [],
            id="removed-last-with-its-head-undetectable-here",
        ),
        pytest.param(
            ("UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3)", "UPDATE audit_log SET seq = 5 + seq WHERE seq < 0"),
            [(REORDERED, 2), (REORDERED, 3)],
            id="renumbered",
        ),
        pytest.param(swap_rows(1, 6), [(REORDERED, 1), (REORDERED, 6)], id="moved"),
        pytest.param(swap_rows(3, 4), [(REORDERED, 4)], id="moved-next"),
        pytest.param(
            ("UPDATE audit_log SET seq = NULL WHERE seq = 4",), [(INSERTED, None), (REMOVED, 4)], id="unnumbered"
        ),
    ],
)
def test_each_kind_of_tampering(tmp_path: Path, statements: tuple[str, ...], expected: list[tuple[str, int]]) -> None:
    data = tmp_path / "data"
    make_log(data, 6)
    tamper(data, *statements)
    assert problems(data) == expected


def test_an_edit_with_its_hash_recomputed_breaks_the_link_to_the_next_entry(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_log(data, 5)
    db = connect(data / "workstation.sqlite")
    at, station, action, entity, detail, prev = db.execute(
        "SELECT at, station_id, action, entity, detail, prev_hash FROM audit_log WHERE seq = 3"
    ).fetchone()
    forged = entry_hash(seq=3, at=at, actor="Người khác", station=station, action=action, entity=entity,
                        detail=detail, prev=prev)  # fmt: skip
    with db.conn:
        db.execute("UPDATE audit_log SET actor = 'Người khác', hash = ? WHERE seq = 3", [forged])
    db.conn.close()
    assert problems(data) == [(EDITED, 3)]
    # A row inserted under a new number with a valid hash of its own, after the last entry: the head tells.
    db = connect(data / "workstation.sqlite")
    last = db.execute("SELECT hash FROM audit_log WHERE seq = 5").fetchone()[0]
    extra = entry_hash(seq=6, at="2026-12-01 09:00:00", actor="Kẻ gian", station="Q01", action="x", entity="HS-X",
                       detail="{}", prev=last)  # fmt: skip
    with db.conn:
        db.execute(
            "INSERT INTO audit_log (at, actor, station_id, action, entity, detail, origin, seq, prev_hash, hash) "
            "VALUES ('2026-12-01 09:00:00', 'Kẻ gian', 'Q01', 'x', 'HS-X', '{}', ?, 6, ?, ?)",
            [ORIGIN, last, extra],
        )
    db.conn.close()
    assert problems(data) == [(EDITED, 3), (INSERTED, 6)]


def test_entries_made_before_the_migration_are_chained_and_joined_to_the_workstations_origin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # A database as the previous version left it: migrations up to 0007, three entries.
    from sqlite_utils.migrations import Migrations

    from motcua.store.schema import workstation

    db = connect(data / "workstation.sqlite")
    old = Migrations("motcua.workstation")
    old._migrations = [m for m in workstation._migrations if m.name < "0008"]
    old.apply(db)
    for i in range(3):
        db.execute("INSERT INTO audit_log (at, actor, station_id, action, entity, detail) VALUES (?, ?, ?, ?, ?, ?)",
                   [f"2026-11-0{i + 1} 08:00:00", "A", "Q01", "receive", f"HS-{i}", "{}"])  # fmt: skip
    db.conn.commit()
    db.conn.close()
    make_log(data, 2)  # opens (migrates, claims) and adds two entries
    store = Store(data / "workstation.sqlite", migrate_workstation)
    rows = store.read().execute("SELECT origin, seq, prev_hash FROM audit_log ORDER BY id").fetchall()
    store.close()
    assert [(r[0], r[1]) for r in rows] == [(ORIGIN, s) for s in range(1, 6)]
    assert rows[0][2] == GENESIS
    assert problems(data) == []
