"""One line says which build runs: ``motcua --version`` and the About box (F1)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

from motcua.version import build_info, checkout_commit

REPO = Path(__file__).resolve().parents[1]


def test_motcua_version_prints_one_line_with_version_build_and_platform() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--version"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("MotCua Desk 0.") and f"Python {platform.python_version()}" in lines[0]
    assert "Qt 6." in lines[0]


def test_an_installers_stamp_names_the_build(tmp_path, monkeypatch) -> None:
    resources = tmp_path / "resources"
    resources.mkdir()
    (resources / "build.json").write_text(
        json.dumps({"build": "deb", "built_at": "2026-12-01", "commit": "0123456789abcdef"}), encoding="utf-8"
    )
    monkeypatch.setenv("MOTCUA_RESOURCES", str(resources))
    line = build_info().one_line()
    assert "(deb 2026-12-01 0123456789;" in line


def test_a_checkouts_commit_is_read_without_git(tmp_path) -> None:
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="ascii")
    (git / "packed-refs").write_text("# pack-refs\nabc123 refs/heads/main\n", encoding="ascii")
    assert checkout_commit(tmp_path) == "abc123"  # packed
    (git / "refs" / "heads" / "main").write_text("def456\n", encoding="ascii")
    assert checkout_commit(tmp_path) == "def456"  # loose wins
    assert checkout_commit(tmp_path / "elsewhere") is None


def test_f1_opens_about_with_the_same_line(qtbot, ctx, monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from motcua.ui.about import AboutDialog
    from motcua.ui.counter.window import CounterWindow

    seen: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: seen.append(self) or 0)
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)  # wherever the clerk is typing
    assert len(seen) == 1 and seen[0].line == build_info().one_line()
    seen[0].copy()
    assert QGuiApplication.clipboard().text() == build_info().one_line()
