"""The reports tab: the day's summary (kept in the archive, previewed, printed), the periodic report as PDF or
spreadsheet, and the archive of daily summaries. Every report is computed and written off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.reports.period import GroupBy, PeriodReport
from motcua.domain.reports.service_index import IndexMonth
from motcua.i18n import language, tr
from motcua.services.report_archive import ReportArchive
from motcua.services.reports import ReportService
from motcua.services.status import StatusService
from motcua.ui.ops import Op
from motcua.ui.supervisor.archive_view import ArchiveView
from motcua.ui.supervisor.makers import ReportDocuments
from motcua.ui.supervisor.pdf_preview import PdfPreview
from motcua.ui.supervisor.period_picker import PeriodPicker
from motcua.ui.widgets.a4_print import A4Printer
from motcua.ui.widgets.message_bar import MessageBar


class ReportsTab(QWidget):
    """Args:
    reports: the figures (its context gives the clock and the output folder).
    files: makes the report files.
    archive: where daily summaries are kept (the data folder's ``reports``).
    """

    def __init__(
        self,
        reports: ReportService,
        status: StatusService,
        files: ReportDocuments,
        archive: ReportArchive,
        printer: A4Printer,
        messages: MessageBar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reports = reports
        self._status = status
        self._files = files
        self._archive = archive
        self._printer = printer
        self._messages = messages
        self.last_preview: PdfPreview | None = None
        today = reports.ctx.clock().date()
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self._daily_box(today))
        left.addWidget(self._period_box(today))
        left.addStretch(1)
        lay.addLayout(left, 3)
        self.archive = ArchiveView(archive, printer, messages)
        lay.addWidget(self.archive, 2)

    def _daily_box(self, today: date) -> QGroupBox:
        box = QGroupBox(tr("Báo cáo ngày"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))  # a day to come has no figures
        form.addRow(tr("Ngày"), self.day)
        self.daily_button = QPushButton(tr("Tạo báo cáo ngày (PDF)"))
        self.daily_button.setProperty("role", "primary")
        self.daily_button.clicked.connect(self.make_daily)
        row = QHBoxLayout()
        row.addWidget(self.daily_button)
        row.addStretch(1)
        form.addRow(row)
        note = QLabel(tr("Báo cáo được lưu vào mục Lưu trữ; xem trước rồi lưu ra tệp khác hoặc in."))
        note.setWordWrap(True)
        note.setProperty("role", "info")
        form.addRow(note)
        return box

    def _period_box(self, today: date) -> QGroupBox:
        box = QGroupBox(tr("Báo cáo định kỳ"))
        lay = QVBoxLayout(box)
        self.period = PeriodPicker(today)
        lay.addWidget(self.period)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.group_by = QComboBox()
        self.group_by.addItem(tr("Theo lĩnh vực"), GroupBy.SECTOR)
        self.group_by.addItem(tr("Theo cơ quan giải quyết"), GroupBy.AGENCY)
        form.addRow(tr("Tổng hợp"), self.group_by)
        self.with_index = QCheckBox(tr("Kèm chỉ số phục vụ (Quyết định 766)"))
        self.with_index.setChecked(True)
        form.addRow(self.with_index)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.period_pdf_button = QPushButton(tr("Tạo PDF"))
        self.period_pdf_button.setProperty("role", "primary")
        self.period_pdf_button.clicked.connect(self.make_period_pdf)
        self.period_xlsx_button = QPushButton(tr("Xuất Excel (XLSX)…"))
        self.period_xlsx_button.clicked.connect(self.make_period_xlsx)
        row.addWidget(self.period_pdf_button)
        row.addWidget(self.period_xlsx_button)
        row.addStretch(1)
        lay.addLayout(row)
        return box

    # -- the day's summary -------------------------------------------------------------------------------------
    def make_daily(self) -> None:
        q = self.day.date()
        day = date(q.year(), q.month(), q.day())
        reports, status, files, archive = self._reports, self._status, self._files, self._archive
        ctx = reports.ctx
        folder = archive.folder

        def work() -> tuple[bytes, Path]:
            unsynced = parked = None
            if day == ctx.clock().date():  # the sync's backlog is known now, not as it was on a past day
                st = status.snapshot()
                unsynced, parked = st.outbox_pending, st.outbox_parked
            with language("vi"):  # an official paper, whatever the screen's language (this thread only)
                pdf = files.daily_pdf(reports.daily(day, unsynced=unsynced, parked=parked))
            return pdf, archive.save(day, pdf)  # made again: the newer figures replace the older

        def done(result: tuple[bytes, Path]) -> None:
            pdf, path = result
            self._messages.show_message(tr("Đã lưu báo cáo ngày vào {file}", file=str(path)), "ok")
            self.archive.refresh()
            self._preview(pdf, tr("Báo cáo ngày {day}", day=day.strftime("%d/%m/%Y")), path.name, folder)

        self._run((self.daily_button,), work, done)

    # -- the periodic report -----------------------------------------------------------------------------------
    def _period_work(self, make: Callable[[PeriodReport, Sequence[IndexMonth]], bytes]) -> Callable[[], bytes]:
        start, end = self.period.period()
        group = GroupBy(self.group_by.currentData())
        with_index = self.with_index.isChecked()
        reports = self._reports

        def work() -> bytes:
            with language("vi"):  # an official paper (its total row and indicator names too), this thread only
                report = reports.period(start, end, group)
                return make(report, reports.service_index(start, end) if with_index else [])

        return work

    def _period_name(self, ext: str) -> str:
        start, end = self.period.period()
        return f"bao-cao-{start:%Y%m%d}-{end:%Y%m%d}.{ext}"

    def make_period_pdf(self) -> None:
        start, end = self.period.period()
        title = tr("Báo cáo từ {start} đến {end}", start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))
        name, folder = self._period_name("pdf"), self._reports.ctx.out_dir
        self._run(
            (self.period_pdf_button, self.period_xlsx_button),
            self._period_work(self._files.period_pdf),
            lambda pdf: self._preview(pdf, title, name, folder),
        )

    def make_period_xlsx(self) -> None:
        suggested = self._reports.ctx.out_dir / self._period_name("xlsx")
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Lưu bảng tính"), str(suggested), tr("Bảng tính Excel (*.xlsx)")
        )
        if not path:
            return
        target = Path(path)
        make = self._period_work(self._files.period_xlsx)

        def work() -> Path:
            target.write_bytes(make())
            return target

        def done(saved: Path) -> None:
            self._messages.show_message(
                tr("Đã lưu {file}", file=str(saved)),
                "ok",
                {tr("Mở tệp"): lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(saved)))},
            )

        self._run((self.period_pdf_button, self.period_xlsx_button), work, done)

    # -- shared --------------------------------------------------------------------------------------------------
    def _preview(self, pdf: bytes, title: str, name: str, folder: Path) -> None:
        self.last_preview = PdfPreview(pdf, title, name, folder, self._printer, self)
        self.last_preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages' pictures go with it
        self.last_preview.open()

    def _run(self, buttons: tuple[QPushButton, ...], work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run ``work`` with ``buttons`` off meanwhile (a second press would make the same report twice)."""
        for b in buttons:
            b.setEnabled(False)
        self._messages.show_message(tr("Đang tạo báo cáo…"), "info")

        def ok(result: Any) -> None:
            for b in buttons:
                b.setEnabled(True)
            done(result)

        def failed(exc: Exception) -> None:
            for b in buttons:
                b.setEnabled(True)
            self._messages.show_error(exc)

        Op(self, work).success(ok).failure(failed).run()
