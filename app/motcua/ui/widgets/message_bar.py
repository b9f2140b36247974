"""A strip above the form that says what just happened: saved, printed, or what is wrong and where."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

log = logging.getLogger(__name__)

_STYLES = {
    "info": "background:#e8f1fb;color:#0b3d6e;border:1px solid #9cc2ea;",
    "ok": "background:#e7f6ea;color:#1b5e20;border:1px solid #8fd19e;",
    "error": "background:#fdecea;color:#8a1c14;border:1px solid #f0a39b;",
}


def describe_error(exc: BaseException) -> str:
    """What the clerk reads: our own errors are already sentences; anything else is a bug, said plainly."""
    if isinstance(exc, MotcuaError):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    return tr("Lỗi không mong muốn (dữ liệu đã lưu không bị mất): {error}", error=f"{type(exc).__name__}: {exc}")


class MessageBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        self._lay = lay
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_error(self, exc: BaseException, actions: dict[str, object] | None = None) -> None:
        self.show_message(describe_error(exc), "error", actions)

    def show_message(self, text: str, kind: str = "info", actions: dict[str, object] | None = None) -> None:
        for b in self._buttons:
            b.deleteLater()
        self._buttons = []
        for label, cb in (actions or {}).items():
            b = QPushButton(label)
            b.clicked.connect(cb)
            self._lay.addWidget(b)
            self._buttons.append(b)
        self.label.setText(text)
        self.setStyleSheet(f"#messageBar {{{_STYLES[kind]} border-radius:4px;}}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.show()
        self._timer.stop()
        if kind == "info" and not actions:
            self._timer.start(8000)
