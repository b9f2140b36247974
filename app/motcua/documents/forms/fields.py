"""Blocks of fields that several forms print the same way: the applicant, the components, the title."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer, Table

from motcua.documents.forms.layout import esc, grid, labelled, para
from motcua.documents.forms.styles import sized, styles
from motcua.domain.applicant import ApplicantKind
from motcua.domain.dossier import Dossier, ReceivedComponent
from motcua.i18n import tr


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


def applicant_lines(d: Dossier, received_by_label: str) -> list[Flowable]:
    """Who submitted what: "Tiếp nhận hồ sơ của", identity number, address, contacts, the request."""
    a = d.applicant
    out: list[Flowable] = [labelled(received_by_label, a.name, bold_value=True)]
    if a.id_number:
        label = tr("Số định danh cá nhân:") if a.kind is ApplicantKind.PERSON else tr("Mã số thuế:")
        out.append(labelled(label, a.id_number))
    out.append(labelled(tr("Địa chỉ:"), a.address.one_line() or "……………………"))
    out.append(para(esc(contact_line(a.phone, a.email)), styles().item))
    out.append(labelled(tr("Nội dung yêu cầu giải quyết:"), d.procedure_name, bold_value=True))
    return out


def components_table(components: Sequence[ReceivedComponent], width: float, size: float = 11.5) -> Table:
    """TT | Thành phần hồ sơ | Số lượng: Bản chính, Bản chứng thực, Bản photo — the received components only."""
    st = styles()
    count_col = 60.0
    widths = [28.0, width - 28 - 3 * count_col, count_col, count_col, count_col]
    head_cell = sized(st.cell_head, size)
    cell = sized(st.cell, size)
    rows: list[list[object]] = [
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
    for n, c in enumerate(received, start=1):
        rows.append(
            [
                str(n),
                para(esc(c.name), cell),
                str(c.originals),
                str(c.certified_copies),
                str(c.photocopies),
            ]
        )
    if not received:
        rows.append(["", para(esc(tr("(Không có thành phần hồ sơ nào được ghi nhận)")), st.cell), "", "", ""])
    return grid(
        rows,
        widths,
        header_rows=2,
        spans=[((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (4, 0))],
        centre_cols=(0, 2, 3, 4),
        padding=2,
        font_size=size,
    )


def requests_table(items: Sequence[str], width: float, head: str) -> Table:
    """TT | ``head``: one numbered row per item."""
    st = styles()
    rows: list[list[object]] = [[para(esc(tr("TT")), st.cell_head), para(esc(head), st.cell_head)]]
    rows += [[str(n), para(esc(item), st.cell)] for n, item in enumerate(items, start=1)]
    if not items:
        rows.append(["", para("……………………", st.cell)])
    return grid(rows, [30.0, width - 30], header_rows=1, centre_cols=(0,))
