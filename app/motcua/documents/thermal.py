"""The 80 mm thermal receipt: as a 1-bit image, and as the ESC/POS job that goes to the printer.

Most printers' code pages have no Vietnamese, so the receipt is rasterised here (DejaVu Sans through PIL) and
sent to the printer as a picture. Everything is drawn on 8-bit grey and thresholded once at the end; the barcode
and the QR code are drawn module by module on whole pixels, so thresholding leaves them exact.

The job is kept small, because a receipt crosses a serial cable at 9600 baud or a congested network as often as
a USB cable: the picture goes as ``GS v 0`` bands no wider than their ink (python-escpos has no compressed
raster mode, and ``GS v 0`` is the leanest of its three image commands). A printer whose python-escpos profile
names a Vietnamese code page (CP1258, or the TCVN-3 pair) gets a text receipt instead, the printer drawing the
letters and the QR code; only the barcode goes as a picture.

The dossier code's Code 128 symbol (288 modules for ``000.25.38.H38-231027-0361``) needs 616 dots at the
two-dot module a scanner wants, more than the 576 dots of an 80 mm head. When the symbol does not fit across
the paper it is printed along it, as a ladder on the left of the details, at three dots per module: thermal
heads bleed a little in the feed direction, and the extra dot keeps the bars apart.
"""

from __future__ import annotations

import math
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from escpos.capabilities import Profile, get_profile_class
from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from escpos.magicencode import Encoder
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from motcua.documents.fonts import sans_path
from motcua.documents.forms.codes import (
    MIN_HEIGHT_RATIO,
    QR_BORDER_MODULES,
    QUIET_MODULES,
    code128_modules,
    qr_matrix,
)
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.fields import clerk_of, delivery_place
from motcua.documents.forms.phrases import short_time_phrase
from motcua.domain.dossier import Dossier
from motcua.domain.formatting import money
from motcua.i18n import tr

WHITE, BLACK = 255, 0
PAD = 6  # the head's outermost dots print unevenly on some models
GAP = 10
MIN_MODULE_PX = 2
LADDER_MODULE_PX = 3
LADDER_BAR_PX = 128  # 16 mm; raised to codes.MIN_HEIGHT_RATIO of the symbol's length where that is more
ACROSS_BAR_PX = 110
QR_MAX_PX = 264
THRESHOLD = 150  # slightly below mid-grey: thin anti-aliased strokes stay black and print solid

Part = Image.Image | int  # an int is vertical space


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(sans_path(bold)), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word longer than the line is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and font.getlength(word) > width:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def text(value: str, width: int, size: int = 24, bold: bool = False, align: str = "left") -> Image.Image:
    """A wrapped paragraph as a grey image ``width`` wide."""
    font = _font(size, bold)
    lines = _wrap(unicodedata.normalize("NFC", value), font, width)
    # Room above the ascent for stacked Vietnamese marks ("Ễ") and below for descenders.
    line_height = round(size * 1.42)
    baseline = round(size * 1.08)
    image = Image.new("L", (width, line_height * len(lines)), WHITE)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        length = font.getlength(line)
        x = {"left": 0, "center": (width - length) / 2, "right": width - length}[align]
        draw.text((x, n * line_height + baseline), line, font=font, fill=BLACK, anchor="ls")
    return image


def fitted_text(value: str, width: int, largest: int, smallest: int, bold: bool = False) -> Image.Image:
    """One centred line at the largest size from ``largest`` down to ``smallest`` that fits; wrapped if none."""
    size = next((z for z in range(largest, smallest - 1, -1) if _font(z, bold).getlength(value) <= width), smallest)
    return text(value, width, size, bold=bold, align="center")


def rule(width: int, thickness: int = 2) -> Image.Image:
    image = Image.new("L", (width, thickness + 8), WHITE)
    ImageDraw.Draw(image).rectangle((0, 4, width - 1, 3 + thickness), fill=BLACK)
    return image


def stack(parts: Sequence[Part], width: int) -> Image.Image:
    """Parts one under the other, each centred horizontally."""
    height = sum(p if isinstance(p, int) else p.height for p in parts)
    image = Image.new("L", (width, max(1, height)), WHITE)
    y = 0
    for p in parts:
        if isinstance(p, int):
            y += p
            continue
        image.paste(p, ((width - p.width) // 2, y))
        y += p.height
    return image


def barcode_image(value: str, width: int) -> Image.Image:
    """The Code 128 symbol with quiet zones: across ``width`` when it fits at two dots a module, else rotated."""
    modules = code128_modules(value)
    span = len(modules) + 2 * QUIET_MODULES
    module = min(3, width // span)
    vertical = module < MIN_MODULE_PX
    if vertical:
        module = LADDER_MODULE_PX
    height = max(LADDER_BAR_PX if vertical else ACROSS_BAR_PX, math.ceil(MIN_HEIGHT_RATIO * span * module))
    image = Image.new("L", (span * module, height), WHITE)
    draw = ImageDraw.Draw(image)
    for i, dark in enumerate(modules):
        if dark:
            x = (QUIET_MODULES + i) * module
            draw.rectangle((x, 0, x + module - 1, height - 1), fill=BLACK)
    # Rotated so that the start pattern is at the top: a reader does not care, a person reads top-down.
    return image.transpose(Image.Transpose.ROTATE_270) if vertical else image


def qr_image(value: str, max_px: int) -> Image.Image:
    """The QR code with its quiet zone, on whole-pixel modules no wider than ``max_px`` in all."""
    matrix = qr_matrix(value)
    count = len(matrix) + 2 * QR_BORDER_MODULES
    module = max(1, max_px // count)
    image = Image.new("L", (count * module, count * module), WHITE)
    draw = ImageDraw.Draw(image)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x, y = (c + QR_BORDER_MODULES) * module, (r + QR_BORDER_MODULES) * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=BLACK)
    return image


def _code_text(code: str, width: int) -> Image.Image:
    # As big as the column allows; a code too long for one line breaks after the agency identifier.
    for size in range(38, 25, -2):
        if _font(size, True).getlength(code) <= width:
            return text(code, width, size, bold=True, align="center")
    agency, sep, rest = code.partition("-")
    lines = [agency + sep, rest] if sep else [code]
    size = next((s for s in range(38, 17, -2) if all(_font(s, True).getlength(x) <= width for x in lines)), 18)
    return stack([text(line, width, size, bold=True, align="center") for line in lines], width)


def receipt_fields(d: Dossier, ctx: FormContext) -> list[tuple[str, str, bool]]:
    """(label, value, strong) of the receipt's details, in order: one list for the picture and the text job."""
    fields = [
        (tr("Thủ tục:"), d.procedure_name, True),
        (tr("Người nộp hồ sơ:"), d.applicant.name, True),
        (tr("Số lượng hồ sơ:"), tr("{n} bộ", n=f"{d.sets:02d}"), False),
        (tr("Thời gian tiếp nhận:"), short_time_phrase(d.received_at), False),
        (tr("Hẹn trả:"), short_time_phrase(d.due_at), True),
        (tr("Nhận kết quả tại:"), delivery_place(d, ctx), False),
        (tr("Cán bộ tiếp nhận:"), clerk_of(d, None, ctx) or "……………", False),
    ]
    if d.fee_vnd:
        fields.append((tr("Phí, lệ phí:"), money(d.fee_vnd), False))
    return fields


def _header_lines(ctx: FormContext) -> list[str]:
    centre = ctx.centre
    lines = [centre.parent_name.upper()] if centre.parent_name else []
    lines.append(centre.name.upper())
    if centre.phone:
        lines.append(tr("Điện thoại: {phone}", phone=centre.phone))
    return lines


def _printed_line(ctx: FormContext) -> str:
    return tr("In lúc {time} ngày {date}", time=f"{ctx.printed_at:%H:%M}", date=f"{ctx.printed_at:%d/%m/%Y}")


def _field(label: str, value: str, width: int, strong: bool = False) -> list[Part]:
    one_line = f"{label} {value}"
    if not strong and _font(24).getlength(one_line) <= width:  # "Số lượng hồ sơ: 01 bộ": a line, not two
        return [text(one_line, width, 24), 6]
    return [text(label, width, 22), text(value, width, 26 if strong else 24, bold=strong), 6]


def _details(d: Dossier, ctx: FormContext, width: int, bars: Image.Image | None) -> Image.Image:
    url = ctx.centre.tracking_url.format(code=d.code)
    parts: list[Part] = [text(tr("Mã hồ sơ:"), width, 22, align="center"), _code_text(d.code, width), 6]
    if bars is not None:
        parts += [bars, GAP]
    parts += [
        qr_image(url, min(QR_MAX_PX, width)),
        text(tr("Quét mã QR để tra cứu hồ sơ"), width, 20, align="center"),
        GAP,
    ]
    for label, value, strong in receipt_fields(d, ctx):
        parts += _field(label, value, width, strong)
    return stack(parts, width)


def _body(d: Dossier, ctx: FormContext, width: int) -> Image.Image:
    bars = barcode_image(d.code, width)
    if bars.width < bars.height:  # the ladder: barcode on the left, details beside it
        column = width - bars.width - 2 * GAP
        details = _details(d, ctx, column, None)
        body = Image.new("L", (width, max(bars.height, details.height)), WHITE)
        body.paste(bars, (0, 0))
        body.paste(details, (bars.width + 2 * GAP, 0))
        return body
    return _details(d, ctx, width, bars)


def render_receipt_image(d: Dossier, ctx: FormContext, width_px: int = 576) -> Image.Image:
    """The counter's thermal receipt for a received dossier.

    Args:
        d: the dossier just received.
        ctx: the centre, the clerk, the printing time.
        width_px: the printable width in dots (576 for 80 mm paper at 203 dpi).

    Returns:
        A mode "1" image ``width_px`` wide, as tall as the content.
    """
    inner = width_px - 2 * PAD
    centre = ctx.centre
    header: list[Part] = []
    if centre.parent_name:
        header.append(text(centre.parent_name.upper(), inner, 20, align="center"))
    header.append(text(centre.name.upper(), inner, 24, bold=True, align="center"))
    if centre.phone:
        header.append(text(tr("Điện thoại: {phone}", phone=centre.phone), inner, 20, align="center"))
    header += [
        rule(inner),
        fitted_text(tr("GIẤY TIẾP NHẬN HỒ SƠ"), inner, 32, 20, bold=True),
        fitted_text(tr("VÀ HẸN TRẢ KẾT QUẢ"), inner, 24, 18, bold=True),
        GAP,
    ]
    footer: list[Part] = [
        GAP,
        rule(inner),
        text(tr("Vui lòng mang theo giấy này khi đến nhận kết quả."), inner, 20, align="center"),
        text(_printed_line(ctx), inner, 18, align="center"),
        24,  # paper to tear against before the cutter
    ]
    grey = stack([PAD, *header, _body(d, ctx, inner), *footer], inner)
    canvas = Image.new("L", (width_px, grey.height), WHITE)
    canvas.paste(grey, (PAD, 0))
    return canvas.point(lambda v: WHITE if v >= THRESHOLD else BLACK).convert("1", dither=Image.Dither.NONE)


# ---------------------------------------------------------------------------------------------- ESC/POS jobs

GS_V0_HEADER = 8  # GS v 0 m xL xH yL yH: the cost of starting another band
TEXT_DOTS = 12  # font A is 12 × 24 dots: 48 characters on 576 dots
QR_DOTS = 6  # dots a module for the printer's own QR code: 33 modules (version 4) ≈ 25 mm


class _MediaProfile(Profile):
    """python-escpos's profile ``name`` with the paper's width filled in (``Escpos.image`` checks against it).

    Raises:
        KeyError: python-escpos knows no such profile.
    """

    def __init__(self, name: str, width_px: int) -> None:
        base: dict[str, Any] = get_profile_class(name or "default").profile_data
        super().__init__(features=dict(base["features"]))
        self.profile_data = {**base, "media": {"dpi": 203, "width": {"mm": "Unknown", "pixels": width_px}}}


def _ink_widths(image: Image.Image) -> list[int]:
    """Per row, the bytes up to its rightmost black dot (0 for a white row)."""
    ink = ~np.asarray(image.convert("1"), dtype=bool)  # mode "1": True is white
    widths: list[int] = []
    for row in ink:
        dots = np.flatnonzero(row)
        widths.append(int(dots[-1]) // 8 + 1 if dots.size else 0)
    return widths


def raster_bands(image: Image.Image) -> list[tuple[int, int, int]]:
    """(first row, rows, width in bytes) of the bands an image is sent as, top to bottom.

    A row costs its bytes up to its last black dot (a white row one byte: GS v 0 sends no empty row); a band
    costs its header besides. Rows of one width go together, and a run joins the band above it when widening
    one of them to the other costs less than a header.
    Leading white stays: moving a band right needs ``GS L``, whose unit differs from printer to printer.
    """
    runs: list[list[int]] = []  # [first row, rows, width]
    for y, need in enumerate(_ink_widths(image)):
        need = max(1, need)
        if runs and runs[-1][2] == need:
            runs[-1][1] += 1
        else:
            runs.append([y, 1, need])
    bands: list[tuple[int, int, int]] = []
    for top, rows, width in runs:
        if bands:
            band_top, band_rows, band_width = bands[-1]
            widened = max(width, band_width)
            joined = widened * (band_rows + rows)
            if joined <= band_width * band_rows + GS_V0_HEADER + width * rows:
                bands[-1] = (band_top, band_rows + rows, widened)
                continue
        bands.append((top, rows, width))
    return bands


def _raster(printer: Escpos, image: Image.Image) -> None:
    one_bit = image.convert("1")
    for top, rows, width in raster_bands(one_bit):
        band = one_bit.crop((0, top, width * 8, top + rows))
        printer.image(band, impl="bitImageRaster", fragment_height=960, center=False)


def compact_raster_bytes(image: Image.Image, cut: bool = True) -> bytes:
    """The image as ESC/POS: ESC @, ``GS v 0`` bands trimmed to their ink, then feed and cut."""
    printer = Dummy(profile=_MediaProfile("default", image.width))
    printer.hw("INIT")
    _raster(printer, image)
    if cut:
        printer.cut()
    return bytes(printer.output)


# ------------------------------------------------------------------------------------ Vietnamese text


def _cp1258_form(text: str) -> str:
    """``text`` as CP1258 spells Vietnamese: a base letter it has (â, ơ, ư…) followed by a combining tone mark.

    CP1258 holds only some precomposed letters; "ễ" is "ê" then the combining tilde, "ậ" is "â" then the dot.
    """
    out: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFD", text)):
        base, marks = cluster[0], cluster[1:]
        candidates = [unicodedata.normalize("NFC", cluster)]
        candidates += [unicodedata.normalize("NFC", base + m) + marks.replace(m, "", 1) for m in marks]
        candidates.append(cluster)
        out.append(next((c for c in candidates if _in_cp1258(c)), "?"))
    return "".join(out)


def _clusters(decomposed: str) -> list[str]:
    clusters: list[str] = []
    for ch in decomposed:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _in_cp1258(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def _tcvn3_form(text: str) -> str:
    # python-escpos's TCVN-3 table holds the capital D with stroke as "Ð" (U+00D0), which looks the same.
    return unicodedata.normalize("NFC", text).replace("Đ", "Ð")


@dataclass(frozen=True, slots=True)
class VietnameseCodePages:
    """The code pages a printer prints Vietnamese with: name → ESC t number, and the text's spelling for them."""

    slots: dict[str, int]
    spell: Callable[[str], str]


def vietnamese_code_pages(profile: str) -> VietnameseCodePages | None:
    """CP1258 if the python-escpos profile lists it, else the TCVN-3 pair (lower and upper case), else None.

    Only a named profile counts: python-escpos's "default" lists every code page there is, whatever the printer.
    """
    if not profile or profile == "default":
        return None
    try:
        pages = {name: int(slot) for slot, name in _MediaProfile(profile, 576).codePages.items()}
    except KeyError:
        return None  # a profile this python-escpos does not know: the picture works everywhere
    if "CP1258" in pages:
        return VietnameseCodePages({"CP1258": pages["CP1258"]}, _cp1258_form)
    if "TCVN-3-1" in pages and "TCVN-3-2" in pages:
        return VietnameseCodePages({k: pages[k] for k in ("TCVN-3-1", "TCVN-3-2")}, _tcvn3_form)
    return None


class _TextPrinter:
    """Lines of Vietnamese text on a python-escpos printer, wrapped to the paper's columns.

    A style is sent only when it changes: ``Escpos.set`` sends every setting it is given, three bytes each.
    """

    def __init__(self, printer: Escpos, pages: VietnameseCodePages, columns: int) -> None:
        self.printer = printer
        self.pages = pages
        self.columns = columns
        self._style: tuple[str, bool, bool] | None = None

    def style(self, align: str = "left", bold: bool = False, big: bool = False) -> None:
        if self._style is None:
            self.printer.set(align=align, bold=bold, normal_textsize=not big, double_height=big)
        else:
            was_align, was_bold, was_big = self._style
            self.printer.set(
                align=align if align != was_align else None,
                bold=bold if bold != was_bold else None,
                normal_textsize=not big if big != was_big else None,
                double_height=big if big != was_big else None,
            )
        self._style = (align, bold, big)

    def line(self, value: str, *, bold: bool = False, big: bool = False, align: str = "left") -> None:
        self.style(align, bold, big)
        for part in textwrap.wrap(unicodedata.normalize("NFC", value), self.columns) or [""]:
            self.printer.textln(self.pages.spell(part))

    def rule(self) -> None:
        self.line("-" * self.columns)


def _text_job(d: Dossier, ctx: FormContext, width_px: int, profile: str, pages: VietnameseCodePages) -> bytes:
    printer = Dummy(
        profile=_MediaProfile(profile, width_px),
        magic_encode_args={"encoder": Encoder(pages.slots), "defaultsymbol": "?"},
    )
    printer.hw("INIT")
    out = _TextPrinter(printer, pages, width_px // TEXT_DOTS)
    for line in _header_lines(ctx):
        out.line(line, bold=line == ctx.centre.name.upper(), align="center")
    out.rule()
    out.line(tr("GIẤY TIẾP NHẬN HỒ SƠ"), bold=True, big=True, align="center")
    out.line(tr("VÀ HẸN TRẢ KẾT QUẢ"), bold=True, align="center")
    out.line(tr("Mã hồ sơ:"), align="center")
    out.line(d.code, bold=True, big=True, align="center")
    # The barcode as a picture (no printer draws Code 128 at two dots a module across 576 dots with its quiet
    # zones), centred where the printer honours ESC a for raster images; the QR code drawn by the printer.
    out.style(align="center")
    if _MediaProfile(profile, width_px).supports("qrCode"):
        printer.qr(ctx.centre.tracking_url.format(code=d.code), ec=QR_ECLEVEL_M, size=QR_DOTS, native=True)
    else:
        _raster(printer, qr_image(ctx.centre.tracking_url.format(code=d.code), QR_MAX_PX))
    out.line(tr("Quét mã QR để tra cứu hồ sơ"), align="center")
    out.style(align="center")
    _raster(printer, barcode_image(d.code, width_px - 2 * PAD))
    for label, value, strong in receipt_fields(d, ctx):
        if not strong and len(f"{label} {value}") <= out.columns:
            out.line(f"{label} {value}")
        else:
            out.line(label)
            out.line(value, bold=strong)
    out.rule()
    out.line(tr("Vui lòng mang theo giấy này khi đến nhận kết quả."), align="center")
    out.line(_printed_line(ctx), align="center")
    out.style()  # the next job starts with ESC @ anyway; a job sent without one finds the defaults
    printer.cut()
    return bytes(printer.output)


def receipt_job(d: Dossier, ctx: FormContext, width_px: int = 576, profile: str = "") -> bytes:
    """The ESC/POS job of the receipt: text where the printer's profile has Vietnamese, else the picture.

    Args:
        d: the dossier just received.
        ctx: the centre, the clerk, the printing time.
        width_px: the printable width in dots.
        profile: the printer's python-escpos profile name ("TM-T20II"…); empty or "default" for unknown.

    Returns:
        The bytes to send, ending with feed and cut.
    """
    pages = vietnamese_code_pages(profile)
    if pages is not None:
        return _text_job(d, ctx, width_px, profile, pages)
    return compact_raster_bytes(render_receipt_image(d, ctx, width_px))
