"""``motcua bench search``: does procedure search find what clerks type, and how fast.

The queries (``resources/bench/search_queries.json``) are typed as clerks type them: no diacritics, ký or kí,
short names and abbreviations, typos, codes and parts of codes, words still being typed; each names the
procedure meant. Alternate queries of each kind are "tune" (the ranking's weights were calibrated on them) and
"holdout" (never looked at while calibrating); both are reported, so the holdout figure says how well the search
does on queries it was not fitted to.

Two catalogs, each in a real workstation database searched through ``CatalogService.search`` as the counter's
procedure picker calls it (``limit=200``):

- ``sample``: the shipped sample catalog (51 procedures).
- ``merged``: the sample catalog merged into the synthetic 2,199-procedure catalog, whose names are built from
  the same words (distractors: "Đăng ký khai sinh lần đầu", "Xác nhận khai sinh", …). A synthetic procedure with
  the same code as a sample one, or with the same name (but for a leading "Thủ tục"), is left out: two
  procedures of one name cannot be told apart by what is typed, and a real catalog does not hold both.

Reported per catalog: top-1 and top-5 accuracy (tune, holdout, all, and per kind), the queries whose answer was
not first, latency per query (p50/p95/max of repeated runs; p50/p95 of each query's first run, which also reads
its procedures from JSON), and the time of the first search after an import (it builds the index).
It prints figures; it does not assert.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from motcua.bench.stats import comparison, percentile
from motcua.config import Settings
from motcua.domain.catalog_io.json_format import load_catalog_json
from motcua.domain.catalog_io.synthetic import generate_synthetic_catalog
from motcua.domain.procedures import Procedure
from motcua.domain.text import fold
from motcua.paths import resource_path
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context

PICKER_LIMIT = 200  # what the counter's procedure picker asks for


def load_queries(path: Path | None = None) -> list[dict[str, str]]:
    raw = json.loads((path or resource_path("bench", "search_queries.json")).read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in q.items()} for q in raw["queries"]]


def sample_catalog() -> list[Procedure]:
    return load_catalog_json(resource_path("catalog", "sample_catalog.json").read_bytes())


def merged_catalog(n: int = 2199, seed: int = 7) -> tuple[list[Procedure], int]:
    """The sample catalog merged into the synthetic one; also how many synthetic procedures were left out."""
    sample = sample_catalog()
    codes = {p.code for p in sample}
    names = {_plain_name(p.name) for p in sample}
    synthetic = generate_synthetic_catalog(n, seed)
    kept = [p for p in synthetic if p.code not in codes and _plain_name(p.name) not in names]
    return [*kept, *sample], len(synthetic) - len(kept)


def _plain_name(name: str) -> str:
    return fold(name).removeprefix("thu tuc ")


def _rank(found: list[str], code: str) -> int:
    """1-based position of ``code`` in ``found``; 0 when absent."""
    return found.index(code) + 1 if code in found else 0


def _accuracy(ranks: list[int]) -> dict[str, Any]:
    n = len(ranks)
    return {
        "queries": n,
        "top1": round(sum(1 for r in ranks if r == 1) / n, 3) if n else 0.0,
        "top5": round(sum(1 for r in ranks if 1 <= r <= 5) / n, 3) if n else 0.0,
    }


def bench_catalog(procedures: list[Procedure], queries: list[dict[str, str]], repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Settings(), Path(tmp))
        try:
            svc = CatalogService(ctx)
            svc.import_procedures(procedures, source="bench")
            t0 = time.perf_counter()
            svc.search("khai sinh", limit=PICKER_LIMIT)  # the first search after an import builds the index
            build_ms = (time.perf_counter() - t0) * 1000
            names = {p.code: p.name for p in procedures}
            ranks: dict[str, list[int]] = defaultdict(list)
            by_kind: dict[str, list[int]] = defaultdict(list)
            first: list[float] = []  # each query's first run: its procedures are read from JSON the first time
            again: list[float] = []
            misses: list[dict[str, Any]] = []
            for q in queries:
                found: list[str] = []
                for k in range(repeats):
                    t = time.perf_counter()
                    found = [p.code for p in svc.search(q["q"], limit=PICKER_LIMIT)]
                    (again if k else first).append((time.perf_counter() - t) * 1000)
                r = _rank(found, q["code"])
                ranks[q["set"]].append(r)
                ranks["all"].append(r)
                by_kind[q["kind"]].append(r)
                if r != 1:
                    misses.append(
                        {
                            "set": q["set"],
                            "q": q["q"],
                            "want": q["code"],
                            "rank": r,
                            "first": f"{found[0]} {names.get(found[0], '')[:70]}" if found else "",
                        }
                    )
        finally:
            ctx.close()
    return {
        "procedures": len(procedures),
        **{name: _accuracy(rs) for name, rs in sorted(ranks.items())},
        "by_kind": {kind: _accuracy(rs) for kind, rs in sorted(by_kind.items())},
        "ms_p50": round(percentile(again or first, 50), 3),
        "ms_p95": round(percentile(again or first, 95), 3),
        "ms_max": round(max(again or first, default=0.0), 3),
        "first_run_ms_p50": round(percentile(first, 50), 3),
        "first_run_ms_p95": round(percentile(first, 95), 3),
        "index_build_ms": round(build_ms, 1),
        "misses": misses,
    }


def run(quick: bool = False) -> dict[str, Any]:
    queries = load_queries()
    if quick:
        queries = queries[::8]
    merged, left_out = merged_catalog()
    repeats = 1 if quick else 5
    sample = bench_catalog(sample_catalog(), queries, repeats)
    full = bench_catalog(merged, queries, repeats)
    return {
        "query_set": {
            "queries": len(queries),
            "tune": sum(1 for q in queries if q["set"] == "tune"),
            "holdout": sum(1 for q in queries if q["set"] == "holdout"),
        },
        "limit": PICKER_LIMIT,
        "sample": sample,
        "merged": {**full, "synthetic_left_out": left_out},
        "comparisons": [
            comparison("search p95, first run (cold)", full["first_run_ms_p95"], "again (warm)", full["ms_p95"]),
            comparison(
                f"{full['procedures']} procedures p95", full["ms_p95"], f"{sample['procedures']} p95", sample["ms_p95"]
            ),
            comparison(
                "top-1 on hold-out queries",
                full["holdout"]["top1"],
                "on tuning queries",
                full["tune"]["top1"],
                unit="share",
            ),
        ],
    }
