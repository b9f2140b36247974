"""Pages and the PDF file: scaling a page to fit, sections with their own page numbers, footers, the build."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

import motcua
from motcua.documents.fonts import SERIF, register_fonts
from motcua.documents.forms.codes import code128_length, draw_code128
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.styles import Page
from motcua.i18n import tr


class ScaledToFit(Flowable):
    """Flowables laid out at full width, then drawn scaled down as one block to fit ``max_height``.

    Unlike reportlab's KeepInFrame, nothing reflows: tables and paragraphs keep their relative widths, so the
    page looks like the same page printed at a smaller scale, centred.
    """

    def __init__(self, content: Sequence[Flowable], max_height: float) -> None:
        super().__init__()
        self.content = list(content)
        self.max_height = max_height
        self.scale = 1.0
        self._laid_out: list[tuple[Flowable, float, float, float, float]] = []  # flowable, w, h, before, after
        self._natural = (0.0, 0.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._laid_out = []
        total = 0.0
        for f in self.content:
            w, h = f.wrap(available_width, 10_000)
            before, after = f.getSpaceBefore(), f.getSpaceAfter()
            self._laid_out.append((f, w, h, before, after))
            total += before + h + after
        self._natural = (available_width, total)
        self.scale = min(1.0, self.max_height / total) if total else 1.0
        self.width, self.height = available_width, total * self.scale
        return self.width, self.height

    def draw(self) -> None:
        width, total = self._natural
        canvas = self.canv
        canvas.saveState()
        canvas.translate(width * (1 - self.scale) / 2, 0)
        canvas.scale(self.scale, self.scale)
        y = total
        for f, w, h, before, after in self._laid_out:
            y -= before + h
            x = {"CENTER": (width - w) / 2, "CENTRE": (width - w) / 2, "RIGHT": width - w}.get(
                str(getattr(f, "hAlign", "LEFT")).upper(), 0.0
            )
            f.drawOn(canvas, x, y)
            y -= after
        canvas.restoreState()


# Draws the footer of one page: (canvas, section name, page number in the section, pages in the section).
Footer = Callable[[Canvas, str, int, int], None]


class Section(Flowable):
    """A zero-size mark: the pages from here on belong to section ``name`` (a copy of the receipt, say)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._motcua_section = self.name  # read back per page by _NumberedCanvas


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end so that each footer can say "Trang 3/12" (within its section)."""

    def __init__(self, *args: Any, footer: Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        sections = [state.get("_motcua_section", "") for state in self._held]
        seen: dict[str, int] = {}
        for state, section in zip(self._held, sections, strict=True):
            seen[section] = seen.get(section, 0) + 1
            self.__dict__.update(state)
            self._footer(self, section, seen[section], sections.count(section))
            super().showPage()
        super().save()


def page_number_footer(label: str, page: Page) -> Footer:
    """A footer with ``label`` on the left and "Trang x/y" on the right, in small type."""

    def draw(canvas: Canvas, section: str, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(SERIF, 9)
        y = page.bottom / 2
        canvas.drawString(page.left, y, label)
        canvas.drawRightString(page.size[0] - page.right, y, tr("Trang {n}/{total}", n=number, total=total))
        canvas.restoreState()

    return draw


# The footer's barcode: 0.9 pt = 0.32 mm a module, 2.5 dots at 200 dpi (at 0.8 pt a blurred, tilted scan no longer
# read); 98 mm long and 15 mm high with its quiet zones, it sits in the bottom margin (PORTRAIT.bottom) from
# FOOTER_BASE up.
FOOTER_MODULE_PT = 0.9
FOOTER_BASE = 5 * mm
FOOTER_PT = 9


def dossier_footer(code: str, page: Page, *, sections: bool = False, barcode_in_body: bool = False) -> Footer:
    """Every page of a dossier's form: the dossier code in words and as a barcode, and "Trang x/y".

    Args:
        code: the dossier code.
        page: the page geometry (the footer fills its bottom margin).
        sections: number the pages within each section ("(Liên 1: Lưu) — Trang 1/2"), as the receipt's copies.
        barcode_in_body: the first page of each section already shows the code's barcode large: the footer
            leaves its own out there, so that a reader never meets two symbols on one page.
    """

    def draw(canvas: Canvas, section: str, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(SERIF, FOOTER_PT)
        if not (barcode_in_body and number == 1):
            length = code128_length(code, FOOTER_MODULE_PT)
            draw_code128(canvas, code, page.size[0] - page.right - length, FOOTER_BASE, FOOTER_MODULE_PT)
        where = tr("Trang {n}/{total}", n=number, total=total)
        if sections and section:
            where = tr("{section} — Trang {n}/{total}", section=section, n=number, total=total)
        canvas.drawString(page.left, FOOTER_BASE + 6.5 * mm, tr("Mã hồ sơ: {code}", code=code))
        canvas.drawString(page.left, FOOTER_BASE + 2 * mm, where)
        canvas.restoreState()

    return draw


def build_pdf(
    story: list[Flowable],
    *,
    page: Page,
    ctx: FormContext,
    title: str,
    subject: str,
    keywords: Sequence[str] = (),
    footer: Footer | None = None,
) -> bytes:
    """Lay ``story`` out on ``page`` and return the PDF, fonts embedded, title and author set."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page.size,
        leftMargin=page.left,
        rightMargin=page.right,
        topMargin=page.top,
        bottomMargin=page.bottom,
        title=unicodedata.normalize("NFC", title),
        author=unicodedata.normalize("NFC", ctx.centre.name),
        subject=unicodedata.normalize("NFC", subject),
        creator=f"MotCua Desk {motcua.__version__}",
        keywords=list(keywords),
        # Without this the canvas starts every page in Helvetica, which would be listed and not embedded.
        initialFontName=SERIF,
        lang="vi-VN",
    )
    # No frame padding: the text block is exactly the page minus its margins.
    frame = Frame(page.left, page.bottom, page.text_width, page.text_height, 0, 0, 0, 0, id="text")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=page.size)])
    canvasmaker: Any = partial(_NumberedCanvas, footer=footer) if footer else Canvas
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()
