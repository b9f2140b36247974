"""The administrator's list of clerk accounts: add, disable or enable, reset a password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.accounts import Role
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.services.accounts import AccountService
from motcua.ui.supervisor.tables import make_table


class NewAccountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Tạo tài khoản"))
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(r.label, r.value)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Tên đăng nhập"), self.username)
        form.addRow(tr("Họ và tên"), self.full_name)
        form.addRow(tr("Vai trò"), self.role)
        form.addRow(tr("Mật khẩu ban đầu"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersDialog(QDialog):
    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.setWindowTitle(tr("Quản lý tài khoản"))
        self.resize(640, 420)
        lay = QVBoxLayout(self)
        self.table = make_table([tr("Tên đăng nhập"), tr("Họ và tên"), tr("Vai trò"), tr("Trạng thái")], stretch=1)
        lay.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("Thêm…"))
        self.toggle_button = QPushButton(tr("Khóa / mở lại"))
        self.reset_button = QPushButton(tr("Đặt lại mật khẩu…"))
        close = QPushButton(tr("Đóng"))
        for b in (self.add_button, self.toggle_button, self.reset_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.toggle_button.clicked.connect(self.toggle)
        self.reset_button.clicked.connect(self.reset_password)
        close.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        rows = self._accounts.accounts()
        self.table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            state = tr("đang dùng") if a.active else tr("đã khóa")
            for c, v in enumerate((a.username, a.full_name, a.role.label, state)):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def _selected(self) -> str:
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else ""

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setProperty("tone", "error" if error else "ok")
        self.message.setText(text)

    def add(self) -> None:
        d = NewAccountDialog(self)
        if d.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            a = self._accounts.add(d.username.text(), d.full_name.text(), Role(d.role.currentData()),
                                   d.password.text())  # fmt: skip
        except MotcuaError as exc:
            self._say(str(exc), error=True)
            return
        self._say(tr("Đã tạo tài khoản {username} ({role})", username=a.username, role=a.role.label))
        self.refresh()

    def toggle(self) -> None:
        username = self._selected()
        if not username:
            return
        active = next(a.active for a in self._accounts.accounts() if a.username == username)
        try:
            if active:
                self._accounts.disable(username)
            else:
                self._accounts.enable(username)
        except MotcuaError as exc:
            self._say(str(exc), error=True)
            return
        self._say(tr("Đã khóa tài khoản {username}", username=username) if active
                  else tr("Đã mở lại tài khoản {username}", username=username))  # fmt: skip
        self.refresh()

    def reset_password(self) -> None:
        username = self._selected()
        if not username:
            return
        text, ok = QInputDialog.getText(self, tr("Đặt lại mật khẩu"), tr("Mật khẩu mới cho {username}",
                                        username=username), QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok:
            return
        try:
            self._accounts.set_password(username, text)
        except MotcuaError as exc:
            self._say(str(exc), error=True)
            return
        self._say(tr("Đã đổi mật khẩu của {username}", username=username))
