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

from motcua.bench.stats import percentile
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


def bench_search(rows: int, queries: int = 300) -> dict[str, Any]:
    t0 = time.perf_counter()
    path = _search_db(rows)
    build_s = time.perf_counter() - t0
    store = Store(path, migrate_workstation)
    try:
        db = store.read()
        rng = random.Random(11)
        sample = db.execute(
            "SELECT code, applicant_id_number, applicant_phone, applicant_name FROM dossiers WHERE id % 997 = 0"
        ).fetchall()
        kinds: dict[str, list[float]] = {"code": [], "id_number": [], "phone": [], "name": [], "given_name": []}
        misses = 0
        for _ in range(queries):
            code, id_number, phone, name = rng.choice(sample)
            for kind, q in (
                ("code", code),
                ("id_number", id_number),
                ("phone", phone),
                ("name", fold(name)),
                ("given_name", fold(name).split()[-1]),
            ):
                t = time.perf_counter()
                found = search(db, q, 50)
                kinds[kind].append((time.perf_counter() - t) * 1000)
                if not found:
                    misses += 1
        every = [v for vs in kinds.values() for v in vs]
        out: dict[str, Any] = {
            "search_rows": rows,
            "search_queries": len(every),
            "search_misses": misses,
            "search_ms_p50": round(percentile(every, 50), 3),
            "search_ms_p95": round(percentile(every, 95), 3),
            "search_db_prepare_s": round(build_s, 1),
        }
        for kind, vs in kinds.items():
            out[f"search_{kind}_ms_p95"] = round(percentile(vs, 95), 3)
        return out
    finally:
        store.close()


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
    result.update(bench_search(5_000 if quick else 1_000_000, 20 if quick else 300))
    result.update(bench_cold_start(1 if quick else 3))
    return result
