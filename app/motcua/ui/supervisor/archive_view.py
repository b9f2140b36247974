"""The archive of daily summaries (:class:`~motcua.services.report_archive.ReportArchive`), newest day first; open
or print one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from motcua.domain.formatting import short_date, weekday
from motcua.i18n import tr
from motcua.services.report_archive import ReportArchive
from motcua.ui.ops import Op
from motcua.ui.supervisor.pdf_preview import PdfPreview
from motcua.ui.widgets.a4_print import A4Printer, print_pdf
from motcua.ui.widgets.message_bar import MessageBar


class ArchiveView(QWidget):
    def __init__(
        self, archive: ReportArchive, printer: A4Printer, messages: MessageBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.folder = archive.folder
        self._printer = printer
        self._messages = messages
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("Lưu trữ báo cáo ngày"))
        title.setProperty("role", "section")
        lay.addWidget(title)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        self.list.itemDoubleClicked.connect(lambda _i: self.open_selected())
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(tr("Mở"))
        self.open_button.clicked.connect(self.open_selected)
        self.print_button = QPushButton(tr("In"))
        self.print_button.clicked.connect(self.print_selected)
        refresh = QPushButton(tr("Làm mới"))
        refresh.clicked.connect(self.refresh)
        for b in (self.open_button, self.print_button, refresh):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.last_preview: PdfPreview | None = None
        self.refresh()

    def refresh(self) -> None:
        Op(self, self.archive.days).success(self._show).failure(self._messages.show_error).run()

    def _show(self, reports: list[tuple[date, Path]]) -> None:
        self.list.clear()
        for day, path in reports:
            item = QListWidgetItem(f"{weekday(day)} {short_date(day)}")
            item.setToolTip(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        if not reports:
            item = QListWidgetItem(tr("Chưa có báo cáo ngày nào được lưu"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        self._enable()

    def _enable(self) -> None:
        has = self._selected() is not None
        self.open_button.setEnabled(has)
        self.print_button.setEnabled(has)

    def _selected(self) -> Path | None:
        item = self.list.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return Path(path) if path else None

    def open_selected(self) -> None:
        path = self._selected()
        if path is None:
            return

        def show(pdf: bytes) -> None:
            self.last_preview = PdfPreview(pdf, path.name, path.name, self.folder, self._printer, self)
            self.last_preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages' pictures go with it
            self.last_preview.open()  # not modal to the app: the dashboard keeps updating behind it

        Op(self, path.read_bytes).success(show).failure(self._messages.show_error).run()

    def print_selected(self) -> None:
        path = self._selected()
        if path is None:
            return
        printer = self._printer.choose(self, tr("In {file}", file=path.name))
        if printer is None:
            return

        def printed(pages: int) -> None:
            self._messages.show_message(tr("Đã gửi {file} tới máy in ({n} trang)", file=path.name, n=pages), "ok")

        Op(self, lambda: print_pdf(printer, path.read_bytes())).success(printed).failure(
            self._messages.show_error
        ).run()
