"""The ``motcua`` command as a script uses it: JSON out, one clear line and a non-zero code on errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


def motcua(tmp_path: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"MOTCUA_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi"}
    out = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if ok:
        assert out.returncode == 0, out.stderr
    return out


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    motcua(
        tmp_path,
        "catalog",
        "import",
        str(Path(__file__).resolve().parents[2] / "resources/catalog/sample_catalog.json"),
    )
    return tmp_path


def test_receive_show_search_act_and_print(seeded: Path) -> None:
    got = json.loads(
        motcua(
            seeded, "dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--phone", "0912345678", "--json"
        ).stdout
    )
    code = got["code"]
    assert got["applicant"]["name"] == "Đặng Hồng Bảo"
    assert got["status"] == 2
    shown = json.loads(motcua(seeded, "dossier", "show", code, "--json").stdout)
    assert shown["code"] == code and shown["events"][0]["action"] == "receive"
    found = json.loads(motcua(seeded, "dossier", "search", "dang hong", "--json").stdout)
    assert [f["code"] for f in found] == [code]
    resolved = json.loads(motcua(seeded, "dossier", "act", code, "resolve", "--json").stdout)
    assert resolved["status"] == 9
    pdf, thermal = seeded / "r.pdf", seeded / "r.bin"
    motcua(seeded, "print", "receipt", code, "--out", str(pdf), "--thermal", str(thermal))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert b"\x1dv0" in thermal.read_bytes()  # GS v 0: raster image


def test_errors_are_one_clear_line_with_nonzero_exit(seeded: Path) -> None:
    out = motcua(seeded, "dossier", "show", "000.25.38.H38-261123-9999", ok=False)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["Lỗi: Không tìm thấy hồ sơ 000.25.38.H38-261123-9999"]
    out = motcua(seeded, "dossier", "receive", "--procedure", "1.001193", "--name", "A", "--id", "12", ok=False)
    assert out.returncode == 2 and "12 chữ số" in out.stderr
    out = motcua(seeded, "catalog", "import", str(seeded / "missing.csv"), ok=False)
    assert out.returncode == 2 and "missing.csv" in out.stderr


def test_bad_catalog_file_imports_nothing(seeded: Path) -> None:
    good = seeded / "good.csv"
    motcua(seeded, "catalog", "export", str(good))
    before = json.loads(motcua(seeded, "catalog", "search", "", "--json").stdout)
    lines = good.read_text(encoding="utf-8").splitlines()
    # Many valid rows, one renamed so a half-done import would show, then one bad row near the end.
    renamed = next(i for i, line in enumerate(lines) if before[0]["name"] in line)
    lines[renamed] = lines[renamed].replace(before[0]["name"], "Thủ tục đổi tên chưa được nhập", 1)
    bad_line = len(lines) + 1
    lines.append(next(line for line in lines if line.startswith(before[1]["code"])).replace(before[1]["code"], "xx", 1))
    bad = seeded / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = motcua(seeded, "catalog", "import", str(bad), ok=False)
    assert out.returncode == 2
    assert f"dòng {bad_line}" in out.stderr, out.stderr
    after = json.loads(motcua(seeded, "catalog", "search", "", "--json").stdout)
    assert after == before  # not one row of the file taken: the old catalog stands whole


def test_help_for_every_command(tmp_path: Path) -> None:
    for args in (
        ["--help"],
        ["dossier", "receive", "--help"],
        ["print", "receipt", "--help"],
        ["decode", "--help"],
        ["catalog", "--help"],
        ["bench", "--help"],
        ["run", "--help"],
    ):
        assert motcua(tmp_path, *args).stdout.startswith("usage: motcua")


def test_calendar_overrides_change_the_appointment_date(seeded: Path) -> None:
    days = json.loads(motcua(seeded, "calendar", "list", "2027", "--json").stdout)
    assert any(d["date"] == "2027-02-08" and not d["working"] for d in days)  # Tết 2027
    motcua(seeded, "calendar", "off", "2026-12-31", "--label", "Nghỉ theo thông báo của tỉnh")
    motcua(seeded, "calendar", "work", "2027-01-02")
    days = json.loads(motcua(seeded, "calendar", "list", "2026", "--json").stdout)
    assert {"date": "2026-12-31", "working": False, "label": "Nghỉ theo thông báo của tỉnh"} in days
    motcua(seeded, "calendar", "clear", "2026-12-31")
    out = motcua(seeded, "calendar", "clear", "2026-12-31", ok=False)
    assert out.returncode == 2 and "31/12/2026" in out.stderr
    out = motcua(seeded, "calendar", "off", "2026-13-01", ok=False)
    assert out.returncode == 2 and out.stderr.startswith("Lỗi:")


def test_tracking_book_pdf(seeded: Path) -> None:
    motcua(seeded, "dossier", "receive", "--procedure", "1.001193", "--qr", QR)
    out = seeded / "book.pdf"
    motcua(seeded, "print", "book", "--from", "2020-01-01", "--to", "2030-12-31", "--out", str(out))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "Đặng Hồng Bảo" in text


def test_decode_reads_the_fixture_codes_exactly(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "data" / "barcodes"
    truth = json.loads((fixtures / "truth.json").read_text(encoding="utf-8"))
    files = sorted(truth)
    got = json.loads(motcua(tmp_path, "decode", *[str(fixtures / f) for f in files], "--json").stdout)
    assert [g["file"] for g in got] == [str(fixtures / f) for f in files]
    exact = sum(any(s["text"] == truth[Path(g["file"]).name]["text"] for s in g["symbols"]) for g in got)
    assert exact / len(files) >= 0.90, f"{exact}/{len(files)}"


def test_decode_unreadable_file_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"hello")
    out = motcua(tmp_path, "decode", str(bad), ok=False)
    assert out.returncode == 2 and out.stderr.startswith("Lỗi:") and len(out.stderr.strip().splitlines()) == 1


def test_help_in_english(tmp_path: Path) -> None:
    out = motcua(tmp_path, "--lang", "en", "--help").stdout
    assert "open the application" in out
    assert "hồ sơ" not in out
