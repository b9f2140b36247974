"""``motcua bench report``: the supervisor's reports over a year of a provincial centre.

The history (``motcua.bench.report_history``: ~300 dossiers and ~400 tickets a working day, with ratings) is
written to a workstation database and a queue database in a temporary folder; then, through the services the
window and ``motcua report`` use:

- ``daily_pdf_ms``: the day's summary of the last day, data and PDF (target: under 1 s);
- ``year_pdf_ms`` / ``year_xlsx_ms``: the periodic report of the whole year with the 766 estimate per month, as
  PDF and as an Excel workbook (target: under 3 s each), once each dossier's final state is kept;
  ``year_pdf_first_ms``: the first such report, which reads every history and keeps the final states;
- ``dashboard_ms``: what the supervisor's window computes every refresh (today's summary, no PDF; target: under
  100 ms).

Each is the median of several runs (min and max beside it). It prints figures; it does not assert.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from motcua.bench.report_history import AGENCY, plan_history, write_dossiers, write_ratings, write_tickets
from motcua.bench.stats import comparison
from motcua.collector import collected_after
from motcua.config import Settings
from motcua.domain.queue_config import load_queue_config
from motcua.domain.reports.period import GroupBy
from motcua.paths import kiosk_config_dir
from motcua.services.context import open_context
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.report_files import ReportFiles
from motcua.services.reports import ReportService

TODAY = date(2026, 12, 1)


def _timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        # Collected as the app collects (motcua.collector): not by whichever allocation crosses a threshold in the
        # middle of the report, but when due, outside it (the supervisor's GUI thread, every half second).
        with collected_after():
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
    return {"median": round(statistics.median(times), 1), "min": round(min(times), 1), "max": round(max(times), 1)}


def run(quick: bool = False) -> dict[str, Any]:
    days, per_day, tickets = (20, 40, 60) if quick else (365, 300, 400)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t = time.perf_counter()
        history = plan_history(TODAY, days, per_day, tickets)
        config = load_queue_config(kiosk_config_dir() / "queue.toml")
        queue_store = open_queue_store(base / "centre.sqlite")
        with queue_store.write() as db:
            write_tickets(db, history, AGENCY)
            write_ratings(db, history, AGENCY)
        now = datetime.combine(TODAY, clock_time(15, 0))
        ctx = open_context(Settings(), base, clock=lambda: now)
        with ctx.store.write() as db:
            write_dossiers(db, history)
        built_s = time.perf_counter() - t
        try:
            queue = QueueService(queue_store, config, clock=lambda: now)
            reports = ReportService(ctx, queue)
            files = ReportFiles(ctx)
            first = min(d.received_at for d in history.dossiers).date()
            runs = 2 if quick else 5
            daily = _timed(lambda: files.daily_pdf(reports.daily(TODAY)), runs)
            dashboard = _timed(lambda: reports.daily(TODAY), runs * 4)

            def year(make: Callable[..., bytes]) -> Callable[[], bytes]:
                def once() -> bytes:
                    return make(*reports.period_with_index(first, TODAY, GroupBy.SECTOR))

                return once

            # The first report over the year reads every history and keeps each dossier's final state; the
            # next read only the histories they need (what a supervisor's PC does after its first day).
            year_cold = _timed(year(files.period_pdf), 1)
            year_pdf = _timed(year(files.period_pdf), max(runs - 2, 1))
            year_xlsx = _timed(year(files.period_xlsx), max(runs - 2, 1))
            summary = reports.daily(TODAY)
            total = reports.period(first, TODAY).total
        finally:
            ctx.close()
            queue_store.close()
    return {
        "days": days,
        "dossiers": len(history.dossiers),
        "tickets": len(history.tickets),
        "ratings": len(history.ratings),
        "history_built_s": round(built_s, 1),
        "daily_pdf_ms": daily,
        "year_pdf_first_ms": year_cold["median"],
        "year_pdf_ms": year_pdf,
        "year_xlsx_ms": year_xlsx,
        "dashboard_ms": dashboard,
        "targets_ms": {"daily_pdf": 1000, "year_pdf": 3000, "year_xlsx": 3000, "dashboard": 100},
        "comparisons": [
            comparison(
                "year PDF (median)", year_pdf["median"], "daily PDF (median)", daily["median"], goal="< 3000 ms"
            ),
            comparison("year PDF, first", year_cold["median"], "year PDF, again", year_pdf["median"]),
            comparison(
                "year XLSX (median)", year_xlsx["median"], "year PDF (median)", year_pdf["median"], goal="< 3000 ms"
            ),
            comparison(
                "dashboard (median)", dashboard["median"], "daily PDF (median)", daily["median"], goal="< 100 ms"
            ),
        ],
        "check": {
            "today_received": summary.received,
            "today_tickets": summary.tickets_issued,
            "today_ratings": summary.ratings.total,
            "year_total": total.total,
            "year_resolved_on_time_share": round(total.on_time_share or 0.0, 4),
        },
    }
