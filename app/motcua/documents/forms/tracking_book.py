"""Mẫu 06 — Sổ theo dõi hồ sơ: every dossier received in a period, one row each, on landscape A4."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, TableStyle

from motcua.documents.fonts import SERIF, SERIF_BOLD, register_fonts
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.layout import esc, grid, para, table
from motcua.documents.forms.pdf import build_pdf, page_number_footer
from motcua.documents.forms.styles import LANDSCAPE, sized, styles
from motcua.domain.dossier import Dossier, Timeliness, timeliness
from motcua.domain.formatting import short_date
from motcua.domain.status import Action, Status
from motcua.i18n import tr

# Thirteen columns across a landscape page. The columns that hold fixed-shape data (STT, the dossier code split
# after the agency identifier, the five dates) get exactly the width their data needs in the face in use; the
# columns of free text share the rest in these proportions: TTHC, tên, địa chỉ + điện thoại, cơ quan, ghi chú.
PADDING = 2.0
_SIZES = (8.5, 8.0, 7.5, 7.0)
_FREE_SHARES = (100, 80, 116, 76, 46)
_FREE_MIN = 360.0  # below this the free-text columns wrap a word or two per line: use a smaller size


def title() -> str:
    return tr("SỔ THEO DÕI HỒ SƠ")


def _first(d: Dossier, action: Action) -> datetime | None:
    return next((e.at for e in d.events if e.action is action), None)


def _when(dt: datetime | None) -> str:
    # Date on the first line, time on the second: the date column stays narrow enough for thirteen columns.
    return f"{short_date(dt.date())}<br/>{dt:%H:%M}" if dt else ""


def _code_lines(code: str) -> list[str]:
    # Break after the agency identifier so that the code needs a narrow column, never a split mid-number.
    agency, sep, rest = code.partition("-")
    return [agency + sep, rest] if sep else [code]


def _code(code: str) -> str:
    return "<br/>".join(esc(line) for line in _code_lines(code))


def _remarks(d: Dossier, now: datetime) -> str:
    notes: list[str] = []
    if d.status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
        notes.append(d.status.label)
    judged = timeliness(d.due_at, d.events, now)
    if judged in (Timeliness.LATE, Timeliness.OVERDUE):
        notes.append(judged.label)
    if d.note:
        notes.append(d.note)
    return "; ".join(notes)


def _column_widths(codes: Sequence[str], size: float, width: float, minimum: float = _FREE_MIN) -> list[float] | None:
    """The thirteen widths at ``size``, or None when the free-text columns would get less than ``minimum``."""

    def need(text: str, font: str = SERIF) -> float:
        return float(stringWidth(text, font, size)) + 2 * PADDING + 1

    parts = [p for code in codes for p in _code_lines(code)] or ["000.00.00.H00-"]
    stt = max(need("9999"), need(tr("STT"), SERIF_BOLD))
    code = max(need(p) for p in parts)
    count = max(need(word, SERIF_BOLD) for word in tr("Số lượng hồ sơ (bộ)").split())
    day = need("00/00/0000")
    free = width - stt - code - count - 5 * day
    if free < minimum:
        return None
    shares = [free * s / sum(_FREE_SHARES) for s in _FREE_SHARES]
    return [stt, code, shares[0], count, shares[1], shares[2], shares[3], *[day] * 5, shares[4]]


def _header_rows(size: float) -> list[list[object]]:
    head = sized(styles().cell_head, size)
    names = [
        tr("STT"),
        tr("Mã hồ sơ"),
        tr("Tên thủ tục hành chính"),
        tr("Số lượng hồ sơ (bộ)"),
        tr("Tên cá nhân, tổ chức"),
        tr("Địa chỉ, số điện thoại"),
        tr("Cơ quan chủ trì giải quyết"),
    ]
    dates = [
        tr("Nhận hồ sơ"),
        tr("Hẹn trả kết quả"),
        tr("Chuyển hồ sơ đến cơ quan giải quyết"),
        tr("Nhận kết quả từ cơ quan giải quyết"),
        tr("Trả kết quả cho cá nhân, tổ chức"),
    ]
    first: list[object] = [para(esc(n), head) for n in names]
    first += [para(esc(tr("Ngày, tháng, năm")), head), "", "", "", ""]
    first.append(para(esc(tr("Ghi chú")), head))
    second: list[object] = [""] * len(names) + [para(esc(h), head) for h in dates] + [""]
    numbers: list[object] = [para(f"({n})", sized(styles().cell_centre, 8)) for n in range(1, len(first) + 1)]
    return [first, second, numbers]


def _row(n: int, d: Dossier, now: datetime, size: float) -> list[object]:
    st = styles()
    cell = sized(st.cell, size)
    centre = sized(st.cell_centre, size)
    a = d.applicant
    address = esc(a.address.one_line())
    if a.phone:
        address = f"{address}<br/>{esc(a.phone)}" if address else esc(a.phone)
    agency = next((e.agency for e in d.events if e.action is Action.TRANSFER and e.agency), "")
    return [
        para(str(n), centre),
        para(_code(d.code), centre),
        para(esc(d.procedure_name), cell),
        para(str(d.sets), centre),
        para(esc(a.name), cell),
        para(address, cell),
        para(esc(agency), cell),
        para(_when(d.received_at), centre),
        para(_when(d.due_at), centre),
        para(_when(_first(d, Action.TRANSFER)), centre),
        para(_when(_first(d, Action.RESOLVE)), centre),
        para(_when(_first(d, Action.RETURN_RESULT)), centre),
        para(esc(_remarks(d, now)), cell),
    ]


def _heading(ctx: FormContext, start: date, end: date) -> list[Flowable]:
    st = styles()
    width = LANDSCAPE.text_width
    agency: list[Flowable] = []
    if ctx.centre.parent_name:
        agency.append(para(esc(ctx.centre.parent_name.upper()), st.header))
    agency.append(para(esc(ctx.centre.name.upper()), st.header_bold))
    top = table(
        [[agency, ""]],
        [width * 0.4, width * 0.6],
        [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    period = tr("Từ ngày {start} đến ngày {end}", start=short_date(start), end=short_date(end))
    return [
        top,
        Spacer(1, 8),
        para(esc(title()), sized(st.title, 16)),
        para(esc(period), st.italic_centre),
        Spacer(1, 8),
    ]


def mau06_tracking_book(dossiers: Sequence[Dossier], start: date, end: date, ctx: FormContext) -> bytes:
    """Mẫu 06: the tracking book for the dossiers received from ``start`` to ``end`` (both included).

    Dossiers received outside the period are left out; the rest are listed in order of reception. The header
    rows repeat on every page and every page is numbered "Trang x/y".

    Returns:
        The PDF, A4 landscape.
    """
    register_fonts()
    width = LANDSCAPE.text_width
    chosen = sorted(
        (d for d in dossiers if start <= d.received_at.date() <= end), key=lambda d: (d.received_at, d.code)
    )
    codes = [d.code for d in chosen]
    for size in _SIZES:
        widths = _column_widths(codes, size, width)
        if widths is not None:
            break
    else:  # a face far wider than Times: the smallest size, whatever room is left for the free text
        widths = _column_widths(codes, size, width, minimum=0.0) or []
    rows = _header_rows(size)
    rows += [_row(n, d, ctx.printed_at, size) for n, d in enumerate(chosen, start=1)]
    spans = [((c, 0), (c, 1)) for c in range(7)] + [((7, 0), (11, 0)), ((12, 0), (12, 1))]
    if not chosen:
        empty = tr("Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.")
        rows.append([para(esc(empty), styles().italic_centre)] + [""] * 12)
        spans.append(((0, 3), (12, 3)))
    book = grid(rows, widths, header_rows=3, spans=spans, padding=PADDING, font_size=size)
    book.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, 2), SERIF_BOLD), ("VALIGN", (0, 3), (-1, -1), "TOP")]))
    story = [*_heading(ctx, start, end), book]
    label = tr(
        "Sổ theo dõi hồ sơ từ ngày {start} đến ngày {end} — {centre}",
        start=short_date(start),
        end=short_date(end),
        centre=ctx.centre.name,
    )
    return build_pdf(
        story,
        page=LANDSCAPE,
        ctx=ctx,
        title=tr("{title} từ ngày {start} đến ngày {end}", title=title(), start=short_date(start), end=short_date(end)),
        subject=tr("Mẫu số 06 — {centre}", centre=ctx.centre.name),
        footer=page_number_footer(label, LANDSCAPE),
    )
