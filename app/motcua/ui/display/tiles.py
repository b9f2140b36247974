"""The display board's pieces: one tile per counter (flashes when it calls), and the dark TV style."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from motcua.domain.queue import TicketState
from motcua.domain.queue_views import CounterView
from motcua.i18n import tr
from motcua.ui.display.big_type import scaled_style

# Large type and strong contrast (every text at least 4.5:1 against its background, WCAG AA): read from across a
# waiting room, on cheap TVs with washed-out colours. Sizes are for a 1366x768 TV; `display_style` scales them.
DISPLAY_TEMPLATE = """
QMainWindow, #displayRoot { background: #0d1117; }
QLabel { color: #e6edf3; }
QLabel#boardTitle { font-size: 28px; font-weight: bold; color: #ffd54f; padding-top: room(28); }
QLabel#clock { font-size: 26px; font-weight: bold; color: #e6edf3; padding-top: room(26); }
QLabel#banner { font-size: 36px; font-weight: bold; color: #0d1117; background: #ffd54f; border-radius: 12px;
                padding: room(36, 6) 16px 6px 16px; }
QLabel#banner[flash="true"] { background: #ff7043; color: #0d1117; }
QLabel#section { font-size: 22px; font-weight: bold; color: #8ab4f8; padding-top: room(22); }
QFrame#tile { background: #161b22; border: 3px solid #30363d; border-radius: 14px; }
QFrame#tile[flash="true"] { background: #ffd54f; border-color: #ffb300; }
QFrame#tile[paused="true"] { background: #1c1f24; border-color: #21262d; }
QLabel#tileName { font-size: 26px; color: #8b949e; font-weight: bold; padding-top: room(26, 4); }
QLabel#tileNumber { font-weight: bold; color: #ffffff; }
QLabel#tileState { font-size: 20px; color: #8b949e; padding-top: room(20); padding-bottom: 4px; }
QFrame#tile[paused="true"] QLabel#tileNumber, QFrame#tile[idle="true"] QLabel#tileNumber { color: #8b949e; }
QFrame#tile[flash="true"] QLabel, QFrame#tile[flash="true"] QLabel#tileNumber { color: #0d1117; }
QLabel#callRow { font-size: 30px; font-weight: bold; color: #e6edf3; padding: room(30, 2) 8px 2px 8px;
                 border-bottom: 1px solid #30363d; }
QLabel#callRow[first="true"] { color: #ffd54f; }
QLabel#waitChip { font-size: 22px; color: #e6edf3; background: #161b22; border: 2px solid #30363d;
                  border-radius: 10px; padding: room(22, 4) 14px 4px 14px; }
QLabel#offline { font-size: 20px; color: white; background: #b3261e; border-radius: 8px;
                 padding: room(20, 6) 8px 6px 8px; }
"""


def display_style(scale: float) -> str:
    """The board's style sheet for a screen ``scale`` times the reference TV (1366x768)."""
    return scaled_style(DISPLAY_TEMPLATE, scale)


def repolish(widget: object) -> None:
    """Re-apply the style sheet after a dynamic property changed (Qt does not do it by itself)."""
    style = widget.style()  # type: ignore[attr-defined]
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QLabel):  # type: ignore[attr-defined]
        style.unpolish(child)
        style.polish(child)
        child.update()


class FitLabel(QLabel):
    """A short text (the called number) drawn as large as its box allows, whatever the screen.

    The box, not the text, sets the size: the layout gives the number what the counter's name and state leave, and
    the glyphs are fitted to it by their ink (a number has no marks above or below to make room for). Every number
    of the same length is fitted to the same template, so "B001" is not bigger than "A001" on the next tile.
    """

    MARGIN = 0.06  # of the box, on each side: the digits never touch the tile's border

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def sizeHint(self) -> QSize:
        return QSize(40, 40)

    def minimumSizeHint(self) -> QSize:
        return QSize(20, 20)

    @staticmethod
    def template(text: str) -> str:
        if text and not any(ch.isalnum() for ch in text):
            return "0000"  # "—" (nobody called) is a quiet mark, not a bar as wide as a number
        return "A" + "0" * max(0, len(text) - 1) if text else "A000"

    @classmethod
    def fitted_size(cls, font: QFont, text: str, width: float, height: float) -> float:
        """The pixel size at which ``text``'s template fills a ``width`` x ``height`` box."""
        probe = QFont(font)
        probe.setPixelSize(100)
        ink = QFontMetricsF(probe).tightBoundingRect(cls.template(text))
        if ink.width() <= 0 or ink.height() <= 0:
            return 0.0
        room = 1 - 2 * cls.MARGIN
        return max(1.0, 100 * min(width * room / ink.width(), height * room / ink.height()))

    @classmethod
    def glyph_height(cls, font: QFont, text: str, width: float, height: float) -> float:
        """How tall the digits come out in such a box (what a person across the room reads)."""
        size = cls.fitted_size(font, text, width, height)
        probe = QFont(font)
        probe.setPixelSize(100)
        return size / 100 * QFontMetricsF(probe).tightBoundingRect("0").height()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        text = self.text()
        box = self.contentsRect()
        if not text or box.isEmpty():
            return
        font = QFont(self.font())
        font.setPixelSize(max(1, int(self.fitted_size(font, text, box.width(), box.height()))))
        ink = QFontMetricsF(font).tightBoundingRect(text)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        centre = box.toRectF().center()
        painter.drawText(QPointF(centre.x() - ink.center().x(), centre.y() - ink.center().y()), text)
        painter.end()


class CounterTile(QFrame):
    """One counter: its name, the number it called or serves, and what is happening there."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(0)
        self.name = QLabel(name)
        self.name.setObjectName("tileName")
        self.number = FitLabel("—")
        self.number.setObjectName("tileNumber")
        self.state = QLabel("")
        self.state.setObjectName("tileState")
        for label in (self.name, self.number, self.state):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.name)
        lay.addWidget(self.number, 1)
        lay.addWidget(self.state)
        # Kept here rather than read back with property(): PySide6 6.12 frees None once too often on that path.
        self.flash_on = False
        self.paused = False
        self.idle = False

    def chrome(self) -> QSize:
        """What the tile takes around its number: border, margins, the name above and the state below."""
        lay = self.layout()
        margins = lay.contentsMargins() if lay is not None else None
        frame = self.contentsMargins()
        width = frame.left() + frame.right() + (margins.left() + margins.right() if margins else 0)
        height = frame.top() + frame.bottom() + (margins.top() + margins.bottom() if margins else 0)
        return QSize(width, height + self.name.sizeHint().height() + self.state.sizeHint().height())

    def show_counter(self, c: CounterView) -> None:
        self.name.setText(c.name.upper())
        # A paused counter invites nobody, even with a number still called there (it is finished after the pause).
        idle = c.paused or not c.display
        self.number.setText("—" if idle else str(c.display))
        if c.paused:
            state = tr("Tạm dừng")
        elif c.state is TicketState.CALLED:
            state = tr("Mời lên quầy")
        elif c.state is TicketState.SERVING:
            state = tr("Đang phục vụ")
        else:
            state = tr("Sẵn sàng")
        self.state.setText(state)
        if (self.paused, self.idle) != (c.paused, idle):
            self.paused, self.idle = c.paused, idle
            self.setProperty("paused", c.paused)
            self.setProperty("idle", idle)
            repolish(self)

    def set_flash(self, on: bool) -> None:
        if on != self.flash_on:
            self.flash_on = on
            self.setProperty("flash", on)
            repolish(self)
