"""The supervisor's reports as files: the day's summary (PDF), the periodic report (PDF or Excel), in Vietnamese
whatever the screen's language (they are official papers), with the centre's names from the settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from motcua.domain.errors import ValidationError
from motcua.domain.reports.daily import DailySummary
from motcua.domain.reports.period import PeriodReport
from motcua.domain.reports.service_index import IndexMonth
from motcua.i18n import language, tr
from motcua.services.context import AppContext

FORMATS = (".pdf", ".xlsx")


class ReportFiles:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def daily_pdf(self, s: DailySummary) -> bytes:
        from motcua.documents.reports import daily_summary_pdf

        centre = self.ctx.settings.centre
        with language("vi"):
            return daily_summary_pdf(
                s,
                centre_name=centre.name,
                parent_name=centre.parent_name,
                place=centre.place,
                generated_at=self.ctx.clock(),
            )

    def period_pdf(self, r: PeriodReport, index: Sequence[IndexMonth] = ()) -> bytes:
        from motcua.documents.reports import period_report_pdf

        centre = self.ctx.settings.centre
        with language("vi"):
            return period_report_pdf(
                r,
                centre_name=centre.name,
                parent_name=centre.parent_name,
                place=centre.place,
                generated_at=self.ctx.clock(),
                index=index,
            )

    def period_xlsx(self, r: PeriodReport, index: Sequence[IndexMonth] = ()) -> bytes:
        from motcua.documents.reports import period_report_xlsx

        with language("vi"):
            return period_report_xlsx(
                r, centre_name=self.ctx.settings.centre.name, generated_at=self.ctx.clock(), index=index
            )

    def period_file(self, r: PeriodReport, path: Path, index: Sequence[IndexMonth] = ()) -> bytes:
        """The report in the format ``path`` names (.pdf or .xlsx)."""
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise ValidationError(
                tr("Báo cáo định kỳ ghi ra .pdf hoặc .xlsx, không phải {suffix}", suffix=suffix or path.name), "out"
            )
        return self.period_pdf(r, index) if suffix == ".pdf" else self.period_xlsx(r, index)
