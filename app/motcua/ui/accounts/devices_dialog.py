"""The administrator's list of the centre's devices and their access tokens: add one (its token shown once, with
what the technician types on the device), revoke one.

Where the queue is reached over HTTP the centre's database is not here: the dialog says plainly where devices are
managed instead of offering buttons that cannot work.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.services.device_accounts import (
    COUNTER_ROLES,
    MAX_COUNTER,
    ROLES,
    DeviceAccounts,
    Enrolment,
    role_label,
)
from motcua.services.queue.api import QueueApi
from motcua.ui.supervisor.tables import make_table


def _when(at: datetime | None) -> str:
    return at.strftime("%d/%m/%Y %H:%M") if at is not None else ""


def _mono(widget: QWidget) -> None:
    widget.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))


class NewDeviceDialog(QDialog):
    """Name, kind and counter of a new device; OK makes its token (a refusal is said here, the form kept)."""

    def __init__(self, devices: DeviceAccounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._devices = devices
        self.enrolment: Enrolment | None = None
        self.setWindowTitle(tr("Thêm thiết bị"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("ví dụ Q02, KIOSK-1"))
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        self.counter = QSpinBox()
        self.counter.setRange(0, MAX_COUNTER)
        self.counter.setSpecialValueText(tr("mọi quầy"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setProperty("tone", "error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        form.addRow(tr("Tên thiết bị"), self.name)
        form.addRow(tr("Loại"), self.role)
        form.addRow(tr("Quầy"), self.counter)
        form.addRow(self.hint)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Tạo mã"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(460)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _role_changed(self) -> None:
        role = str(self.role.currentData())
        self.counter.setEnabled(role in COUNTER_ROLES)
        if role not in COUNTER_ROLES:
            self.counter.setValue(0)
        hints = {
            "counter": tr("Tên là «station_id» của máy quầy. Chọn số quầy để mã chỉ làm việc cho quầy đó."),
            "rating": tr("Máy đánh giá luôn gắn với một quầy."),
            "kiosk": tr("Ki-ốt lấy số phát số thứ tự cho người dân."),
            "display": tr("Màn hình hiển thị chỉ đọc hàng đợi."),
            "admin": tr("Mã quản trị làm được mọi việc trên máy chủ trung tâm: chỉ cấp khi thật cần."),
        }
        self.hint.setText(hints.get(role, ""))

    def submit(self) -> None:
        value = self.counter.value()
        try:
            self.enrolment = self._devices.add(self.name.text(), str(self.role.currentData()), value or None)
        except MotcuaError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class TokenDialog(QDialog):
    """The new token, once, with the centre's address and fingerprint and the lines the device's settings need."""

    def __init__(self, enrolment: Enrolment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        e = enrolment
        self.setWindowTitle(tr("Mã truy cập của thiết bị {device}", device=e.name))
        lay = QVBoxLayout(self)
        self.warning = QLabel(
            tr(
                "Mã chỉ hiện một lần: hãy nhập ngay vào thiết bị hoặc chép lại ở nơi an toàn. Đóng cửa sổ này là "
                "không xem lại được; nếu mất mã, hãy thu hồi và tạo mã mới."
            )
        )
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("font-weight: bold; color: #8a4b00")
        lay.addWidget(self.warning)
        form = QFormLayout()
        what = role_label(e.role) if e.counter is None else tr("{role}, quầy {n}", role=role_label(e.role), n=e.counter)
        form.addRow(tr("Tên thiết bị"), QLabel(f"{e.name} — {what}"))
        self.token = self._field(form, tr("Mã truy cập"), e.token)
        if e.centre_url:
            url = self._field(form, tr("Địa chỉ máy chủ trung tâm"), e.centre_url)
            if e.centre_url_guessed:
                guess = QLabel(tr("Tên máy này với cổng mặc định: kiểm tra lại nếu máy chủ chạy cổng khác"))
                guess.setWordWrap(True)
                guess.setStyleSheet("color: #555")
                url.setToolTip(guess.text())
                form.addRow("", guess)
        else:
            form.addRow(tr("Địa chỉ máy chủ trung tâm"), QLabel(tr("địa chỉ mà máy chủ trung tâm in khi khởi động")))
        if e.fingerprint:
            self.fingerprint: QLineEdit | None = self._field(form, tr("Dấu vân tay TLS (SHA-256)"), e.fingerprint)
        else:
            self.fingerprint = None
            note = QLabel(tr("Máy chủ trung tâm chưa có chứng thư TLS riêng: không có dấu vân tay để ghi."))
            note.setWordWrap(True)
            form.addRow(tr("Dấu vân tay TLS (SHA-256)"), note)
        lay.addLayout(form)
        lay.addWidget(QLabel(tr("Ghi vào cấu hình của thiết bị:")))
        self.settings = QPlainTextEdit(e.settings_text())
        self.settings.setReadOnly(True)
        _mono(self.settings)
        self.settings.setMinimumHeight(150)
        lay.addWidget(self.settings, 1)
        row = QHBoxLayout()
        copy_all = QPushButton(tr("Chép cấu hình"))
        copy_all.clicked.connect(lambda: self._copy(self.settings.toPlainText()))
        row.addWidget(copy_all)
        row.addStretch(1)
        done = QPushButton(tr("Đã ghi lại, đóng"))
        done.clicked.connect(self.accept)
        row.addWidget(done)
        lay.addLayout(row)
        self.resize(self.sizeHint().width(), 480)

    def _field(self, form: QFormLayout, label: str, text: str) -> QLineEdit:
        """A selectable, read-only, monospace line with its Copy button."""
        edit = QLineEdit(text)
        edit.setReadOnly(True)
        _mono(edit)
        edit.setCursorPosition(0)
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(text) + 16)  # the whole of it, without scrolling
        button = QPushButton(tr("Chép"))
        button.clicked.connect(lambda: self._copy(edit.text()))
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        form.addRow(label, row)
        return edit

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)


class DevicesDialog(QDialog):
    """Thiết bị và mã truy cập: the centre's devices, their kind, counter, when made and whether revoked."""

    def __init__(self, devices: DeviceAccounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._devices = devices
        self.last_token: TokenDialog | None = None  # the token dialog shown last (tests drive it)
        self.setWindowTitle(tr("Thiết bị và mã truy cập"))
        self.resize(760, 460)
        lay = QVBoxLayout(self)
        self.table = make_table(
            [tr("Tên thiết bị"), tr("Loại"), tr("Quầy"), tr("Tạo lúc"), tr("Trạng thái")], stretch=4
        )
        lay.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("Thêm thiết bị…"))
        self.revoke_button = QPushButton(tr("Thu hồi mã…"))
        close = QPushButton(tr("Đóng"))
        row.addWidget(self.add_button)
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.revoke_button.clicked.connect(self.revoke)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        close.clicked.connect(self.accept)
        if not devices.available:
            self.table.hide()
            self.add_button.hide()
            self.revoke_button.hide()
            self._say(devices.remote_message())
            self.resize(560, 160)
            return
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = self._devices.devices()
        except MotcuaError as exc:
            self._say(str(exc), error=True)
            rows = []
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            state = tr("đang dùng") if d.active else tr("đã thu hồi {at}", at=_when(d.revoked))
            counter = str(d.counter) if d.counter is not None else tr("mọi quầy") if d.role == "counter" else ""
            for c, v in enumerate((d.name, role_label(d.role), counter, _when(d.created), state)):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        for c in range(4):  # a little air: a selected row's text is not clipped by the style's padding
            self.table.setColumnWidth(c, self.table.columnWidth(c) + 16)
        self._selection_changed()

    def _selected(self) -> tuple[str, bool]:
        """The selected device's name and whether its token is in use."""
        r = self.table.currentRow()
        item = self.table.item(r, 0)
        if item is None or not self.table.selectionModel().hasSelection():
            return "", False
        state = self.table.item(r, 4)
        return item.text(), state is not None and state.text() == tr("đang dùng")

    def _selection_changed(self) -> None:
        self.revoke_button.setEnabled(self._selected()[1])

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setProperty("tone", "error" if error else "ok")
        self.message.setText(text)

    def add(self) -> None:
        d = NewDeviceDialog(self._devices, self)
        if d.exec() != QDialog.DialogCode.Accepted or d.enrolment is None:
            return
        e = d.enrolment
        self.refresh()
        self._say(tr("Đã tạo mã cho thiết bị {device} ({role})", device=e.name, role=role_label(e.role)))
        self.last_token = TokenDialog(e, self)
        self.last_token.exec()
        self.last_token.token.clear()  # the only copy this process kept
        self.last_token.settings.clear()

    def revoke(self) -> None:
        name, active = self._selected()
        if not name or not active:
            return
        answer = QMessageBox.question(
            self,
            tr("Thu hồi mã truy cập"),
            tr(
                "Thu hồi mã của thiết bị {device}? Thiết bị đó sẽ không làm việc với trung tâm được nữa cho đến "
                "khi được cấp mã mới.",
                device=name,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._devices.revoke(name)
        except MotcuaError as exc:
            self._say(str(exc), error=True)
            return
        self._say(tr("Đã thu hồi mã của thiết bị {device}", device=name))
        self.refresh()


def open_devices(ctx: AppContext, queue: QueueApi | None, parent: QWidget | None = None) -> DevicesDialog:
    """The dialog for the centre whose queue a window has (the account menus' "Thiết bị và mã truy cập…")."""
    dialog = DevicesDialog(DeviceAccounts.for_queue(ctx, queue), parent)
    dialog.exec()
    return dialog
