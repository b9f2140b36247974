"""Run many ``motcua`` command lines as separate processes without paying the interpreter start-up for each.

``python tests/cli/_fork_cli.py < jobs.json`` imports :mod:`motcua.cli` once, then forks one child per command
line (a few at a time); each child runs ``motcua.cli.main`` exactly as ``python -m motcua.cli`` does (uncaught
exceptions print their traceback and exit 1), with its stdout and stderr in files. The answer, on stdout, is a JSON
list of ``{"returncode", "stdout", "stderr"}`` in the order of the jobs.

A job is ``{"args": [...], "dir": "<folder for its output files>"}``. Importing once costs ~0.7 s of CPU instead
of ~0.7 s per command line, which is what keeps the table of bad inputs in ``test_bad_input.py`` fast.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

PARALLEL = max(2, (os.cpu_count() or 2))


def _child(args: list[str], folder: Path) -> None:
    from motcua.cli import main

    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    code = 1
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import motcua.cli  # noqa: F401  (imported once, before the forks)

    sys.stdout.flush()
    sys.stderr.flush()
    running: dict[int, int] = {}
    codes: dict[int, int] = {}
    pending = list(enumerate(jobs))
    while pending or running:
        while pending and len(running) < PARALLEL:
            index, job = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(job["args"], Path(job["dir"]))
            running[pid] = index
        pid, status = os.wait()
        codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)
    results = []
    for index, job in enumerate(jobs):
        folder = Path(job["dir"])
        results.append(
            {
                "returncode": codes[index],
                "stdout": (folder / "stdout").read_text(encoding="utf-8", errors="replace"),
                "stderr": (folder / "stderr").read_text(encoding="utf-8", errors="replace"),
            }
        )
    return results


if __name__ == "__main__":
    answer = run(json.load(sys.stdin))
    json.dump(answer, sys.stdout, ensure_ascii=False)
