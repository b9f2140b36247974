"""The columns of the periodic report, shared by its PDF and its workbook so that both say the same thing.

After "STT" and the group's name come sixteen columns of figures under two levels of header, as provincial
reports lay them out. A column is a count of ``PeriodRow``, a sum of other columns (a "Tổng" column: a formula
in the workbook), or the on-time share.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.domain.reports.period import GroupBy, PeriodRow
from motcua.i18n import tr


@dataclass(frozen=True, slots=True)
class Column:
    """One column of figures.

    Attributes:
        key: the ``PeriodRow`` attribute or property it shows.
        title: its header; under ``group`` when that is set, else over both header rows.
        group: the first-level header it sits under ("Đã giải quyết").
        parts: for a sum column, the keys of the columns it adds up.
        share: for the share column, (the keys of the numerator's columns, the key of the denominator's column).
    """

    key: str
    title: str
    group: str = ""
    parts: tuple[str, ...] = ()
    share: tuple[tuple[str, ...], str] | None = None


def group_title(group_by: GroupBy) -> str:
    return tr("Cơ quan") if group_by is GroupBy.AGENCY else tr("Lĩnh vực")


def columns() -> list[Column]:
    received = tr("Tiếp nhận trong kỳ")
    resolved = tr("Đã giải quyết")
    progress = tr("Đang giải quyết")
    ended = tr("Trả lại / rút")
    counts = ("carried_over", "received_online", "received_direct", "received_postal")
    return [
        Column("total", tr("Tổng số hồ sơ"), parts=counts),
        Column("carried_over", tr("Kỳ trước chuyển qua")),
        Column("received_online", tr("Trực tuyến"), received),
        Column("received_direct", tr("Trực tiếp"), received),
        Column("received_postal", tr("Bưu chính"), received),
        Column("resolved", tr("Tổng"), resolved, parts=("resolved_early", "resolved_on_time", "resolved_late")),
        Column("resolved_early", tr("Trước hạn"), resolved),
        Column("resolved_on_time", tr("Đúng hạn"), resolved),
        Column("resolved_late", tr("Quá hạn"), resolved),
        Column("in_progress", tr("Tổng"), progress, parts=("in_progress_on_time", "in_progress_overdue")),
        Column("in_progress_on_time", tr("Trong hạn"), progress),
        Column("in_progress_overdue", tr("Quá hạn"), progress),
        Column("refused", tr("Từ chối"), ended),
        Column("withdrawn", tr("Rút"), ended),
        Column("stopped", tr("Dừng"), ended),
        Column("on_time_share", tr("Tỷ lệ đúng hạn"), share=(("resolved_early", "resolved_on_time"), "resolved")),
    ]


def value(row: PeriodRow, column: Column) -> int:
    """A count column's figure for ``row`` (not the share: that one is a fraction, or None)."""
    return int(getattr(row, column.key))


def header_spans(cols: list[Column], first: int) -> list[tuple[int, int, str]]:
    """The first-level headers as (first column, last column, title); ``first`` is the index of ``cols[0]``.

    A column without a group is its own "span" of one: its title stands over both header rows.
    """
    spans: list[tuple[int, int, str]] = []
    for i, col in enumerate(cols, start=first):
        if col.group and spans and spans[-1][2] == col.group and cols[spans[-1][1] - first].group == col.group:
            spans[-1] = (spans[-1][0], i, col.group)
        else:
            spans.append((i, i, col.group or col.title))
    return spans
