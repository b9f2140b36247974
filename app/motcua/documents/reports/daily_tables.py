"""The day's detail tables: per service, per counter, per clerk, per sector, and the overdue dossiers.

Each returns a table whose header repeats on every page it runs over, or "Không có" when there is nothing to list.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from motcua.documents.fonts import SERIF, SERIF_BOLD
from motcua.documents.forms.layout import Cell, esc, para
from motcua.documents.forms.styles import sized, styles
from motcua.documents.reports.page import CELL_PT, HEAD_PT, bold_cell, figures_table, head_cell, nothing, text_cell
from motcua.documents.reports.text import DASH, count, duration, percent
from motcua.domain.formatting import short_date
from motcua.domain.reports.daily import DailySummary, OverdueRow
from motcua.domain.reports.figures import share
from motcua.i18n import tr


def _spread_widths(width: float, fixed: Sequence[float], free_shares: Sequence[float]) -> list[float]:
    """The ``fixed`` widths, then the rest of ``width`` shared out in the proportions ``free_shares``."""
    room = width - sum(fixed)
    return [*fixed, *(room * s / sum(free_shares) for s in free_shares)]


def services_table(s: DailySummary, width: float) -> Flowable:
    if not s.services:
        return nothing()
    tickets = (tr("Đã phát"), tr("Đã phục vụ"), tr("Vắng mặt"), tr("Đang chờ"))
    waits = (tr("Người đang chờ lâu nhất"), tr("Trung bình"), tr("90 % lượt"))
    services = (tr("Trung bình"), tr("90 % lượt"))
    top = (tr("Dịch vụ"), tr("Số vé"), "", "", "", tr("Thời gian chờ"), "", "", tr("Thời gian phục vụ"), "")
    header: list[list[Cell]] = [
        [head_cell(h) if h else "" for h in top],
        ["", *(head_cell(h) for h in (*tickets, *waits, *services))],
    ]
    rows: list[list[Cell]] = [
        [
            text_cell(r.name),
            count(r.issued),
            count(r.served),
            count(r.no_show),
            count(r.waiting),
            duration(r.longest_wait_s),
            duration(r.wait.mean_s),
            duration(r.wait.p90_s),
            duration(r.service.mean_s),
            duration(r.service.p90_s),
        ]
        for r in s.services
    ]
    longest = max((r.longest_wait_s for r in s.services if r.longest_wait_s is not None), default=None)
    rows.append(
        [
            bold_cell(tr("Toàn trung tâm")),
            count(s.tickets_issued),
            count(s.tickets_served),
            count(s.tickets_no_show),
            count(s.tickets_waiting),
            duration(longest),
            duration(s.wait.mean_s),
            duration(s.wait.p90_s),
            duration(s.service.mean_s),
            duration(s.service.p90_s),
        ]
    )
    widths = [width - 9 * 34.5] + [34.5] * 9
    spans = [((0, 0), (0, 1)), ((1, 0), (4, 0)), ((5, 0), (7, 0)), ((8, 0), (9, 0))]
    return figures_table(header, rows, widths, spans=spans, left_cols=(0,), bold_last=True)


def counters_table(s: DailySummary, width: float) -> Flowable:
    if not s.counters:
        return nothing()
    heads: list[str] = [
        tr("Quầy"),
        tr("Cán bộ"),
        tr("Đã phục vụ"),
        tr("Thời gian phục vụ trung bình"),
        tr("Thời gian phục vụ của 90 % lượt"),
        tr("Lượt đánh giá"),
        tr("Tỷ lệ hài lòng"),
    ]
    rows: list[list[Cell]] = [
        [
            text_cell(r.name),
            text_cell(r.clerk or DASH),
            count(r.served),
            duration(r.service.mean_s),
            duration(r.service.p90_s),
            count(r.ratings),
            percent(share(r.satisfied, r.ratings)),
        ]
        for r in s.counters
    ]
    widths = _spread_widths(width, [], [1.3, 1.9, 1, 1, 1, 1, 1])
    return figures_table([[head_cell(h) for h in heads]], rows, widths, left_cols=(0, 1))


def clerks_table(s: DailySummary, width: float) -> Flowable:
    if not s.clerks:
        return nothing()
    heads: list[str] = [
        tr("STT"),
        tr("Cán bộ"),
        tr("Hồ sơ tiếp nhận"),
        tr("Trả kết quả"),
        tr("Bước xử lý khác"),
        tr("Lượt đánh giá"),
        tr("Tỷ lệ hài lòng"),
    ]
    rows: list[list[Cell]] = [
        [
            str(n),
            text_cell(r.clerk or DASH),
            count(r.received),
            count(r.results_returned),
            count(r.other_steps),
            count(r.ratings),
            percent(share(r.satisfied, r.ratings)),
        ]
        for n, r in enumerate(s.clerks, start=1)
    ]
    widths = _spread_widths(width, [26], [3, 1, 1, 1, 1, 1])
    return figures_table([[head_cell(h) for h in heads]], rows, widths)


def sectors_table(s: DailySummary, width: float) -> Flowable:
    if not s.received_by_sector:
        return nothing()
    heads = (tr("STT"), tr("Lĩnh vực"), tr("Trực tiếp"), tr("Trực tuyến"), tr("Bưu chính"), tr("Tổng số"))
    rows: list[list[Cell]] = [
        [str(n), text_cell(r.sector), count(r.direct), count(r.online), count(r.postal), count(r.total)]
        for n, r in enumerate(s.received_by_sector, start=1)
    ]
    total = [sum(getattr(r, f) for r in s.received_by_sector) for f in ("direct", "online", "postal", "total")]
    rows.append(["", bold_cell(tr("Tổng cộng")), *map(count, total)])
    widths = _spread_widths(width, [26], [4, 1, 1, 1, 1])
    return figures_table([[head_cell(h) for h in heads]], rows, widths, bold_last=True)


def _code(code: str) -> str:
    # Broken after the agency identifier: the code then needs a narrow column and never splits mid-number.
    agency, sep, rest = code.partition("-")
    return f"{esc(agency + sep)}<br/>{esc(rest)}" if sep else esc(code)


def overdue_table(rows_in: Sequence[OverdueRow], width: float) -> Flowable:
    if not rows_in:
        return nothing()
    size = CELL_PT - 1
    heads: list[str] = [
        tr("STT"),
        tr("Mã hồ sơ"),
        tr("Thủ tục"),
        tr("Lĩnh vực"),
        tr("Ngày tiếp nhận"),
        tr("Ngày hẹn trả"),
        tr("Số ngày quá hạn"),
        tr("Cán bộ xử lý"),
        tr("Cơ quan đang giải quyết"),
    ]
    centre = sized(styles().cell_centre, size)

    def need(text: str, font: str = SERIF) -> float:
        return float(stringWidth(text, font, size)) + 9

    parts = [p for r in rows_in for p in _code(r.code).split("<br/>")]
    code_w = max(need(p) for p in parts)
    day_w = need("00/00/0000")
    number_w = max(need("9999"), need(tr("STT"), SERIF_BOLD))
    late_w = max(need("999"), need(tr("Số ngày"), SERIF_BOLD))
    rows: list[list[Cell]] = [
        [
            str(n),
            para(_code(r.code), centre),
            text_cell(r.procedure_name, size),
            text_cell(r.sector, size),
            short_date(r.received_at.date()),
            short_date(r.due_at.date()) if r.due_at else DASH,
            count(r.days_late),
            text_cell(r.clerk or DASH, size),
            text_cell(r.agency, size),
        ]
        for n, r in enumerate(rows_in, start=1)
    ]
    free = _spread_widths(width - number_w - code_w - 2 * day_w - late_w, [], [2.4, 1.3, 1.2, 1.5])
    widths = [number_w, code_w, free[0], free[1], day_w, day_w, late_w, free[2], free[3]]
    header = [[head_cell(h, HEAD_PT - 0.5) for h in heads]]
    return figures_table(header, rows, widths, left_cols=(2, 3, 7, 8), size=size)
