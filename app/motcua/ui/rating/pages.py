"""The rating pad's screens: choose a level, tick reasons (not satisfied), thanks, or why it was not saved.

Each page is made in one language (``lang``) and rebuilt when the citizen switches. No page ever shows the clerk's
name or anything about the citizen: only the ticket number they hold. The kiosk's rating step shows the same
choices (:class:`LevelRow`), reasons, thanks and messages (``motcua.ui.kiosk.rating``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.queue_config import RatingReason
from motcua.domain.queue_views import RatingPadView
from motcua.domain.reports.facts import RatingLevel
from motcua.i18n import tr
from motcua.ui.rating.widgets import Face, LevelButton, ReasonToggle

LEVEL_TEXT = {  # the choices as the citizen reads them (RatingLevel.label in the pad's own language)
    RatingLevel.VERY_SATISFIED: "Rất hài lòng",
    RatingLevel.SATISFIED: "Hài lòng",
    RatingLevel.DISSATISFIED: "Không hài lòng",
}


def label(text: str, name: str) -> QLabel:
    w = QLabel(text)
    w.setObjectName(name)
    w.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.setWordWrap(True)
    return w


class LevelRow(QWidget):
    """The three choices side by side, as whole coloured panels.

    Signals:
        level_chosen(object): a :class:`RatingLevel`.
    """

    level_chosen = Signal(object)

    def __init__(self, lang: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 4, 28, 0)
        row.setSpacing(24)
        self.buttons: dict[RatingLevel, LevelButton] = {}
        for level in RatingLevel:
            b = LevelButton(level, tr(LEVEL_TEXT[level], lang=lang))
            b.clicked.connect(lambda _=False, chosen=level: self.level_chosen.emit(chosen))
            row.addWidget(b, 1)
            self.buttons[level] = b


class ChoosePage(QWidget):
    """The idle screen: the counter, the number being rated, the three big choices, the language switch.

    Signals:
        level_chosen(object): a :class:`RatingLevel`.
        language_wanted(): the citizen touched the language button.
    """

    level_chosen = Signal(object)
    language_wanted = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 16)
        root.setSpacing(12)
        header = QWidget()
        header.setObjectName("ratingHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        hl = QHBoxLayout(header)
        hl.setContentsMargins(28, 10, 28, 10)
        self.counter = QLabel("")
        self.counter.setObjectName("counterName")
        self.counter.setWordWrap(True)
        hl.addWidget(self.counter, 1)
        self.lang_button = QPushButton("English" if lang == "vi" else "Tiếng Việt")
        self.lang_button.setObjectName("langButton")
        self.lang_button.clicked.connect(self.language_wanted)
        hl.addWidget(self.lang_button)
        root.addWidget(header)
        root.addWidget(label(tr("Quý khách có hài lòng với việc phục vụ tại quầy?", lang=lang), "prompt"))
        self.ticket = label("", "ticketLine")
        root.addWidget(self.ticket)
        self.levels = LevelRow(lang)
        self.levels.level_chosen.connect(self.level_chosen)
        self.buttons = self.levels.buttons
        root.addWidget(self.levels, 1)
        self.offline = label(tr("Mất kết nối với máy chủ trung tâm — đang tự kết nối lại…", lang=lang), "offline")
        self.offline.hide()
        root.addWidget(self.offline)

    def show_view(self, view: RatingPadView) -> None:
        lang = self.lang
        # "Quầy 1" as queue.toml's default names it is said in the pad's language; a name of the centre's own
        # choosing goes through the catalog like the services' names.
        default = view.counter_name == tr("Quầy {n}", lang="vi", n=view.counter)
        self.counter.setText(tr("Quầy {n}", lang=lang, n=view.counter) if default else tr(view.counter_name, lang=lang))
        if view.display is None:
            self.ticket.setText(tr("Quý khách đánh giá sau khi được phục vụ tại quầy này", lang=lang))
        elif view.rated:
            self.ticket.setText(
                tr("Lượt phục vụ số {number} đã được đánh giá — xin cảm ơn", lang=lang, number=view.display)
            )
        else:
            self.ticket.setText(tr("Đánh giá lượt phục vụ số {number}", lang=lang, number=view.display))

    def set_offline(self, offline: bool) -> None:
        self.offline.setVisible(offline)


class ReasonsPage(QWidget):
    """What was not satisfying: optional toggles, then send (or go back to the three choices).

    Signals:
        send(object): the ticked reason codes (a tuple, in the configured order).
        back(): the citizen changed their mind.
    """

    send = Signal(object)
    back = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.toggles: list[ReasonToggle] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 24, 40, 24)
        lay.setSpacing(14)
        lay.addWidget(label(tr("Xin cho biết điều Quý khách chưa hài lòng", lang=lang), "reasonPrompt"))
        lay.addWidget(label(tr("Có thể chọn nhiều ý, hoặc không chọn ý nào", lang=lang), "reasonHint"))
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        lay.addLayout(self.grid)
        lay.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.back_button = QPushButton(tr("Quay lại", lang=lang))
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.back)
        self.send_button = QPushButton(tr("Gửi đánh giá", lang=lang))
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(lambda: self.send.emit(self.chosen()))
        row.addStretch(1)
        row.addWidget(self.back_button)
        row.addWidget(self.send_button)
        row.addStretch(1)
        lay.addLayout(row)

    def set_reasons(self, reasons: tuple[RatingReason, ...]) -> None:
        """The configured reasons, two per row (labels through ``tr``: a province may give them English names)."""
        wanted = [(r.code, tr(r.label, lang=self.lang)) for r in reasons]
        if [(t.code, t.text()) for t in self.toggles] == wanted:
            return
        for t in self.toggles:
            self.grid.removeWidget(t)
            t.deleteLater()
        self.toggles = []
        for i, (code, text) in enumerate(wanted):
            t = ReasonToggle(code, text)
            self.grid.addWidget(t, i // 2, i % 2)
            self.toggles.append(t)

    def chosen(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.toggles if t.isChecked())

    def clear(self) -> None:
        for t in self.toggles:
            t.setChecked(False)


class ThanksPage(QWidget):
    def __init__(self, lang: str) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(60, 40, 60, 40)
        lay.addStretch(1)
        lay.addWidget(Face(RatingLevel.VERY_SATISFIED, "#1b6e35"), 3)
        lay.addSpacing(16)
        lay.addWidget(label(tr("Xin cảm ơn Quý khách!", lang=lang), "thanksTitle"))
        lay.addSpacing(16)
        lay.addWidget(label(tr("Ý kiến của Quý khách giúp chúng tôi phục vụ tốt hơn.", lang=lang), "thanksText"))
        lay.addStretch(1)


class MessagePage(QWidget):
    """Why the rating was not saved, in plain words.

    Signals:
        done(): the citizen touched "Quay lại".
    """

    done = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(60, 40, 60, 40)
        lay.addStretch(1)
        self.title = label("", "errorTitle")
        self.detail = label("", "errorText")
        lay.addWidget(self.title)
        lay.addSpacing(16)
        lay.addWidget(self.detail)
        lay.addStretch(1)
        button = QPushButton(tr("Quay lại", lang=lang))
        button.setObjectName("backButton")
        button.clicked.connect(self.done)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_message(self, title: str, detail: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
