"""Building blocks shared by the forms: text helpers, the national-motto header, signature blocks, tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from motcua.documents.fonts import SERIF, SERIF_BOLD
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.phrases import place_date
from motcua.documents.forms.styles import sized, styles
from motcua.i18n import tr

Cell: TypeAlias = str | Flowable | list[Flowable]


def esc(text: object) -> str:
    """Data for a Paragraph: NFC (so the PDF text extracts as typed) and XML-escaped (a name may hold "&")."""
    return escape(unicodedata.normalize("NFC", str(text)))


def para(markup: str, style: Any = None) -> Paragraph:
    """A paragraph of ready markup (escape data with :func:`esc` first)."""
    return Paragraph(markup, style or styles().body)


def labelled(label: str, value: str, bold_value: bool = False) -> Paragraph:
    """``"Địa chỉ: …"``: a label in the body face followed by escaped data."""
    shown = f"<b>{esc(value)}</b>" if bold_value else esc(value)
    return para(f"{esc(label)} {shown}", styles().item)


def _underline(width: float) -> HRFlowable:
    return HRFlowable(
        width=width, thickness=0.6, color=colors.black, spaceBefore=2.5, spaceAfter=3, hAlign="CENTER", lineCap="butt"
    )


def fitted(style: ParagraphStyle, text: str, width: float, smallest: float = 10) -> ParagraphStyle:
    """``style``, smaller if need be so that ``text`` fits on one line of ``width`` (the national name must
    not break, whatever face the fonts fell back to)."""
    size = style.fontSize
    while size > smallest and stringWidth(text, style.fontName, size) > width:
        size -= 0.5
    return style if size == style.fontSize else sized(style, size)


def table(
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float],
    commands: Sequence[tuple[Any, ...]] = (),
    table_class: type[Table] = Table,
    **kwargs: Any,
) -> Table:
    """A reportlab Table whose cells default to the serif face.

    reportlab's cell style defaults to Helvetica and selects it while drawing even cells that hold only
    flowables; that would put an unembedded Helvetica in every PDF. ``table_class`` may be a subclass that
    watches the layout (the control sheet's).
    """
    t = table_class([list(r) for r in rows], colWidths=list(col_widths), **kwargs)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), *commands]))
    return t


def national_header(
    ctx: FormContext,
    when: date,
    width: float,
    left_extra: Sequence[Flowable] = (),
    right_extra: Sequence[Flowable] = (),
) -> Table:
    """The two-column heading of every administrative document (Decree 30/2020 layout).

    Left: the parent agency, then the centre in bold with a short rule under it. Right: the national name,
    the motto with a rule as long as itself, and the dateline in italics.
    """
    st = styles()
    left_col, right_col = 0.42 * width, 0.58 * width
    national = tr("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = tr("Độc lập - Tự do - Hạnh phúc")
    dateline = place_date(ctx.centre.place, when)
    motto_width = stringWidth(motto, SERIF_BOLD, st.motto.fontSize)
    left: list[Flowable] = []
    if ctx.centre.parent_name:
        left.append(para(esc(ctx.centre.parent_name.upper()), st.header))
    left += [para(esc(ctx.centre.name.upper()), st.header_bold), _underline(0.35 * left_col), *left_extra]
    right: list[Flowable] = [
        para(esc(national), fitted(st.national, national, right_col - 6)),
        para(esc(motto), st.motto),
        _underline(min(motto_width, right_col - 8)),
        Spacer(1, 2),
        para(esc(dateline), fitted(st.dateline, dateline, right_col - 6, smallest=11)),
        *right_extra,
    ]
    return table(
        [[left, right]],
        [left_col, right_col],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # A table cell places its flowables by its own ALIGN, not by their hAlign: centre the rules.
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )


@dataclass(frozen=True, slots=True)
class Signature:
    """One signature column: the role in capitals, the hint under it, the printed name at the bottom."""

    role: str
    name: str = ""
    hint: str = ""
    above: str = ""  # e.g. a dateline over the role
    space: float = 56.0

    def flowables(self) -> list[Flowable]:
        st = styles()
        out: list[Flowable] = []
        if self.above:
            out.append(para(esc(self.above), st.dateline))
        out.append(para(esc(self.role), st.bold_centre))
        out.append(para(esc(self.hint or tr("(Ký và ghi rõ họ tên)")), st.italic_centre))
        out.append(Spacer(1, self.space))  # room for a signature and, on letters, the seal
        out.append(para(f"<b>{esc(self.name)}</b>" if self.name else "&nbsp;", st.centre))
        return out


def signatures(blocks: Sequence[Signature | None], width: float, widths: Sequence[float] | None = None) -> Table:
    """Signature columns side by side, each centred in its share of the width; None leaves a column empty."""
    col_widths = list(widths) if widths else [width / len(blocks)] * len(blocks)
    return table([[b.flowables() if b else "" for b in blocks]], col_widths, [("VALIGN", (0, 0), (-1, -1), "TOP")])


def grid(
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float],
    header_rows: int = 1,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    centre_cols: Sequence[int] = (),
    padding: float = 3,
    font_size: float = 11.5,
    table_class: type[Table] = Table,
) -> Table:
    """A ruled table; the header rows repeat on every page and are set in bold, centred."""
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    if header_rows:
        commands.append(("FONTNAME", (0, 0), (-1, header_rows - 1), SERIF_BOLD))
        commands.append(("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"))
    for col in centre_cols:
        commands.append(("ALIGN", (col, header_rows), (col, -1), "CENTER"))
    for start, end in spans:
        commands.append(("SPAN", start, end))
    return table(rows, col_widths, commands, table_class, repeatRows=header_rows)
