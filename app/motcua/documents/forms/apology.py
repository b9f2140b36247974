"""Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả, set out as an official letter."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import title_block
from motcua.documents.forms.layout import Signature, esc, national_header, para, table
from motcua.documents.forms.pdf import build_pdf, dossier_footer
from motcua.documents.forms.phrases import BLANK, addressee, time_phrase, you
from motcua.documents.forms.styles import PORTRAIT, sized, styles
from motcua.domain.dossier import Dossier
from motcua.i18n import tr


def title() -> str:
    return tr("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")


def _recipients_and_signature(ctx: FormContext, width: float) -> Table:
    st = styles()
    small = sized(st.body, 11)
    recipients: list[Flowable] = [
        para(f"<b><i>{esc(tr('Nơi nhận:'))}</i></b>", small),
        para(esc(tr("- Như trên;")), small),
        para(esc(tr("- Lưu: VT.")), small),
    ]
    head = Signature(
        tr("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"),
        hint=tr("(Ký, ghi rõ họ tên và đóng dấu)"),
    )
    return table(
        [[recipients, head.flowables()]],
        [width * 0.45, width * 0.55],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)],
    )


def mau04_apology(d: Dossier, ctx: FormContext, reason: str, new_due: datetime, number: str = "") -> bytes:
    """Mẫu 04: the apology for a late dossier, with the new appointment.

    Args:
        d: the late dossier; its ``due_at`` is the appointment that was missed.
        ctx: the issuing centre, the clerk, the printing time (dates the letter).
        reason: why the result is late.
        new_due: the new appointment.
        number: the letter's registry number ("12/HCC-HCTH"); dots to fill in by hand when empty.

    Returns:
        The PDF.
    """
    st = styles()
    width = PORTRAIT.text_width
    left_extra: list[Flowable] = [
        para(esc(tr("Số: {n}", n=number or f"{BLANK}/HCC")), st.header),
        para(
            esc(tr("V/v xin lỗi đối với hồ sơ giải quyết quá hạn và hẹn lại thời gian trả kết quả")),
            sized(st.centre, 11),
        ),
    ]
    story: list[Flowable] = [national_header(ctx, ctx.printed_at.date(), width, left_extra=left_extra)]
    story += title_block(title())
    story.append(
        para(
            f"{esc(tr('Kính gửi:'))} <b>{esc(addressee(d.applicant))}</b>",
            st.centre,
        )
    )
    story.append(Spacer(1, 8))
    body = tr(
        "{centre} đã tiếp nhận hồ sơ của {you} vào lúc {received}, về việc {procedure}, mã hồ sơ {code}. "
        "Thời gian hẹn trả kết quả là {due}.",
        centre=ctx.centre.name,
        you=you(d.applicant),
        received=time_phrase(d.received_at),
        procedure=d.procedure_name,
        code=d.code,
        due=time_phrase(d.due_at),
    )
    story.append(para(esc(body), st.letter))
    story.append(
        para(
            esc(
                tr(
                    "Tuy nhiên đến nay, hồ sơ của {you} chưa có kết quả giải quyết. Lý do: {reason}",
                    you=you(d.applicant),
                    reason=reason,
                )
            ),
            st.letter,
        )
    )
    story.append(
        para(
            esc(
                tr(
                    "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, thời gian đi lại của {you}. "
                    "{centre} xin lỗi {you} và sẽ trả kết quả giải quyết hồ sơ cho {you} vào lúc:",
                    centre=ctx.centre.name,
                    you=you(d.applicant),
                )
            ),
            st.letter,
        )
    )
    story.append(para(f"<b>{esc(time_phrase(new_due))}</b>", st.centre))
    story.append(Spacer(1, 4))
    if ctx.centre.phone:
        story.append(
            para(
                esc(tr("Mọi thắc mắc xin liên hệ số điện thoại {phone} để được hướng dẫn.", phone=ctx.centre.phone)),
                st.letter,
            )
        )
    story.append(para(esc(tr("Rất mong nhận được sự thông cảm của {you}./.", you=you(d.applicant))), st.letter))
    story.append(Spacer(1, 10))
    story.append(KeepTogether(_recipients_and_signature(ctx, width)))
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(), code=d.code),
        subject=tr("Mẫu số 04 — mã hồ sơ {code}", code=d.code),
        keywords=(d.code,),
        footer=dossier_footer(d.code, PORTRAIT),
    )
