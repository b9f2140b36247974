"""``motcua scan detect`` and ``motcua scan pdf``, through a parser built the way motcua.cli builds its own."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.cli import scan
from motcua.domain.errors import MotcuaError

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="motcua")
    scan.register(p.add_subparsers(dest="command", required=True))
    return p


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return int(args.func(args))


def test_detect_json(capsys) -> None:
    files = [str(FIXTURES / "004_cluttered.jpg"), str(FIXTURES / "005_docam.jpg")]
    assert _run(["scan", "detect", *files, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    truth = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in out] == files
    for r in out:
        assert len(r["corners"]) == 4
        expected = truth[Path(r["file"]).name]["corners"]
        assert (
            max(abs(a - b) for p, q in zip(r["corners"], expected, strict=True) for a, b in zip(p, q, strict=True)) < 25
        )


def test_pdf_command_writes_a_checked_pdf(tmp_path, capsys) -> None:
    out = tmp_path / "tp1.pdf"
    files = [str(FIXTURES / n) for n in ("000_dark.jpg", "004_cluttered.jpg", "005_docam.jpg")]
    assert _run(["scan", "pdf", *files, "--out", str(out), "--mode", "bw"]) == 0
    assert "3 trang" in capsys.readouterr().out
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert out.stat().st_size < 3 * 80 * 1024


def test_errors_are_motcua_errors(tmp_path) -> None:
    with pytest.raises(MotcuaError, match="Không tìm thấy tệp"):
        _run(["scan", "pdf", str(tmp_path / "none.jpg"), "--out", str(tmp_path / "x.pdf")])
    with pytest.raises(MotcuaError, match="200 dpi"):
        _run(["scan", "pdf", str(FIXTURES / "005_docam.jpg"), "--out", str(tmp_path / "x.pdf"), "--dpi", "150"])


def test_through_motcua_cli_once_wired(tmp_path) -> None:
    """The installed command, once motcua.cli registers ``scan`` (skipped until then)."""
    from motcua import cli

    if "scan" not in cli.build_parser()._subparsers._group_actions[0].choices:  # type: ignore[union-attr]
        pytest.skip("cli.build_parser does not register scan yet")
    run = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "scan", "detect", str(FIXTURES / "005_docam.jpg"), "--json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and json.loads(run.stdout)[0]["corners"] is not None
    bad = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "scan", "pdf", str(tmp_path / "none.jpg"), "--out", "x.pdf"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("Lỗi:")
