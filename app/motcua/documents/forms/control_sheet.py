"""Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ: who handed the dossier to whom, when, on time or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from motcua.documents.fonts import SERIF_ITALIC
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import person, title_block
from motcua.documents.forms.layout import esc, grid, labelled, national_header, para, table
from motcua.documents.forms.pdf import build_pdf, dossier_footer
from motcua.documents.forms.phrases import BLANK, time_phrase
from motcua.documents.forms.styles import PORTRAIT, sized, styles
from motcua.domain.dossier import Dossier, Timeliness, timeliness
from motcua.domain.status import Action
from motcua.i18n import tr

# The sheet travels with the paper dossier and is filled in by hand at each later hand-over.
MIN_ROWS = 5


def title() -> str:
    return tr("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")


@dataclass(frozen=True, slots=True)
class HandOver:
    """One row: ``giver`` hands the dossier (or its result) to ``receiver``."""

    giver: str
    receiver: str
    at: datetime | None = None
    giver_person: str = ""
    result: str = ""
    note: str = ""


def _judge(at: datetime, due: datetime | None) -> str:
    # The same rule as motcua.domain.dossier.timeliness, applied to one step of the journey.
    if due is None:
        return ""
    if at > due:
        return Timeliness.LATE.label
    if at.date() < due.date():
        return Timeliness.EARLY.label
    return Timeliness.ON_TIME.label


def hand_overs(d: Dossier, centre_name: str) -> list[HandOver]:
    """The rows the events justify: each transfer, the result coming back, the result going to the applicant.

    A step is judged against the deadline the receiving side was given (``Event.due_after``) and, failing
    that, against the dossier's own due time; the result rows use the dossier's timeliness as Decision 766
    judges it (supplement pauses stop the clock).
    """
    rows: list[HandOver] = []
    holder, holder_due = centre_name, d.due_at
    for e in d.events:
        if e.action is Action.TRANSFER:
            receiver = e.agency or BLANK
            rows.append(HandOver(holder, receiver, e.at, person(e.clerk), _judge(e.at, holder_due), e.note))
            holder, holder_due = receiver, e.due_after or d.due_at
        elif e.action is Action.RESOLVE and holder != centre_name:
            result = timeliness(d.due_at, d.events, e.at).label
            rows.append(HandOver(holder, centre_name, e.at, person(e.clerk), result, e.note))
            holder = centre_name
        elif e.action is Action.RETURN_RESULT:
            result = timeliness(d.due_at, d.events, e.at).label
            rows.append(HandOver(centre_name, d.applicant.name, e.at, person(e.clerk), result, e.note))
    return rows


def _giver_receiver(row: HandOver | None) -> list[Flowable]:
    cell = sized(styles().cell, 11)
    giver = esc(row.giver) if row else BLANK
    receiver = esc(row.receiver) if row else BLANK
    return [
        para(f"{esc(tr('1. Giao:'))} {giver}", cell),
        para(f"{esc(tr('2. Nhận:'))} {receiver}", cell),
    ]


def _time_and_signers(row: HandOver | None, width: float) -> list[Flowable]:
    st = styles()
    small = sized(st.cell_centre, 10)
    head = sized(st.cell_head, 10.5)
    signers = table(
        [
            [para(esc(tr("Người giao")), head), para(esc(tr("Người nhận")), head)],
            ["", ""],
            [para(esc(row.giver_person) if row else "", small), ""],
        ],
        [width / 2, width / 2],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1)],
        rowHeights=[None, 20, None],
    )
    # "9 giờ 32 phút," on one line and the date on the next, rather than wherever the column breaks it.
    hour, _, day = time_phrase(row.at if row else None).partition(", ")
    when = f"{esc(hour)},<br/>{esc(day)}" if day else esc(hour)
    return [para(when, sized(st.cell_centre, 11.5)), signers]


class _Pages:
    """What a trial build saw of the sheet: per page, the body rows it held, the room it was offered, its height."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.room: list[float] = []
        self.height: list[float] = []


def _measured_table(pages: _Pages) -> type[Table]:
    # reportlab makes the parts of a split table with ``self.__class__``: a class per build carries the record.
    class Measured(Table):
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            size: tuple[float, float] = super().wrap(available_width, available_height)
            self._offered = available_height
            return size

        def draw(self) -> None:
            pages.rows.append(len(self._cellvalues) - self.repeatRows)
            pages.room.append(self._offered)
            pages.height.append(self._height)
            super().draw()

    return Measured


def _sheet_rows(known: list[HandOver | None], blanks: int, width: float) -> list[list[object]]:
    st = styles()
    widths = _widths(width)
    head = sized(st.cell_head, 11)
    rows: list[list[object]] = [
        [
            para(esc(tr("TÊN CƠ QUAN")), head),
            para(esc(tr("THỜI GIAN GIAO, NHẬN HỒ SƠ")), head),
            para(
                f"{esc(tr('KẾT QUẢ GIẢI QUYẾT HỒ SƠ'))}<br/>"
                f"<font name='{SERIF_ITALIC}' size='10'>{esc(tr('(Trước hạn/đúng hạn/quá hạn)'))}</font>",
                head,
            ),
            para(esc(tr("GHI CHÚ")), head),
        ]
    ]
    cell = sized(st.cell_centre, 11.5)
    note = sized(st.cell, 10.5)
    for row in [*known, *[None] * blanks]:
        rows.append(
            [
                _giver_receiver(row),
                _time_and_signers(row, widths[1] - 6),
                para(esc(row.result) if row else "", cell),
                para(esc(row.note) if row else "", note),
            ]
        )
    return rows


def _widths(width: float) -> list[float]:  # a constant that depends on the page
    return [140.0, 160.0, 86.0, width - 140 - 160 - 86]


def mau05_control_sheet(d: Dossier, ctx: FormContext) -> bytes:
    """Mẫu 05: the hand-over record that travels with the dossier.

    Args:
        d: the dossier with its events; TRANSFER, RESOLVE and RETURN_RESULT events become rows.
        ctx: the issuing centre, the clerk, the printing time (dates the sheet and judges pending steps).

    Returns:
        The PDF; blank rows follow the known ones so that later hand-overs can be written in by hand. A sheet
        that runs over never leaves one row alone on its last page: blank rows then fill that page.
    """
    known: list[HandOver | None] = list(hand_overs(d, ctx.centre.name))
    blanks = max(1, MIN_ROWS - len(known))
    pages = _Pages()
    pdf = _build(d, ctx, known, blanks, _measured_table(pages))
    if len(pages.rows) > 1 and pages.rows[-1] < 2:
        # One row alone under the repeated header: fill that page with rows to write in. (A known row is never
        # alone there: at least one blank row follows the known ones.)
        spare = pages.room[-1] - pages.height[-1]
        blanks += max(0, int(spare // _blank_row_height()))
        pdf = _build(d, ctx, known, blanks, Table)
    return pdf


def _blank_row_height() -> float:
    width = PORTRAIT.text_width
    heights = []
    for blanks in (0, 1):
        sheet = grid(_sheet_rows([], blanks, width), _widths(width), header_rows=1)
        heights.append(float(sheet.wrap(width, PORTRAIT.text_height)[1]))
    return heights[1] - heights[0]


def _build(d: Dossier, ctx: FormContext, known: list[HandOver | None], blanks: int, kind: type[Table]) -> bytes:
    st = styles()
    width = PORTRAIT.text_width
    story: list[Flowable] = [national_header(ctx, ctx.printed_at.date(), width)]
    story += title_block(title())
    story.append(para(f"{esc(tr('Mã hồ sơ:'))} <b>{esc(d.code)}</b>", st.centre))
    story.append(Spacer(1, 4))
    story.append(labelled(tr("Kèm theo hồ sơ của:"), d.applicant.name, bold_value=True))
    story.append(labelled(tr("Nội dung yêu cầu giải quyết:"), d.procedure_name))
    story.append(labelled(tr("Số lượng hồ sơ:"), tr("{n} bộ", n=f"{d.sets:02d}")))
    story.append(labelled(tr("Thời gian nhận hồ sơ:"), time_phrase(d.received_at)))
    story.append(labelled(tr("Thời gian hẹn trả kết quả:"), time_phrase(d.due_at)))
    story.append(Spacer(1, 6))
    sheet = grid(_sheet_rows(known, blanks, width), _widths(width), header_rows=1, table_class=kind)
    sheet.setStyle(TableStyle([("VALIGN", (0, 1), (-1, -1), "TOP")]))
    story.append(sheet)
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(), code=d.code),
        subject=tr("Mẫu số 05 — mã hồ sơ {code}", code=d.code),
        keywords=(d.code,),
        footer=dossier_footer(d.code, PORTRAIT),
    )
