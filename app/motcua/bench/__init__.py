"""Benchmarks, run as ``motcua bench NAME --json``: they print figures, they do not assert.

Each benchmark module has ``run(quick: bool = False) -> dict``; ``quick`` shrinks it so that the test suite
can check that every benchmark still runs.
"""

from __future__ import annotations

import importlib
from typing import Any

from motcua.domain.errors import ValidationError
from motcua.i18n import tr

BENCHMARKS = {
    "reception": "motcua.bench.reception_bench",
    "decode": "motcua.bench.decode_bench",
    "qr-live": "motcua.bench.qr_live_bench",
    "scan-detect": "motcua.bench.scan_detect_bench",
    "scan": "motcua.bench.scan_bench",
    "queue": "motcua.bench.queue_bench",
    "sync": "motcua.bench.sync_bench",
    "search": "motcua.bench.search_bench",
    "report": "motcua.bench.report_bench",
    "start": "motcua.bench.start_bench",
}


def run_benchmark(name: str, quick: bool = False, **options: int | float) -> dict[str, Any]:
    """Run one benchmark; ``options`` (e.g. ``clerks=1000`` for ``queue``) go to the benchmarks that take them."""
    if name not in BENCHMARKS:
        raise ValidationError(tr("Không có bài đo {name}; có: {names}", name=name, names=", ".join(BENCHMARKS)))
    module = importlib.import_module(BENCHMARKS[name])
    accepted = _parameters(module.run)
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ValidationError(
            tr("Bài đo {name} không nhận tuỳ chọn: {options}", name=name, options=", ".join(f"--{o}" for o in unknown))
        )
    kwargs: dict[str, Any] = dict(options)
    if "quick" in accepted:
        kwargs["quick"] = quick
    result: dict[str, Any] = module.run(**kwargs)
    return {"benchmark": name, **result}


def _parameters(fn: Any) -> set[str]:
    import inspect

    return set(inspect.signature(fn).parameters)
