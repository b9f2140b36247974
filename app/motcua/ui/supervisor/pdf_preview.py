"""A report as it will print, page under page, with Save and Print.

PySide6-Essentials has no QtPdf: the pages are rendered by PDFium (pypdfium2) off the GUI thread, under the same
lock as printing (PDFium is not thread-safe).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.ui.ops import Op
from motcua.ui.widgets.a4_print import _PDFIUM, A4Printer, print_pdf
from motcua.ui.widgets.message_bar import describe_error

PAGE_WIDTH = 820  # pixels: an A4 page readable inside a 1366-pixel screen


def render_pages(pdf: bytes, width: int = PAGE_WIDTH) -> list[tuple[bytes, int, int]]:
    """Every page as RGB pixels ``width`` wide, with its width and height (worker thread).

    Plain bytes: the worker makes no Qt object; the pictures are made on the GUI thread.
    """
    import pypdfium2 as pdfium  # only previews and printing need PDFium

    pages = []
    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            for index in range(len(doc)):
                page = doc[index]
                bitmap = page.render(scale=width / page.get_width())
                image = bitmap.to_pil().convert("RGB")  # a copy: PDFium's buffer is freed below, under the lock
                bitmap.close()
                page.close()
                pages.append((image.tobytes(), image.width, image.height))
        finally:
            doc.close()
    return pages


def to_pixmap(page: tuple[bytes, int, int]) -> QPixmap:
    data, width, height = page
    return QPixmap.fromImage(QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888))


class PdfPreview(QDialog):
    """Args:
    pdf: the document.
    name: the file name offered when saving (and the title).
    folder: where the save dialog opens.
    printer: the A4 printer (the print dialog remembers the last choice).
    """

    def __init__(
        self, pdf: bytes, title: str, name: str, folder: Path, printer: A4Printer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf = pdf
        self._name = name
        self._folder = folder
        self._printer = printer
        lay = QVBoxLayout(self)
        # One line under the title says what happened (pages, saved, printed, or what went wrong).
        self.status = QLabel(tr("Đang dựng trang…"))
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.pages_scroll = QScrollArea()
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_box = QWidget()
        self.pages_box.setStyleSheet("background: #8a8f96;")
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_scroll.setWidget(self.pages_box)
        lay.addWidget(self.pages_scroll, 1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(tr("Lưu tệp…"))
        self.print_button = QPushButton(tr("In…"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        lay.addWidget(buttons)
        self.page_labels: list[QLabel] = []
        self.resize(PAGE_WIDTH + 80, 660)
        Op(self, lambda: render_pages(pdf)).success(self._show_pages).failure(self._failed).run()

    def _show_pages(self, pages: list[tuple[bytes, int, int]]) -> None:
        for page in pages:
            label = QLabel()
            label.setPixmap(to_pixmap(page))  # fromImage copies the pixels: the bytes may go
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.status.setText(tr("{n} trang", n=len(pages)))

    def save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Lưu báo cáo"), str(self._folder / self._name), tr("Tệp PDF (*.pdf)")
        )
        if not path:
            return
        target, pdf = Path(path), self.pdf

        def saved(_size: int) -> None:
            self.status.setText(tr("Đã lưu {file}", file=str(target)))

        Op(self, lambda: target.write_bytes(pdf)).success(saved).failure(self._failed).run()

    def print_(self) -> None:
        printer = self._printer.choose(self, tr("In báo cáo"))
        if printer is None:
            return
        pdf = self.pdf

        def printed(pages: int) -> None:
            self.status.setText(tr("Đã gửi {n} trang tới máy in", n=pages))

        Op(self, lambda: print_pdf(printer, pdf)).success(printed).failure(self._failed).run()

    def _failed(self, exc: Exception) -> None:
        self.status.setText(describe_error(exc))
        self.status.setStyleSheet("color: #8a1c14;")
