"""The fee paper handed over with the receipt: what the dossier's fees and charges come to, line by line, and either
that they were paid (in cash, or by transfer with its reference) or how to pay them: the centre's account and a
VietQR code any Vietnamese banking app scans, already filled with the amount and the dossier code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from motcua.documents.forms.codes import QrFlowable
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import clerk_of, party_lines, title_block
from motcua.documents.forms.layout import Signature, esc, grid, labelled, national_header, para, signatures, table
from motcua.documents.forms.pdf import build_pdf, dossier_footer
from motcua.documents.forms.styles import PORTRAIT, styles
from motcua.domain.dossier import Dossier
from motcua.domain.errors import ValidationError
from motcua.domain.formatting import money, money_in_words
from motcua.i18n import tr

QR_PT = 150.0  # 53 mm: a phone held at arm's length reads it off the counter


@dataclass(frozen=True, slots=True)
class PayBy:
    """The centre's account, for a fee not yet paid: the VietQR payload and the account written out."""

    payload: str
    bank_name: str
    account: str
    account_name: str
    purpose: str


def title(paid: bool) -> str:
    return tr("BIÊN NHẬN THU PHÍ, LỆ PHÍ") if paid else tr("THÔNG BÁO NỘP PHÍ, LỆ PHÍ")


def _lines_table(d: Dossier, width: float) -> Table:
    st = styles()
    rows: list[list[object]] = [
        [para(esc(tr("TT")), st.cell_head), para(esc(tr("Khoản thu")), st.cell_head),
         para(esc(tr("Căn cứ tính")), st.cell_head), para(esc(tr("Số tiền")), st.cell_head)],
    ]  # fmt: skip
    for n, line in enumerate(d.fees, start=1):
        amount = money(line.amount_vnd) if line.amount_vnd else tr("Miễn")
        rows.append([str(n), para(esc(line.name), st.cell), para(esc(line.basis_text()), st.cell), amount])
    rows.append(["", para(f"<b>{esc(tr('Tổng cộng'))}</b>", st.cell), "", money(d.fee_vnd)])
    widths = [28.0, width - 28 - 110 - 100, 110.0, 100.0]
    t = grid(rows, widths, 1, spans=[((1, len(rows) - 1), (2, len(rows) - 1))], centre_cols=(0,))
    t.setStyle(TableStyle([("ALIGN", (3, 1), (3, -1), "RIGHT")]))  # amounts line up on their last digit
    return t


def _pay_by(pay: PayBy, width: float) -> Table:
    st = styles()
    text: list[Flowable] = [
        para(f"<b>{esc(tr('Nộp bằng chuyển khoản: quét mã VietQR bằng ứng dụng ngân hàng'))}</b>", st.cell),
        labelled(tr("Ngân hàng:"), pay.bank_name or "……………………"),
        labelled(tr("Số tài khoản:"), pay.account, bold_value=True),
        labelled(tr("Chủ tài khoản:"), pay.account_name or "……………………"),
        labelled(tr("Nội dung chuyển khoản:"), pay.purpose, bold_value=True),
        para(esc(tr("Kiểm tra tên chủ tài khoản trên ứng dụng trước khi xác nhận.")), st.note),
    ]
    return table(
        [[text, QrFlowable(pay.payload, QR_PT)]],
        [width - QR_PT - 8, QR_PT + 8],
        [("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
    )


def fee_receipt(d: Dossier, ctx: FormContext, pay_by: PayBy | None = None) -> bytes:
    """The fee paper of a dossier: a receipt of what was paid, or a notice of what to pay and how.

    Args:
        d: the dossier, with its fee lines (and its payment, once paid).
        ctx: the issuing centre, the clerk, the printing time.
        pay_by: the centre's account and VietQR payload for what is still due; None prints no code (cash only,
            or no account configured).

    Returns:
        The PDF.

    Raises:
        ValidationError: the dossier has no fee to pay.
    """
    if d.fee_vnd <= 0 or not d.fees:
        raise ValidationError(tr("Hồ sơ {code} không có phí, lệ phí phải nộp", code=d.code))
    width = PORTRAIT.text_width
    paid = d.payment is not None and d.payment.amount_vnd >= d.fee_vnd
    story: list[Flowable] = [national_header(ctx, ctx.printed_at.date(), width)]
    story += title_block(title(paid))
    story.append(labelled(tr("Mã hồ sơ:"), d.code, bold_value=True))
    story += party_lines(d.applicant, d.submitter, tr("Người nộp:"))
    story.append(labelled(tr("Thủ tục:"), d.procedure_name))
    story.append(Spacer(1, 4))
    story.append(_lines_table(d, width))
    story.append(Spacer(1, 4))
    story.append(labelled(tr("Số tiền bằng chữ:"), money_in_words(d.fee_vnd)))
    if d.payment is not None:
        story.append(
            labelled(
                tr("Đã thu:"),
                tr("{amount} ({method})", amount=money(d.payment.amount_vnd), method=d.payment.method.label),
                bold_value=True,
            )
        )
        if d.payment.reference:
            story.append(labelled(tr("Số tham chiếu:"), d.payment.reference))
    due = d.owed_vnd
    if due > 0:
        story.append(labelled(tr("Còn phải nộp:"), money(due), bold_value=True))
        if pay_by is not None:
            story.append(Spacer(1, 6))
            story.append(_pay_by(pay_by, width))
    story.append(Spacer(1, 10))
    signers: Sequence[Signature | None] = [Signature(tr("NGƯỜI NỘP"), (d.submitter or d.applicant).name),
               Signature(tr("NGƯỜI THU"), clerk_of(d, None, ctx))]  # fmt: skip
    story.append(KeepTogether(signatures(signers, width)))
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(paid), code=d.code),
        subject=tr("Phí, lệ phí — mã hồ sơ {code}", code=d.code),
        keywords=(d.code,),
        footer=dossier_footer(d.code, PORTRAIT),
    )
