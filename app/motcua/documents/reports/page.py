"""What both printed reports share: the issuing context, the heading, section titles, ruled tables of figures,
"Không có" for an empty section, the footer with the generation time, and the sign-off."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from motcua.config import CentreSettings
from motcua.documents.fonts import SERIF, SERIF_BOLD
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import title_block
from motcua.documents.forms.layout import Cell, Signature, esc, grid, national_header, para, signatures
from motcua.documents.forms.pdf import Footer
from motcua.documents.forms.styles import Page, sized, styles
from motcua.domain.formatting import short_datetime
from motcua.i18n import tr

# Table cells: small enough for ten columns of figures across a portrait page, large enough to read at arm's
# length on a photocopy.
CELL_PT = 9.5
HEAD_PT = 9.0


def report_context(centre_name: str, parent_name: str, place: str, generated_at: datetime) -> FormContext:
    """The forms' context for a report: the centre as issuer; no clerk (a report names nobody in its metadata)."""
    centre = CentreSettings(name=centre_name, parent_name=parent_name, place=place)
    return FormContext(centre=centre, clerk="", printed_at=generated_at)


def heading(ctx: FormContext, page: Page, title: str, *subtitles: str) -> list[Flowable]:
    """The national header with the dateline of the generation day, then the title in capitals."""
    return [national_header(ctx, ctx.printed_at.date(), page.text_width), *title_block(title, *subtitles)]


def section(text: str, room: float = 110) -> list[Flowable]:
    """A section title ("I. SỐ LIỆU CHÍNH") that starts a new page when less than ``room`` is left under it.

    Not keepWithNext: that would carry a whole table that fits one page over to the next, leaving half a page
    blank; here the table starts under its title and runs over with its header repeated.
    """
    style = ParagraphStyle(
        "report_section", parent=sized(styles().body, 12), fontName=SERIF_BOLD, spaceBefore=8, spaceAfter=4
    )
    return [CondPageBreak(room), para(esc(text), style)]


def nothing() -> Paragraph:
    """What an empty section says, so that a reader knows it was looked at, not forgotten."""
    return para(f"<i>{esc(tr('Không có'))}</i>", sized(styles().body, 11))


def note(text: str) -> Paragraph:
    return para(f"<i>{esc(text)}</i>", sized(styles().note, 9.5))


def head_cell(text: str, size: float = HEAD_PT) -> Paragraph:
    """A header cell: bold, centred, wrapping inside its column."""
    return para(esc(text), sized(styles().cell_head, size))


def text_cell(text: str, size: float = CELL_PT) -> Paragraph:
    """A cell of free text (a name, a procedure) that wraps inside its column."""
    return para(esc(text), sized(styles().cell, size))


def bold_cell(text: str) -> Paragraph:
    """The label of a total row or a heading row (a Paragraph ignores the table's bold, so it says so itself)."""
    return para(f"<b>{esc(text)}</b>", sized(styles().cell, CELL_PT))


def subheading(text: str) -> Paragraph:
    """A bold line over a table inside a section ("Tháng 01/2026 — Toàn trung tâm")."""
    return para(f"<b>{esc(text)}</b>", sized(styles().body, 11))


def figures_table(
    header: Sequence[Sequence[Cell]],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    left_cols: Sequence[int] = (1,),
    bold_last: bool = False,
    size: float = CELL_PT,
) -> Table:
    """A ruled table of figures: its header rows repeat on every page it runs over; figures centred.

    Args:
        left_cols: the columns of text, aligned left (the others hold figures and are centred).
        bold_last: the last row is a total, set in bold.
    """
    n = len(header)
    numeric = [c for c in range(len(widths)) if c not in left_cols]
    t = grid([*header, *rows], widths, header_rows=n, spans=spans, centre_cols=numeric, padding=2.5, font_size=size)
    commands: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, n - 1), colors.Color(0.9, 0.9, 0.9))]
    if bold_last and rows:
        commands.append(("FONTNAME", (0, -1), (-1, -1), SERIF_BOLD))
    t.setStyle(TableStyle(commands))
    return t


def sign_off(width: float) -> Flowable:
    """The two signatures every report closes with, kept together on one page."""
    return KeepTogether(
        [
            Spacer(1, 10),
            signatures(
                [
                    Signature(tr("NGƯỜI LẬP BIỂU")),
                    Signature(tr("THỦ TRƯỞNG ĐƠN VỊ"), hint=tr("(Ký, ghi rõ họ tên và đóng dấu)")),
                ],
                width,
            ),
        ]
    )


def report_footer(label: str, page: Page, generated_at: datetime) -> Footer:
    """Every page: the report's name and when it was generated on the left, "Trang x/y" on the right."""
    made = tr("Lập lúc {when}", when=short_datetime(generated_at))

    def draw(canvas: Canvas, section_name: str, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(SERIF, 8.5)
        y = page.bottom / 2
        canvas.drawString(page.left, y, f"{label} — {made}")
        canvas.drawRightString(page.size[0] - page.right, y, tr("Trang {n}/{total}", n=number, total=total))
        canvas.restoreState()

    return draw
