"""The supervisor's window: today live (counters, queues, dossiers, sync, satisfaction), the charts, the overdue
dossiers, the reports and the Decision 766 index; and the supervisor's moves (open any dossier, pause or re-assign
a counter, repair the sync, adjust the calendar).

It fits a 1366×768 screen in Vietnamese and in English: tiles and tables shorten long names (tooltips have them
whole), charts take what room is left, and every dialog opens smaller than the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.accounts import Permission
from motcua.domain.reports.service_index import indicators_from
from motcua.i18n import get_language, language, set_language, tr
from motcua.services.calendar_admin import CalendarAdmin
from motcua.services.context import AppContext
from motcua.services.printing import PrintingService
from motcua.services.queue.api import QueueApi
from motcua.services.reception import ReceptionService
from motcua.services.report_archive import ReportArchive, archive_due
from motcua.services.report_files import ReportFiles
from motcua.services.reports import ReportService
from motcua.services.status import StatusService
from motcua.ui.about import about_action
from motcua.ui.accounts.devices_dialog import open_devices
from motcua.ui.accounts.session_guard import SessionGuard
from motcua.ui.ops import Op
from motcua.ui.supervisor.access import may_supervise, refusal
from motcua.ui.supervisor.calendar_dialog import CalendarDialog
from motcua.ui.supervisor.charts_view import ChartsView
from motcua.ui.supervisor.counter_actions import CounterActions
from motcua.ui.supervisor.dashboard import DashboardTab
from motcua.ui.supervisor.dossier_dialog import DossierDialog
from motcua.ui.supervisor.index_view import IndexView
from motcua.ui.supervisor.live import LiveFeed, LiveReader, LiveState, QueueSnapshots
from motcua.ui.supervisor.look import SUPERVISOR_STYLE
from motcua.ui.supervisor.makers import ReportDocuments
from motcua.ui.supervisor.overdue_view import OverdueView
from motcua.ui.supervisor.reports_tab import ReportsTab
from motcua.ui.supervisor.sync_dialog import SyncDesk, SyncDialog
from motcua.ui.widgets.a4_print import A4Printer
from motcua.ui.widgets.elided_label import ElidedLabel
from motcua.ui.widgets.message_bar import MessageBar


class SupervisorWindow(QMainWindow):
    """Args:
    ctx: the workstation (its database holds every dossier of the centre).
    queue: the centre's queue (None: dossiers only, no counters to act on).
    files: makes the report files (default: :class:`~motcua.services.report_files.ReportFiles`).
    sync: the sync repairs (None: the dialog says where they are made).
    archive_dir: where daily summaries are kept (default: the data folder's ``reports``); while the window is open,
        the day's summary is kept there at closing time, and the missing ones of the days before
        (``[reports]`` settings).
    refresh_ms, poll_ms: how often dossiers are re-read, and the queue polled.
    """

    hides_when_locked = True  # dossier codes and clerks' names: covered while the idle lock is up

    def __init__(
        self,
        ctx: AppContext,
        queue: QueueApi | None = None,
        *,
        files: ReportDocuments | None = None,
        sync: SyncDesk | None = None,
        archive_dir: Path | None = None,
        refresh_ms: int = 15_000,
        poll_ms: int = 2000,
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.queue = queue
        self.sync = sync
        self._args: dict[str, Any] = {
            "files": files,
            "sync": sync,
            "archive_dir": archive_dir,
            "refresh_ms": refresh_ms,
            "poll_ms": poll_ms,
        }
        self.reports = ReportService(
            ctx, QueueSnapshots(queue) if queue is not None else None, indicators_from(ctx.settings.reports.index)
        )
        self.files: ReportDocuments = files or ReportFiles(ctx)
        self.archive = ReportArchive(archive_dir or ctx.files_dir / "reports")
        self.status_service = StatusService(ctx)
        self.reception = ReceptionService(ctx)
        self.printing = PrintingService(ctx)
        self.a4 = A4Printer(ctx.settings.printer.a4_printer)
        self.state: LiveState | None = None
        self.dialog: QDialog | None = None  # the dialog opened last (tests drive it)
        self.setStyleSheet(SUPERVISOR_STYLE)
        self.setWindowTitle(tr("MotCua Desk — Giám sát: {centre}", centre=ctx.settings.centre.name))
        self.resize(1366, 720)
        self._build()
        self.live = LiveFeed(self, LiveReader(self.reports, self.status_service, queue), queue, refresh_ms, poll_ms)
        self.live.state_did_change.connect(self._show_state)
        self.live.read_did_fail.connect(lambda exc: self.messages.show_error(exc, topic="live"))
        if self.live.link is not None:
            self.live.link.connection_did_change.connect(self._queue_online)
        self.live.start()
        # The archive's summaries are made by the supervisor's window: at closing time, and those missed while the
        # PC was off (checked now and every minute).
        self._archiving = False
        self._archive_timer = QTimer(self)
        self._archive_timer.timeout.connect(self.archive_due)
        self._archive_timer.start(60_000)
        self.archive_due()

    # -- building ------------------------------------------------------------------------------------------------
    def _action(self, text: str, keys: str, slot: object, bar: QToolBar | None) -> QAction:
        act = QAction(text, self)
        if keys:
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        (bar or self).addAction(act)
        return act

    def _build(self) -> None:
        self.about = about_action(self, self.ctx.files_dir)  # F1, and in the account menu
        bar = QToolBar(tr("Công cụ"))
        bar.setObjectName("tools")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.toolbar = bar
        self._action(tr("Mở hồ sơ… (Ctrl+O)"), "Ctrl+O", lambda: self.open_dossier(""), bar)
        self._action(tr("Xử lý đồng bộ…"), "", self.open_sync, bar)
        self._action(tr("Lịch làm việc…"), "", self.open_calendar, bar)
        self._action(tr("Làm mới (F5)"), "F5", self.refresh, bar)
        bar.addSeparator()
        other = "English" if get_language() == "vi" else "Tiếng Việt"
        self.language_action = self._action(other, "", self.switch_language, bar)

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 0)
        lay.setSpacing(4)
        self.messages = MessageBar()
        self.messages.set_idle_text(tr("Số liệu hôm nay tự cập nhật · F5 làm mới · Ctrl+O mở hồ sơ"))
        lay.addWidget(self.messages)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.dashboard = DashboardTab(can_act=self.queue is not None)
        self.charts = ChartsView()
        self.overdue = OverdueView()
        self.reports_tab = ReportsTab(
            self.reports, self.status_service, self.files, self.archive, self.a4, self.messages
        )
        self.index_view = IndexView(self.reports, self.messages)
        self.tabs.addTab(self.dashboard, tr("Bảng điều khiển"))
        self.tabs.addTab(self.charts, tr("Biểu đồ"))
        self.tabs.addTab(self.overdue, tr("Hồ sơ quá hạn"))
        self.tabs.addTab(self.reports_tab, tr("Báo cáo"))
        self.tabs.addTab(self.index_view, tr("Chỉ số 766"))
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.updated_label = ElidedLabel()
        self.link_label = ElidedLabel()
        self.link_label.setObjectName("link")
        self.statusBar().addWidget(self.link_label, 2)
        self.statusBar().addWidget(self.updated_label, 3)
        account = self._account_button()
        if account is not None:
            self.statusBar().addPermanentWidget(account)

        self.overdue.dossier_wanted.connect(self.open_dossier)
        if self.queue is not None:
            self.counter_actions: CounterActions | None = CounterActions(self, self.queue, self.messages, self.refresh)
            self.dashboard.counters.pause_wanted.connect(self.counter_actions.set_paused)
            self.dashboard.counters.services_wanted.connect(
                lambda n: self.counter_actions and self.counter_actions.choose_services(n, self._board())
            )
        else:
            self.counter_actions = None
            self._set_link(tr("Không có hàng đợi: chỉ số liệu hồ sơ"), "warn")

    def _account_button(self) -> QPushButton | None:
        """The signed-in supervisor's name, with the lock and "another person signs in" (only in the app)."""
        guard = SessionGuard.instance()
        session = self.ctx.session
        if guard is None or session is None:
            return None
        button = QPushButton(session.full_name)
        button.setFlat(True)
        button.setToolTip(tr("Đang đăng nhập: {name} ({role})", name=session.full_name, role=session.role.label))
        menu = QMenu(button)
        menu.addAction(tr("Khóa màn hình"), lambda: guard.lock_now(self))
        menu.addAction(tr("Người khác đăng nhập"), lambda: guard.switch_clerk(self))
        if session.allows(Permission.MANAGE_ACCOUNTS):
            menu.addAction(tr("Thiết bị và mã truy cập…"), lambda: open_devices(self.ctx, self.queue, self))
        menu.addSeparator()
        menu.addAction(self.about)
        button.setMenu(menu)
        self.account_button = button
        guard.session_did_change.connect(self.session_changed)
        return button

    # -- live ----------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.live.refresh()

    def _board(self) -> Any:
        return self.state.board if self.state is not None else None

    def _show_state(self, state: LiveState) -> None:
        self.state = state
        self.messages.clear("live")
        s = state.summary
        self.dashboard.show_state(state)
        self.charts.show_summary(s)
        self.overdue.show_rows(s.overdue)
        index = self.tabs.indexOf(self.overdue)
        self.tabs.setTabText(index, tr("Hồ sơ quá hạn ({n})", n=len(s.overdue)) if s.overdue else tr("Hồ sơ quá hạn"))
        self.updated_label.setText(tr("Cập nhật lúc {time}", time=s.as_of.strftime("%H:%M:%S")))

    def _queue_online(self, online: bool) -> None:
        if online:
            self._set_link(tr("● Hàng đợi: trực tuyến"), "ok")
        else:
            self._set_link(tr("● Hàng đợi: mất kết nối với trung tâm"), "error")

    def _set_link(self, text: str, tone: str) -> None:
        self.link_label.setText(text)
        self.link_label.setProperty("tone", tone)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)

    def archive_due(self) -> None:
        """Keep the summaries due in the archive (off the GUI thread; one run at a time)."""
        if self._archiving:
            return
        self._archiving = True
        reports, files, archive = self.reports, self.files, self.archive

        def work() -> list[Path]:
            with language("vi"):  # official papers, whatever the screen's language (this thread only)
                return archive_due(reports, files, archive)  # type: ignore[arg-type]  # any ReportDocuments

        def done(paths: list[Path]) -> None:
            self._archiving = False
            if paths:
                self.reports_tab.archive.refresh()

        def failed(exc: Exception) -> None:
            self._archiving = False
            self.messages.show_error(exc, topic="archive")

        Op(self, work).success(done).failure(failed).run()

    # -- the supervisor's moves -----------------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        """Window-modal, not blocking: the dashboard keeps updating behind the dialog."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_dossier(self, code: str) -> None:
        dialog = self._open(DossierDialog(self.reception, self.printing, code, self))
        if not code:
            assert isinstance(dialog, DossierDialog)
            dialog.search.query.setFocus()

    def open_sync(self) -> None:
        if self.sync is None:
            self.messages.show_message(
                tr("Máy này không giữ danh sách đồng bộ cần xử lý; hãy xử lý tại máy chủ của trung tâm."), "warn"
            )
            return
        self._open(SyncDialog(self.sync, self))

    def open_calendar(self) -> None:
        self._open(CalendarDialog(CalendarAdmin(self.ctx), self.ctx.clock().date(), self))

    # -- who is signed in ----------------------------------------------------------------------------------------
    def session_changed(self) -> None:
        """Another person signed in at the lock: a clerk may not stay on this window."""
        s = self.ctx.session
        if s is not None and hasattr(self, "account_button"):
            self.account_button.setText(s.full_name)
        if not may_supervise(self.ctx):
            QMessageBox.warning(self, tr("Chế độ giám sát"), refusal(self.ctx))
            self.close()

    # -- language ------------------------------------------------------------------------------------------------
    def switch_language(self) -> SupervisorWindow:
        """Rebuild the window in the other language (every label is made by tr() when a widget is built)."""
        from motcua.ui.app import install_qt_translations

        lang = "en" if get_language() == "vi" else "vi"
        tab = self.tabs.currentIndex()
        set_language(lang)
        app = QApplication.instance()
        if app is not None:
            install_qt_translations(app, lang)
        replacement = SupervisorWindow(self.ctx, self.queue, **self._args)
        replacement.setGeometry(self.geometry())
        if self.isMaximized():
            replacement.setWindowState(Qt.WindowState.WindowMaximized)
        replacement.tabs.setCurrentIndex(tab)
        _OPEN_WINDOWS.add(replacement)
        replacement.destroyed.connect(lambda *_: _OPEN_WINDOWS.discard(replacement))
        replacement.show()
        self.close()
        return replacement

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.close()
        self._archive_timer.stop()
        super().closeEvent(event)


# Windows made by a language switch have no other owner; they live here until closed.
_OPEN_WINDOWS: set[SupervisorWindow] = set()
