"""Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Spacer

from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import applicant_lines, requests_table, title_block
from motcua.documents.forms.layout import Signature, esc, national_header, para, signatures
from motcua.documents.forms.pdf import build_pdf
from motcua.documents.forms.phrases import BLANK
from motcua.documents.forms.styles import PORTRAIT, styles
from motcua.domain.dossier import Dossier
from motcua.i18n import tr


def title() -> str:
    return tr("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")


def default_contact(ctx: FormContext) -> str:
    """``"công chức Nguyễn Văn A, số điện thoại 0214 3xxx"``: the clerk who asked, and the centre's phone."""
    return tr("công chức {clerk}, số điện thoại {phone}", clerk=ctx.clerk, phone=ctx.centre.phone or BLANK)


def mau02_supplement(d: Dossier, ctx: FormContext, items: Sequence[str], reason: str, contact: str = "") -> bytes:
    """Mẫu 02: what the applicant must add or correct before the dossier can be accepted.

    Args:
        d: the dossier.
        ctx: the issuing centre, the clerk, the printing time (dates the form).
        items: one line per document to add or correct.
        reason: why the dossier is incomplete.
        contact: whom to ask; defaults to the clerk and the centre's phone number.

    Returns:
        The PDF.
    """
    st = styles()
    width = PORTRAIT.text_width
    number = para(esc(tr("Số: {n}/HDHS", n=BLANK)), st.header)
    story: list[Flowable] = [national_header(ctx, ctx.printed_at.date(), width, left_extra=[number])]
    story += title_block(title())
    story += applicant_lines(d, tr("{centre} tiếp nhận hồ sơ/yêu cầu của Ông/Bà:", centre=ctx.centre.name))
    story.append(para(esc(tr("Mã hồ sơ: {code}", code=d.code)), st.item))
    story.append(Spacer(1, 4))
    story.append(para(f"<b>{esc(tr('Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:'))}</b>", st.item))
    story.append(requests_table(items, width, tr("Nội dung cần bổ sung, hoàn thiện")))
    story.append(Spacer(1, 4))
    story.append(para(f"<b>{esc(tr('Lý do:'))}</b> {esc(reason)}", st.justified))
    story.append(
        para(
            esc(
                tr(
                    "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {contact} "
                    "để được hướng dẫn./.",
                    contact=contact or default_contact(ctx),
                )
            ),
            st.justified,
        )
    )
    story.append(Spacer(1, 8))
    sign = Signature(tr("NGƯỜI HƯỚNG DẪN"), ctx.clerk)
    story.append(KeepTogether(signatures([None, sign], width, [width * 0.45, width * 0.55])))
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(), code=d.code),
        subject=tr("Mẫu số 02 — {name}", name=d.applicant.name),
        keywords=(d.code,),
    )
