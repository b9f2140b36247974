"""The 80 mm thermal receipt, drawn as a 1-bit image.

ESC/POS code pages have no Vietnamese, so the receipt is rasterised here (DejaVu Sans through PIL) and sent
to the printer as a picture. Everything is drawn on 8-bit grey and thresholded once at the end; the barcode and
the QR code are drawn module by module on whole pixels, so thresholding leaves them exact.

The dossier code's Code 128 symbol (288 modules for ``000.25.38.H38-231027-0361``) needs 616 dots at the
two-dot module a scanner wants, more than the 576 dots of an 80 mm head. When the symbol does not fit across
the paper it is printed along it, as a ladder on the left of the details, at three dots per module: thermal
heads bleed a little in the feed direction, and the extra dot keeps the bars apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from motcua.documents.fonts import sans_path
from motcua.documents.forms.codes import QR_BORDER_MODULES, QUIET_MODULES, code128_modules, qr_matrix
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.phrases import short_time_phrase
from motcua.domain.dossier import Dossier
from motcua.domain.formatting import money
from motcua.i18n import tr

WHITE, BLACK = 255, 0
PAD = 6  # the head's outermost dots print unevenly on some models
GAP = 10
MIN_MODULE_PX = 2
LADDER_MODULE_PX = 3
LADDER_BAR_PX = 128  # 16 mm: above the 15 % of the symbol length that ISO/IEC 15417 asks for a bar's height
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
    height = LADDER_BAR_PX if vertical else 110
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


def _field(label: str, value: str, width: int, strong: bool = False) -> list[Part]:
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
    parts += _field(tr("Thủ tục:"), d.procedure_name, width, strong=True)
    parts += _field(tr("Người nộp hồ sơ:"), d.applicant.name, width, strong=True)
    parts += _field(tr("Thời gian tiếp nhận:"), short_time_phrase(d.received_at), width)
    parts += _field(tr("Hẹn trả:"), short_time_phrase(d.due_at), width, strong=True)
    parts += _field(tr("Cán bộ tiếp nhận:"), ctx.clerk, width)
    if d.fee_vnd:
        parts += _field(tr("Phí, lệ phí:"), money(d.fee_vnd), width)
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
        text(
            tr("In lúc {time} ngày {date}", time=f"{ctx.printed_at:%H:%M}", date=f"{ctx.printed_at:%d/%m/%Y}"),
            inner,
            18,
            align="center",
        ),
        24,  # paper to tear against before the cutter
    ]
    grey = stack([PAD, *header, _body(d, ctx, inner), *footer], inner)
    canvas = Image.new("L", (width_px, grey.height), WHITE)
    canvas.paste(grey, (PAD, 0))
    return canvas.point(lambda v: WHITE if v >= THRESHOLD else BLACK).convert("1", dither=Image.Dither.NONE)
