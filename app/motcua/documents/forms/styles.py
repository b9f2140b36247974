"""Page geometry and paragraph styles of the forms (Decree 30/2020 presentation: A4, Times 13 pt)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from motcua.documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts

BODY_PT = 13
# Word's "single" spacing for Times New Roman (1.15 × the size), what Vietnamese offices type their documents
# in; a little more, since stacked marks ("Ễ", "Ở") must clear the descenders of the line above.
LEADING = 1.17


@dataclass(frozen=True, slots=True)
class Page:
    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float

    @property
    def text_width(self) -> float:
        return self.size[0] - self.left - self.right

    @property
    def text_height(self) -> float:
        return self.size[1] - self.top - self.bottom


# The bottom margin holds the footer that every page of a dossier's form carries (code, barcode, "Trang x/y");
# Decree 30/2020 asks for 20–25 mm there.
PORTRAIT = Page(A4, left=30 * mm, right=20 * mm, top=15 * mm, bottom=22 * mm)
LANDSCAPE = Page(landscape(A4), left=20 * mm, right=15 * mm, top=15 * mm, bottom=15 * mm)


def _style(name: str, size: float = BODY_PT, font: str = SERIF, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * LEADING, 1), **kw)


@dataclass(frozen=True, slots=True)
class Styles:
    body: ParagraphStyle
    justified: ParagraphStyle
    letter: ParagraphStyle  # body of a letter: justified, first line indented 1 cm
    item: ParagraphStyle  # a numbered line of a form, hanging under its number
    centre: ParagraphStyle
    bold_centre: ParagraphStyle
    italic_centre: ParagraphStyle
    title: ParagraphStyle
    header: ParagraphStyle  # agency names and motto, 12–13 pt centred
    header_bold: ParagraphStyle
    national: ParagraphStyle  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, 12 pt bold
    motto: ParagraphStyle  # Độc lập - Tự do - Hạnh phúc, 13 pt bold
    dateline: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle


@cache
def styles() -> Styles:
    """The styles, built once the fonts are registered."""
    register_fonts()
    return Styles(
        body=_style("body", alignment=TA_LEFT, spaceAfter=1),
        justified=_style("justified", alignment=TA_JUSTIFY, spaceAfter=3),
        letter=_style("letter", alignment=TA_JUSTIFY, spaceAfter=4, firstLineIndent=10 * mm),
        item=_style("item", alignment=TA_JUSTIFY, spaceAfter=1),
        centre=_style("centre", alignment=TA_CENTER),
        bold_centre=_style("bold_centre", font=SERIF_BOLD, alignment=TA_CENTER),
        italic_centre=_style("italic_centre", font=SERIF_ITALIC, alignment=TA_CENTER),
        title=_style("title", 14, SERIF_BOLD, alignment=TA_CENTER, spaceAfter=1),
        header=_style("header", 12.5, alignment=TA_CENTER),
        national=_style("national", 12, SERIF_BOLD, alignment=TA_CENTER),
        motto=_style("motto", 13, SERIF_BOLD, alignment=TA_CENTER),
        header_bold=_style("header_bold", 12.5, SERIF_BOLD, alignment=TA_CENTER),
        dateline=_style("dateline", BODY_PT, SERIF_ITALIC, alignment=TA_CENTER),
        note=_style("note", 10.5, alignment=TA_JUSTIFY),
        small=_style("small", 10, alignment=TA_CENTER),
        cell=_style("cell", 12, alignment=TA_LEFT),
        cell_centre=_style("cell_centre", 12, alignment=TA_CENTER),
        cell_head=_style("cell_head", 12, SERIF_BOLD, alignment=TA_CENTER),
    )


@cache
def sized(base: ParagraphStyle, size: float) -> ParagraphStyle:
    """``base`` at another size (the tracking book's table uses 9–10 pt)."""
    return ParagraphStyle(f"{base.name}@{size}", parent=base, fontSize=size, leading=round(size * LEADING, 1))
