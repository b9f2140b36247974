"""The display board's pieces: one tile per counter (flashes when it calls), and the dark TV style."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from motcua.domain.queue import TicketState
from motcua.domain.queue_views import CounterView
from motcua.i18n import tr

# Large type and strong contrast: read from across a waiting room, on cheap TVs with washed-out colours.
DISPLAY_STYLE = """
QMainWindow, #displayRoot { background: #0d1117; }
QLabel { color: #e6edf3; }
QLabel#boardTitle { font-size: 30pt; font-weight: bold; color: #ffd54f; }
QLabel#clock { font-size: 28pt; font-weight: bold; color: #e6edf3; }
QLabel#banner { font-size: 34pt; font-weight: bold; color: #0d1117; background: #ffd54f; border-radius: 12px;
                padding: 12px; }
QLabel#banner[flash="true"] { background: #ff7043; color: white; }
QLabel#section { font-size: 22pt; font-weight: bold; color: #8ab4f8; }
QFrame#tile { background: #161b22; border: 3px solid #30363d; border-radius: 14px; }
QFrame#tile[flash="true"] { background: #ffd54f; border-color: #ffb300; }
QFrame#tile[paused="true"] { background: #1c1f24; border-color: #21262d; }
QLabel#tileName { font-size: 22pt; color: #8b949e; font-weight: bold; }
QLabel#tileNumber { font-size: 64pt; font-weight: bold; color: #ffffff; }
QLabel#tileState { font-size: 16pt; color: #8b949e; }
QFrame#tile[flash="true"] QLabel { color: #0d1117; }
QLabel#callRow { font-size: 26pt; font-weight: bold; color: #e6edf3; padding: 6px 10px;
                 border-bottom: 1px solid #30363d; }
QLabel#callRow[first="true"] { color: #ffd54f; }
QLabel#waitChip { font-size: 18pt; color: #e6edf3; background: #161b22; border: 2px solid #30363d;
                  border-radius: 10px; padding: 8px 16px; }
QLabel#offline { font-size: 16pt; color: white; background: #b3261e; border-radius: 8px; padding: 8px; }
"""


def repolish(widget: object) -> None:
    """Re-apply the style sheet after a dynamic property changed (Qt does not do it by itself)."""
    style = widget.style()  # type: ignore[attr-defined]
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QLabel):  # type: ignore[attr-defined]
        style.unpolish(child)
        style.polish(child)


class CounterTile(QFrame):
    """One counter: its name, the number it called or serves, and what is happening there."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(0)
        self.name = QLabel(name)
        self.name.setObjectName("tileName")
        self.number = QLabel("—")
        self.number.setObjectName("tileNumber")
        self.state = QLabel("")
        self.state.setObjectName("tileState")
        for label in (self.name, self.number, self.state):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(label)
        self.flash_on = False

    def show_counter(self, c: CounterView) -> None:
        self.name.setText(c.name.upper())
        self.number.setText(c.display or "—")
        if c.paused:
            state = tr("Tạm dừng")
        elif c.state is TicketState.CALLED:
            state = tr("Mời lên quầy")
        elif c.state is TicketState.SERVING:
            state = tr("Đang phục vụ")
        else:
            state = tr("Sẵn sàng")
        self.state.setText(state)
        if bool(self.property("paused")) != c.paused:
            self.setProperty("paused", c.paused)
            repolish(self)

    def set_flash(self, on: bool) -> None:
        if on != self.flash_on:
            self.flash_on = on
            self.setProperty("flash", on)
            repolish(self)
