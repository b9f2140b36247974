"""Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: for a received dossier, or for a citizen guided at the
counter whose dossier was not received (no dossier code then)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.platypus import Flowable, KeepTogether, Spacer

from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import applicant_lines, clerk_of, party_lines, person, requests_table, title_block
from motcua.documents.forms.layout import Signature, esc, labelled, national_header, para, signatures
from motcua.documents.forms.pdf import build_pdf, dossier_footer, page_number_footer
from motcua.documents.forms.phrases import BLANK, time_phrase, you
from motcua.documents.forms.styles import PORTRAIT, styles
from motcua.domain.applicant import Applicant
from motcua.domain.dossier import Dossier
from motcua.domain.status import Action
from motcua.i18n import tr


def title() -> str:
    return tr("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")


def default_contact(clerk: str, ctx: FormContext) -> str:
    """``"công chức Nguyễn Văn A, số điện thoại 0214 3xxx"``: the clerk who asked, and the centre's phone.

    A centre with no phone on record gets no phone clause rather than an empty one; a clerk not yet named in the
    settings gets dots to write the name in.
    """
    if ctx.centre.phone:
        return tr("công chức {clerk}, số điện thoại {phone}", clerk=clerk or BLANK, phone=ctx.centre.phone)
    return tr("công chức {clerk}", clerk=clerk or BLANK)


def _requests(
    owner: Applicant, items: Sequence[str], reason: str, contact: str, clerk: str, ctx: FormContext
) -> list[Flowable]:
    """From "Yêu cầu … hoàn thiện" to the signature: what to bring, why, whom to ask."""
    st = styles()
    width = PORTRAIT.text_width
    story: list[Flowable] = [Spacer(1, 4)]
    story.append(
        para(f"<b>{esc(tr('Yêu cầu {you} hoàn thiện hồ sơ gồm những nội dung như sau:', you=you(owner)))}</b>", st.item)
    )
    story.append(requests_table(items, width, tr("Nội dung cần bổ sung, hoàn thiện")))
    story.append(Spacer(1, 4))
    story.append(para(f"<b>{esc(tr('Lý do:'))}</b> {esc(reason)}", st.justified))
    story.append(
        para(
            esc(
                tr(
                    "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, {you} liên hệ với {contact} "
                    "để được hướng dẫn./.",
                    you=you(owner),
                    contact=contact or default_contact(clerk, ctx),
                )
            ),
            st.justified,
        )
    )
    story.append(Spacer(1, 8))
    sign = Signature(tr("NGƯỜI HƯỚNG DẪN"), clerk)
    story.append(KeepTogether(signatures([None, sign], width, [width * 0.45, width * 0.55])))
    return story


def _head(ctx: FormContext) -> list[Flowable]:
    number = para(esc(tr("Số: {n}/HDHS", n=BLANK)), styles().header)
    story: list[Flowable] = [national_header(ctx, ctx.printed_at.date(), PORTRAIT.text_width, left_extra=[number])]
    return story + title_block(title())


def mau02_supplement(d: Dossier, ctx: FormContext, items: Sequence[str], reason: str, contact: str = "") -> bytes:
    """Mẫu 02 for a received dossier: what the applicant must add or correct before it can go on.

    Args:
        d: the dossier.
        ctx: the issuing centre, the clerk, the printing time (dates the form).
        items: one line per document to add or correct.
        reason: why the dossier is incomplete.
        contact: whom to ask; defaults to the clerk and the centre's phone number.

    Returns:
        The PDF.
    """
    story = _head(ctx)
    story += applicant_lines(
        d, tr("{centre} tiếp nhận hồ sơ/yêu cầu của {you}:", centre=ctx.centre.name, you=you(d.applicant))
    )
    story.append(para(esc(tr("Mã hồ sơ: {code}", code=d.code)), styles().item))
    story += _requests(d.applicant, items, reason, contact, clerk_of(d, Action.REQUEST_SUPPLEMENT, ctx), ctx)
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=tr("{title} — {code}", title=title(), code=d.code),
        subject=tr("Mẫu số 02 — mã hồ sơ {code}", code=d.code),
        keywords=(d.code,),
        footer=dossier_footer(d.code, PORTRAIT),
    )


def mau02_guidance(
    owner: Applicant,
    procedure_name: str,
    items: Sequence[str],
    reason: str,
    ctx: FormContext,
    *,
    at: datetime,
    clerk: str,
    reference: str,
    submitter: Applicant | None = None,
    contact: str = "",
) -> bytes:
    """Mẫu 02 for a citizen whose dossier was not received: it was incomplete, so the counter guides them instead
    (no dossier code exists; ``reference`` names the recorded visit).

    Args:
        owner, submitter: whom the dossier would be for, and who came (if someone else).
        procedure_name: the procedure asked for.
        items: one line per document to bring or correct.
        reason: why the dossier could not be received.
        ctx: the issuing centre, the printing time.
        at: when the citizen came.
        clerk: who guided them.
        reference: the visit's id, printed small so a later question can find it.
        contact: whom to ask; defaults to the clerk and the centre's phone number.

    Returns:
        The PDF.
    """
    story = _head(ctx)
    story += party_lines(owner, submitter, tr("{centre} hướng dẫn {you}:", centre=ctx.centre.name, you=you(owner)))
    story.append(labelled(tr("Nội dung yêu cầu giải quyết:"), procedure_name, bold_value=True))
    story.append(labelled(tr("Thời gian:"), time_phrase(at)))
    story += _requests(owner, items, reason, contact, person(clerk) or person(ctx.clerk), ctx)
    return build_pdf(
        story,
        page=PORTRAIT,
        ctx=ctx,
        title=title(),
        subject=tr("Mẫu số 02 — hướng dẫn {reference}", reference=reference),
        keywords=(reference,),
        footer=page_number_footer(tr("Phiếu hướng dẫn {reference}", reference=reference), PORTRAIT),
    )
