"""Backups: consistent while another process writes, kept N deep, refused when damaged or newer, restored with the
replaced data kept aside; the daily run at closing time, a missed day included."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from motcua.config import BackupSettings, ReportSettings, Settings, with_overrides
from motcua.services.backup import BackupJob, BackupService, default_folder
from motcua.store import backup as store
from motcua.store.backup import BackupError
from motcua.store.db import Store
from motcua.store.schema import migrate_workstation

from .helpers import at, check_consistent, codes_in, fill

WRITER = Path(__file__).with_name("writer.py")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_backup_taken_while_another_process_writes_holds_every_acknowledged_dossier(tmp_path: Path) -> None:
    data, side, stop = tmp_path / "data", tmp_path / "acked.txt", tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writer = subprocess.Popen([sys.executable, str(WRITER), str(data), str(side), str(stop)], env=env)
    try:
        deadline = time.monotonic() + 60
        while (not side.exists() or len(side.read_text().split()) < 300) and time.monotonic() < deadline:
            assert writer.poll() is None, "the writer stopped"
            time.sleep(0.05)
        acked_before = set(side.read_text().split())  # acknowledged before the backup started
        assert len(acked_before) >= 300
        made = BackupService(Settings(), data, tmp_path / "backups").run(at("2026-11-23T17:30:00"))
        acked_during = set(side.read_text().split()) - acked_before
        time.sleep(0.3)
        assert writer.poll() is None, "the writer kept writing all along"
    finally:
        stop.touch()
        writer.wait(30)
    assert writer.returncode == 0
    assert acked_during, "the backup ran while the writer was committing"
    restored = tmp_path / "restored"
    result = store.restore(made.path, restored, at("2026-11-24T08:00:00"))
    assert result.aside is None  # a fresh folder: nothing to keep
    check_consistent(restored)
    found = codes_in(restored)
    assert acked_before <= found
    assert found <= set(side.read_text().split())  # nothing invented either


def test_backups_are_private_to_the_account_and_documents_are_shared_between_backups(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, ["Lò Văn Một", "Lò Văn Hai"])
    service = BackupService(Settings(), data)
    assert service.folder == default_folder(data) == tmp_path / "data-backups"
    first = service.run(at("2026-11-23T17:30:00")).path
    second = service.run(at("2026-11-24T17:30:00")).path
    if sys.platform != "win32":
        for p in [service.folder, *service.folder.rglob("*")]:
            mode = p.stat().st_mode & 0o777
            assert mode == (0o700 if p.is_dir() else 0o600), p
    docs = [p for p in (second / "files").rglob("*.pdf")]
    assert len(docs) == 2
    assert all(p.stat().st_nlink == 2 for p in docs)  # hard links to the first backup's copies
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["source_data_dir"] == str(data.resolve())
    assert "0011_report_settled" in manifest["migrations"]["workstation.sqlite"]["motcua.workstation"]
    assert {f["path"] for f in manifest["files"]} >= {"workstation.sqlite", "centre.sqlite"}
    store.prune(service.folder, 1)
    assert not first.exists()
    store.verify(second)  # its documents outlive the backup they were linked from


def test_only_the_newest_n_are_kept_and_partial_ones_are_removed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, ["Hà Văn Ba"])
    folder = tmp_path / "b"
    service = BackupService(with_overrides(Settings(), backup=BackupSettings(keep=3)), data, folder)
    for day in range(20, 26):
        service.run(at(f"2026-11-{day}T17:30:00"))
    (folder / "motcua-2026-11-26_173000.partial").mkdir()  # a run cut short
    service.run(at("2026-11-27T17:30:00"), keep=3)
    assert [b.path.name for b in service.backups()] == [
        "motcua-2026-11-27_173000",
        "motcua-2026-11-25_173000",
        "motcua-2026-11-24_173000",
    ]
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(
        b.path.name for b in service.backups()
    )


@pytest.mark.parametrize("target", ["workstation.sqlite", "document"])
def test_a_damaged_backup_is_refused_and_the_current_data_is_untouched(tmp_path: Path, target: str) -> None:
    data = tmp_path / "data"
    fill(data, ["Vàng Thị Tư"])
    made = BackupService(Settings(), data, tmp_path / "b").run(at("2026-11-23T17:30:00")).path
    fill(data, ["Vàng Thị Năm"])  # today's work, after the backup
    victim = made / "workstation.sqlite" if target != "document" else next((made / "files").rglob("*.pdf"))
    raw = bytearray(victim.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    victim.write_bytes(bytes(raw))
    before = _tree(data)
    with pytest.raises(BackupError, match="bị hỏng"):
        store.restore(made, data, at("2026-11-24T08:00:00"))
    assert _tree(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "data"]  # no staging, nothing renamed


def test_restore_keeps_the_replaced_data_aside(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = fill(data, ["Sùng A Sáu"])
    made = BackupService(Settings(), data, tmp_path / "b").run(at("2026-11-23T17:30:00")).path
    newer = fill(data, ["Sùng A Bảy"])
    result = store.restore(made, data, at("2026-11-24T08:00:00"))
    assert result.aside == tmp_path / "data.before-restore-2026-11-24_080000"
    assert codes_in(data) == set(old)
    assert codes_in(result.aside) == set(old + newer)  # what was replaced is all there


def _make_newer(backup: Path, sql: str) -> None:
    """A backup whose database applied a migration this build does not know (hashes made to match)."""
    db = backup / "workstation.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(sql)
    conn.commit()
    conn.close()
    manifest = json.loads((backup / "manifest.json").read_text())
    for e in manifest["files"]:
        if e["path"] == "workstation.sqlite":
            e["sha256"], e["bytes"] = store._hash_file(db)
    (backup / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('motcua.workstation', '0099_future', '2027-01-01')",
        "INSERT INTO rep_migrations (name, applied_at) VALUES ('0099_future', '2027-01-01')",
    ],
)
def test_a_backup_from_a_newer_version_is_refused(tmp_path: Path, sql: str) -> None:
    data = tmp_path / "data"
    fill(data, ["Giàng Thị Tám"])
    made = BackupService(Settings(), data, tmp_path / "b").run(at("2026-11-23T17:30:00")).path
    _make_newer(made, sql)
    before = _tree(data)
    with pytest.raises(BackupError, match=r"phiên bản mới hơn.*0099_future"):
        store.restore(made, data, at("2026-11-24T08:00:00"))
    assert _tree(data) == before


def test_restore_is_refused_while_a_program_has_the_data_folder_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, ["Hờ A Chín"])
    made = BackupService(Settings(), data, tmp_path / "b").run(at("2026-11-23T17:30:00")).path
    running = Store(data / "workstation.sqlite", migrate_workstation)  # the app, still open
    try:
        with pytest.raises(BackupError, match="đang được dùng"):
            store.restore(made, data, at("2026-11-24T08:00:00"))
    finally:
        running.close()
    assert not (tmp_path / "data.before-restore-2026-11-24_080000").exists()
    assert store.restore(made, data, at("2026-11-24T08:00:00")).aside is not None  # once it is closed


# -- the daily run -------------------------------------------------------------------------------------------------


def _service(tmp_path: Path, **backup: object) -> BackupService:
    data = tmp_path / "data"
    if not data.exists():
        fill(data, ["Lầu Thị Mười"])
    settings = with_overrides(
        Settings(),
        reports=ReportSettings(closing_time="17:30"),
        backup=BackupSettings(**backup),  # type: ignore[arg-type]
    )
    return BackupService(settings, data, tmp_path / "b")


def test_due_at_closing_time_once_a_day(tmp_path: Path) -> None:
    s = _service(tmp_path)
    assert s.due(at("2026-11-23T10:00:00"))  # none yet: the one due since yesterday's closing
    assert s.run_if_due(at("2026-11-23T10:00:00")) is not None
    assert not s.due(at("2026-11-23T17:29:59"))
    assert s.due(at("2026-11-23T17:30:00"))
    made = s.run_if_due(at("2026-11-23T17:30:00"))
    assert made is not None and made.path.name == "motcua-2026-11-23_173000"
    assert s.run_if_due(at("2026-11-23T17:31:00")) is None  # the next check a minute later
    assert not s.due(at("2026-11-24T17:29:00"))
    assert s.due(at("2026-11-24T17:30:00"))


def test_a_day_missed_while_the_pc_was_off_is_made_at_the_next_start(tmp_path: Path) -> None:
    s = _service(tmp_path)
    s.run(at("2026-11-20T17:30:00"))  # Friday's
    # Off over the weekend and Monday evening: on Tuesday at 07:45 the backup due since Monday 17:30 is made.
    made = s.run_if_due(at("2026-11-24T07:45:00"))
    assert made is not None and made.path.name == "motcua-2026-11-24_074500"
    assert not s.due(at("2026-11-24T12:00:00"))
    assert s.due(at("2026-11-24T17:30:00"))  # and Tuesday's own at closing time


def test_its_own_time_and_switching_it_off(tmp_path: Path) -> None:
    s = _service(tmp_path, at="12:00")
    s.run(at("2026-11-23T12:00:00"))
    assert not s.due(at("2026-11-24T11:59:00"))
    assert s.due(at("2026-11-24T12:00:00"))
    assert not _service(tmp_path, enabled=False).due(at("2026-11-24T12:00:00"))


def test_a_second_program_on_the_same_folder_makes_no_second_backup(tmp_path: Path) -> None:
    s = _service(tmp_path)
    with store.folder_lock(s.folder) as mine:
        assert mine
        assert s.run_if_due(at("2026-11-23T17:30:00")) is None  # the other program holds the lock
        with pytest.raises(BackupError, match="đang sao lưu"):
            s.run(at("2026-11-23T17:30:00"))
    assert s.run_if_due(at("2026-11-23T17:30:00")) is not None


def test_the_job_checks_on_its_own_thread_and_survives_a_failure(tmp_path: Path) -> None:
    s = _service(tmp_path)
    errors: list[Exception] = []
    now = [at("2026-11-23T17:31:00")]
    blocker = tmp_path / "b"
    blocker.write_text("not a folder")  # the backup disk is missing / wrong: the first tries fail
    job = BackupJob(s, lambda: now[0], every_s=0.05, first_after_s=0, on_error=errors.append).start()
    try:
        deadline = time.monotonic() + 10
        while not errors and time.monotonic() < deadline:
            time.sleep(0.02)
        assert errors
        blocker.unlink()
        while job.last is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert job.last is not None and job.last.path.name == "motcua-2026-11-23_173100"
        assert job._thread is not None and job._thread is not threading.current_thread()
    finally:
        job.stop()
    assert job._thread is None


# Leaving WAL mode needs the only connection to the database: it is how a process closing its last connection
# decides to checkpoint and delete the WAL that another process still uses.
LOCK_PROBE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    print(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
except sqlite3.OperationalError as exc:
    print(exc)
"""


def test_a_backup_made_inside_the_program_that_writes_keeps_its_locks(tmp_path: Path) -> None:
    """The app and the centre server back up their own data folder: the backup must not drop the locks SQLite holds
    in that process (closing any other descriptor of a database file does, and then another process writes under
    it: a corrupt database)."""
    data = tmp_path / "data"
    fill(data, ["Nguyễn Văn An", "Trần Thị Bình"])
    writer = sqlite3.connect(data / "workstation.sqlite", isolation_level=None)
    assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer.execute("SELECT COUNT(*) FROM dossiers").fetchone()  # this process has the database open, as the app
    try:
        made = store.create_backup(data, tmp_path / "backups", at("2026-11-23 17:30"), "test")
        probe = subprocess.run(
            [sys.executable, "-c", LOCK_PROBE, str(data / "workstation.sqlite")],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        writer.close()
    assert probe.stdout.strip() == "database is locked", probe.stdout + probe.stderr
    assert (made / "workstation.sqlite").is_file()


def test_a_restored_workstation_never_hands_out_a_number_again(tmp_path: Path) -> None:
    """Numbers taken from a leased block after the backup were printed on receipts: after a restore the block's
    unused numbers are given up, so the next dossier waits for a fresh block from the centre."""
    from datetime import date

    from motcua.domain.errors import MotcuaError
    from motcua.store import code_blocks

    data = tmp_path / "data"
    fill(data, ["Sùng A Sáu"])
    day = date(2026, 11, 24)
    ws = Store(data / "workstation.sqlite", migrate_workstation)
    try:
        with ws.write() as db:
            code_blocks.add_block(db, "000.00.38.H38", day, 101, 150, at("2026-11-23T17:00:00"))
            assert code_blocks.take_next(db, "000.00.38.H38", day) == 101
    finally:
        ws.close()
    made = BackupService(Settings(), data, tmp_path / "b").run(at("2026-11-23T17:30:00")).path
    ws = Store(data / "workstation.sqlite", migrate_workstation)
    try:
        with ws.write() as db:  # the next morning: 102 and 103 printed on receipts
            assert [code_blocks.take_next(db, "000.00.38.H38", day) for _ in range(2)] == [102, 103]
    finally:
        ws.close()
    result = store.restore(made, data, at("2026-11-24T10:00:00"))
    assert result.retired_numbers >= 49  # 102–150 of this block as the backup had it (and the others' rest)
    ws = Store(data / "workstation.sqlite", migrate_workstation)
    try:
        assert code_blocks.remaining(ws.read(), "000.00.38.H38", day) == 0
        with pytest.raises(MotcuaError), ws.write() as db:
            code_blocks.take_next(db, "000.00.38.H38", day)  # not 102 again
    finally:
        ws.close()
