"""The data folder and everything in it readable by the app's own account only (0700 folders, 0600 files)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.config import Settings
from motcua.devices.printer import FakePrinter
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.printing import PrintingService
from motcua.services.scanning_station import ScanningStation
from motcua.store import permissions
from privacy.helpers import receive

posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


def _loose(root: Path) -> list[str]:
    """Every file or folder under ``root`` (and root) that another account could read, write or enter."""
    found = [] if not _mode(root) & 0o077 else [str(root)]
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            if _mode(p) & 0o077:
                found.append(f"{p.relative_to(root)} {oct(_mode(p))}")
    return found


@posix
def test_everything_the_counter_writes_is_private(tmp_path, clock, monkeypatch) -> None:
    monkeypatch.setattr(os, "umask", os.umask)  # keep the test's umask as it was after
    old = os.umask(0o022)  # what a desktop session gives: files 0644 unless the app says otherwise
    try:
        ctx = open_context(Settings(), tmp_path / "data", clock=clock, printer=FakePrinter())
        try:
            CatalogService(ctx).ensure_sample()
            d = receive(ctx)
            printing = PrintingService(ctx)
            pdf = printing.save(printing.receipt_pdf(d), f"{d.code}-mau01.pdf")
            att = ScanningStation(ctx).attach_pdf(pdf.read_bytes(), d.code, "TP1", 1, "colour")
        finally:
            ctx.close()
    finally:
        os.umask(old)
    root = tmp_path / "data"
    expected = {
        root / "workstation.sqlite": 0o600,
        root / "centre.sqlite": 0o600,
        root / "workstation.sqlite-wal": 0o600,
        pdf: 0o600,
        root / att.path: 0o600,
        root: 0o700,
        root / "out": 0o700,
        root / "files": 0o700,
        (root / att.path).parent: 0o700,
    }
    assert pdf.parent == root / "out"
    assert {p: _mode(p) for p in expected if p.exists()} == {p: m for p, m in expected.items() if p.exists()}
    assert (root / att.path).exists() and pdf.exists()
    assert _loose(root) == []


@posix
def test_a_loose_existing_folder_is_tightened_at_start_with_a_warning(tmp_path, clock, caplog) -> None:
    root = tmp_path / "data"
    (root / "out").mkdir(parents=True)
    (root / "files" / "ab").mkdir(parents=True)
    for p in (root, root / "out", root / "files", root / "files" / "ab"):
        p.chmod(0o755)
    (root / "out" / "old-receipt.pdf").write_bytes(b"%PDF-1.4 old")
    (root / "files" / "ab" / "abc.pdf").write_bytes(b"%PDF-1.4 scan")
    (root / "out" / "old-receipt.pdf").chmod(0o644)
    (root / "files" / "ab" / "abc.pdf").chmod(0o666)
    caplog.set_level(logging.WARNING, logger="motcua")
    ctx = open_context(Settings(), root, clock=clock, printer=FakePrinter())
    ctx.close()
    assert _loose(root) == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "motcua.store.permissions"]
    assert len(warnings) == 1 and "6 files or folders" in warnings[0]
    # A second start finds nothing to do and says nothing.
    caplog.clear()
    assert permissions.secure_data_folder(root) == 0
    assert not [r for r in caplog.records if r.name == "motcua.store.permissions"]


@posix
def test_a_shared_folder_given_by_mistake_is_left_alone(tmp_path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "someone-elses.txt").write_text("x")
    (shared / "someone-elses.txt").chmod(0o644)
    assert permissions.secure_data_folder(shared) == 0
    assert _mode(shared) == 0o1777 and _mode(shared / "someone-elses.txt") == 0o644


def test_windows_acl_is_owner_and_system_only() -> None:
    (cmd,) = permissions.windows_acl_commands(Path("C:/Users/a/AppData/Local/motcua"), "*S-1-5-21-1-2-3-1001")
    assert cmd[:3] == ["icacls", str(Path("C:/Users/a/AppData/Local/motcua")), "/inheritance:r"]
    assert cmd[3:6] == ["/grant:r", "*S-1-5-21-1-2-3-1001:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F"]


def test_windows_restricts_the_folder_once_and_lets_everything_below_inherit(tmp_path, monkeypatch, caplog) -> None:
    calls: list[list[str]] = []

    def run(cmd, **kwargs):
        calls.append(list(cmd))
        out = '"PC\\clerk","S-1-5-21-1-2-3-1001"\r\n' if cmd[0] == "whoami" else ""
        return subprocess.CompletedProcess(cmd, 0, out, "")

    monkeypatch.setattr(permissions, "_windows", lambda: True)
    monkeypatch.setattr(permissions.subprocess, "run", run)
    root = tmp_path / "data"
    root.mkdir()
    (root / "old.pdf").write_bytes(b"%PDF")
    caplog.set_level(logging.WARNING, logger="motcua")
    assert permissions.secure_data_folder(root) == 1
    icacls = [c for c in calls if c[0] == "icacls"]
    assert icacls == [
        [*permissions.windows_acl_commands(root, "*S-1-5-21-1-2-3-1001")[0]],
        ["icacls", str(root / "*"), "/reset", "/T", "/C", "/Q"],
    ]
    assert "SYSTEM" in caplog.text
    calls.clear()
    assert permissions.secure_data_folder(root) == 0 and calls == []  # once: files made later inherit
    permissions.private_file(root / "new.sqlite")
    permissions.private_dir(root / "files" / "ab")
    assert calls == []
