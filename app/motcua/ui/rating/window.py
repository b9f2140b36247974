"""The rating pad beside a counter: a citizen touches how satisfied they are, and the centre records it for the
ticket served there (``motcua run --mode rating``; the counter is ``[counter] counter_number``).

The pad never decides what is rated: the centre does (the ticket served at the counter, or the one just finished
there), so a pad cannot be pointed at another citizen's ticket. "Not satisfied" asks for optional reasons first.
A thank-you screen, or a refusal in plain words (nothing to rate now, already rated, centre unreachable), returns
to the choices by itself. Like the kiosk, the pad speaks the citizen's language and resets to Vietnamese for the
next one; the call to the centre runs off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QLabel, QLayout, QMainWindow, QStackedWidget, QWidget

from motcua.domain.device_health import DeviceRole
from motcua.domain.queue import AccessDeniedError, CentreUnreachableError
from motcua.domain.queue_rating import AlreadyRatedError, NothingToRateError
from motcua.domain.queue_views import RatingPadView
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.i18n import DEFAULT_LANGUAGE, language, tr
from motcua.services.queue.api import QueueApi
from motcua.ui.display.big_type import screen_scale
from motcua.ui.health import HealthReporter
from motcua.ui.ops import Op
from motcua.ui.queue_link import QueueLink, RefreshGate
from motcua.ui.rating.pages import ChoosePage, MessagePage, ReasonsPage, ThanksPage
from motcua.ui.rating.widgets import rating_style
from motcua.ui.widgets.message_bar import describe_error

THANKS_MS = 5_000  # long enough to read "thank you", short enough for the next citizen
ERROR_MS = 10_000
REASONS_IDLE_MS = 45_000  # a citizen who walked away from the reasons: the next one starts at the choices


class RatingWindow(QMainWindow):
    """The rating pad of one counter.

    Args:
        api: the queue (in-process, or the centre server with this pad's "rating" token).
        counter: the counter the pad stands at.
        poll_ms: the queue link's polling interval.
        device: the pad's name in its health reports (over HTTP: its token's); default ``rating-<counter>``.
    """

    def __init__(self, api: QueueApi, counter: int, poll_ms: int = 2000, device: str = "") -> None:
        super().__init__()
        self.api = api
        self.counter = counter
        self.lang = DEFAULT_LANGUAGE
        self.view: RatingPadView | None = None
        self.saved = 0  # ratings this pad saved since it started (nothing about them is kept)
        self._offline = False
        self._scale = 0.0
        self.setObjectName("ratingRoot")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._build()
        # The type follows the window, so any size will do (a 1024x600 tablet, a 1366x768 screen).
        layout = self.layout()
        if layout is not None:
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.resize(1366, 768)
        self._restyle()
        self._return_timer = QTimer(self)
        self._return_timer.setSingleShot(True)
        self._return_timer.timeout.connect(self.back_to_start)
        self._gate = RefreshGate(self, lambda: api.rating_view(counter), self._show_view, self._view_failed)
        self.link = QueueLink(api, self, poll_ms)
        self.link.queue_did_change.connect(self._gate.request)
        self.link.connection_did_change.connect(self._connection)
        QShortcut(QKeySequence("F11"), self, self._toggle_full_screen)
        self.link.start()
        self._gate.request()
        name = device or f"rating-{counter}"
        self.health = HealthReporter(api, self, DeviceRole.RATING, device=name, counter=counter).start()

    # -- building ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        """(Re)make the pages in the current language; the last view is shown again at once."""
        while (page := self.stack.widget(0)) is not None:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.setWindowTitle(tr("MotCua Desk — Đánh giá mức độ hài lòng", lang=self.lang))
        self.choose_page = ChoosePage(self.lang)
        self.choose_page.level_chosen.connect(self.choose)
        self.choose_page.language_wanted.connect(self.switch_language)
        self.reasons_page = ReasonsPage(self.lang)
        self.reasons_page.send.connect(lambda codes: self.send(RatingLevel.DISSATISFIED, codes))
        self.reasons_page.back.connect(self.back_to_start)
        self.busy_page = QLabel(tr("Đang gửi đánh giá…", lang=self.lang))
        self.busy_page.setObjectName("busy")
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_page.setWordWrap(True)
        self.thanks_page = ThanksPage(self.lang)
        self.error_page = MessagePage(self.lang)
        self.error_page.done.connect(self.back_to_start)
        for page in (self.choose_page, self.reasons_page, self.busy_page, self.thanks_page, self.error_page):
            page.setObjectName(page.objectName() or "ratingRoot")
            self.stack.addWidget(page)
        if self.view is not None:
            self._show_view(self.view)
        self.choose_page.set_offline(self._offline)

    def _restyle(self) -> None:
        scale = screen_scale(self.width(), self.height())
        if abs(scale - self._scale) >= 0.01:
            self._scale = scale
            self.setStyleSheet(rating_style(scale))

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        self._restyle()
        super().resizeEvent(event)

    def switch_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self._build()

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # -- the queue -----------------------------------------------------------------------------------------
    def _show_view(self, view: RatingPadView) -> None:
        self.view = view
        self.choose_page.show_view(view)
        self.reasons_page.set_reasons(view.reasons)

    def _view_failed(self, exc: Exception) -> None:
        self._connection(False)

    def _connection(self, online: bool) -> None:
        self._offline = not online
        self.choose_page.set_offline(self._offline)
        if online:
            self._gate.request()

    # -- rating --------------------------------------------------------------------------------------------
    def choose(self, level: RatingLevel) -> None:
        """A touch on one of the three choices: "not satisfied" asks for reasons first (when any are set up)."""
        if self.stack.currentWidget() is not self.choose_page:
            return
        if level is RatingLevel.DISSATISFIED and self.reasons_page.toggles:
            self.reasons_page.clear()
            self.stack.setCurrentWidget(self.reasons_page)
            self._return_timer.start(REASONS_IDLE_MS)
            return
        self.send(level, ())

    def send(self, level: RatingLevel, reasons: tuple[str, ...]) -> None:
        if self.stack.currentWidget() is self.busy_page:
            return  # a second touch while the first is on its way must not rate twice
        self._return_timer.stop()
        self.stack.setCurrentWidget(self.busy_page)
        api, counter, lang = self.api, self.counter, self.lang

        def work() -> RatingFact:
            with language(lang):
                return api.rate(counter, level, reasons)

        Op(self, work).success(self._rated).failure(self._refused).run()

    def _rated(self, _fact: RatingFact) -> None:
        self.saved += 1
        self.stack.setCurrentWidget(self.thanks_page)
        self._return_timer.start(THANKS_MS)
        self._gate.request()

    def _refused(self, exc: Exception) -> None:
        lang = self.lang
        if isinstance(exc, NothingToRateError):
            title = tr("Hiện chưa có lượt phục vụ nào để đánh giá", lang=lang)
            detail = tr("Quý khách vui lòng đánh giá khi đang hoặc vừa được phục vụ tại quầy này.", lang=lang)
        elif isinstance(exc, AlreadyRatedError):
            title = tr("Lượt phục vụ này đã được đánh giá", lang=lang)
            detail = tr("Mỗi lượt phục vụ chỉ được đánh giá một lần. Xin cảm ơn Quý khách!", lang=lang)
        elif isinstance(exc, CentreUnreachableError):
            title = tr("Không kết nối được máy chủ trung tâm", lang=lang)
            detail = tr("Đánh giá chưa được ghi nhận. Xin Quý khách thử lại sau ít phút.", lang=lang)
        elif isinstance(exc, AccessDeniedError):
            title = tr("Máy đánh giá chưa được cấp quyền cho quầy này", lang=lang)
            detail = tr("Xin Quý khách báo cán bộ tại quầy.", lang=lang)
        else:
            title = tr("Chưa gửi được đánh giá", lang=lang)
            with language(lang):
                detail = describe_error(exc)
        self.error_page.show_message(title, detail)
        self.stack.setCurrentWidget(self.error_page)
        self._return_timer.start(ERROR_MS)
        self._gate.request()

    def back_to_start(self) -> None:
        self._return_timer.stop()
        if self.lang != DEFAULT_LANGUAGE:  # the next citizen starts in Vietnamese
            self.lang = DEFAULT_LANGUAGE
            self._build()
        self.reasons_page.clear()
        self.stack.setCurrentWidget(self.choose_page)

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def closeEvent(self, event: object) -> None:  # Qt's name
        self.link.close()
        self.health.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
