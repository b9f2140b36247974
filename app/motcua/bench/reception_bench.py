"""``motcua bench reception``: save + receipt PDF per dossier, search over a million dossiers, cold start."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from motcua.bench.stats import comparison, percentile
from motcua.config import Settings
from motcua.domain.applicant import Applicant, ApplicantKind, Sex
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.text import fold
from motcua.paths import data_dir
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.printing import PrintingService
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.store.db import Store
from motcua.store.dossiers import search
from motcua.store.schema import migrate_workstation

from ._population import populate, random_name


def bench_save_and_receipt(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Settings(), Path(tmp))
        try:
            CatalogService(ctx).ensure_sample()
            reception, printing = ReceptionService(ctx), PrintingService(ctx)
            procedure = reception.procedure("1.001193")
            comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in procedure.components)
            reception.ensure_code_blocks(0)
            rng = random.Random(3)
            save_ms, pdf_ms = [], []
            for _ in range(n):
                app = Applicant(ApplicantKind.PERSON, random_name(rng), "001090123456", sex=Sex.MALE)
                t0 = time.perf_counter()
                d = reception.receive(ReceiveRequest(procedure.code, app, comps))
                t1 = time.perf_counter()
                printing.receipt_pdf(d)
                t2 = time.perf_counter()
                save_ms.append((t1 - t0) * 1000)
                pdf_ms.append((t2 - t1) * 1000)
        finally:
            ctx.close()
    total = [a + b for a, b in zip(save_ms, pdf_ms, strict=True)]
    return {
        "dossiers": n,
        "save_ms_p50": round(percentile(save_ms, 50), 3),
        "save_ms_p95": round(percentile(save_ms, 95), 3),
        "receipt_pdf_ms_p50": round(percentile(pdf_ms, 50), 3),
        "receipt_pdf_ms_p95": round(percentile(pdf_ms, 95), 3),
        "save_plus_pdf_ms_p95": round(percentile(total, 95), 3),
    }


def _search_db(rows: int) -> Path:
    """A populated database, kept between runs (building a million rows takes a minute)."""
    folder = data_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"search-{rows}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".building")
        for p in tmp.parent.glob(tmp.name + "*"):
            p.unlink()
        store = Store(tmp, migrate_workstation)
        populate(store, rows)
        store.close()
        tmp.rename(path)
    return path


def _right(kind: str, query: str, code: str, found: list[Any], limit: int) -> bool:
    """Whether a search brought back what the clerk looked for: the very dossier for a code, an ID number or a
    phone; for a name, that dossier or (when more people share the name than a page holds) a full page of people
    whose names all hold the words typed."""
    codes = [d.code for d in found]
    if kind in ("code", "id_number", "phone") or code in codes:
        return code in codes
    words = query.split()
    return len(found) == limit and all(all(w in fold(d.applicant.name).split() for w in words) for d in found)


def _evict(path: Path) -> bool:
    """Drop the database file's pages from the OS cache (Linux, macOS); False where the platform cannot."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def _queries(db: Any, count: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, query, expected dossier code), drawn from every 997th dossier."""
    rng = random.Random(seed)
    sample = db.execute(
        "SELECT code, applicant_id_number, applicant_phone, applicant_name FROM dossiers WHERE id % 997 = 0"
    ).fetchall()
    out = []
    for _ in range(count):
        code, id_number, phone, name = rng.choice(sample)
        out += [
            ("code", code, code),
            ("id_number", id_number, code),
            ("phone", phone, code),
            ("name", fold(name), code),
            ("given_name", fold(name).split()[-1], code),
        ]
    return out


def bench_search(rows: int, queries: int = 300, cold: int = 30) -> dict[str, Any]:
    """Warm: ``queries`` × 5 searches on one open database. Cold: ``cold`` searches, each on a database just opened
    with its file evicted from the OS cache (as after a reboot), beside the warm figure."""
    t0 = time.perf_counter()
    path = _search_db(rows)
    build_s = time.perf_counter() - t0
    limit = 50
    store = Store(path, migrate_workstation)
    try:
        db = store.read()
        asked = _queries(db, queries, seed=11)
        kinds: dict[str, list[float]] = {"code": [], "id_number": [], "phone": [], "name": [], "given_name": []}
        misses = wrong = 0
        for kind, q, code in asked:
            t = time.perf_counter()
            found = search(db, q, limit)
            kinds[kind].append((time.perf_counter() - t) * 1000)
            misses += not found
            wrong += not _right(kind, q, code, found, limit)
        drawn = _queries(db, cold, seed=12)
        cold_asked = [drawn[i * 5 + i % 5] for i in range(cold)]  # every kind of search in turn
    finally:
        store.close()
    cold_ms: list[float] = []
    evicted = False
    for kind, q, code in cold_asked:
        evicted = _evict(path)
        t = time.perf_counter()
        fresh = Store(path, migrate_workstation)
        try:
            found = search(fresh.read(), q, limit)
        finally:
            elapsed = (time.perf_counter() - t) * 1000
            fresh.close()
        cold_ms.append(elapsed)
        wrong += not _right(kind, q, code, found, limit)
    every = [v for vs in kinds.values() for v in vs]
    warm_p95 = percentile(every, 95)
    out: dict[str, Any] = {
        "search_rows": rows,
        "search_queries": len(every) + len(cold_ms),
        "search_misses": misses,
        "search_wrong": wrong,
        "search_ms_p50": round(percentile(every, 50), 3),
        "search_ms_p95": round(warm_p95, 3),
        "search_cold_ms_p50": round(percentile(cold_ms, 50), 3),
        "search_cold_ms_p95": round(percentile(cold_ms, 95), 3),
        "search_cold_os_cache_evicted": evicted,
        "search_db_prepare_s": round(build_s, 1),
    }
    for kind, vs in kinds.items():
        out[f"search_{kind}_ms_p95"] = round(percentile(vs, 95), 3)
    out["comparisons"] = [
        comparison(
            "search p95, cold (file evicted, DB just opened)" if evicted else "search p95, DB just opened",
            percentile(cold_ms, 95),
            "search p95, warm",
            warm_p95,
        )
    ]
    return out


def bench_cold_start(runs: int = 3) -> dict[str, Any]:
    """From process start to the counter window shown and idle, offscreen, on a fresh data folder."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOTCUA_DATA_DIR": tmp}
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "motcua.bench.cold_start"], env=env, capture_output=True, text=True, timeout=120
            )
            if done.returncode != 0:
                raise RuntimeError(f"cold start failed: {done.stderr[-2000:]}")
            times.append(time.perf_counter() - t0)
    return {"cold_start_s_min": round(min(times), 3), "cold_start_s_median": round(statistics.median(times), 3)}


def run(quick: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {}
    result.update(bench_save_and_receipt(10 if quick else 200))
    result.update(bench_search(5_000 if quick else 1_000_000, 20 if quick else 300, 3 if quick else 30))
    result.update(bench_cold_start(1 if quick else 3))
    return result
