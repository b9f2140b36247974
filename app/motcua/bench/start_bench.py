"""``motcua bench start``: how long until the counter window is on screen and how much memory it takes, beside an
empty Qt window; how long one-shot commands take, beside a bare Python interpreter. Each figure is the median of
several runs, each in a fresh process (the files are in the OS cache after the first: a warm start, as at a counter
where the program was opened before)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from motcua.bench.stats import comparison

COUNTER_GOAL_S = 0.8
COUNTER_GOAL_MIB = 150.0
COMMAND_GOAL_S = 0.3


def _shown(args: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """Seconds from starting the process to its ``SHOWN`` line and the peak MiB then; the same at ``READY`` (the
    whole window built; equal to SHOWN for the empty window)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "motcua.bench.cold_start", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    marks: dict[str, tuple[float, float]] = {}
    for line in proc.stdout:
        word, _, mib = line.partition(" ")
        if word in ("SHOWN", "READY"):
            marks[word] = (time.perf_counter() - t0, float(mib))
    _out, err = proc.communicate(timeout=120)
    if proc.returncode != 0 or "SHOWN" not in marks:
        raise RuntimeError(f"start failed: {err[-2000:]}")
    ready = marks.get("READY", marks["SHOWN"])
    return (*marks["SHOWN"], *ready)


def _timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr[-2000:]}")
    return elapsed


def _received(cli: list[str], env: dict[str, str]) -> str:
    """One dossier received through the command line, for ``dossier show`` to find; its code."""
    done = subprocess.run(
        [*cli, "dossier", "receive", "--procedure", "1.001193", "--name", "Nguyễn Văn An", "--id", "038090000001",
         "--json"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"receiving a dossier failed: {done.stderr[-2000:]}")
    return str(json.loads(done.stdout)["code"])


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def run(quick: bool = False) -> dict[str, Any]:
    runs = 1 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "PYTHONFAULTHANDLER": "1",  # a crash of a child says where
            "MOTCUA_DATA_DIR": tmp,
        }
        first_s, first_mib, _r, _m = _shown([], env)  # a fresh data folder: databases made, catalog loaded
        counter = [_shown([], env) for _ in range(runs)]
        empty = [_shown(["--empty"], env) for _ in range(runs)]
        cli = [sys.executable, "-m", "motcua.cli", "--data-dir", tmp]
        code = _received(cli, env)
        commands = {
            "version": [*cli, "--version"],
            "dossier_show": [*cli, "dossier", "show", code],
            "catalog_search": [*cli, "catalog", "search", "khai sinh", "--json"],
        }
        command_s = {name: _median([_timed(argv, env) for _ in range(runs)]) for name, argv in commands.items()}
        bare_s = _median([_timed([sys.executable, "-c", "pass"], env) for _ in range(runs)])
        imports_s = _median(
            [_timed([sys.executable, "-c", "import motcua.cli"], {**env, "PYTHONPATH": str(Path(__file__).parents[2])})
             for _ in range(runs)]
        )  # fmt: skip
    counter_s = _median([c[0] for c in counter])
    counter_mib = round(max(c[1] for c in counter), 1)
    ready_s = _median([c[2] for c in counter])
    ready_mib = round(max(c[3] for c in counter), 1)
    empty_s = _median([e[0] for e in empty])
    empty_mib = round(max(e[1] for e in empty), 1)
    rows = [
        comparison("counter window shown", counter_s, "empty Qt window", empty_s, "s", f"< {COUNTER_GOAL_S} s"),
        comparison(
            "counter window peak", counter_mib, "empty Qt window", empty_mib, "MiB", f"< {COUNTER_GOAL_MIB:g} MiB"
        ),
        comparison("scanning tab built too", ready_s, "counter window shown", counter_s, "s"),
        comparison("peak once all built", ready_mib, "counter window shown", counter_mib, "MiB"),
        comparison("first start (fresh folder)", round(first_s, 3), "counter window shown", counter_s, "s"),
    ]
    rows += [
        comparison(f"motcua {name.replace('_', ' ')}", seconds, "python -c pass", bare_s, "s", f"< {COMMAND_GOAL_S} s")
        for name, seconds in command_s.items()
    ]
    return {
        "runs": runs,
        "counter_shown_s": counter_s,
        "counter_peak_mib": counter_mib,
        "counter_ready_s": ready_s,
        "counter_ready_peak_mib": ready_mib,
        "first_start_s": round(first_s, 3),
        "first_start_peak_mib": round(first_mib, 1),
        "empty_window_s": empty_s,
        "empty_window_peak_mib": empty_mib,
        "commands_s": command_s,
        "import_motcua_cli_s": imports_s,
        "bare_python_s": bare_s,
        "comparisons": rows,
    }
