"""Who is at the counter, for the whole application: the sign-in at start, the idle lock, "another clerk", and
the clerk's own password and PIN. One guard per app, so that a window rebuilt (a language switch) keeps it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLabel, QLineEdit, QMainWindow, QWidget

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.services.accounts import AccountService
from motcua.ui.accounts.idle_lock import IdleLock, UnlockDialog
from motcua.ui.accounts.login_dialog import LoginDialog


def _cover(content: QWidget) -> QLabel:
    cover = QLabel(tr("Màn hình đã khóa"), content)
    cover.setObjectName("lockCover")
    cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
    cover.setAutoFillBackground(True)
    cover.setGeometry(content.rect())
    cover.show()
    cover.raise_()
    return cover


class SessionGuard(QObject):
    """Signals:
    session_did_change(): another clerk signed in (windows show the new name and start a fresh reception).
    session_did_end(): the clerk signed out (from the lock or "another clerk"); nobody is at the counter until the
        next sign-in.
    """

    session_did_change = Signal()
    session_did_end = Signal()
    _instance: SessionGuard | None = None

    def __init__(
        self, accounts: AccountService, lock_after_min: float, quit_app: Callable[[], None], parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self._quit = quit_app
        self.idle = IdleLock(lock_after_min, self.lock_now, self)
        SessionGuard._instance = self

    @classmethod
    def instance(cls) -> SessionGuard | None:
        return cls._instance

    def sign_in(self, parent: QWidget | None = None) -> bool:
        dialog = LoginDialog(self.accounts, self.accounts.ctx.settings.centre.name, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def lock_now(self, parent: QWidget | None = None) -> None:
        """Lock until the clerk's PIN or password; if they sign out instead, the next clerk signs in (or the app
        closes when nobody does)."""
        before = self.accounts.ctx.session
        if before is None:
            return
        # Citizens' data does not stay on a screen nobody is at: a plain cover hides the counter's content until
        # it is unlocked (over it, not instead of it, so that nothing moves; the queue's numbers are not personal).
        covers = [
            _cover(w.centralWidget())
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMainWindow) and getattr(w, "hides_when_locked", False) and w.centralWidget() is not None
            and w.isVisible()
        ]  # fmt: skip
        try:
            if UnlockDialog(self.accounts, parent).exec() == QDialog.DialogCode.Accepted:
                return
            if self.accounts.ctx.session is None:
                self.session_did_end.emit()
            if self.sign_in(parent):
                self.session_did_change.emit()
            else:
                self._quit()
        finally:
            for cover in covers:
                cover.deleteLater()

    def switch_clerk(self, parent: QWidget | None = None) -> None:
        self.accounts.sign_out()
        self.session_did_end.emit()
        if self.sign_in(parent):
            self.session_did_change.emit()
        else:
            self._quit()

    def change_own_secret(self, parent: QWidget, pin: bool) -> str:
        """Ask and set the signed-in clerk's new password or PIN; returns the message to show ('' if cancelled)."""
        s = self.accounts.ctx.session
        if s is None:
            return ""
        label = tr("Mã PIN mới (4–8 chữ số)") if pin else tr("Mật khẩu mới (ít nhất 8 ký tự)")
        text, ok = QInputDialog.getText(parent, tr("Tài khoản {username}", username=s.username), label,
                                        QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok:
            return ""
        try:
            if pin:
                self.accounts.set_pin(s.username, text)
            else:
                self.accounts.set_password(s.username, text)
        except MotcuaError as exc:
            return str(exc)
        return tr("Đã đặt mã PIN mới") if pin else tr("Đã đổi mật khẩu")
