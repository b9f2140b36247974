"""The report files the supervisor makes, as the window needs them: passed in, so that tests can hand in their own.

:class:`motcua.services.report_files.ReportFiles` is the real one (reportlab and openpyxl, in Vietnamese whatever the
screen's language, with the centre's names from the settings).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from motcua.domain.reports.daily import DailySummary
from motcua.domain.reports.period import PeriodReport
from motcua.domain.reports.service_index import IndexMonth


class ReportDocuments(Protocol):
    def daily_pdf(self, s: DailySummary) -> bytes: ...

    def period_pdf(self, r: PeriodReport, index: Sequence[IndexMonth] = ()) -> bytes: ...

    def period_xlsx(self, r: PeriodReport, index: Sequence[IndexMonth] = ()) -> bytes: ...
