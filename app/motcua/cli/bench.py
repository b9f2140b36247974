"""``motcua bench``: run a benchmark of :mod:`motcua.bench`."""

from __future__ import annotations

import argparse

from motcua.cli.common import print_json
from motcua.i18n import tr


def cmd_bench(args: argparse.Namespace) -> int:
    from motcua.bench import run_benchmark

    result = run_benchmark(args.name, quick=args.quick)
    if args.json:
        print_json(result)
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``bench`` to the ``motcua`` command."""
    b = sub.add_parser("bench", help=tr("chạy đo hiệu năng"))
    b.add_argument("name")
    b.add_argument("--json", action="store_true")
    b.add_argument("--quick", action="store_true", help=tr("bản thu nhỏ (để kiểm thử)"))
    b.set_defaults(func=cmd_bench)
