"""The archive of daily summaries: one PDF per working day, made at closing time (and caught up for the days the
supervisor's PC was off then), listed newest first by the supervisor's window.

The files name no citizen, but they are the centre's records: the folder is the data folder's, private to the
app's account, and each file is written whole or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from motcua.config import clock_time
from motcua.services.report_files import ReportFiles
from motcua.services.reports import ReportService
from motcua.store.atomic import write_atomic
from motcua.store.permissions import private_dir, restrict

_NAME = re.compile(r"^bao-cao-ngay-(\d{4}-\d{2}-\d{2})\.pdf$")


class ReportArchive:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, day: date) -> Path:
        return self.folder / f"bao-cao-ngay-{day.isoformat()}.pdf"

    def days(self) -> list[tuple[date, Path]]:
        """The archived summaries, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for p in self.folder.iterdir():
            m = _NAME.match(p.name)
            if m and p.is_file():
                try:
                    found.append((date.fromisoformat(m.group(1)), p))
                except ValueError:
                    continue
        return sorted(found, reverse=True)

    def save(self, day: date, pdf: bytes) -> Path:
        private_dir(self.folder, tighten=False)
        return restrict(write_atomic(self.path_for(day), pdf))


def due_summaries(
    archive: ReportArchive, now: datetime, closing: time, back: int, working: Callable[[date], bool]
) -> list[date]:
    """The days whose summary should be in the archive and is not: today once it has closed, and the ``back``
    working days before (oldest first)."""
    have = {d for d, _ in archive.days()}
    wanted: list[date] = []
    day = now.date() - timedelta(days=1)
    while len(wanted) < back and day > now.date() - timedelta(days=back * 3 + 7):
        if working(day):
            wanted.append(day)
        day -= timedelta(days=1)
    if now.time() >= closing and working(now.date()):
        wanted.append(now.date())
    return sorted(d for d in wanted if d not in have)


def archive_due(reports: ReportService, files: ReportFiles, archive: ReportArchive) -> list[Path]:
    """Make and keep the summaries :func:`due_summaries` finds missing; returns the files written."""
    ctx = reports.ctx
    settings = ctx.settings.reports
    days = due_summaries(
        archive, ctx.clock(), clock_time(settings.closing_time), settings.catch_up_days, ctx.calendar.is_working_day
    )
    return [archive.save(day, files.daily_pdf(reports.daily(day))) for day in days]
