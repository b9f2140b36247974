"""Báo cáo tình hình tiếp nhận và giải quyết hồ sơ TTHC: the periodic report as an A4 landscape PDF."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.platypus import Flowable

from motcua.documents.forms.layout import Cell, para
from motcua.documents.forms.pdf import build_pdf
from motcua.documents.forms.styles import LANDSCAPE, sized, styles
from motcua.documents.reports.index_pdf import index_section
from motcua.documents.reports.page import (
    bold_cell,
    figures_table,
    head_cell,
    heading,
    nothing,
    report_context,
    report_footer,
    sign_off,
    text_cell,
)
from motcua.documents.reports.period_columns import Column, columns, group_title, header_spans, value
from motcua.documents.reports.text import count, percent
from motcua.domain.formatting import short_date
from motcua.domain.reports.period import PeriodReport, PeriodRow
from motcua.domain.reports.service_index import IndexMonth
from motcua.i18n import tr

STT_W, SHARE_W, FIGURE_W = 24.0, 46.0, 36.0


def title() -> str:
    return tr("BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH")


def period_text(r: PeriodReport) -> str:
    return tr("Từ ngày {start} đến ngày {end}", start=short_date(r.start), end=short_date(r.end))


def _header(
    r: PeriodReport, cols: list[Column]
) -> tuple[list[list[Cell]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Three header rows (groups, their columns, the column numbers) and the cells they span."""
    width = 2 + len(cols)
    top: list[Cell] = [head_cell(tr("STT")), head_cell(group_title(r.group_by))] + [""] * len(cols)
    second: list[Cell] = [""] * width
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1))]
    for first, last, name in header_spans(cols, 2):
        top[first] = head_cell(name)
        if first == last and not cols[first - 2].group:
            spans.append(((first, 0), (first, 1)))
        else:
            spans.append(((first, 0), (last, 0)))
            for i in range(first, last + 1):
                second[i] = head_cell(cols[i - 2].title)
    numbers: list[Cell] = [para(f"({n})", sized(styles().cell_centre, 7.5)) for n in range(1, width + 1)]
    return [top, second, numbers], spans


def _figures(row: PeriodRow, cols: list[Column]) -> list[Cell]:
    return [percent(row.on_time_share) if c.share else count(value(row, c)) for c in cols]


def _table(r: PeriodReport, width: float) -> Flowable:
    cols = columns()
    header, spans = _header(r, cols)
    rows: list[list[Cell]] = [
        [str(n), text_cell(row.group), *_figures(row, cols)] for n, row in enumerate(r.rows, start=1)
    ]
    if not rows:
        return nothing()
    rows.append(["", bold_cell(tr("Tổng cộng")), *_figures(r.total, cols)])
    group_w = width - STT_W - SHARE_W - FIGURE_W * (len(cols) - 1)
    widths = [STT_W, group_w, *[FIGURE_W] * (len(cols) - 1), SHARE_W]
    return figures_table(header, rows, widths, spans=spans, bold_last=True)


def period_report_pdf(
    r: PeriodReport,
    *,
    centre_name: str,
    parent_name: str,
    place: str,
    generated_at: datetime,
    index: Sequence[IndexMonth] = (),
) -> bytes:
    """The periodic report: A4 landscape, the provincial grouped-header table with its total row in bold, then
    (``index`` given) the Decision 766 indicators the centre can estimate, month by month.

    Call it inside ``with language("vi")``: the report is an official paper whatever language the screen uses.

    Args:
        r: the report (``motcua.domain.reports.period.period_report``), by sector or by agency.
        centre_name, parent_name, place: the issuing centre for the heading and dateline.
        generated_at: when the report is made (the dateline and every page's footer).
        index: the months of ``index_by_month`` for the same period; empty leaves the section out.

    Returns:
        The PDF; its metadata names the centre and the period, never a clerk.
    """
    ctx = report_context(centre_name, parent_name, place, generated_at)
    page = LANDSCAPE
    width = page.text_width
    story = [*heading(ctx, page, title(), period_text(r)), _table(r, width)]
    if index:
        story += index_section(index, width)
    story.append(sign_off(width))
    label = tr(
        "Báo cáo tiếp nhận và giải quyết hồ sơ từ ngày {start} đến ngày {end}",
        start=short_date(r.start),
        end=short_date(r.end),
    )
    return build_pdf(
        story,
        page=page,
        ctx=ctx,
        title=label,
        subject=tr("{report} — {centre}", report=label, centre=centre_name),
        footer=report_footer(label, page, generated_at),
    )
