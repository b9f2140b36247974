"""Blocks of fields that several forms print the same way: the applicant, the components, the title."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer, Table

from motcua.config import CounterSettings
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.layout import esc, grid, labelled, para
from motcua.documents.forms.styles import sized, styles
from motcua.domain.applicant import Address, Applicant, IdKind
from motcua.domain.dossier import Dossier, ReceivedComponent, effective_events
from motcua.domain.procedures import Territory
from motcua.domain.status import Action
from motcua.i18n import tr

# The clerk name a workstation starts with before anyone sets theirs: a role, not a person's name.
_PLACEHOLDER_CLERK = CounterSettings().clerk


def person(name: str) -> str:
    """A clerk's name as printed under a signature; the settings' placeholder is left blank, to write by hand."""
    name = name.strip()
    return "" if name == _PLACEHOLDER_CLERK else name


def clerk_of(d: Dossier, action: Action | None, ctx: FormContext) -> str:
    """Who did ``action`` on the dossier (its latest such event), else who received it, else the clerk printing.

    The receipt names the clerk who received the dossier, not whoever reprints it a week later.
    """
    if action is not None:
        for e in reversed(effective_events(d.events)):
            if e.action is action and person(e.clerk):
                return person(e.clerk)
    return person(d.received_by) or person(ctx.clerk)


def delivery_place(d: Dossier, ctx: FormContext) -> str:
    """Where the applicant will collect the result: at the counter (the centre), by post or online.

    Reception stores free text ("Nhận qua dịch vụ bưu chính công ích") or one of the keys counter, post, online.
    """
    chosen = d.result_delivery.strip()
    key = chosen.casefold()
    if key in ("", "counter"):
        return ctx.centre.name
    if key == "post":
        return tr("Nhận qua dịch vụ bưu chính công ích")
    if key == "online":
        return tr("Nhận trực tuyến trên Cổng Dịch vụ công")
    return chosen


def registry_entry(d: Dossier) -> tuple[str, str]:
    """(Quyển số, Số thứ tự) of the dossier in the tracking book (Mẫu 06).

    One book a year, the year of reception; the entry is the dossier's number of its day as in its code
    ("…-231027-0361" → 0361). With the reception date printed on the same paper the pair is unique, and the
    clerk can find the entry again from the code alone.
    """
    _, _, seq = d.code.rpartition("-")
    return str(d.received_at.year), seq if seq.isdigit() else ""


def title_block(title: str, *subtitles: str, space: float = 14) -> list[Flowable]:
    """The form's name in bold capitals with italic lines under it ("(Liên 1: Lưu)"), ``space`` above it."""
    st = styles()
    out: list[Flowable] = [Spacer(1, space), para(esc(title), st.title)]
    out += [para(esc(s), st.italic_centre) for s in subtitles if s]
    out.append(Spacer(1, space / 2))
    return out


def contact_line(phone: str, email: str) -> str:
    """``"Số điện thoại: 0912345678     Email: a@b.vn"`` with dots where a value is missing."""
    return tr(
        "Số điện thoại: {phone}{gap}Email: {email}",
        phone=phone or "……………………",
        gap="\u00a0" * 6,
        email=email or "……………………",
    )


def identity_line(a: Applicant) -> Flowable | None:
    """ "Số định danh cá nhân: …", "Hộ chiếu: … (Quốc tịch: …)", "Mã số thuế: …"; None without a number."""
    if not a.id_number:
        return None
    value = a.id_number
    if a.nationality and a.identity in (IdKind.PASSPORT, IdKind.FOREIGN_ID):
        value = tr("{number} (Quốc tịch: {country})", number=a.id_number, country=a.nationality)
    return labelled(tr("{paper}:", paper=a.identity.label), value)


def address_line(label: str, address: Address) -> Flowable:
    """Today's address; an older paper's wording kept beside it when the address was converted (since 1/7/2025)."""
    text = address.one_line() or "……………………"
    if address.as_printed and address.as_printed != address.one_line():
        text = tr("{address} (trên giấy tờ: {printed})", address=text, printed=address.as_printed)
    return labelled(label, text)


def party_lines(owner: Applicant, submitter: Applicant | None, received_by_label: str) -> list[Flowable]:
    """Whose dossier it is (an organisation, or someone represented) and, when someone else brought it, who came:
    each with their own paper; the owner's address and the contacts."""
    out: list[Flowable] = [labelled(received_by_label, owner.name, bold_value=True)]
    out += [line for line in (identity_line(owner),) if line is not None]
    if submitter is not None:
        out.append(labelled(tr("Người nộp hồ sơ:"), submitter.name))
        out += [line for line in (identity_line(submitter),) if line is not None]
    out.append(address_line(tr("Địa chỉ:"), owner.address))
    first = submitter or owner
    out.append(para(esc(contact_line(first.phone or owner.phone, first.email or owner.email)), styles().item))
    return out


def applicant_lines(d: Dossier, received_by_label: str) -> list[Flowable]:
    """The parties (:func:`party_lines`), the place the procedure concerns when it decides the agency, and the
    request."""
    out = party_lines(d.applicant, d.submitter, received_by_label)
    if d.place is not None and d.territory is not Territory.NONE:
        out.append(address_line(tr("{what}:", what=d.territory.label), d.place))
    out.append(labelled(tr("Nội dung yêu cầu giải quyết:"), d.procedure_name, bold_value=True))
    return out


def components_table(components: Sequence[ReceivedComponent], width: float, size: float = 11.5) -> Table:
    """TT | Thành phần hồ sơ | Số lượng: Bản chính, Bản chứng thực, Bản photo — the received components only."""
    return components_tables(components, width, size)[0]


def components_tables(
    components: Sequence[ReceivedComponent], width: float, size: float = 11.5, keep_last: int = 0
) -> list[Table]:
    """The components table, its last ``keep_last`` rows cut off as a second table to keep with what follows.

    The two tables stack without a gap and with the same columns, so on one page they read as one; when the
    list runs over, the rows cut off go with the signatures rather than leave them alone on a page.
    """
    st = styles()
    count_col = 60.0
    widths = [28.0, width - 28 - 3 * count_col, count_col, count_col, count_col]
    head_cell = sized(st.cell_head, size)
    cell = sized(st.cell, size)
    head: list[list[object]] = [
        [
            para(esc(tr("TT")), head_cell),
            para(esc(tr("Thành phần hồ sơ")), head_cell),
            para(esc(tr("Số lượng")), head_cell),
            "",
            "",
        ],
        [
            "",
            "",
            para(esc(tr("Bản chính")), head_cell),
            para(esc(tr("Bản chứng thực")), head_cell),
            para(esc(tr("Bản photo")), head_cell),
        ],
    ]
    received = [c for c in components if c.received]
    body: list[list[object]] = [
        [str(n), para(esc(c.name), cell), str(c.originals), str(c.certified_copies), str(c.photocopies)]
        for n, c in enumerate(received, start=1)
    ]
    if not received:
        body.append(["", para(esc(tr("(Không có thành phần hồ sơ nào được ghi nhận)")), st.cell), "", "", ""])
    cut = len(body) - keep_last if 0 < keep_last < len(body) else len(body)
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (4, 0))]
    tables = [grid(head + body[:cut], widths, 2, spans, (0, 2, 3, 4), padding=2, font_size=size)]
    if cut < len(body):
        tables.append(grid(body[cut:], widths, 0, (), (0, 2, 3, 4), padding=2, font_size=size))
    return tables


def requests_table(items: Sequence[str], width: float, head: str) -> Table:
    """TT | ``head``: one numbered row per item."""
    st = styles()
    rows: list[list[object]] = [[para(esc(tr("TT")), st.cell_head), para(esc(head), st.cell_head)]]
    rows += [[str(n), para(esc(item), st.cell)] for n, item in enumerate(items, start=1)]
    if not items:
        rows.append(["", para("……………………", st.cell)])
    return grid(rows, [30.0, width - 30], header_rows=1, centre_cols=(0,))
