"""A label that never widens its window: long text wraps to a few lines, the rest is elided, the tooltip has it all.

Procedure names run to 260 characters and status lines grow with the sync state; a plain QLabel asks for their
whole width, and the window grows past the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ELLIPSIS = "…"


def _wrap(paragraph: str, font: QFont, metrics: QFontMetrics, width: int) -> list[str]:
    if metrics.horizontalAdvance(paragraph) <= width:
        return [paragraph]  # one line (QTextLayout may round a hair wider and wrap the last letter)
    layout = QTextLayout(paragraph, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(paragraph[line.textStart() : line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return lines


def fit_lines(text: str, font: QFont, width: int, max_lines: int) -> str:
    """``text`` wrapped at ``width`` pixels onto at most ``max_lines`` lines, the last one ending in an ellipsis
    when something was cut (explicit line breaks are kept)."""
    if width <= 0 or max_lines <= 0:
        return text
    metrics = QFontMetrics(font)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap(paragraph, font, metrics, width))
        if len(lines) > max_lines:
            break
    if len(lines) <= max_lines:
        return "\n".join(lines)
    last = lines[max_lines - 1]
    shown = last + ELLIPSIS
    while last and metrics.horizontalAdvance(shown) > width:
        last = last[:-1]
        shown = last.rstrip() + ELLIPSIS
    return "\n".join([*lines[: max_lines - 1], shown])


class ElidedLabel(QLabel):
    """Plain text on at most ``max_lines`` lines (always that tall). It asks for its whole width when there is room
    and gives it up down to a few characters when there is not, rather than push the window wider."""

    def __init__(self, text: str = "", max_lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self._tip = ""
        self._max_lines = max_lines
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._refit()

    def setText(self, text: str) -> None:  # Qt's name
        self._full = text
        self._refit()

    def text(self) -> str:
        """The whole text (what is painted may be shortened: :meth:`shown_text`)."""
        return self._full

    def set_tip(self, tip: str) -> None:
        """More to say in the tooltip (below the whole text when that is shortened)."""
        self._tip = tip
        self._refit()

    def shown_text(self) -> str:
        return super().text()

    def is_elided(self) -> bool:
        # Wrapping only adds line breaks; anything else means words were cut.
        return super().text().split() != self._full.split()

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self._height())

    def sizeHint(self) -> QSize:
        m = self.contentsMargins()
        width = max((self.fontMetrics().horizontalAdvance(p) for p in self._full.split("\n")), default=0)
        return QSize(min(width, 600) + 2 + m.left() + m.right(), self._height())

    def _height(self) -> int:
        # Always the room of max_lines: a name that wraps to one more line must not move what is below it.
        m = self.contentsMargins()
        return self.fontMetrics().lineSpacing() * self._max_lines + m.top() + m.bottom() + 2

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()

    def changeEvent(self, event: object) -> None:
        super().changeEvent(event)  # type: ignore[arg-type]
        self._refit()

    def _refit(self) -> None:
        width = self.contentsRect().width()
        shown = fit_lines(self._full, self.font(), width, self._max_lines) if width > 0 else self._full
        if shown != super().text():
            super().setText(shown)
        self.setToolTip("\n".join(t for t in (self._full if self.is_elided() else "", self._tip) if t))
