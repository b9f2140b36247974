"""The counter's main window: receive, search, open a dossier, return results by scanning the receipt.

It fits a 1366×768 or 1280×720 screen in Vietnamese and in English with every action visible: long names wrap or
are elided (the tooltip has them whole), action buttons wrap onto rows, the queue dock can be folded away (F12),
and a tab that needs more room than the screen has (scanning) scrolls instead of widening the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.accounts import Permission
from motcua.domain.cccd import CccdData
from motcua.domain.device_health import DeviceRole
from motcua.domain.dossier import Dossier
from motcua.domain.errors import MotcuaError
from motcua.domain.formatting import due_phrase, money
from motcua.domain.status import Action, Status
from motcua.i18n import get_language, set_language, tr
from motcua.services.catalog import CatalogService
from motcua.services.context import AppContext
from motcua.services.printing import PrintingService
from motcua.services.queue.api import QueueApi
from motcua.services.reception import ReceptionService, Visit
from motcua.services.status import StatusService, WorkstationStatus
from motcua.ui.about import about_action
from motcua.ui.accounts.devices_dialog import open_devices
from motcua.ui.accounts.session_guard import SessionGuard
from motcua.ui.accounts.users_dialog import UsersDialog
from motcua.ui.counter.dossier_view import DossierView, final_question
from motcua.ui.counter.presence import CounterPresence
from motcua.ui.counter.queue_panel import QueuePanel
from motcua.ui.counter.reception_tab import ReceptionTab
from motcua.ui.counter.search_tab import SearchTab
from motcua.ui.health import HealthReporter
from motcua.ui.ops import Op
from motcua.ui.style import COUNTER_STYLE
from motcua.ui.widgets import dialogs
from motcua.ui.widgets.a4_print import A4Printer, print_pdf
from motcua.ui.widgets.date_range_dialog import DateRangeDialog
from motcua.ui.widgets.elided_label import ElidedLabel
from motcua.ui.widgets.message_bar import MessageBar, describe_error
from motcua.ui.widgets.wedge import WedgeCatcher

if TYPE_CHECKING:
    from motcua.ui.scan import AttachmentsList, ScanStation


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """What "save and print" did: the PDF kept, whether the A4 and the thermal receipt were printed, what failed."""

    path: Path
    a4: bool
    thermal: bool
    errors: list[MotcuaError] = field(default_factory=list)


class CounterWindow(QMainWindow):
    """The counter; with ``queue`` it also has the queue panel (the counter is ``[counter] counter_number``)."""

    hides_when_locked = True  # its content is hidden while the idle lock is up (SessionGuard.lock_now)

    def __init__(self, ctx: AppContext, queue: QueueApi | None = None) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.queue = queue
        self.queue_panel: QueuePanel | None = None
        self.queue_dock: QDockWidget | None = None
        # Who is signed in here, told to the centre (its supervisors, the rating pad's records).
        self.presence = None if queue is None else CounterPresence(queue, ctx.settings.counter.counter_number, self)
        self._replaced = False  # rebuilt in the other language: the clerk is still here
        self.reception = ReceptionService(ctx)
        self.catalog = CatalogService(ctx)
        self.printing = PrintingService(ctx)
        self.status_service = StatusService(ctx)
        # The scanning station and the dossier's attachments (OpenCV, the code readers: a third of the start-up)
        # are built just after the window is first shown: ensure_scanning.
        self.attachments: AttachmentsList | None = None
        self.scan_station: ScanStation | None = None
        self.a4 = A4Printer(ctx.settings.printer.a4_printer)
        self._focused_once = False
        self.setStyleSheet(COUNTER_STYLE)
        self.resize(1280, 720)
        self._build()
        if self.presence is not None and ctx.session is not None:
            self.presence.announce(ctx.session.username)
        self.health = None if queue is None else self._start_health(queue)
        self.wedge = WedgeCatcher(
            self,
            self._card_scanned,
            self._card_unreadable,
            skip=(self.reception_tab.applicant.scan,),
        )
        # Number blocks for the coming days, leased while the centre is reachable (off the GUI thread), once the
        # window is up: the lease loads the holiday calendar, which would compete with building the window.
        self._painted = False  # the number blocks and the scanning station wait for the first paint (paintEvent)
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start(15_000)

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        if not self._painted:
            # What the clerk does not need on the first screen is done once it is there, not before.
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)  # not called if the window is gone by then

    def _after_first_paint(self) -> None:
        self._lease_code_blocks()
        self.ensure_scanning()

    def ensure_scanning(self) -> tuple[AttachmentsList, ScanStation]:
        """Build the scanning station and the attachments list (once): right after the window is first shown, or
        before a dossier is opened if that comes first."""
        if self.attachments is not None and self.scan_station is not None:
            return self.attachments, self.scan_station
        from motcua.services.scanning_station import ScanningStation
        from motcua.ui.scan import AttachmentsList, ScanStation

        scanning = ScanningStation(self.ctx)
        attachments = AttachmentsList(scanning, self.messages)
        scan_station = ScanStation(
            scanning, lambda: d.code if (d := self.dossier_view.dossier()) else None, self.messages
        )
        self.details.addWidget(attachments)
        self.details.setStretchFactor(0, 3)
        self.details.setStretchFactor(1, 1)
        self.scan_scroll.setWidget(scan_station)
        scan_station.attachment_did_add.connect(lambda _a: attachments.refresh())
        self.attachments, self.scan_station = attachments, scan_station
        return attachments, scan_station

    def _lease_code_blocks(self) -> None:
        Op(self, self.reception.ensure_code_blocks).success(lambda _n: self.refresh_status()).run()

    def _action(self, text: str, keys: str, slot: object, bar: QToolBar | None = None) -> QAction:
        """A command with its key for the whole window (whatever has the focus: the queue panel, a table…)."""
        act = QAction(text, self)
        if keys:
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        if bar is not None:
            bar.addAction(act)
        else:
            self.addAction(act)
        return act

    def _build(self) -> None:
        self.about = about_action(self, self.ctx.files_dir)  # F1, and in the account menu
        self.setWindowTitle(tr("MotCua Desk — Quầy tiếp nhận {n}", n=self.ctx.settings.counter.counter_number))
        bar = QToolBar(tr("Công cụ"))
        bar.setObjectName("tools")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.toolbar = bar
        self._action(tr("Tiếp nhận mới (Ctrl+N)"), "Ctrl+N", self.new_reception, bar)
        self._action(tr("Tra cứu (Ctrl+F)"), "Ctrl+F", self._focus_search, bar)
        self._action(tr("Sổ theo dõi (Mẫu 06)"), "", self._print_book, bar)
        bar.addSeparator()
        bar.addWidget(QLabel(tr(" Trả kết quả: ")))
        self.return_scan = QLineEdit()
        self.return_scan.setPlaceholderText(tr("quét giấy hẹn (F9)"))
        self.return_scan.setToolTip(tr("Quét mã vạch trên giấy hẹn để trả kết quả (F9)"))
        self.return_scan.setMinimumWidth(160)
        self.return_scan.setMaximumWidth(320)
        self.return_scan.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.return_scan.returnPressed.connect(self._return_by_scan)
        bar.addWidget(self.return_scan)
        self._action("", "F9", self._focus_return)
        bar.addSeparator()
        other = "English" if get_language() == "vi" else "Tiếng Việt"
        self.language_action = self._action(other, "", self._switch_language, bar)
        self._action("", "Ctrl+S", lambda: self._save(print_after=False))
        self._action("", "Ctrl+P", lambda: self._save(print_after=True))
        self._action("", "F3", self._focus_card)
        self._action("", "Ctrl+L", self._focus_procedure)

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 0)
        lay.setSpacing(4)
        self.messages = MessageBar()
        self.messages.set_idle_text(
            tr("Phím tắt: Ctrl+L tìm thủ tục · F3 quét thẻ · Ctrl+S lưu · Ctrl+P lưu và in · Ctrl+N tiếp nhận mới")
            + (tr(" · F2 gọi số tiếp") if self.queue is not None else "")
        )
        lay.addWidget(self.messages)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.reception_tab = ReceptionTab(self.reception, self.catalog, self.messages)
        self.search_tab = SearchTab(self.reception)
        self.dossier_view = DossierView(self.reception, self.printing, self.messages)
        details = QSplitter(Qt.Orientation.Horizontal)
        details.setChildrenCollapsible(False)
        details.addWidget(self.dossier_view)
        self.details = details
        # The scanning station may need more room than a small screen has: it scrolls rather than widen the window.
        scan_scroll = QScrollArea()
        scan_scroll.setWidgetResizable(True)
        scan_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scan_scroll = scan_scroll
        self.tabs.addTab(self.reception_tab, tr("Tiếp nhận hồ sơ"))
        self.tabs.addTab(self.search_tab, tr("Tra cứu hồ sơ"))
        self.tabs.addTab(details, tr("Chi tiết hồ sơ"))
        self.tabs.addTab(scan_scroll, tr("Số hóa"))
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.status_label = ElidedLabel()
        self.link_label = ElidedLabel()
        self.link_label.setObjectName("link")
        # Both may be shortened (their tooltips keep the whole text); the link comes first, it matters more.
        self.statusBar().addWidget(self.link_label, 3)
        self.statusBar().addWidget(self.status_label, 2)
        self.account_button = self._account_button()
        if self.account_button is not None:
            self.statusBar().addPermanentWidget(self.account_button)

        self.reception_tab.dossier_did_save.connect(self._on_saved)
        self.reception_tab.visit_guided.connect(self.print_guidance)
        self.search_tab.dossier_wanted.connect(self.open_dossier)
        self.dossier_view.dossier_did_change.connect(lambda _d: self.refresh_status())
        if self.queue is not None:
            self.queue_panel = QueuePanel(self.queue, self.ctx.settings.counter.counter_number, messages=self.messages)
            # F2 belongs to the window (below), so that it calls the next citizen even with the dock folded.
            self.queue_panel.call_next_button.setShortcut(QKeySequence())
            dock = QDockWidget(tr("Hàng đợi"), self)
            dock.setObjectName("queueDock")
            dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
            dock.setTitleBarWidget(QWidget())  # the panel has its own title; the fold button is in the toolbar
            dock.setWidget(self.queue_panel)
            self.queue_panel.setMaximumWidth(300)  # the forms need the room more on a 1280-pixel screen
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.queue_dock = dock
            fold = self._action(tr("Hàng đợi (F12)"), "F12", self._toggle_queue, bar)
            fold.setCheckable(True)
            fold.setChecked(True)
            fold.setToolTip(tr("Hiện hoặc thu gọn bảng hàng đợi"))
            self.queue_action = fold
            self._action("", "F2", self._call_next)
        self.refresh_status()

    # -- keys ----------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)
        if not self._focused_once:
            self._focused_once = True
            self.reception_tab.focus_procedure()  # a new reception starts with the procedure

    # -- the signed-in clerk ---------------------------------------------------------------------------------
    def _account_button(self) -> QPushButton | None:
        """The clerk's name, with their menu (lock, password, PIN, accounts for an administrator, another clerk).
        Only when the app signed someone in (tests and scripts build the window without)."""
        guard = SessionGuard.instance()
        session = self.ctx.session
        if guard is None or session is None:
            return None
        button = QPushButton(session.full_name)
        button.setToolTip(tr("Cán bộ đang đăng nhập: {name} ({role})", name=session.full_name, role=session.role.label))
        button.setFlat(True)
        menu = QMenu(button)
        menu.addAction(tr("Khóa màn hình"), lambda: guard.lock_now(self))
        menu.addAction(tr("Đổi mật khẩu…"), lambda: self._own_secret(guard, pin=False))
        menu.addAction(tr("Đặt mã PIN mở khóa…"), lambda: self._own_secret(guard, pin=True))
        if session.allows(Permission.MANAGE_ACCOUNTS):
            menu.addAction(tr("Quản lý tài khoản…"), lambda: UsersDialog(guard.accounts, self).exec())
            menu.addAction(tr("Thiết bị và mã truy cập…"), lambda: open_devices(self.ctx, self.queue, self))
        menu.addAction(tr("Cán bộ khác đăng nhập"), lambda: guard.switch_clerk(self))
        menu.addSeparator()
        menu.addAction(self.about)
        button.setMenu(menu)
        guard.session_did_change.connect(self._clerk_changed)
        guard.session_did_end.connect(self._clerk_left)
        return button

    def _own_secret(self, guard: SessionGuard, pin: bool) -> None:
        said = guard.change_own_secret(self, pin)
        if said:
            self.messages.show_message(said, "ok")

    def _clerk_left(self) -> None:
        if self.presence is not None:
            self.presence.announce(None)

    def _clerk_changed(self) -> None:
        s = self.ctx.session
        if self.presence is not None and s is not None:
            self.presence.announce(s.username)
        if s is not None and self.account_button is not None:
            self.account_button.setText(s.full_name)
        self.new_reception()  # the previous clerk's form in progress is not the new one's

    def new_reception(self) -> None:
        self.tabs.setCurrentWidget(self.reception_tab)
        self.reception_tab.clear()

    def _save(self, print_after: bool) -> None:
        self.tabs.setCurrentWidget(self.reception_tab)
        self.reception_tab.save(print_after)

    def _focus_card(self) -> None:
        self.tabs.setCurrentWidget(self.reception_tab)
        self.reception_tab.focus_card()

    def _focus_procedure(self) -> None:
        self.tabs.setCurrentWidget(self.reception_tab)
        self.reception_tab.focus_procedure()

    def _focus_return(self) -> None:
        self.return_scan.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.return_scan.selectAll()

    def _focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.search_tab)
        self.search_tab.query.setFocus()
        self.search_tab.query.selectAll()

    def _toggle_queue(self) -> None:
        if self.queue_dock is not None:
            self.queue_dock.setVisible(not self.queue_dock.isVisible())
            self.queue_action.setChecked(self.queue_dock.isVisible())

    def _call_next(self) -> None:
        panel = self.queue_panel
        if panel is not None and panel.call_next_button.isEnabled():
            panel.call_next()

    def _card_unreadable(self, message: str) -> None:
        self.messages.show_message(message, "error", topic="card")

    def _card_scanned(self, card: CccdData) -> None:
        """A card read by the scanner in some other field: it is the applicant's."""
        tab = self.reception_tab
        self.tabs.setCurrentWidget(tab)
        tab.applicant.fill(card.to_applicant())
        tab.applicant.applicant_did_fill.emit(tr("thẻ căn cước"))
        tab.applicant.phone.setFocus(Qt.FocusReason.OtherFocusReason)

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

    def print_receipt(self, d: Dossier, reprint: bool = False) -> None:
        """After the save committed: the A4 Mẫu 01 on the A4 printer (a PDF copy is kept), and the thermal
        receipt when a receipt printer is set up. Each print is recorded only once its printer took it."""
        a4 = self.a4.choose(self, tr("In giấy tiếp nhận hồ sơ {code}", code=d.code))  # None: the clerk said no
        printing = self.printing
        thermal = self.ctx.printer is not None

        def work() -> PrintOutcome:
            pdf = printing.receipt_pdf(d)
            path = printing.save(pdf, f"{d.code}-mau01.pdf")
            errors: list[MotcuaError] = []
            a4_done = thermal_done = False
            if a4 is not None:
                try:
                    print_pdf(a4, pdf)
                    a4_done = True
                    printing.record_a4_print(d)
                except MotcuaError as exc:
                    errors.append(exc)
            if thermal:
                try:
                    printing.print_thermal(d, reprint=reprint)
                    thermal_done = True
                except MotcuaError as exc:
                    errors.append(exc)
            return PrintOutcome(path, a4_done, thermal_done, errors)

        Op(self, work).success(lambda o: self._printed(d, o)).failure(lambda e: self._print_failed(d, e)).run()

    def print_guidance(self, visit: Visit) -> None:
        """Mẫu 02 for a citizen guided without a reception: to the A4 printer, a PDF copy kept."""
        a4 = self.a4.choose(self, tr("In phiếu hướng dẫn (Mẫu 02)"))
        printing = self.printing

        def work() -> tuple[Path, bool]:
            pdf = printing.guidance_pdf(visit)
            path = printing.save(pdf, f"{visit.id}-mau02.pdf")
            if a4 is not None:
                print_pdf(a4, pdf)
            return path, a4 is not None

        def done(result: tuple[Path, bool]) -> None:
            path, printed = result
            text = (
                tr("Đã ghi lượt hướng dẫn và in Phiếu hướng dẫn (Mẫu 02)")
                if printed
                else tr("Đã ghi lượt hướng dẫn và tạo Phiếu hướng dẫn (Mẫu 02), chưa in")
            )
            self.messages.show_message(
                text, "ok", {tr("Mở bản in"): lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))}
            )
            self.refresh_status()

        Op(self, work).success(done).failure(lambda e: self.messages.show_error(e)).run()

    def _print_failed(self, d: Dossier, exc: BaseException) -> None:
        self.messages.show_message(
            tr("Hồ sơ {code} đã lưu, nhưng chưa in được: {error}", code=d.code, error=describe_error(exc)),
            "error",
            {tr("In lại"): lambda: self.print_receipt(d)},
        )

    def _printed(self, d: Dossier, o: PrintOutcome) -> None:
        if o.errors:
            self._print_failed(d, o.errors[0])
            return
        open_pdf = {tr("Mở bản in"): lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(o.path)))}
        if o.a4:
            text = tr("Đã lưu và in giấy tiếp nhận hồ sơ <b>{code}</b>", code=d.code)
        else:
            text = tr("Đã lưu hồ sơ <b>{code}</b> và tạo giấy tiếp nhận (chưa in khổ A4)", code=d.code)
        self.messages.show_message(text, "ok", {**open_pdf, tr("In lại"): lambda: self.print_receipt(d, reprint=True)})

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
        attachments, scan_station = self.ensure_scanning()
        self.dossier_view.show_dossier(d)
        attachments.show_dossier(d.code)
        scan_station.refresh_dossier()
        self.tabs.setCurrentWidget(self.details)

    def _return_by_scan(self) -> None:
        text = self.return_scan.text()
        self.return_scan.clear()
        if not text.strip():
            return
        Op(self, lambda: self.reception.find_scanned(text)).success(self._confirm_return).failure(
            lambda e: self.messages.show_error(e)
        ).run()

    def _confirm_return(self, d: Dossier) -> None:
        # Asked only when the hand-over can happen: otherwise the service says why not.
        if d.status in (Status.RESOLVED, Status.STOPPED):
            question = final_question(Action.RETURN_RESULT, d.code, d.applicant.name)
            if not dialogs.confirm(self, Action.RETURN_RESULT.label, question, tr("Việc này không hoàn tác được.")):
                return
        code = d.code
        Op(self, lambda: self.reception.return_by_scan(code)).success(self._returned).failure(
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
        text = tr(
            "Hôm nay: {today} hồ sơ · Số mã còn dự trữ: {codes} · Máy trạm {station}",
            today=s.received_today,
            codes=s.codes_left_today,
            station=self.ctx.station_id,
        )
        if s.guided_today:
            text += tr(" · Hướng dẫn: {n}", n=s.guided_today)
        fees = s.fees_today
        if fees.cash_vnd or fees.transfer_vnd:
            text += tr(" · Đã thu: {amount}", amount=money(fees.cash_vnd + fees.transfer_vnd))
        self.status_label.setText(text)
        self.status_label.set_tip(
            tr("Phí, lệ phí hôm nay tại máy này: tiền mặt {cash}, chuyển khoản {transfer}, chưa thu {unpaid}",
               cash=money(fees.cash_vnd), transfer=money(fees.transfer_vnd), unpaid=money(fees.unpaid_vnd))
        )  # fmt: skip
        text, tone = link_text(s)
        self.link_label.setText(text)
        self.link_label.setProperty("tone", tone)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)
        self.link_label.set_tip(s.link.last_error if s.link is not None and s.link.last_error else "")

    # -- language ------------------------------------------------------------------------------------------
    def _switch_language(self) -> CounterWindow:
        """Rebuild the window in the other language (every label is made by tr() when a widget is built),
        carrying over what the clerk was doing: the reception in progress, the open dossier, the search."""
        from motcua.ui.app import install_qt_translations

        lang = "en" if get_language() == "vi" else "vi"
        form = self.reception_tab.state()
        tab = self.tabs.currentIndex()
        dossier = self.dossier_view.dossier()
        search = self.search_tab.query.text()
        queue_shown = self.queue_dock is None or self.queue_dock.isVisible()
        set_language(lang)
        app = QApplication.instance()
        if app is not None:
            install_qt_translations(app, lang)
        replacement = CounterWindow(self.ctx, self.queue)
        replacement._focused_once = True  # the focus goes back where it was, not to a new reception
        replacement.setGeometry(self.geometry())
        if self.isMaximized():
            replacement.setWindowState(Qt.WindowState.WindowMaximized)
        replacement.reception_tab.restore(form)
        if dossier is not None:
            replacement.dossier_view.show_dossier(dossier)
            replacement.ensure_scanning()[0].show_dossier(dossier.code)
        if search:
            replacement.search_tab.query.setText(search)
        replacement.tabs.setCurrentIndex(tab)
        if not queue_shown:
            replacement._toggle_queue()
        _OPEN_WINDOWS.add(replacement)
        replacement.destroyed.connect(lambda *_: _OPEN_WINDOWS.discard(replacement))
        replacement.show()
        self._replaced = True
        self.close()
        return replacement

    def _start_health(self, queue: QueueApi) -> HealthReporter:
        """This counter PC's heartbeat to the centre, with its receipt printer's paper."""
        number = self.ctx.settings.counter.counter_number
        printing = self.printing
        return HealthReporter(
            queue, self, DeviceRole.COUNTER, device=self.ctx.station_id, counter=number, paper=printing.paper_state
        ).start()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.health is not None:
            self.health.stop()
        if self.presence is not None and not self._replaced:
            self.presence.leave()  # the app closes (or this window): nobody at the counter
        if self.queue_panel is not None:
            self.queue_panel.link.close()  # child widgets get no close event of their own
        super().closeEvent(event)


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
