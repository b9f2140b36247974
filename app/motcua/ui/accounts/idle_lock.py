"""The counter locks itself after idle time (a clerk called away leaves no open screen of citizens' data): the
signed-in clerk's PIN, or their password, opens it again; "another clerk" signs them out."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.services.accounts import AccountService

_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class UnlockDialog(QDialog):
    """Accepted when the PIN or password is right; rejected when the clerk chose to sign out."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        session = accounts.ctx.session
        self.setWindowTitle(tr("Đã khóa màn hình"))
        lay = QVBoxLayout(self)
        who = session.full_name if session is not None else ""
        text = QLabel(tr("Màn hình đã khóa. {name}: nhập mã PIN hoặc mật khẩu để tiếp tục.", name=who))
        text.setWordWrap(True)
        lay.addWidget(text)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        lay.addWidget(self.secret)
        self.error = QLabel()
        self.error.setProperty("tone", "error")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("Mở khóa"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.switch = buttons.addButton(tr("Cán bộ khác đăng nhập"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self._sign_out)
        lay.addWidget(buttons)
        self.secret.returnPressed.connect(self.submit)

    def submit(self) -> None:
        if self._accounts.unlock(self.secret.text()):
            self.accept()
            return
        self.secret.clear()
        if self._accounts.ctx.session is None:  # too many wrong tries: signed out
            self.reject()
            return
        self.error.setText(tr("Mã PIN hoặc mật khẩu không đúng"))

    def _sign_out(self) -> None:
        self._accounts.sign_out()
        self.reject()

    def reject(self) -> None:  # Qt's name: Escape must not open the screen
        if self._accounts.ctx.session is not None and not self.sender():
            return
        super().reject()


class IdleLock(QObject):
    """Watches the application's input; after ``minutes`` without any, calls ``lock`` (once until unlocked)."""

    def __init__(self, minutes: float, lock: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._limit = minutes * 60
        self._lock = lock
        self._last = time.monotonic()
        self.locked = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        if minutes > 0:
            self._timer.start(5_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() in _INPUT and not self.locked:
            self._last = time.monotonic()
        return False

    def check(self, now: float | None = None) -> None:
        if self.locked or self._limit <= 0:
            return
        if (now if now is not None else time.monotonic()) - self._last >= self._limit:
            self.locked = True
            try:
                self._lock()
            finally:
                self.locked = False
                self._last = time.monotonic()
