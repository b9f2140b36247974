"""The rating pad's building blocks: a big coloured button with a drawn face per level, a reason toggle, and the
pad's style (the kiosk's scaled type: sizes are for 1366x768 and follow the pad's own screen)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from motcua.domain.reports.facts import RatingLevel
from motcua.ui.display.big_type import scaled_style
from motcua.ui.kiosk.widgets import WrapButton

# White text on each level's colour is above 4.5:1 (WCAG AA); the pressed shade is darker still.
RATING_TEMPLATE = """
QMainWindow, #ratingRoot { background: #f3f6fa; }
#ratingHeader { background: #0b3d6e; }
#ratingHeader QLabel { color: white; }
QLabel#counterName { font-size: 30px; font-weight: bold; padding-top: room(30); }
QLabel#prompt { font-size: 34px; color: #0b3d6e; font-weight: bold; padding-top: room(34); }
QLabel#ticketLine { font-size: 24px; color: #1f2933; padding-top: room(24); }
QPushButton#langButton { font-size: 20px; color: #0b3d6e; background: white; border-radius: 10px;
                         padding: 8px 22px; min-height: 48px; min-width: 110px; }
QPushButton#level_very_satisfied { background: #1b6e35; border-radius: 22px; border: none; }
QPushButton#level_very_satisfied:pressed { background: #145229; }
QPushButton#level_satisfied { background: #0b5cad; border-radius: 22px; border: none; }
QPushButton#level_satisfied:pressed { background: #084a8c; }
QPushButton#level_dissatisfied { background: #a8321f; border-radius: 22px; border: none; }
QPushButton#level_dissatisfied:pressed { background: #862818; }
QLabel#levelLabel { color: white; font-size: 36px; font-weight: bold; padding-top: room(36); }
QPushButton#reasonButton { padding: 6px 14px; border-radius: 14px; background: white; border: 3px solid #a8321f;
                           min-height: 88px; }
QPushButton#reasonButton:checked { background: #a8321f; }
QLabel#groupLabel { font-size: 28px; color: #6b1d11; padding-top: room(28); }
QLabel#groupLabel[checked="true"] { color: white; }
QLabel#reasonPrompt { font-size: 30px; color: #0b3d6e; font-weight: bold; padding-top: room(30); }
QLabel#reasonHint { font-size: 22px; color: #3e4c59; padding-top: room(22); }
QPushButton#sendButton { font-size: 28px; font-weight: bold; padding: 12px 48px; border-radius: 16px;
                         background: #0b5cad; color: white; min-height: 56px; }
QPushButton#backButton { font-size: 24px; padding: 12px 36px; border-radius: 16px; background: white;
                         color: #0b3d6e; border: 2px solid #0b3d6e; min-height: 52px; }
QLabel#thanksTitle { font-size: 60px; font-weight: bold; color: #1b6e35; padding-top: room(60); }
QLabel#thanksText { font-size: 28px; color: #1f2933; padding-top: room(28); }
QLabel#busy { font-size: 34px; color: #0b3d6e; padding-top: room(34); }
QLabel#errorTitle { font-size: 40px; font-weight: bold; color: #8a1c14; padding-top: room(40); }
QLabel#errorText { font-size: 28px; color: #1f2933; padding-top: room(28); }
QLabel#offline { font-size: 20px; padding: room(20, 6) 10px 6px 10px; border-radius: 8px; background: #fdecea;
                 color: #8a1c14; margin: 0px 28px; }
"""


def rating_style(scale: float) -> str:
    """The pad's style sheet for a screen ``scale`` times the reference one (1366x768)."""
    return scaled_style(RATING_TEMPLATE, scale)


class Face(QWidget):
    """A face drawn for a level (a smile, a half smile, a frown): readable at any size, in any font, and by people
    who do not read the label."""

    def __init__(self, level: RatingLevel, colour: str = "white", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.colour = QColor(colour)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def sizeHint(self) -> QSize:
        return QSize(120, 120)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, 40)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        side = min(self.width(), self.height()) * 0.9
        if side < 8:
            return
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        white = self.colour
        p.setPen(QPen(white, side * 0.06))
        p.setBrush(Qt.BrushStyle.NoBrush)
        inset = side * 0.04
        p.drawEllipse(box.adjusted(inset, inset, -inset, -inset))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(white)
        eye = side * 0.09
        for x in (0.35, 0.65):
            p.drawEllipse(QPointF(box.left() + side * x, box.top() + side * 0.38), eye / 2, eye / 2)
        # The mouth: a curve whose middle is below its ends for a smile, above for a frown.
        bend = {RatingLevel.VERY_SATISFIED: 0.2, RatingLevel.SATISFIED: 0.08, RatingLevel.DISSATISFIED: -0.14}
        y = box.top() + side * (0.64 if self.level is not RatingLevel.DISSATISFIED else 0.72)
        mouth = QPainterPath(QPointF(box.left() + side * 0.3, y))
        mouth.quadTo(QPointF(box.center().x(), y + side * bend[self.level]), QPointF(box.left() + side * 0.7, y))
        p.setPen(QPen(white, side * 0.06, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(mouth)
        p.end()


class LevelButton(QPushButton):
    """One of the three choices: a whole coloured panel with its face and its name."""

    def __init__(self, level: RatingLevel, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.setObjectName(f"level_{level.value}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 20, 16, 20)
        lay.setSpacing(12)
        self.face = Face(level)
        lay.addWidget(self.face, 1)
        self.label = QLabel(label)
        self.label.setObjectName("levelLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(self.label)
        self.setAccessibleName(label)

    def text(self) -> str:  # tests and screen readers read the label
        return self.label.text()


class ReasonToggle(WrapButton):
    """A reason the citizen may tick (filled, with a check mark, once ticked); it wraps onto two lines when its
    label is long."""

    def __init__(self, code: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.code = code
        self._text = text
        self.setObjectName("reasonButton")
        # Clear of the 3 px border (scaled with the screen) up to a 4K screen: drawn over the label, it would look
        # like a cut glyph to the layout checks, and on a TV (the kiosk's rating step) it does reach 4 px.
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(12, 8, 12, 8)
        self.toggled.connect(lambda on: self.label.setText(f"\u2713 {self._text}" if on else self._text))

    def text(self) -> str:  # the reason, without the check mark
        return self._text
