"""The kiosk's own screens of its rating step: type the number on the ticket, then the three choices for it.

The reasons, the thank-you and the refusals are the rating pad's pages (:mod:`motcua.ui.rating.pages`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.queue_views import TicketRatingView
from motcua.i18n import tr
from motcua.ui.display.big_type import scaled_style
from motcua.ui.kiosk.keypad import Keypad
from motcua.ui.rating.pages import LevelRow, label
from motcua.ui.rating.widgets import RATING_TEMPLATE

MAX_CHARS = 8  # two letters and six digits: the longest ticket number
# The pad's style (its choices, reasons and thanks look the same here), and the number and its keypad.
RATING_STEP_TEMPLATE = (
    RATING_TEMPLATE
    + """
#typedBox { background: white; border: 3px solid #0b5cad; border-radius: 18px; }
QLabel#typedNumber { font-size: 90px; font-weight: bold; color: #0b3d6e; min-height: 110px; }
QLabel#typedHint { font-size: 22px; color: #3e4c59; padding-top: room(22); }
QLabel#typedError { font-size: 24px; color: #8a1c14; padding-top: room(24); }
QPushButton#digitKey, QPushButton#letterKey, QPushButton#eraseKey { font-size: 34px; font-weight: bold;
    border-radius: 14px; min-height: 56px; min-width: 80px; }
QPushButton#digitKey { background: white; color: #0b3d6e; border: 2px solid #0b5cad; }
QPushButton#letterKey { background: #0b5cad; color: white; border: none; }
QPushButton#eraseKey { font-size: 22px; background: #e4e9ef; color: #1f2933; border: 2px solid #9aa5b1; }
QPushButton#digitKey:pressed, QPushButton#eraseKey:pressed { background: #dbe9f8; }
QPushButton#letterKey:pressed { background: #084a8c; }
QPushButton#sendButton:disabled { background: #c9d2dc; color: #3e4c59; }
"""
)


def rating_step_style(scale: float) -> str:
    """The rating step's style sheet for a screen ``scale`` times the reference one (1366x768)."""
    return scaled_style(RATING_STEP_TEMPLATE, scale)


def _button(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page keeps the keyboard (see NumberPage.keyPressEvent)
    return b


class NumberPage(QWidget):
    """The number typed so far, big, beside the keypad (above it on an upright screen), and why a number was not
    taken.

    Signals:
        submitted(str): "Tiếp tục" with the number typed.
        cancelled(): "Quay lại" (to the home page).
    """

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(40, 24, 40, 24)
        self.box.setSpacing(40)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(label(tr("Đánh giá sự hài lòng", lang=lang), "reasonPrompt"))
        left.addWidget(label(tr("Mời nhập số thứ tự in trên phiếu của Quý khách", lang=lang), "reasonHint"))
        left.addStretch(1)
        box = QWidget()
        box.setObjectName("typedBox")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 6, 24, 6)  # the frame is the box's, so the number's own edges stay clear
        self.typed = QLabel("")
        self.typed.setObjectName("typedNumber")
        self.typed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.typed)
        left.addWidget(box)
        left.addWidget(label(tr("Ví dụ: A012", lang=lang), "typedHint"))
        self.message = label("", "typedError")
        left.addWidget(self.message)
        left.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(20)
        self.back_button = _button(tr("Quay lại", lang=lang), "backButton")
        self.back_button.clicked.connect(self.cancelled)
        self.next_button = _button(tr("Tiếp tục", lang=lang), "sendButton")
        self.next_button.clicked.connect(self._submit)
        row.addStretch(1)
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        row.addStretch(1)
        left.addLayout(row)
        self.box.addLayout(left, 5)
        self.keypad = Keypad(lang)
        self.keypad.pressed.connect(self.add)
        self.keypad.erase.connect(lambda: self._set(self.text()[:-1]))
        self.keypad.clear.connect(lambda: self._set(""))
        self.box.addWidget(self.keypad, 4)
        self._set("")

    def set_landscape(self, landscape: bool) -> None:
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom)

    def text(self) -> str:
        return self.typed.text()

    def _set(self, text: str) -> None:
        self.typed.setText(text)
        self.next_button.setEnabled(bool(text))
        self.message.setText("")

    def add(self, ch: str) -> None:
        if len(self.text()) < MAX_CHARS:
            self._set(self.text() + ch.upper())

    def reset(self) -> None:
        self._set("")

    def show_message(self, text: str) -> None:
        """Why the number was not taken; the number stays, to be corrected."""
        self.message.setText(text)

    def _submit(self) -> None:
        if self.text():
            self.submitted.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        # A keyboard (a technician's, or a barcode reader that types) works like the keypad.
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif key == Qt.Key.Key_Backspace:
            self._set(self.text()[:-1])
        elif key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif len(text) == 1 and text.isascii() and text.isalnum():
            self.add(text)
        else:
            super().keyPressEvent(event)


class TicketChoosePage(QWidget):
    """The three choices for the ticket found: its number, counter and service above them.

    Signals:
        level_chosen(object): a :class:`~motcua.domain.reports.facts.RatingLevel`.
        back(): "Quay lại" (to the number).
    """

    level_chosen = Signal(object)
    back = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 20, 0, 20)
        root.setSpacing(12)
        root.addWidget(label(tr("Quý khách có hài lòng với việc phục vụ tại quầy?", lang=lang), "prompt"))
        self.ticket = label("", "ticketLine")
        root.addWidget(self.ticket)
        self.levels = LevelRow(lang)
        self.levels.level_chosen.connect(self.level_chosen)
        self.buttons = self.levels.buttons
        root.addWidget(self.levels, 1)
        self.back_button = _button(tr("Quay lại", lang=lang), "backButton")
        self.back_button.clicked.connect(self.back)
        root.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_ticket(self, view: TicketRatingView) -> None:
        lang = self.lang
        # "Quầy 2" as queue.toml's default names it is said in the kiosk's language (as on the pad).
        default = view.counter_name == tr("Quầy {n}", lang="vi", n=view.counter)
        counter = tr("Quầy {n}", lang=lang, n=view.counter) if default else tr(view.counter_name, lang=lang)
        self.ticket.setText(
            tr(
                "Lượt phục vụ số {number} — {counter} — {service}",
                lang=lang,
                number=view.display,
                counter=counter,
                service=tr(view.service_name, lang=lang),
            )
        )
