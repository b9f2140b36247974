"""``motcua backup`` / ``motcua restore`` as an operator runs them: Vietnamese messages, status 2 on a refusal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .helpers import codes_in, fill


def motcua(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi", "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )


def test_backup_list_restore_round_trip_in_vietnamese(tmp_path: Path) -> None:
    first = fill(tmp_path / "data", ["Đinh Văn Một"])
    out = motcua(tmp_path, "backup", "--to", str(tmp_path / "b"), "--keep", "5")
    assert out.returncode == 0, out.stderr
    assert "Đã sao lưu" in out.stdout and "tệp" in out.stdout
    backup = next((tmp_path / "b").glob("motcua-*"))
    listed = motcua(tmp_path, "backup", "--to", str(tmp_path / "b"), "--list")
    assert str(backup) in listed.stdout
    fill(tmp_path / "data", ["Đinh Văn Hai"])

    asked = motcua(tmp_path, "restore", str(backup), stdin="khong\n")
    assert asked.returncode == 1 and "Đã hủy, không thay đổi gì." in asked.stdout
    assert len(codes_in(tmp_path / "data")) == 2

    done = motcua(tmp_path, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout and "Dữ liệu cũ được giữ lại ở" in done.stdout
    assert codes_in(tmp_path / "data") == set(first)
    assert len(list(tmp_path.glob("data.before-restore-*"))) == 1


def test_a_damaged_backup_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    fill(tmp_path / "data", ["Đinh Văn Ba"])
    assert motcua(tmp_path, "backup", "--to", str(tmp_path / "b")).returncode == 0
    backup = next((tmp_path / "b").glob("motcua-*"))
    db = backup / "centre.sqlite"
    raw = bytearray(db.read_bytes())
    raw[200] ^= 0xFF
    db.write_bytes(bytes(raw))
    out = motcua(tmp_path, "restore", str(backup), "--yes")
    assert out.returncode == 2
    assert out.stderr.startswith("Lỗi: Bản sao lưu motcua-")
    assert "bị hỏng (tệp centre.sqlite không khớp mã kiểm tra SHA-256)" in out.stderr
    assert "Dữ liệu hiện tại vẫn giữ nguyên" in out.stderr
    not_one = motcua(tmp_path, "restore", str(tmp_path / "data"), "--yes")
    assert not_one.returncode == 2 and "không phải là một bản sao lưu" in not_one.stderr
    bad_keep = motcua(tmp_path, "backup", "--keep", "0")
    assert bad_keep.returncode == 2 and "--keep phải từ 1 trở lên" in bad_keep.stderr
