"""The dossier code as a Code 128 barcode and the tracking link as a QR code, for PDF and for raster.

Code 128 rather than the Code 39 some provincial systems print: for a code like
``000.25.38.H38-231027-0361`` it is about a third shorter at the same module width (digit runs pack two to a
symbol), which is what lets it fit on the A4 receipt at a module wide enough for a counter scanner and on a
thermal receipt at all. Every reader that reads Code 39 reads Code 128.
"""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

# ISO/IEC 15417 asks for a quiet zone of at least ten modules on each side.
QUIET_MODULES = 10
# Bars at least this share of the symbol's length (quiet zones included): then one straight scan line crosses the
# whole symbol even when the page is tilted by 8° (tan 8° = 0.14), as a sheet laid by hand on a scanner is.
MIN_HEIGHT_RATIO = 0.15
QR_BORDER_MODULES = 4
QR_LEVEL = "M"  # 15 % recovery: survives a crease or a smudge, keeps the symbol small


def _symbol(value: str) -> Code128:
    if not value or not value.isascii() or not value.isprintable():
        raise ValueError(f"Code 128 takes printable ASCII only: {value!r}")
    symbol = Code128(value, quiet=0)
    symbol._calculate()  # validate, encode (with the set-C optimisation for digit runs) and decompose
    return symbol


def code128_widths(value: str) -> list[int]:
    """Element widths in modules, bar first and alternating bar/space, stop pattern included.

    reportlab's decomposition writes bars as upper-case and spaces as lower-case letters whose rank is the
    width ("B" = a bar two modules wide).
    """
    widths: list[int] = []
    for ch in _symbol(value).decomposed:
        widths.append(ord(ch) - (ord("A") if ch.isupper() else ord("a")) + 1)
    return widths


def code128_modules(value: str) -> list[bool]:
    """The symbol as a run of modules, True for a bar, without quiet zones."""
    modules: list[bool] = []
    for index, width in enumerate(code128_widths(value)):
        modules.extend([index % 2 == 0] * width)
    return modules


def code128_length(value: str, module: float) -> float:
    """The symbol's length with both quiet zones, in the unit of ``module``."""
    return (len(code128_modules(value)) + 2 * QUIET_MODULES) * module


def min_bar_height(value: str, module: float) -> float:
    """The lowest bar height that still reads tilted (:data:`MIN_HEIGHT_RATIO` of the length)."""
    return MIN_HEIGHT_RATIO * code128_length(value, module)


def code128_flowable(value: str, module_pt: float, height_pt: float = 0.0) -> Flowable:
    """A Code 128 symbol with its quiet zones, as a flowable; never lower than :func:`min_bar_height`.

    The human-readable line is left to the caller: reportlab would set it in Helvetica, a font it does not
    embed.
    """
    height_pt = max(height_pt, min_bar_height(value, module_pt))
    quiet = QUIET_MODULES * module_pt
    symbol = Code128(
        value, barWidth=module_pt, barHeight=height_pt, quiet=1, lquiet=quiet, rquiet=quiet, humanReadable=0
    )
    _symbol(value)  # the same validation as the raster path
    return symbol


def draw_code128(canvas: Canvas, value: str, x: float, y: float, module_pt: float) -> float:
    """Draw the symbol (quiet zones included) with its lower left corner at (x, y); returns its length.

    For page furniture drawn straight on the canvas (footers), at :func:`min_bar_height`.
    """
    height = min_bar_height(value, module_pt)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    left = x + QUIET_MODULES * module_pt
    for index, width in enumerate(code128_widths(value)):
        if index % 2 == 0:
            canvas.rect(left, y, width * module_pt, height, stroke=0, fill=1)
        left += width * module_pt
    canvas.restoreState()
    return code128_length(value, module_pt)


def qr_matrix(value: str) -> list[list[bool]]:
    """The QR symbol's modules, row by row, True for dark, without the quiet zone."""
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, QR_LEVEL))
    qr.addData(value)
    qr.make()
    count = qr.getModuleCount()
    return [[bool(qr.isDark(r, c)) for c in range(count)] for r in range(count)]


class QrFlowable(Flowable):
    """A square QR code of ``size`` points including its quiet zone, drawn as filled rectangles.

    Not reportlab's QrCodeWidget: a Drawing is rendered with Helvetica selected as its default font, which
    would list an unembedded font in the PDF.
    """

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(value)
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.matrix) + 2 * QR_BORDER_MODULES
        module = self.width / count
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.matrix):
            y = self.height - (r + QR_BORDER_MODULES + 1) * module
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                run = c
                while run < len(row) and row[run]:
                    run += 1
                # Runs overlap the next row by a hair so that no white seam shows between dark rows.
                x = (c + QR_BORDER_MODULES) * module
                canvas.rect(x, y - 0.02 * module, (run - c) * module, module * 1.02, stroke=0, fill=1)
                c = run
        canvas.restoreState()
