"""``motcua report`` as a supervisor or a scheduled task uses it, on a small centre history in a data folder."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from motcua.bench.report_history import AGENCY, History, plan_history, write_dossiers, write_ratings, write_tickets

TODAY = date.today()
# The history ends yesterday: the commands read "now" from the system clock, and a history reaching into today's
# working hours would hold dossiers received later than a run after midnight (the period then counted fewer).
LAST_DAY = TODAY - timedelta(days=1)


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, History]]:
    from motcua.services.queue.service import open_queue_store
    from motcua.store.db import Store
    from motcua.store.schema import migrate_workstation

    data = tmp_path_factory.mktemp("report_cli") / "data"
    history = plan_history(LAST_DAY, days=30, per_day=40, tickets_per_day=60)
    store = Store(data / "workstation.sqlite", migrate_workstation)
    with store.write() as db:
        write_dossiers(db, history)
    store.close()
    queue = open_queue_store(data / "centre.sqlite")
    with queue.write() as db:
        write_tickets(db, history, AGENCY)
        write_ratings(db, history, AGENCY)
    queue.close()
    yield data, history


def motcua(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"MOTCUA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi", "HOME": str(data.parent)}
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def a_past_working_day(h: History) -> date:
    return max(t.day for t in h.tickets if t.day < TODAY)


def test_daily_json_counts_the_days_tickets_dossiers_and_ratings(centre: tuple[Path, History]) -> None:
    data, h = centre
    day = a_past_working_day(h)
    out = motcua(data, "report", "daily", "--date", day.isoformat(), "--json")
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert figures["day"] == day.isoformat()
    assert figures["tickets_issued"] == sum(t.day == day and t.state != "cancelled" for t in h.tickets)
    assert figures["received"] == sum(d.received_at.date() == day for d in h.dossiers)
    assert figures["ratings"]["very_satisfied"] + figures["ratings"]["satisfied"] + figures["ratings"][
        "dissatisfied"
    ] == sum(r.at.date() == day for r in h.ratings)
    assert figures["resolved"] == figures["resolved_early"] + figures["resolved_on_time"] + figures["resolved_late"]
    assert "applicant" not in out.stdout and "Công dân" not in out.stdout  # no citizen in a report


def test_daily_pdf_and_period_pdf_and_xlsx_are_written(centre: tuple[Path, History], tmp_path: Path) -> None:
    data, h = centre
    pdf, xlsx, book = tmp_path / "ngay.pdf", tmp_path / "ky.xlsx", tmp_path / "ky.pdf"
    assert (
        motcua(data, "report", "daily", "--date", a_past_working_day(h).isoformat(), "--out", str(pdf)).returncode == 0
    )
    start = (TODAY - timedelta(days=29)).isoformat()
    for out in (xlsx, book):
        r = motcua(data, "report", "period", "--from", start, "--to", TODAY.isoformat(), "--out", str(out))
        assert r.returncode == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and book.read_bytes().startswith(b"%PDF")
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).worksheets[0]
    assert any(str(c.value).startswith("=SUM(") for row in sheet.iter_rows() for c in row if c.value)


def test_period_json_adds_up_and_carries_the_index(centre: tuple[Path, History]) -> None:
    data, h = centre
    start = TODAY - timedelta(days=20)
    out = motcua(data, "report", "period", "--from", start.isoformat(), "--to", TODAY.isoformat(), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    total = report["total"]
    received = total["received_online"] + total["received_direct"] + total["received_postal"]
    assert received == sum(start <= d.received_at.date() <= TODAY for d in h.dossiers)
    sides = [
        total["carried_over"] + received,
        sum(total[k] for k in ("resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn"))
        + total["stopped"]
        + total["in_progress_on_time"]
        + total["in_progress_overdue"],
    ]
    assert sides[0] == sides[1]
    assert {m["month"] for m in report["index"]} >= {TODAY.isoformat()[:7]}
    assert {i["code"] for i in report["index"][0]["indicators"]} == {"2.1", "3.3", "4.2", "4.3", "5.4"}


def test_index_json_says_what_is_not_measured(centre: tuple[Path, History]) -> None:
    data, _ = centre
    out = motcua(data, "report", "index", "--from", TODAY.replace(day=1).isoformat(), "--to", TODAY.isoformat(),
                 "--json", "--by-sector")  # fmt: skip
    assert out.returncode == 0, out.stderr
    index = json.loads(out.stdout)
    assert any(m["scope"] for m in index["months"]) and any(not m["scope"] for m in index["months"])
    assert any("1.1" in n["codes"] for n in index["not_measured"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("period", "--from", "2026-12-01", "--to", "2026-11-01"), "trước ngày đầu"),
        (("period", "--from", "2020-01-01", "--to", "2026-01-01"), "3 năm"),
        (("period", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "x.txt"), ".pdf hoặc .xlsx"),
        (("daily", "--date", "2026-02-30"), "ngày không hợp lệ"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(
    centre: tuple[Path, History], tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    data, _ = centre
    args = tuple(str(tmp_path / a) if a == "x.txt" else a for a in args)
    out = motcua(data, "report", *args)
    assert out.returncode != 0
    assert words in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.txt").exists()


def test_the_archive_keeps_the_missing_days_once(centre: tuple[Path, History]) -> None:
    data, _ = centre
    assert motcua(data, "report", "daily", "--archive").returncode == 0
    archived = sorted((data / "reports").glob("bao-cao-ngay-*.pdf"))
    assert 5 <= len(archived) <= 8  # the working days of the week before (and today once closed)
    stamps = [p.stat().st_mtime_ns for p in archived]
    assert motcua(data, "report", "daily", "--archive").returncode == 0
    assert [p.stat().st_mtime_ns for p in sorted((data / "reports").glob("*.pdf"))] == stamps  # nothing redone


def test_due_summaries_follow_the_closing_time_and_the_working_days(tmp_path: Path) -> None:
    from motcua.services.report_archive import ReportArchive, due_summaries

    archive = ReportArchive(tmp_path / "reports")
    monday = date(2026, 11, 30)
    weekday = lambda d: d.weekday() < 5  # noqa: E731
    before = due_summaries(archive, datetime.combine(monday, time(16, 0)), time(17, 30), 3, weekday)
    assert before == [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27)]  # Wed–Fri, not the weekend
    after = due_summaries(archive, datetime.combine(monday, time(17, 31)), time(17, 30), 3, weekday)
    assert after == [*before, monday]
    archive.save(date(2026, 11, 26), b"%PDF-1.7 test")
    assert date(2026, 11, 26) not in due_summaries(
        archive, datetime.combine(monday, time(18)), time(17, 30), 3, weekday
    )
    assert archive.days()[0] == (date(2026, 11, 26), archive.path_for(date(2026, 11, 26)))
    sunday = datetime.combine(date(2026, 11, 29), time(18))
    assert sunday.date() not in due_summaries(archive, sunday, time(17, 30), 3, weekday)
