"""The counter's main window: receive, search, open a dossier, return results by scanning the receipt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.dossier import Dossier
from motcua.domain.formatting import due_phrase
from motcua.i18n import set_language, tr
from motcua.services.catalog import CatalogService
from motcua.services.context import AppContext
from motcua.services.printing import PrintingService
from motcua.services.queue.api import QueueApi
from motcua.services.reception import ReceptionService
from motcua.services.scanning_station import ScanningStation
from motcua.services.status import StatusService, WorkstationStatus
from motcua.ui.counter.dossier_view import DossierView
from motcua.ui.counter.queue_panel import QueuePanel
from motcua.ui.counter.reception_tab import ReceptionTab
from motcua.ui.counter.search_tab import SearchTab
from motcua.ui.ops import Op
from motcua.ui.scan import AttachmentsList, ScanStation
from motcua.ui.style import COUNTER_STYLE
from motcua.ui.widgets.date_range_dialog import DateRangeDialog
from motcua.ui.widgets.message_bar import MessageBar, describe_error


class CounterWindow(QMainWindow):
    """The counter; with ``queue`` it also has the queue panel (the counter is ``[counter] counter_number``)."""

    def __init__(self, ctx: AppContext, queue: QueueApi | None = None) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.queue = queue
        self.queue_panel: QueuePanel | None = None
        self.reception = ReceptionService(ctx)
        self.catalog = CatalogService(ctx)
        self.printing = PrintingService(ctx)
        self.status_service = StatusService(ctx)
        self.scanning = ScanningStation(ctx)
        self.setStyleSheet(COUNTER_STYLE)
        self.resize(1360, 860)
        self._build()
        # Number blocks for the coming days, leased while the centre is reachable (off the GUI thread).
        Op(self, self.reception.ensure_code_blocks).success(lambda _n: self.refresh_status()).run()
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start(15_000)

    def _build(self) -> None:
        self.setWindowTitle(tr("MotCua Desk — Quầy tiếp nhận {n}", n=self.ctx.settings.counter.counter_number))
        bar = QToolBar(tr("Công cụ"))
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        new = QAction(tr("Tiếp nhận mới"), self)
        new.triggered.connect(lambda: self.tabs.setCurrentWidget(self.reception_tab))
        find = QAction(tr("Tra cứu (Ctrl+F)"), self)
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.triggered.connect(self._focus_search)
        book = QAction(tr("Sổ theo dõi (Mẫu 06)"), self)
        book.triggered.connect(self._print_book)
        bar.addAction(new)
        bar.addAction(find)
        bar.addAction(book)
        bar.addSeparator()
        bar.addWidget(QLabel(tr(" Trả kết quả: ")))
        self.return_scan = QLineEdit()
        self.return_scan.setPlaceholderText(tr("quét mã vạch trên giấy hẹn (F9)"))
        self.return_scan.setMinimumWidth(320)
        self.return_scan.returnPressed.connect(self._return_by_scan)
        bar.addWidget(self.return_scan)
        ret = QAction(self)
        ret.setShortcut(QKeySequence("F9"))
        ret.triggered.connect(self.return_scan.setFocus)
        self.addAction(ret)
        bar.addSeparator()
        lang = QAction("English" if tr("Tiếng Việt") == "Tiếng Việt" else "Tiếng Việt", self)
        lang.triggered.connect(self._switch_language)
        bar.addAction(lang)

        central = QWidget()
        lay = QVBoxLayout(central)
        self.messages = MessageBar()
        lay.addWidget(self.messages)
        self.tabs = QTabWidget()
        self.reception_tab = ReceptionTab(self.reception, self.catalog, self.messages)
        self.search_tab = SearchTab(self.reception)
        self.dossier_view = DossierView(self.reception, self.printing, self.messages)
        self.attachments = AttachmentsList(self.scanning, self.messages)
        self.scan_station = ScanStation(
            self.scanning, lambda: d.code if (d := self.dossier_view.dossier()) else None, self.messages
        )
        details = QSplitter(Qt.Orientation.Horizontal)
        details.addWidget(self.dossier_view)
        details.addWidget(self.attachments)
        details.setStretchFactor(0, 3)
        details.setStretchFactor(1, 1)
        self.details = details
        self.tabs.addTab(self.reception_tab, tr("Tiếp nhận hồ sơ"))
        self.tabs.addTab(self.search_tab, tr("Tra cứu hồ sơ"))
        self.tabs.addTab(details, tr("Chi tiết hồ sơ"))
        self.tabs.addTab(self.scan_station, tr("Số hóa"))
        self.scan_station.attachment_did_add.connect(lambda _a: self.attachments.refresh())
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.link_label = QLabel()
        self.link_label.setObjectName("link")
        self.statusBar().addPermanentWidget(self.link_label)
        self.statusBar().addPermanentWidget(self.status_label)

        self.reception_tab.dossier_did_save.connect(self._on_saved)
        self.search_tab.dossier_wanted.connect(self.open_dossier)
        self.dossier_view.dossier_did_change.connect(lambda _d: self.refresh_status())
        if self.queue is not None:
            self.queue_panel = QueuePanel(self.queue, self.ctx.settings.counter.counter_number)
            dock = QDockWidget(tr("Hàng đợi"), self)
            dock.setObjectName("queueDock")
            dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)  # always there, never lost
            dock.setWidget(self.queue_panel)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.refresh_status()

    # -- events --------------------------------------------------------------------------------------------
    def _on_saved(self, d: Dossier, print_after: bool) -> None:
        due = due_phrase(d.due_at) if d.due_at else ""
        self.messages.show_message(
            tr("Đã lưu hồ sơ <b>{code}</b> — hẹn trả {due}", code=d.code, due=due),
            "ok",
            {tr("In giấy tiếp nhận"): lambda: self.print_receipt(d), tr("Mở hồ sơ"): lambda: self.open_dossier(d.code)},
        )
        self.refresh_status()
        if self.queue_panel is not None:  # the citizen at the counter brought this dossier
            self.queue_panel.link_dossier(d.code)
        if print_after:
            self.print_receipt(d)

    def print_receipt(self, d: Dossier) -> None:
        """After the save committed: the A4 Mẫu 01 PDF, and the thermal receipt when a printer is set up."""
        printing = self.printing
        thermal = self.ctx.printer is not None

        def work() -> Path:
            path = printing.save(printing.receipt_pdf(d), f"{d.code}-mau01.pdf")
            if thermal:
                printing.print_thermal(d)
            return path

        Op(self, work).success(lambda p: self._printed(d, p)).failure(
            lambda e: self.messages.show_message(
                tr("Hồ sơ {code} đã lưu, nhưng chưa in được: {error}", code=d.code, error=describe_error(e)),
                "error",
                {tr("In lại"): lambda: self.print_receipt(d)},
            )
        ).run()

    def _printed(self, d: Dossier, path: Path) -> None:
        self.messages.show_message(
            tr("Đã lưu và tạo giấy tiếp nhận hồ sơ <b>{code}</b>", code=d.code),
            "ok",
            {
                tr("Mở bản in"): lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))),
                tr("In lại"): lambda: self.print_receipt(d),
            },
        )

    def _print_book(self) -> None:
        today = self.ctx.clock().date()
        dialog = DateRangeDialog(tr("Sổ theo dõi hồ sơ (Mẫu 06)"), today.replace(day=1), today, self)
        if dialog.exec() != DateRangeDialog.DialogCode.Accepted:
            return
        start, end = dialog.range()
        if end < start:
            self.messages.show_message(tr("Ngày kết thúc không được trước ngày bắt đầu"), "error")
            return
        printing = self.printing
        name = f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
        Op(self, lambda: printing.save(printing.tracking_book_pdf(start, end), name)).success(
            lambda p: (
                self.messages.show_message(tr("Đã tạo {file}", file=str(p)), "ok"),
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(p))),
            )
        ).failure(self.messages.show_error).run()

    def open_dossier(self, code: str) -> None:
        Op(self, lambda: self.reception.get(code)).success(self._show_dossier).failure(
            lambda e: self.messages.show_error(e)
        ).run()

    def _show_dossier(self, d: Dossier) -> None:
        self.dossier_view.show_dossier(d)
        self.attachments.show_dossier(d.code)
        self.scan_station.refresh_dossier()
        self.tabs.setCurrentWidget(self.details)

    def _focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.search_tab)
        self.search_tab.query.setFocus()
        self.search_tab.query.selectAll()

    def _return_by_scan(self) -> None:
        text = self.return_scan.text()
        self.return_scan.clear()
        Op(self, lambda: self.reception.return_by_scan(text)).success(self._returned).failure(
            lambda e: self.messages.show_error(e)
        ).run()

    def _returned(self, d: Dossier) -> None:
        self.messages.show_message(
            tr("Đã trả kết quả hồ sơ <b>{code}</b> cho {name}", code=d.code, name=d.applicant.name), "ok"
        )
        self._show_dossier(d)
        self.refresh_status()

    def refresh_status(self) -> None:
        Op(self, self.status_service.snapshot).success(self._show_status).run()

    def _show_status(self, s: WorkstationStatus) -> None:
        self.status_label.setText(
            tr(
                "Hôm nay: {today} hồ sơ · Số mã còn dự trữ: {codes} · Máy trạm {station}",
                today=s.received_today,
                codes=s.codes_left_today,
                station=self.ctx.station_id,
            )
        )
        text, tone = link_text(s)
        self.link_label.setText(text)
        self.link_label.setProperty("tone", tone)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)
        self.link_label.setToolTip(s.link.last_error if s.link is not None and s.link.last_error else "")

    def _switch_language(self) -> CounterWindow:
        """Rebuild the window in the other language (every label is made by tr() when a widget is built)."""
        set_language("en" if tr("Tiếng Việt") == "Tiếng Việt" else "vi")
        replacement = CounterWindow(self.ctx, self.queue)
        replacement.setGeometry(self.geometry())
        _OPEN_WINDOWS.add(replacement)
        replacement.destroyed.connect(lambda *_: _OPEN_WINDOWS.discard(replacement))
        replacement.show()
        self.close()
        return replacement


# Windows made by a language switch have no other owner; they live here until closed.
_OPEN_WINDOWS: set[CounterWindow] = set()


def link_text(s: WorkstationStatus) -> tuple[str, str]:
    """The link to the centre in the status bar: online or not, what waits, the last success; and its tone."""
    link = s.link
    waiting = tr("chờ gửi {n}", n=s.outbox_pending)
    if s.outbox_parked:
        waiting += " · " + tr("tạm dừng {n}", n=s.outbox_parked)
    if s.not_at_province:
        waiting += " · " + tr("chưa lên tỉnh {n}", n=s.not_at_province)
    last = (
        tr("đồng bộ lúc {time}", time=link.last_success.strftime("%H:%M %d/%m"))
        if link is not None and link.last_success
        else tr("chưa đồng bộ lần nào")
    )
    if link is None or not link.upstream:
        return tr("Đồng bộ: chưa cấu hình · {waiting}", waiting=waiting), "warn"
    if link.online is None:
        return tr("Đang kết nối… · {waiting}", waiting=waiting), "neutral"
    if link.online:
        tone = "warn" if s.outbox_parked or s.conflicts else "ok"
        return tr("● Trực tuyến · {waiting} · {last}", waiting=waiting, last=last), tone
    return (
        tr("● Mất kết nối, thử lại sau {s} giây · {waiting} · {last}", s=round(link.next_try_in), waiting=waiting,
           last=last),
        "error",
    )  # fmt: skip
