"""The screen the counter opens on: sign in, or, on the very first start, make the administrator's account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.accounts import Role
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.services.accounts import AccountService


class LoginDialog(QDialog):
    """Accepted once a session is open on the accounts' context (``ctx.session``)."""

    def __init__(self, accounts: AccountService, centre_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.first = accounts.needs_first_admin()
        self.setWindowTitle(tr("MotCua Desk — Đăng nhập"))
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        title = QLabel(centre_name or "MotCua Desk")
        title.setProperty("role", "section")
        title.setWordWrap(True)
        lay.addWidget(title)
        if self.first:
            intro = QLabel(tr("Lần đầu sử dụng: tạo tài khoản quản trị của trung tâm."))
            intro.setWordWrap(True)
            lay.addWidget(intro)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setPlaceholderText(tr("ví dụ: lan.nt"))
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("4–8 chữ số, để mở khóa nhanh (không bắt buộc)"))
        form.addRow(tr("Tên đăng nhập"), self.username)
        if self.first:
            form.addRow(tr("Họ và tên"), self.full_name)
        form.addRow(tr("Mật khẩu"), self.password)
        if self.first:
            form.addRow(tr("Nhập lại mật khẩu"), self.again)
            form.addRow(tr("Mã PIN"), self.pin)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setProperty("tone", "error")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(
            tr("Tạo tài khoản và đăng nhập") if self.first else tr("Đăng nhập"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        # Enter moves on, and signs in from the last field (whether or not the dialog's default button sees it).
        self.username.returnPressed.connect(lambda: (self.full_name if self.first else self.password).setFocus())
        self.full_name.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.again.setFocus if self.first else self.submit)
        self.again.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.submit)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        try:
            if self.first:
                if self.password.text() != self.again.text():
                    raise MotcuaError(tr("Hai lần nhập mật khẩu không khớp"))
                self._accounts.add(
                    self.username.text(), self.full_name.text(), Role.ADMIN, self.password.text(), self.pin.text()
                )
            self._accounts.sign_in(self.username.text(), self.password.text())
        except MotcuaError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            self.again.clear()
            self.password.setFocus()
            return
        self.accept()
