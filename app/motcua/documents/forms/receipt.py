"""Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả, one page per copy (liên)."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from motcua.documents.forms.codes import QUIET_MODULES, QrFlowable, code128_flowable, code128_modules
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import (
    applicant_lines,
    clerk_of,
    components_tables,
    delivery_place,
    registry_entry,
    title_block,
)
from motcua.documents.forms.layout import Signature, esc, labelled, national_header, para, signatures, table
from motcua.documents.forms.pdf import ScaledToFit, Section, build_pdf, dossier_footer
from motcua.documents.forms.phrases import BLANK, time_phrase
from motcua.documents.forms.styles import PORTRAIT, styles
from motcua.domain.dossier import Dossier
from motcua.domain.formatting import fee_state
from motcua.i18n import tr

# Up to 1.2 pt = 0.42 mm per module: 2.5 px when the page is rendered or scanned at 150 dpi, so that even a
# copy shrunk to MIN_COPY_SCALE keeps the two pixels a module a decoder needs; a laser printer reproduces it
# without bars merging. A longer code (six-digit sequence) gets a slightly narrower module to fit its cell.
MODULE_PT = 1.2
QR_PT = 66.0
TABLE_SIZES = (11.5, 11.0, 10.5, 10.0)  # the components table may shrink this far before anything else does
MIN_COPY_SCALE = 0.8


def title() -> str:
    return tr("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")


def _note() -> str:
    return tr(
        "Giấy tiếp nhận và hẹn trả kết quả được lập thành 2 liên; một liên chuyển kèm theo Phiếu kiểm soát quá "
        "trình giải quyết hồ sơ và được lưu tại Bộ phận tiếp nhận và trả kết quả; một liên giao cho cá nhân, tổ "
        "chức nộp hồ sơ; Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận tiếp nhận và trả kết quả hoặc "
        "tại nhà (trụ sở tổ chức) qua dịch vụ bưu chính."
    )


def copy_label(number: int) -> str:
    """``"(Liên 1: Lưu)"``, ``"(Liên 2: Giao người nộp hồ sơ)"``, ``"(Liên 3)"``…"""
    if number == 1:
        return tr("(Liên 1: Lưu)")
    if number == 2:
        return tr("(Liên 2: Giao người nộp hồ sơ)")
    return tr("(Liên {n})", n=number)


def _codes_row(d: Dossier, ctx: FormContext, width: float) -> Table:
    st = styles()
    left_width = width - QR_PT - 16
    module = min(MODULE_PT, left_width / (len(code128_modules(d.code)) + 2 * QUIET_MODULES))
    left: list[Flowable] = [
        para(f"{esc(tr('Mã hồ sơ:'))} <b>{esc(d.code)}</b>", st.body),
        Spacer(1, 2),
        code128_flowable(d.code, module),  # as high as a tilted sheet needs (codes.MIN_HEIGHT_RATIO)
    ]
    right: list[Flowable] = [
        QrFlowable(ctx.centre.tracking_url.format(code=d.code), QR_PT),
        para(esc(tr("Tra cứu hồ sơ")), st.small),
    ]
    return table(
        [[left, right]],
        [left_width, QR_PT + 16],
        [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def _numbered(n: int, text: str, value: str = "", bold_value: bool = False) -> Flowable:
    return labelled(tr("{n}. {text}", n=n, text=text), value, bold_value)


def _copy_story(
    d: Dossier, ctx: FormContext, procedure_time_text: str, number: int, table_pt: float, runs_over: bool = False
) -> list[Flowable]:
    """One copy's flowables; ``runs_over``: the copy takes more than a page, keep its end together."""
    st = styles()
    width = PORTRAIT.text_width
    story: list[Flowable] = [national_header(ctx, d.received_at.date(), width)]
    story += title_block(title(), copy_label(number), space=6)
    story.append(_codes_row(d, ctx, width))
    story.append(Spacer(1, 6))
    story.append(labelled(tr("Bộ phận tiếp nhận và trả kết quả:"), ctx.centre.name))
    if ctx.centre.phone:
        story.append(labelled(tr("Số điện thoại liên hệ:"), ctx.centre.phone))
    story += applicant_lines(d, tr("Tiếp nhận hồ sơ của:"))
    story.append(_numbered(1, tr("Thành phần hồ sơ nộp gồm:")))
    tables = components_tables(d.components, width, table_pt, keep_last=2 if runs_over else 0)
    story += tables[:-1] if runs_over else tables
    start = len(story)
    story.append(Spacer(1, 4))
    story.append(_numbered(2, tr("Số lượng hồ sơ:"), tr("{n} bộ", n=f"{d.sets:02d}")))
    story.append(_numbered(3, tr("Thời gian giải quyết hồ sơ theo quy định là:"), procedure_time_text))
    story.append(_numbered(4, tr("Thời gian nhận hồ sơ:"), time_phrase(d.received_at)))
    story.append(_numbered(5, tr("Thời gian trả kết quả giải quyết hồ sơ:"), time_phrase(d.due_at), bold_value=True))
    story.append(_numbered(6, tr("Đăng ký nhận kết quả tại:"), delivery_place(d, ctx)))
    if d.fee_vnd:
        story.append(_numbered(7, tr("Phí, lệ phí:"), fee_state(d)))
    book, seq = registry_entry(d)
    story.append(
        para(
            esc(tr("Vào Sổ theo dõi hồ sơ, Quyển số: {book}  Số thứ tự: {seq}", book=book or BLANK, seq=seq or BLANK)),
            st.item,
        )
    )
    story.append(Spacer(1, 6))
    story.append(
        signatures(
            [
                Signature(tr("NGƯỜI NỘP HỒ SƠ"), (d.submitter or d.applicant).name, space=46),
                Signature(tr("NGƯỜI TIẾP NHẬN HỒ SƠ"), clerk_of(d, None, ctx), space=46),
            ],
            width,
        )
    )
    story.append(Spacer(1, 6))
    story.append(para(f"<b><i>{esc(tr('Ghi chú:'))}</i></b> <i>{esc(_note())}</i>", st.note))
    if runs_over:
        # From the table's last rows to the note, one block: the signatures never open a page alone, and no
        # line of the note is left over for a page of its own.
        story[start:] = [KeepTogether([tables[-1], *story[start:]])]
    return story


def _height(story: list[Flowable], width: float) -> float:
    total = 0.0
    for f in story:
        _, h = f.wrap(width, 10_000)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _one_copy(d: Dossier, ctx: FormContext, procedure_time_text: str, number: int) -> list[Flowable]:
    """One copy on one page, giving up as little as possible; or, failing that, on as many as it needs.

    First the components table is set smaller, down to 10 pt; then the whole copy is scaled down, to no less
    than :data:`MIN_COPY_SCALE`, where the barcode still has two pixels a module at 150 dpi. A copy that would
    need more runs over onto a further page (the table's header repeats there): better two readable pages
    than one that neither a person nor a scanner can read.
    """
    width, room = PORTRAIT.text_width, PORTRAIT.text_height - 6  # slack for the frame's own rounding
    story: list[Flowable] = []
    for size in TABLE_SIZES:
        story = _copy_story(d, ctx, procedure_time_text, number, size)
        if _height(story, width) <= room:
            return story
    if room >= MIN_COPY_SCALE * _height(story, width):
        return [ScaledToFit(story, room)]
    return _copy_story(d, ctx, procedure_time_text, number, TABLE_SIZES[0], runs_over=True)


def mau01_receipt(d: Dossier, ctx: FormContext, procedure_time_text: str, copies: int = 2) -> bytes:
    """Mẫu 01: the receipt and appointment slip, one A4 page per copy.

    Each copy starts on a new page. A copy whose list of components cannot fit its page even slightly shrunk
    runs over onto a further page. Every page's foot carries the code, "(Liên 1: Lưu) — Trang 1/2", and the
    code's barcode on the pages that do not show it large under the title.

    Args:
        d: the received dossier; only components actually handed over are listed.
        ctx: the issuing centre, the clerk, the printing time.
        procedure_time_text: the processing time as promised, e.g. "5 ngày làm việc".
        copies: how many liên; copy 1 is kept, copy 2 goes to the applicant.

    Returns:
        The PDF.
    """
    if copies < 1:
        raise ValueError("copies must be at least 1")
    story: list[Flowable] = []
    for number in range(1, copies + 1):
        if number > 1:
            story.append(PageBreak())
        story.append(Section(copy_label(number)))
        story += _one_copy(d, ctx, procedure_time_text, number)
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(), code=d.code),
        subject=tr("Mẫu số 01 — mã hồ sơ {code}", code=d.code),  # no names in metadata: search indexes read it
        keywords=(d.code,),
        footer=dossier_footer(d.code, PORTRAIT, sections=True, barcode_in_body=True),
    )
