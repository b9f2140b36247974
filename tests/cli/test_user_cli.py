"""``motcua user``: accounts made, listed, disabled and their passwords changed from the command line, secrets
never as arguments."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path


def motcua(data: Path, *args: str, stdin: str = "", ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"MOTCUA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi"}
    out = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    if ok:
        assert out.returncode == 0, out.stderr
    return out


def test_accounts_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clerk = motcua(data, "user", "add", "lan", "--name", "Nguyễn Thị Lan", "--stdin", stdin="mat-khau-1\n", ok=False)
    assert clerk.returncode == 2 and "quản trị" in clerk.stderr  # the first account runs the centre
    motcua(data, "user", "add", "admin", "--name", "Trần Văn Quản", "--role", "admin", "--stdin", stdin="quan-tri-1\n")
    motcua(data, "user", "add", "lan", "--name", "Nguyễn Thị Lan", "--stdin", stdin="mat-khau-1\n")
    short = motcua(data, "user", "passwd", "lan", "--stdin", stdin="ngan\n", ok=False)
    assert short.returncode == 2 and "ít nhất" in short.stderr and "Traceback" not in short.stderr
    no_tty = motcua(data, "user", "passwd", "lan", ok=False)  # no terminal and no --stdin: said, not hung
    assert no_tty.returncode == 2 and "--stdin" in no_tty.stderr
    motcua(data, "user", "passwd", "lan", "--stdin", stdin="mat-khau-moi\n")
    motcua(data, "user", "disable", "lan")
    listed = json.loads(motcua(data, "user", "list", "--json").stdout)
    assert {(a["username"], a["role"], a["active"]) for a in listed} == {
        ("admin", "admin", True),
        ("lan", "clerk", False),
    }
    assert "mat-khau" not in motcua(data, "user", "list").stdout


def test_a_command_signs_an_account_change_as_the_administrator_it_names(tmp_path: Path) -> None:
    """``--as ADMIN`` signs the change with that administrator's key (their password first on standard input);
    without it, a counter that syncs with a centre is told the centre will not take the change."""
    data = tmp_path / "data"
    motcua(data, "user", "add", "admin", "--name", "Trần Văn Quản", "--role", "admin", "--stdin", stdin="quan-tri-1\n")
    wrong = motcua(data, "user", "add", "lan", "--name", "Nguyễn Thị Lan", "--as", "admin", "--stdin",
                   stdin="sai-mat-khau\nmat-khau-1\n", ok=False)  # fmt: skip
    assert wrong.returncode == 2 and "không đúng" in wrong.stderr and "Traceback" not in wrong.stderr
    motcua(data, "user", "add", "lan", "--name", "Nguyễn Thị Lan", "--as", "admin", "--stdin",
           stdin="quan-tri-1\nmat-khau-1\n")  # fmt: skip
    clerk = motcua(data, "user", "disable", "admin", "--as", "lan", "--stdin", stdin="mat-khau-1\n", ok=False)
    assert clerk.returncode == 2 and "Quản trị" in clerk.stderr  # a clerk's key signs no one else's account
    listed = {a["username"]: a for a in json.loads(motcua(data, "user", "list", "--json").stdout)}
    assert listed["lan"]["signing_key"] and listed["admin"]["active"]

    with sqlite3.connect(data / "workstation.sqlite") as db:
        signed_by, revision = db.execute("SELECT signed_by, revision FROM accounts WHERE username = 'lan'").fetchone()
    assert (signed_by, revision) == ("admin", 1)
