"""Printing our PDF forms (reportlab) on the A4 printer through Qt's printing.

Qt prints what a QPainter draws, and PySide6-Essentials has no QtPdf, so each page is rendered by PDFium
(pypdfium2) at the printer's resolution, at most 300 dpi, and drawn onto the whole sheet. The printer is either
the one named in the settings (printed straight away, no dialog) or the one chosen in Qt's print dialog (the
choice is remembered for the session, so the dialog opens on it next time).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

MAX_DPI = 300  # plenty for text and barcodes; 1200 dpi would make 140 MB pages
_PDFIUM = threading.Lock()  # PDFium is not thread-safe


class A4PrintError(MotcuaError):
    pass


class A4Printer:
    """Where the A4 forms go.

    Args:
        name: a system printer's name to print to without asking (empty: ask with the print dialog).
    """

    def __init__(self, name: str = "") -> None:
        self._name = name
        self._chosen = ""  # the printer picked in the dialog last time

    def choose(self, parent: QWidget | None, title: str) -> QPrinter | None:
        """The printer to use now (GUI thread), or None when the clerk cancelled the dialog."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the forms carry their own margins
        if self._name and not QPrinterInfo.printerInfo(self._name).isNull():
            printer.setPrinterName(self._name)
            return printer
        if self._chosen:
            printer.setPrinterName(self._chosen)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        self._chosen = printer.printerName()
        return printer


def print_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Print every page of ``pdf`` on ``printer``; returns when the printer (its spooler) has taken the job.

    Runs on a worker thread (QPainter may paint on a QPrinter outside the GUI thread).

    Raises:
        A4PrintError: the printer could not be opened or refused the job.
    """
    import pypdfium2 as pdfium  # imported here: only printing needs PDFium

    where = printer.printerName() or printer.outputFileName() or "?"
    painter = QPainter()
    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            if not painter.begin(printer):
                raise A4PrintError(tr("Không mở được máy in A4 ({printer})", printer=where))
            pages = 0
            try:
                dpi = min(MAX_DPI, printer.resolution())
                sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                for index in range(len(doc)):
                    if index and not printer.newPage():
                        raise A4PrintError(tr("Máy in A4 ({printer}) không nhận trang tiếp theo", printer=where))
                    page = doc[index]
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    image = bitmap.to_pil()
                    qimage = QImage(
                        image.tobytes(), image.width, image.height, image.width, QImage.Format.Format_Grayscale8
                    ).copy()  # the copy owns its pixels once the PIL buffer is gone
                    painter.drawImage(_fit(sheet, qimage.width(), qimage.height()), qimage)
                    page.close()
                    pages += 1
            finally:
                ended = painter.end()
            if not ended:
                raise A4PrintError(tr("Máy in A4 ({printer}) không nhận lệnh in", printer=where))
            return pages
        finally:
            doc.close()


def _fit(sheet: QRectF, width: int, height: int) -> QRectF:
    """The largest rectangle of the page's proportions inside the sheet, centred."""
    scale = min(sheet.width() / width, sheet.height() / height)
    w, h = width * scale, height * scale
    return QRectF(sheet.x() + (sheet.width() - w) / 2, sheet.y() + (sheet.height() - h) / 2, w, h)
