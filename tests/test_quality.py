"""Project rules checked with every test run: the layer contracts, lint, and the translation catalog."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_layer_contracts_hold() -> None:
    out = subprocess.run([_tool("lint-imports")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_lint_is_clean() -> None:
    out = subprocess.run([_tool("ruff"), "check", "app", "tests"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_on_the_rules_and_the_data_layer() -> None:
    out = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr


def _tr_sources() -> dict[str, set[str]]:
    """Every literal passed to tr(...) in the package, with the files it appears in."""
    found: dict[str, set[str]] = {}
    for path in (REPO / "app" / "motcua").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, set()).add(str(path.relative_to(REPO)))
    return found


def test_every_translated_string_has_an_english_entry_with_the_same_placeholders() -> None:
    catalog: dict[str, str] = json.loads((REPO / "resources" / "i18n" / "en.json").read_text(encoding="utf-8"))
    missing = sorted(s for s in _tr_sources() if s not in catalog)
    assert not missing, f"{len(missing)} strings lack an English translation, e.g. {missing[:5]}"
    for source, text in catalog.items():
        assert set(re.findall(r"\{(\w+)", source)) == set(re.findall(r"\{(\w+)", text)), source
