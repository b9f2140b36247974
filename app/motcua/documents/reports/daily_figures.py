"""The day's headline figures: one table of "indicator | figure" lines under four headings (queue, dossiers,
satisfaction, and the sync when the caller knows it)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from motcua.documents.forms.layout import Cell
from motcua.documents.reports.page import bold_cell, figures_table, head_cell, text_cell
from motcua.documents.reports.text import channel_label, count, duration, percent
from motcua.domain.reports.daily import DailySummary
from motcua.i18n import tr

# A line of the table: its label, its figure, and whether it is a part of the line above (indented).
Line = tuple[str, str, bool]


def _queue(s: DailySummary) -> list[Line]:
    return [
        (tr("Số vé đã phát"), count(s.tickets_issued), False),
        (tr("Đã phục vụ xong"), count(s.tickets_served), True),
        (tr("Vắng mặt khi được gọi"), count(s.tickets_no_show), True),
        (tr("Đang chờ"), count(s.tickets_waiting), True),
        (tr("Vé đã hủy (không tính vào số vé đã phát)"), count(s.tickets_cancelled), False),
        (tr("Thời gian chờ trung bình"), duration(s.wait.mean_s), False),
        (tr("Thời gian chờ của 90 % lượt không quá"), duration(s.wait.p90_s), False),
        (tr("Thời gian phục vụ trung bình"), duration(s.service.mean_s), False),
        (tr("Thời gian phục vụ của 90 % lượt không quá"), duration(s.service.p90_s), False),
    ]


def _dossiers(s: DailySummary) -> list[Line]:
    lines: list[Line] = [(tr("Hồ sơ tiếp nhận"), count(s.received), False)]
    lines += [(channel_label(c), count(n), True) for c, n in s.received_by_channel]
    lines += [
        (tr("Hồ sơ đã giải quyết"), count(s.resolved), False),
        (tr("Trước hạn"), count(s.resolved_early), True),
        (tr("Đúng hạn"), count(s.resolved_on_time), True),
        (tr("Quá hạn"), count(s.resolved_late), True),
        (tr("Tỷ lệ giải quyết trước hạn và đúng hạn"), percent(s.on_time_share), False),
        (tr("Kết thúc không có kết quả (trả lại, rút, dừng)"), count(s.ended_without_result), False),
        (tr("Hồ sơ đến hạn trả trong ngày"), count(s.due_today), False),
        (tr("Hồ sơ đang quá hạn"), count(len(s.overdue)), False),
        (tr("Hồ sơ đang chờ bổ sung"), count(s.supplements_pending), False),
        (tr("Hồ sơ chuyển đến"), count(s.transfers_in), False),
        (tr("Hồ sơ chuyển đi"), count(s.transfers_out), False),
    ]
    return lines


def _ratings(s: DailySummary) -> list[Line]:
    r = s.ratings
    return [
        (tr("Lượt đánh giá"), count(r.total), False),
        (tr("Rất hài lòng"), count(r.very_satisfied), True),
        (tr("Hài lòng"), count(r.satisfied), True),
        (tr("Không hài lòng"), count(r.dissatisfied), True),
        (tr("Tỷ lệ hài lòng"), percent(r.satisfied_share), False),
    ]


def _sync(s: DailySummary) -> list[Line]:
    lines: list[Line] = []
    if s.unsynced is not None:
        lines.append((tr("Thay đổi chưa đồng bộ"), count(s.unsynced), False))
    if s.parked is not None:
        lines.append((tr("Mục đang tạm giữ, chờ xử lý"), count(s.parked), False))
    return lines


def headline_table(s: DailySummary, width: float) -> Table:
    """The headline figures; a part of a figure ("Trực tuyến" under "Hồ sơ tiếp nhận") is indented under it."""
    groups = [
        (tr("Tiếp công dân theo hàng đợi"), _queue(s)),
        (tr("Hồ sơ thủ tục hành chính"), _dossiers(s)),
        (tr("Mức độ hài lòng"), _ratings(s)),
        (tr("Đồng bộ dữ liệu"), _sync(s)),
    ]
    rows: list[list[Cell]] = []
    heads: list[int] = []
    parts: list[int] = []
    first = 1  # the table's own header row comes first
    for title, lines in groups:
        if not lines:
            continue
        heads.append(first + len(rows))
        rows.append([bold_cell(title), ""])
        for label, figure, part in lines:
            if part:
                parts.append(first + len(rows))
            rows.append([text_cell(label), figure])
    header = [[head_cell(tr("Chỉ tiêu")), head_cell(tr("Số liệu"))]]
    spans = [((0, r), (1, r)) for r in heads]
    t = figures_table(header, rows, [width * 0.72, width * 0.28], left_cols=(0,), spans=spans)
    commands: list[tuple[Any, ...]] = [("BACKGROUND", (0, r), (-1, r), colors.Color(0.96, 0.96, 0.96)) for r in heads]
    commands += [("LEFTPADDING", (0, r), (0, r), 18) for r in parts]
    t.setStyle(TableStyle(commands))
    return t
