"""Báo cáo tổng hợp ngày: the day's summary as an A4 portrait PDF, with charts, detail tables and signatures."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable, Spacer

from motcua.documents.forms.pdf import build_pdf
from motcua.documents.forms.styles import PORTRAIT
from motcua.documents.reports.charts import grouped_bars, horizontal_bars, pies
from motcua.documents.reports.daily_figures import headline_table
from motcua.documents.reports.daily_tables import (
    clerks_table,
    counters_table,
    overdue_table,
    sectors_table,
    services_table,
)
from motcua.documents.reports.page import heading, note, report_context, report_footer, section, sign_off
from motcua.documents.reports.text import duration
from motcua.domain.formatting import short_date, short_datetime
from motcua.domain.reports.daily import DailySummary
from motcua.i18n import tr


def title(s: DailySummary) -> str:
    return tr("BÁO CÁO TỔNG HỢP NGÀY {day}", day=short_date(s.day))


def _charts(s: DailySummary, width: float) -> list[Flowable]:
    hours = [f"{h.hour}h" for h in s.by_hour]
    by_hour = grouped_bars(
        hours,
        [(tr("Vé đã phát"), [h.tickets for h in s.by_hour]), (tr("Hồ sơ tiếp nhận"), [h.dossiers for h in s.by_hour])],
        width,
        175,
        tr("Số vé và số hồ sơ theo giờ"),
    )
    r = s.ratings
    shares = pies(
        [
            (
                tr("Hồ sơ đã giải quyết"),
                [
                    (tr("Trước hạn"), s.resolved_early),
                    (tr("Đúng hạn"), s.resolved_on_time),
                    (tr("Quá hạn"), s.resolved_late),
                ],
            ),
            (
                tr("Đánh giá của người dân"),
                [
                    (tr("Rất hài lòng"), r.very_satisfied),
                    (tr("Hài lòng"), r.satisfied),
                    (tr("Không hài lòng"), r.dissatisfied),
                ],
            ),
        ],
        width,
        120,
    )
    waited = [row for row in s.services if row.wait.mean_s is not None]
    waits = horizontal_bars(
        [row.name for row in waited],
        [row.wait.mean_s or 0.0 for row in waited],
        width,
        tr("Thời gian chờ trung bình theo dịch vụ (phút)"),
        unit=60,
        value_text=duration,
    )
    return [by_hour, Spacer(1, 10), shares, Spacer(1, 10), waits]


def _body(s: DailySummary, width: float) -> list[Flowable]:
    """Everything under the title: the seven sections, then the signatures."""
    as_of = tr("Số liệu tính đến {when}", when=short_datetime(s.as_of))
    story = [*section(tr("I. SỐ LIỆU CHÍNH")), headline_table(s, width)]
    story += [note(tr("Thời gian ghi phút:giây (7:05); từ một giờ trở lên ghi giờ và phút (1h05).") + " " + as_of)]
    story += [*section(tr("II. BIỂU ĐỒ"), room=200), *_charts(s, width)]
    story += [*section(tr("III. HÀNG ĐỢI THEO DỊCH VỤ")), services_table(s, width)]
    story += [*section(tr("IV. THEO QUẦY")), counters_table(s, width)]
    story += [*section(tr("V. THEO CÁN BỘ")), clerks_table(s, width)]
    story += [*section(tr("VI. HỒ SƠ TIẾP NHẬN THEO LĨNH VỰC")), sectors_table(s, width)]
    story += [*section(tr("VII. HỒ SƠ ĐANG QUÁ HẠN")), overdue_table(s.overdue, width)]
    story.append(sign_off(width))
    return story


def daily_summary_pdf(
    s: DailySummary, *, centre_name: str, parent_name: str, place: str, generated_at: datetime
) -> bytes:
    """The day's summary as an official report: A4 portrait, Vietnamese, fonts embedded, charts as vectors.

    Call it inside ``with language("vi")``: the report is an official paper whatever language the screen uses.

    Args:
        s: the summary (``motcua.domain.reports.daily.daily_summary``).
        centre_name, parent_name, place: the issuing centre for the heading and dateline.
        generated_at: when the report is made (the dateline and every page's footer).

    Returns:
        The PDF; its metadata names the centre and the day, never a clerk.
    """
    ctx = report_context(centre_name, parent_name, place, generated_at)
    page = PORTRAIT
    story = [*heading(ctx, page, title(s)), *_body(s, page.text_width)]
    label = tr("Báo cáo tổng hợp ngày {day}", day=short_date(s.day))
    return build_pdf(
        story,
        page=page,
        ctx=ctx,
        title=label,
        subject=tr("{report} — {centre}", report=label, centre=centre_name),
        footer=report_footer(label, page, generated_at),
    )
