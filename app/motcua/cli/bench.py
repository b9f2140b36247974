"""``motcua bench``: run a benchmark of :mod:`motcua.bench`."""

from __future__ import annotations

import argparse
from typing import Any

from motcua.cli.common import bounded_int, print_json
from motcua.i18n import tr

# Load options a benchmark may take (``motcua bench queue --clerks 1000``); only those given are passed on.
_LOAD_OPTIONS = ("clerks", "kiosks", "displays", "seconds", "workers")


def cmd_bench(args: argparse.Namespace) -> int:
    from motcua.bench import run_benchmark

    options = {name: getattr(args, name) for name in _LOAD_OPTIONS if getattr(args, name) is not None}
    result = run_benchmark(args.name, quick=args.quick, **options)
    if args.json:
        print_json(result)
        return 0
    for key, value in result.items():
        if key != "comparisons":
            print(f"{key}: {value}")
    if result.get("comparisons"):
        print()
        print(comparison_table(result["comparisons"]))
    return 0


def comparison_table(rows: list[dict[str, Any]]) -> str:
    """Each figure beside what it is compared with in the same run, and the ratio, as aligned text."""
    header = (tr("Số đo"), tr("Giá trị"), tr("So với"), tr("Giá trị"), tr("Tỉ lệ"), tr("Mục tiêu"))
    lines = [
        (
            str(row["figure"]),
            f"{row['value']} {row.get('unit', '')}".strip(),
            str(row["against"]),
            f"{row['against_value']} {row.get('unit', '')}".strip(),
            f"{row['ratio']}×",
            str(row.get("goal", "")),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``bench`` to the ``motcua`` command."""
    b = sub.add_parser("bench", help=tr("chạy đo hiệu năng"))
    b.add_argument("name")
    b.add_argument("--json", action="store_true")
    b.add_argument("--quick", action="store_true", help=tr("bản thu nhỏ (để kiểm thử)"))
    b.add_argument("--clerks", type=bounded_int(1, 5000), help=tr("số cán bộ mô phỏng (bài đo queue)"))
    b.add_argument("--kiosks", type=bounded_int(0, 1000), help=tr("số ki-ốt mô phỏng (bài đo queue)"))
    b.add_argument("--displays", type=bounded_int(0, 1000), help=tr("số màn hình mô phỏng (bài đo queue)"))
    b.add_argument("--seconds", type=bounded_int(1, 86_400), help=tr("thời lượng đo, giây (bài đo queue)"))
    b.add_argument(
        "--workers", type=bounded_int(1, 16), help=tr("số tiến trình của máy chủ đo (bài đo queue; mặc định: auto)")
    )
    b.set_defaults(func=cmd_bench)
