"""A strip above the form that says what just happened: saved, printed, or what is wrong and where.

The strip keeps one height whether it holds a message or not, so that nothing under it moves when a message
comes or goes (a clerk aiming at a button must not see it jump). A message leaves by itself: a success or a
notice after a few seconds, an undo offer when the undo is no longer possible, an error when its ``topic`` is
cleared by whoever knows that the problem is gone (the missing component ticked, the bad field edited).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QGraphicsOpacityEffect, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

log = logging.getLogger(__name__)

_STYLES = {
    "info": "background:#e8f1fb;color:#0b3d6e;border:1px solid #9cc2ea;",
    "ok": "background:#e7f6ea;color:#1b5e20;border:1px solid #8fd19e;",
    "warn": "background:#fff8e1;color:#6d4c00;border:1px solid #ffd54f;",
    "error": "background:#fdecea;color:#8a1c14;border:1px solid #f0a39b;",
    "": "background:transparent;border:1px solid transparent;",
}
_LINES = 2


def describe_error(exc: BaseException) -> str:
    """What the clerk reads: our own errors are already sentences; anything else is a bug, said plainly."""
    if isinstance(exc, MotcuaError):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    return tr("Lỗi không mong muốn (dữ liệu đã lưu không bị mất): {error}", error=f"{type(exc).__name__}: {exc}")


class MessageBar(QWidget):
    """Class attributes are the lifetimes in milliseconds (tests shorten them)."""

    OK_MS = 6000  # a success: long enough to read the code that was saved
    INFO_MS = 8000
    UNDO_MS = 10_000  # an undo offer; after this the change stays
    FADE_MS = 400

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 3, 6, 3)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        lay.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        self._lay = lay
        self._text = ""
        self._kind = ""
        self._topic: str | None = None
        self._idle = ""
        self._serial = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fade_out)
        self._fade: QPropertyAnimation | None = None
        self._paint("")
        self._fix_height()

    # -- what callers use --------------------------------------------------------------------------------
    def show_error(
        self, exc: BaseException, actions: dict[str, object] | None = None, *, topic: str | None = None
    ) -> None:
        self.show_message(describe_error(exc), "error", actions, topic=topic)

    def show_message(
        self,
        text: str,
        kind: str = "info",
        actions: dict[str, object] | None = None,
        *,
        topic: str | None = None,
        timeout_ms: int | None = None,
    ) -> int:
        """Show ``text`` (rich text allowed) with buttons for ``actions`` (label → callback).

        Args:
            kind: "info", "ok", "warn" or "error" (the colour; errors stay until cleared or replaced).
            topic: what the message is about, for :meth:`clear` by whoever sees that it no longer applies.
            timeout_ms: how long it stays; default by kind (``OK_MS``, ``INFO_MS``; errors stay).

        Returns:
            The message's number, for :meth:`clear_message`.
        """
        self._serial += 1
        self._stop_fade()
        self._set_buttons(actions or {})
        self._text = text
        self._kind = kind
        self._topic = topic
        self._paint(kind)
        self._show_text()
        self._timer.stop()
        lifetime = timeout_ms
        if lifetime is None:
            lifetime = {"ok": self.OK_MS, "info": self.INFO_MS}.get(kind)
        if lifetime:
            self._timer.start(lifetime)
        return self._serial

    def offer_undo(self, text: str, undo: Callable[[], None], kind: str = "ok") -> int:
        """A done change with a "Hoàn tác" (undo) button that lasts ``UNDO_MS``."""
        return self.show_message(text, kind, {tr("Hoàn tác"): undo}, timeout_ms=self.UNDO_MS)

    def clear(self, topic: str | None = None) -> None:
        """Empty the bar; with ``topic``, only if the message shown is about it."""
        if topic is not None and topic != self._topic:
            return
        self._timer.stop()
        self._stop_fade()
        self._set_buttons({})
        self._text = ""
        self._kind = ""
        self._topic = None
        self._paint("")
        self._show_idle()

    def set_idle_text(self, text: str) -> None:
        """What the empty bar shows, in grey (the window's keys): the strip is never a blank band."""
        self._idle = text
        if not self._text:
            self._show_idle()

    def _show_idle(self) -> None:
        self.label.setText(f'<span style="color:#777">{self._idle}</span>' if self._idle else "")
        self.label.setToolTip("")

    def clear_message(self, serial: int) -> None:
        """Empty the bar if message ``serial`` is still the one shown."""
        if serial == self._serial:
            self.clear()

    def text(self) -> str:
        """The whole message (the label may show it shortened)."""
        return self._text

    def kind(self) -> str:
        return self._kind

    def topic(self) -> str | None:
        return self._topic

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    # -- inside ------------------------------------------------------------------------------------------
    def _set_buttons(self, actions: dict[str, object]) -> None:
        for b in self._buttons:
            self._lay.removeWidget(b)
            b.hide()
            b.deleteLater()
        self._buttons = []
        for label, cb in actions.items():
            b = QPushButton(label)
            b.clicked.connect(cb)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self._lay.addWidget(b)
            self._buttons.append(b)

    def _paint(self, kind: str) -> None:
        self.setStyleSheet(f"#messageBar {{{_STYLES.get(kind, _STYLES['info'])} border-radius:4px;}}")

    def _fix_height(self) -> None:
        probe = QPushButton("Ag", self)  # styled as the bar's own buttons will be
        probe.ensurePolished()
        button = probe.sizeHint().height()
        probe.setParent(None)
        probe.deleteLater()
        m = self._lay.contentsMargins()
        text = self.fontMetrics().lineSpacing() * _LINES
        self.setFixedHeight(max(text, button) + m.top() + m.bottom() + 2)

    def _show_text(self) -> None:
        """The message, shortened to the bar's lines when it is longer (the tooltip keeps all of it)."""
        text = self._text
        width = self.label.width()
        doc = QTextDocument()
        doc.setDefaultFont(self.label.font())
        doc.setDocumentMargin(0)
        if "<" in text:  # our messages mark up with <b>
            doc.setHtml(text)
        else:
            doc.setPlainText(text)
        room = self.label.height() or self.fontMetrics().lineSpacing() * _LINES
        if width <= 0:
            self.label.setText(text)
            self.label.setToolTip("")
            return
        doc.setTextWidth(width)
        if doc.size().height() <= room + 1:
            self.label.setText(text)
            self.label.setToolTip("")
            return
        from motcua.ui.widgets.elided_label import fit_lines

        plain = doc.toPlainText()
        lines = max(1, room // self.fontMetrics().lineSpacing())
        self.label.setText(fit_lines(plain, self.label.font(), width, lines))
        self.label.setToolTip(plain)

    def showEvent(self, event: object) -> None:  # Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        self._fix_height()  # inside the window now, with its style sheet and font

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self._text:
            QTimer.singleShot(0, self, self._show_text)  # the label has its new width only after the layout ran

    def _fade_out(self) -> None:
        # The effect exists only while fading: an opacity effect repaints the whole bar through a pixmap.
        self._stop_fade()
        effect = QGraphicsOpacityEffect(self)
        effect.setOpacity(1.0)
        self.setGraphicsEffect(effect)
        fade = QPropertyAnimation(effect, b"opacity", self)
        fade.setDuration(self.FADE_MS)
        fade.setStartValue(1.0)
        fade.setEndValue(0.0)
        fade.setEasingCurve(QEasingCurve.Type.InQuad)
        fade.finished.connect(self.clear)
        self._fade = fade
        fade.start()

    def _stop_fade(self) -> None:
        if self._fade is not None:
            fade, self._fade = self._fade, None
            fade.finished.disconnect(self.clear)
            fade.stop()
            fade.deleteLater()
            self.setGraphicsEffect(None)  # type: ignore[arg-type]
