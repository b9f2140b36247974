"""Entry point of the frozen Windows programs, one analysis for all three (installer/windows/motcua.spec).

The program's own name says what it is:

- ``motcua.exe``: the ``motcua`` command (a console program: the CLI, ``motcua server``);
- ``motcua-desk.exe``: the same command without a console window, for the Start-menu shortcuts
  (``motcua-desk.exe run --mode counter``); with no arguments it opens the counter;
- ``motcua-service.exe``: the centre server as a Windows service (:mod:`motcua.winservice`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    # A process spawned by this one (``motcua server --workers``, the benchmarks' clients) starts this same program:
    # freeze_support runs it as that process and exits, instead of as a second ``motcua`` command.
    import multiprocessing

    multiprocessing.freeze_support()
    name = Path(sys.executable).stem.lower()
    if name == "motcua-service":
        from motcua.winservice import main as service_main

        return service_main(sys.argv[1:])
    if sys.stdout is None or sys.stderr is None:
        # A windowed program has no standard streams: what the command prints for a console goes nowhere rather
        # than failing on None.
        devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (kept open for the process's life)
        sys.stdout = sys.stdout or devnull
        sys.stderr = sys.stderr or devnull
    argv = sys.argv[1:]
    if name == "motcua-desk" and not argv:
        argv = ["run", "--mode", "counter"]
    from motcua.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
