"""Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import applicant_lines, clerk_of, title_block
from motcua.documents.forms.layout import Signature, esc, national_header, para, signatures
from motcua.documents.forms.pdf import build_pdf, dossier_footer
from motcua.documents.forms.phrases import you
from motcua.documents.forms.styles import PORTRAIT, styles
from motcua.domain.dossier import Dossier
from motcua.domain.status import Action
from motcua.i18n import tr


def title() -> str:
    return tr("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")


def mau03_refusal(d: Dossier, ctx: FormContext, reason: str) -> bytes:
    """Mẫu 03: the centre declines to accept the dossier, and says why.

    Args:
        d: the dossier as presented.
        ctx: the issuing centre, the clerk, the printing time (dates the form).
        reason: the specific reason, in full sentences.

    Returns:
        The PDF.
    """
    st = styles()
    width = PORTRAIT.text_width
    story: list[Flowable] = [national_header(ctx, ctx.printed_at.date(), width)]
    story += title_block(title())
    story += applicant_lines(d, tr("{centre} tiếp nhận hồ sơ của {you}:", centre=ctx.centre.name, you=you(d.applicant)))
    story.append(para(esc(tr("Mã hồ sơ: {code}", code=d.code)), st.item))
    story.append(Spacer(1, 4))
    story.append(
        para(
            "<b>"
            + esc(
                tr(
                    "Qua xem xét, {centre} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
                    centre=ctx.centre.name,
                )
            )
            + "</b>",
            st.justified,
        )
    )
    for line in reason.splitlines() or [""]:
        story.append(para(esc(line) or "&nbsp;", st.letter))
    story.append(para(esc(tr("Xin thông báo cho {you} được biết và thực hiện./.", you=you(d.applicant))), st.justified))
    if ctx.centre.phone:
        story.append(
            para(
                esc(tr("Mọi thắc mắc xin liên hệ số điện thoại {phone} để được hướng dẫn.", phone=ctx.centre.phone)),
                st.justified,
            )
        )
    story.append(Spacer(1, 8))
    story.append(
        KeepTogether(
            signatures(
                [
                    Signature(tr("NGƯỜI NỘP HỒ SƠ"), (d.submitter or d.applicant).name),
                    Signature(tr("NGƯỜI TIẾP NHẬN HỒ SƠ"), clerk_of(d, Action.REFUSE, ctx)),
                ],
                width,
            )
        )
    )
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(), code=d.code),
        subject=tr("Mẫu số 03 — mã hồ sơ {code}", code=d.code),
        keywords=(d.code,),
        footer=dossier_footer(d.code, PORTRAIT),
    )
