"""The periodic report's section on the Decision 766 service index: what the centre's own data can estimate,
month by month, and plainly what it cannot measure."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Spacer

from motcua.documents.forms.layout import Cell, table
from motcua.documents.reports.charts import share_bars
from motcua.documents.reports.page import bold_cell, figures_table, head_cell, note, section, subheading, text_cell
from motcua.documents.reports.text import DASH, count, percent, points
from motcua.domain.reports.service_index import GROUP_MAX, GROUP_NAMES, NOT_MEASURED, IndexMonth
from motcua.i18n import tr

ON_TIME = "2.1"  # the indicator charted month by month: dossiers resolved early or on time
_NO_PADDING = [(p, (0, 0), (-1, -1), 0) for p in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]


def month_label(m: IndexMonth) -> str:
    return f"{m.month:%m/%Y}"


def scope_label(m: IndexMonth) -> str:
    return tr("Lĩnh vực {sector}", sector=m.scope) if m.scope else tr("Toàn trung tâm")


def _indicators(m: IndexMonth, width: float) -> Flowable:
    heads = (tr("Mã"), tr("Chỉ số"), tr("Tử số / mẫu số"), tr("Tỷ lệ"), tr("Điểm / tối đa"))
    rows: list[list[Cell]] = [
        [
            s.indicator.code,
            text_cell(s.indicator.name),
            f"{count(s.numerator)} / {count(s.denominator)}",
            percent(s.ratio),
            f"{DASH if s.points is None else points(s.points)} / {points(s.indicator.max_points)}",
        ]
        for s in m.scores
    ]
    widths = [26, width - 26 - 82 - 48 - 62, 82, 48, 62]
    return figures_table([[head_cell(h) for h in heads]], rows, widths, left_cols=(1,))


def _groups(m: IndexMonth, width: float) -> Flowable:
    heads = (tr("Nhóm"), tr("Tên nhóm"), tr("Điểm đạt / điểm các chỉ số đo được"), tr("Điểm tối đa của nhóm"))
    rows: list[list[Cell]] = []
    got_all = measured_all = 0.0
    for g in sorted(GROUP_MAX):
        measured = m.group_points(g)
        if measured is None:
            shown = tr("Chưa đo được")
        else:
            got_all, measured_all = got_all + measured[0], measured_all + measured[1]
            shown = f"{points(measured[0])} / {points(measured[1])}"
        rows.append([str(g), text_cell(tr(GROUP_NAMES[g])), shown, points(GROUP_MAX[g])])
    total = f"{points(got_all)} / {points(measured_all)}"
    rows.append(["", bold_cell(tr("Cộng")), total, points(sum(GROUP_MAX.values()))])
    widths = [30, width - 30 - 84 - 56, 84, 56]
    return figures_table([[head_cell(h) for h in heads]], rows, widths, left_cols=(1,), bold_last=True)


def _month(m: IndexMonth, width: float) -> Flowable:
    """One month: its indicators and its groups side by side, kept on one page."""
    gap = 10
    left_w, right_w = 0.56 * (width - gap), 0.44 * (width - gap)
    title = tr("Tháng {month} — {scope}", month=month_label(m), scope=scope_label(m))
    late = tr(
        "Hồ sơ giải quyết quá hạn trong tháng: {late}, trong đó đã có văn bản xin lỗi: {apology}.",
        late=count(m.late),
        apology=count(m.late_with_apology),
    )
    side_by_side = table(
        [[_indicators(m, left_w), "", _groups(m, right_w)]],
        [left_w, gap, right_w],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING],
    )
    return KeepTogether([subheading(title), Spacer(1, 3), side_by_side, note(late), Spacer(1, 6)])


def _not_measured(width: float) -> Flowable:
    rows: list[list[Cell]] = [[code, text_cell(tr(reason))] for code, reason in NOT_MEASURED]
    heads = [[head_cell(tr("Chỉ số")), head_cell(tr("Lý do chưa đo được"))]]
    return figures_table(heads, rows, [90, width - 90], left_cols=(1,))


def index_section(months: Sequence[IndexMonth], width: float) -> list[Flowable]:
    """The section's flowables: the method, the on-time chart (several months), each month, the unmeasured parts."""
    out: list[Flowable] = [
        *section(tr("Chỉ số phục vụ (Quyết định 766) — ước tính từ dữ liệu của trung tâm"), room=260),
        note(
            tr(
                "Điểm của một chỉ số = điểm tối đa × min(1; tỷ lệ / ngưỡng đạt điểm tối đa). Điểm của nhóm chỉ cộng "
                "các chỉ số đo được; các chỉ số trung tâm không đo được liệt kê ở cuối mục, không ước đoán. "
                "Chỉ số 5.4 = 100 % − tỷ lệ hồ sơ quá hạn − tỷ lệ không hài lòng, ghi trên 10.000."
            )
        ),
        Spacer(1, 6),
    ]
    centre = [m for m in months if not m.scope]
    if len(centre) > 1:
        shares = [next((s.ratio for s in m.scores if s.indicator.code == ON_TIME), None) for m in centre]
        chart_title = tr("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng (chỉ số 2.1)")
        out += [share_bars([month_label(m) for m in centre], shares, width, 170, chart_title), Spacer(1, 8)]
    out += [_month(m, width) for m in months]
    out.append(
        KeepTogether(
            [
                subheading(tr("Các chỉ số trung tâm chưa đo được")),
                Spacer(1, 3),
                _not_measured(width),
            ]
        )
    )
    return out
