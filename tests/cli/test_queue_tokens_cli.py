"""``motcua queue token add`` checks a device as the app's device dialog does (one function for both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.cli import main


def test_the_cli_refuses_a_second_live_token_for_a_device_and_a_bad_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "centre.sqlite")
    assert main(["--data-dir", str(tmp_path), "queue", "--db", db, "token", "add", "KIOSK1", "--role", "kiosk"]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) >= 32
    code = main(["--data-dir", str(tmp_path), "queue", "--db", db, "token", "add", "KIOSK1", "--role", "kiosk"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and "KIOSK1" in err and "thu hồi" in err and len(err.splitlines()) == 1
    code = main(["--data-dir", str(tmp_path), "queue", "--db", db, "token", "add", "ki ốt\n1", "--role", "kiosk"])
    assert code != 0 and len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["--data-dir", str(tmp_path), "queue", "--db", db, "token", "list"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1 and listed[0].startswith("KIOSK1\tkiosk")
    # Once revoked, the name may be enrolled again (a replaced kiosk PC keeps its name).
    assert main(["--data-dir", str(tmp_path), "queue", "--db", db, "token", "revoke", "KIOSK1"]) == 0
    assert main(["--data-dir", str(tmp_path), "queue", "--db", db, "token", "add", "KIOSK1", "--role", "kiosk"]) == 0
