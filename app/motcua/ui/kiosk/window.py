"""The kiosk: a citizen touches a service (and, if it applies, a priority group) and gets a printed number; and,
when the centre takes ratings here, rates a service by the number on their ticket (:mod:`motcua.ui.kiosk.rating`).

A number appears on screen only after the centre saved it *and* the printer printed it
(:meth:`KioskService.take_number`); every refusal (service closed, out of paper, centre unreachable) is shown in
big plain words, with "no number was given to you". The kiosk speaks its own language, switched by the citizen
and reset to Vietnamese for the next one: labels are made with ``tr(..., lang=self.lang)`` and the work runs
inside ``language(self.lang)``, so a clerk's window in the same process keeps its own language.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QLayout, QMainWindow, QStackedWidget, QWidget

from motcua.domain.device_health import DeviceRole
from motcua.domain.queue import CentreUnreachableError, ServiceClosedError
from motcua.domain.queue_views import IssuedTicket, KioskView
from motcua.i18n import DEFAULT_LANGUAGE, language, tr
from motcua.services.queue.api import QueueApi
from motcua.services.queue.kiosk import KioskService, TicketNotPrintedError
from motcua.ui.display.big_type import screen_scale
from motcua.ui.health import HealthReporter
from motcua.ui.kiosk.keypad import prefix_letters
from motcua.ui.kiosk.pages import MessagePage, ResultPage, StartPage
from motcua.ui.kiosk.rating import RatingFlow
from motcua.ui.kiosk.widgets import kiosk_style
from motcua.ui.ops import Op
from motcua.ui.queue_link import QueueLink, RefreshGate
from motcua.ui.widgets.message_bar import describe_error

_INPUT = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress, QEvent.Type.Wheel})
RETURN_AFTER_MS = 10_000  # the result stays long enough to read, then the next citizen gets the start screen
ERROR_RETURN_AFTER_MS = 15_000
VIEW_REFRESH_MS = 30_000  # opening hours change with the clock, not with a queue event


class KioskWindow(QMainWindow):
    """Take-a-number screen.

    Args:
        api: the queue (for the services offered and their waiting counts).
        kiosk: prints and issues (its printer may be a fake: ``demo``).
        demo: no real printer is configured; the screen says so.
        poll_ms: the queue link's polling interval.
    """

    def __init__(
        self, api: QueueApi, kiosk: KioskService, demo: bool = False, poll_ms: int = 2000, idle_ms: int = 60_000
    ) -> None:
        super().__init__()
        self.api = api
        self.kiosk = kiosk
        self.demo = demo
        self.lang = DEFAULT_LANGUAGE
        self.view: KioskView | None = None
        self.last_issued: IssuedTicket | None = None
        self._offline = False
        self._scale = 0.0
        self.setObjectName("kioskRoot")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._build()
        # The type scales to the window, so any size will do: the window never insists on its content's
        # minimum (on a one-PC centre it shares the screen with the counter).
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.resize(1366, 768)
        self._restyle()
        self._return_timer = QTimer(self)
        self._return_timer.setSingleShot(True)
        self._return_timer.timeout.connect(self.back_to_start)
        self._gate = RefreshGate(self, api.kiosk_view, self._show_view, self._view_failed)
        self.link = QueueLink(api, self, poll_ms)
        self.link.queue_did_change.connect(self._gate.request)
        self.link.connection_did_change.connect(self._connection)
        self._view_timer = QTimer(self)
        self._view_timer.timeout.connect(self._gate.request)
        self._view_timer.start(VIEW_REFRESH_MS)
        QShortcut(QKeySequence("F11"), self, self._toggle_full_screen)
        # A citizen who walks away mid-way (English chosen, priority ticked, half a rating) leaves the next one a
        # kiosk in the first screen, in Vietnamese: any touch or key restarts the wait.
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_ms)
        self._idle.timeout.connect(self._idle_home)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._idle.start()
        self.link.start()
        self._gate.request()
        self.health = HealthReporter(api, self, DeviceRole.KIOSK, device=kiosk.kiosk_id, paper=kiosk.paper_state)
        self.health.start()

    # -- building ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        """(Re)make the pages in the current language; the last kiosk view is shown again at once."""
        while self.stack.count():
            page = self.stack.widget(0)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.setWindowTitle(tr("MotCua Desk — Ki-ốt lấy số thứ tự", lang=self.lang))
        self.start_page = StartPage(self.lang, self.demo)
        self.start_page.service_chosen.connect(self.take_number)
        self.start_page.language_wanted.connect(self.switch_language)
        self.start_page.rating_wanted.connect(self.open_rating)
        self.busy_page = QLabel(tr("Đang cấp số và in phiếu…", lang=self.lang))
        self.busy_page.setObjectName("busy")
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_page = ResultPage(self.lang, self.demo)
        self.error_page = MessagePage(self.lang)
        self.rating_flow = RatingFlow(self.api, self.kiosk.kiosk_id, self.lang)
        self.rating_flow.finished.connect(self.back_to_start)
        for page in (self.start_page, self.busy_page, self.result_page, self.error_page, self.rating_flow):
            page.setObjectName(page.objectName() or "kioskRoot")
            self.stack.addWidget(page)
        self.result_page.done.connect(self.back_to_start)
        self.error_page.done.connect(self.back_to_start)
        self.start_page.set_landscape(self.width() >= self.height())
        if self._scale:  # (at the first build, _restyle follows)
            self.rating_flow.set_scale(self._scale, self.width() >= self.height())
        if self.view is not None:
            self.start_page.show_view(self.view)
        self.start_page.set_offline(self._offline)

    def _restyle(self) -> None:
        """Type and touch targets follow the kiosk's screen; services go side by side on a landscape one."""
        landscape = self.width() >= self.height()
        self.start_page.set_landscape(landscape)
        scale = screen_scale(self.width(), self.height())
        if abs(scale - self._scale) >= 0.01:
            self._scale = scale
            self.setStyleSheet(kiosk_style(scale))
            self.rating_flow.set_scale(scale, landscape)
        self.rating_flow.number_page.set_landscape(landscape)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        self._restyle()
        super().resizeEvent(event)

    def switch_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self._build()

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # -- the queue -----------------------------------------------------------------------------------------
    def _show_view(self, view: KioskView) -> None:
        self.view = view
        self.start_page.show_view(view)

    def _view_failed(self, exc: Exception) -> None:
        self._connection(False)

    def _connection(self, online: bool) -> None:
        self._offline = not online
        self.start_page.set_offline(self._offline)
        if online:
            self._gate.request()

    # -- taking a number -----------------------------------------------------------------------------------
    def take_number(self, service: str, group: str | None) -> None:
        """Issue and print a ticket of ``service``; the number is shown only when both are done."""
        if self.stack.currentWidget() is self.busy_page:
            return  # a second touch while the first is being served must not make a second ticket
        self.stack.setCurrentWidget(self.busy_page)
        kiosk, lang = self.kiosk, self.lang

        def work() -> IssuedTicket:
            with language(lang):  # refusals come back in the citizen's language
                return kiosk.take_number(service, group)

        Op(self, work).success(self._issued).failure(self._refused).run()

    def _issued(self, issued: IssuedTicket) -> None:
        self.last_issued = issued
        self.result_page.show_ticket(issued)
        self.stack.setCurrentWidget(self.result_page)
        self._return_timer.start(RETURN_AFTER_MS)
        self.result_page.start_countdown(RETURN_AFTER_MS)
        self._gate.request()

    def _refused(self, exc: Exception) -> None:
        self.last_issued = None
        lang = self.lang
        if isinstance(exc, ServiceClosedError):
            title = tr("Dịch vụ này đang ngoài giờ tiếp nhận", lang=lang)
        elif isinstance(exc, TicketNotPrintedError):
            title = tr("Không in được phiếu", lang=lang)
        elif isinstance(exc, CentreUnreachableError):
            title = tr("Không kết nối được máy chủ trung tâm", lang=lang)
        else:
            title = tr("Chưa lấy được số", lang=lang)
        with language(lang):
            detail = describe_error(exc)
        self.error_page.show_message(title, detail, tr("Chưa cấp số thứ tự nào cho bạn.", lang=lang))
        self.stack.setCurrentWidget(self.error_page)
        self._return_timer.start(ERROR_RETURN_AFTER_MS)
        self._gate.request()

    # -- rating ------------------------------------------------------------------------------------------------
    def open_rating(self) -> None:
        """The rating step, with a keypad of the letters of today's services' prefixes."""
        if self.view is None or not self.view.rating or self.stack.currentWidget() is not self.start_page:
            return  # (a touch on a button the last view of the centre hid)
        self.rating_flow.start(prefix_letters(s.prefix for s in self.view.services))
        self.stack.setCurrentWidget(self.rating_flow)

    def back_to_start(self) -> None:
        self._return_timer.stop()
        self.rating_flow.stop()
        self.result_page.stop_countdown()
        if self.lang != DEFAULT_LANGUAGE:  # the next citizen starts in Vietnamese
            self.lang = DEFAULT_LANGUAGE
            self._build()
        self.start_page.reset()
        self.stack.setCurrentWidget(self.start_page)

    def _idle_home(self) -> None:
        if self.stack.currentWidget() is self.busy_page:  # a ticket being printed: its result is shown first
            self._idle.start()
            return
        if self.stack.currentWidget() is not self.start_page or self.lang != DEFAULT_LANGUAGE or self.start_page.dirty:
            self.back_to_start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() in _INPUT and isinstance(obj, QWidget) and obj.window() is self:
            self._idle.start()
        return False

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def closeEvent(self, event: object) -> None:  # Qt's name
        self._idle.stop()
        self.link.close()
        self.health.stop()
        self.rating_flow.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
