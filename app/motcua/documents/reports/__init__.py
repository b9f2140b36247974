"""The supervisor's reports as documents: the day's summary (PDF), the periodic report (PDF and Excel workbook).

Reports are official papers in Vietnamese: call these inside ``with language("vi")``. Their metadata names the
centre and the period, never a clerk or a citizen.
"""

from __future__ import annotations

from motcua.documents.reports.daily_pdf import daily_summary_pdf
from motcua.documents.reports.period_pdf import period_report_pdf
from motcua.documents.reports.period_xlsx import period_report_xlsx

__all__ = ["daily_summary_pdf", "period_report_pdf", "period_report_xlsx"]
