"""The kiosk's rating step: the citizen types the number printed on their ticket, the centre checks it (a ticket of
today, finished, not yet rated), then the same three choices and reasons as the counter's pad, then thanks.

The centre decides everything about the number (:meth:`QueueApi.ticket_rating_view`, then
:meth:`QueueApi.rate_ticket`): the kiosk only says, in the citizen's words and language, why a number was not
taken, and keeps it on screen to be corrected. No screen shows the clerk. Thirty seconds without a touch at any step
give the home page back to the next citizen; the calls run off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget, QWidget

from motcua.domain.errors import NotFoundError, ValidationError
from motcua.domain.queue import CentreUnreachableError
from motcua.domain.queue_rating import AlreadyRatedError, NotFinishedError, TooManyTriesError
from motcua.domain.queue_views import TicketRatingView
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.i18n import language, tr
from motcua.services.queue.api import QueueApi
from motcua.ui.kiosk.rating_pages import NumberPage, TicketChoosePage, rating_step_style
from motcua.ui.ops import Op
from motcua.ui.rating.pages import MessagePage, ReasonsPage, ThanksPage
from motcua.ui.widgets.message_bar import describe_error

IDLE_MS = 30_000  # no touch for this long at any step: the next citizen gets the home page
THANKS_MS = 5_000
TOUCHES = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)


class RatingFlow(QStackedWidget):
    """Number → choices → (reasons) → thanks, one citizen at a time.

    Args:
        api: the queue (the kiosk's token, over HTTP).
        kiosk: this kiosk's name (its wrong numbers are counted under it in process; over HTTP, its token's).
        lang: the citizen's language.

    Signals:
        finished(): done, given up or timed out: show the home page.
    """

    finished = Signal()

    def __init__(self, api: QueueApi, kiosk: str, lang: str) -> None:
        super().__init__()
        self.api, self.kiosk, self.lang = api, kiosk, lang
        self.setObjectName("kioskRoot")
        self.ticket: TicketRatingView | None = None
        self.number_page = NumberPage(lang)
        self.number_page.submitted.connect(self.check)
        self.number_page.cancelled.connect(self.finish)
        self.choose_page = TicketChoosePage(lang)
        self.choose_page.level_chosen.connect(self.choose)
        self.choose_page.back.connect(self._back_to_number)
        self.reasons_page = ReasonsPage(lang)
        self.reasons_page.send.connect(lambda codes: self.send(RatingLevel.DISSATISFIED, codes))
        self.reasons_page.back.connect(lambda: self.setCurrentWidget(self.choose_page))
        self.busy_page = QLabel(tr("Đang kết nối máy chủ trung tâm…", lang=lang))
        self.busy_page.setObjectName("busy")
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_page.setWordWrap(True)
        self.thanks_page = ThanksPage(lang)
        self.error_page = MessagePage(lang)
        self.error_page.done.connect(self.finish)
        pages = (self.number_page, self.choose_page, self.reasons_page, self.busy_page)
        for page in (*pages, self.thanks_page, self.error_page):
            self.addWidget(page)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.finish)
        self.thanks = QTimer(self)
        self.thanks.setSingleShot(True)
        self.thanks.timeout.connect(self.finish)
        self._watching = False

    # -- the window's side ---------------------------------------------------------------------------------
    def start(self, letters: tuple[str, ...]) -> None:
        """A new citizen: an empty number, the keypad with the centre's prefix letters."""
        self.ticket = None
        self.number_page.keypad.set_letters(letters)
        self.number_page.reset()
        self.reasons_page.clear()
        self.setCurrentWidget(self.number_page)
        self.number_page.setFocus()
        self._watch(True)
        self.idle.start(IDLE_MS)

    def stop(self) -> None:
        self.idle.stop()
        self.thanks.stop()
        self._watch(False)

    def finish(self) -> None:
        self.stop()
        self.finished.emit()

    def set_scale(self, scale: float, landscape: bool) -> None:
        # On top of the kiosk's (the window's), closer to the pages: where both style a name, this one wins.
        self.setStyleSheet(rating_step_style(scale))
        self.number_page.set_landscape(landscape)

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        # Any touch on the step's screens is someone still there; the busy page waits for the centre instead.
        if (
            event.type() in TOUCHES
            and self.idle.isActive()
            and isinstance(watched, QWidget)
            and (watched is self or self.isAncestorOf(watched))
        ):
            self.idle.start(IDLE_MS)
        return False

    # -- the number ----------------------------------------------------------------------------------------
    def _busy(self) -> bool:
        if self.currentWidget() is self.busy_page:
            return True  # a second touch while the centre answers must not ask (or rate) twice
        self.idle.stop()
        self.setCurrentWidget(self.busy_page)
        return False

    def check(self, typed: str) -> None:
        if self._busy():
            return
        api, kiosk, lang = self.api, self.kiosk, self.lang

        def work() -> TicketRatingView:
            with language(lang):
                return api.ticket_rating_view(typed, kiosk=kiosk)

        Op(self, work).success(self._found).failure(self._not_taken).run()

    def _found(self, view: TicketRatingView) -> None:
        self.ticket = view
        self.choose_page.show_ticket(view)
        self.reasons_page.set_reasons(view.reasons)
        self.reasons_page.clear()
        self.setCurrentWidget(self.choose_page)
        self.idle.start(IDLE_MS)

    def _not_taken(self, exc: Exception) -> None:
        self.number_page.show_message(self.why(exc, self.number_page.text()))
        self.setCurrentWidget(self.number_page)
        self.number_page.setFocus()
        self.idle.start(IDLE_MS)

    def _back_to_number(self) -> None:
        self.setCurrentWidget(self.number_page)
        self.number_page.setFocus()

    def why(self, exc: Exception, number: str) -> str:
        """A refusal of the centre in the citizen's language (the server's own words may be in another)."""
        lang = self.lang
        if isinstance(exc, NotFoundError):
            return tr(
                "Không tìm thấy số {number} trong các số đã cấp hôm nay. Xin xem lại số in trên phiếu.",
                lang=lang,
                number=number,
            )
        if isinstance(exc, NotFinishedError):
            return tr(
                "Số {number} chưa được phục vụ xong. Xin đánh giá sau khi làm xong việc tại quầy.",
                lang=lang,
                number=number,
            )
        if isinstance(exc, AlreadyRatedError):
            return tr(
                "Lượt phục vụ số {number} đã được đánh giá. Mỗi lượt phục vụ chỉ được đánh giá một lần.",
                lang=lang,
                number=number,
            )
        if isinstance(exc, ValidationError):
            return tr("Số thứ tự gồm chữ cái và chữ số in trên phiếu, ví dụ A012: hãy nhập lại", lang=lang)
        if isinstance(exc, TooManyTriesError):
            return tr("Đã nhập sai nhiều lần. Xin thử lại sau ít phút hoặc hỏi cán bộ hướng dẫn.", lang=lang)
        if isinstance(exc, CentreUnreachableError):
            return tr("Không kết nối được máy chủ trung tâm. Xin thử lại sau ít phút.", lang=lang)
        with language(lang):
            return describe_error(exc)

    # -- the rating ----------------------------------------------------------------------------------------
    def choose(self, level: RatingLevel) -> None:
        """A touch on one of the three choices: "not satisfied" asks for reasons first (when any are set up)."""
        if self.currentWidget() is not self.choose_page:
            return
        if level is RatingLevel.DISSATISFIED and self.reasons_page.toggles:
            self.reasons_page.clear()
            self.setCurrentWidget(self.reasons_page)
            return
        self.send(level, ())

    def send(self, level: RatingLevel, reasons: tuple[str, ...]) -> None:
        ticket = self.ticket
        if ticket is None or self._busy():
            return
        api, kiosk, lang = self.api, self.kiosk, self.lang

        def work() -> RatingFact:
            with language(lang):
                return api.rate_ticket(ticket.display, level, reasons, kiosk=kiosk)

        Op(self, work).success(self._rated).failure(self._refused).run()

    def _rated(self, _fact: RatingFact) -> None:
        self.setCurrentWidget(self.thanks_page)
        self.thanks.start(THANKS_MS)

    def _refused(self, exc: Exception) -> None:
        number = self.ticket.display if self.ticket else self.number_page.text()
        self.error_page.show_message(tr("Chưa gửi được đánh giá", lang=self.lang), self.why(exc, number))
        self.setCurrentWidget(self.error_page)
        self.idle.start(IDLE_MS)
