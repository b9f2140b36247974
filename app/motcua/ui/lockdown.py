"""A kiosk, display board or rating pad that runs unattended: full screen, deaf to the close keys, back on top
when something covers it, the cursor hidden on a board, and left only through an administrator's PIN.

A citizen with a keyboard or a curious finger meets nothing that closes or shrinks the window: Alt+F4 (a close
request on Windows), Ctrl+W, Ctrl+Q, Escape and F11 are swallowed and a close request is refused. The way out
is for a technician: five taps in the top left corner within a few seconds (a touch screen has no keys), or
Ctrl+Alt+Shift+L, then an administrator's PIN on an on-screen keypad, then "quit" or "maintenance" (an ordinary
window for ten minutes, then locked again). What the operating system itself offers (Ctrl+Alt+Del, the Windows
key, switching users) is the system's to lock: docs/kiosk-lockdown.md says how (Assigned Access, a kiosk session).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.ui.about import AboutDialog

CORNER_PX = 90  # the top left square a technician taps
TAPS = 5
TAPS_WITHIN_S = 4.0
SAME_TOUCH_S = 0.08
MAINTENANCE_MS = 10 * 60_000
WRONG_TRIES = 5  # then the keypad waits
WAIT_AFTER_WRONG_S = 60.0
ADMIN_KEYS = QKeySequence("Ctrl+Alt+Shift+L")
_MOD = Qt.KeyboardModifier


def _is_closing_key(event: QKeyEvent) -> bool:
    key, mods = event.key(), event.modifiers()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Close):
        return True
    if key == Qt.Key.Key_F4 and mods & (_MOD.AltModifier | _MOD.ControlModifier):
        return True
    if key == Qt.Key.Key_Space and mods & _MOD.AltModifier:  # the window menu (Windows)
        return True
    return key in (Qt.Key.Key_W, Qt.Key.Key_Q) and bool(mods & _MOD.ControlModifier)


def _is_admin_keys(event: QKeyEvent) -> bool:
    return QKeySequence(event.keyCombination()) == ADMIN_KEYS


class PinDialog(QDialog):
    """An administrator's PIN on big digit keys (a kiosk has no keyboard; typed digits work too).

    Args:
        check: returns the administrator's user name for a right PIN, else None.
    """

    def __init__(self, parent: QWidget, check: Callable[[str], str | None]) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Quản trị thiết bị"))
        self._check = check
        self.admin: str | None = None
        self._wrong = 0
        self._wait_until = 0.0
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Mã PIN của quản trị viên")))
        self.entry = QLineEdit()
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setMaxLength(8)
        self.entry.returnPressed.connect(self.submit)
        lay.addWidget(self.entry)
        self.message = QLabel("")
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        grid = QGridLayout()
        for i, d in enumerate("123456789"):
            grid.addWidget(self._key(d, lambda _=False, d=d: self.entry.insert(d)), i // 3, i % 3)
        grid.addWidget(self._key(tr("Xóa"), lambda: self.entry.backspace()), 3, 0)
        grid.addWidget(self._key("0", lambda: self.entry.insert("0")), 3, 1)
        grid.addWidget(self._key(tr("Đồng ý"), self.submit), 3, 2)
        lay.addLayout(grid)
        cancel = self._key(tr("Hủy"), self.reject)
        lay.addWidget(cancel)

    @staticmethod
    def _key(text: str, slot: Callable[..., object]) -> QPushButton:
        b = QPushButton(text)
        b.setMinimumSize(96, 64)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def submit(self) -> None:
        now = time.monotonic()
        if now < self._wait_until:
            self.message.setText(tr("Nhập sai nhiều lần; thử lại sau {n} giây", n=int(self._wait_until - now) + 1))
            return
        pin, self.admin = self.entry.text(), None
        self.entry.clear()
        admin = self._check(pin) if pin else None
        if admin is None:
            self._wrong += 1
            if self._wrong >= WRONG_TRIES:
                self._wrong = 0
                self._wait_until = now + WAIT_AFTER_WRONG_S
                self.message.setText(tr("Nhập sai nhiều lần; thử lại sau {n} giây", n=int(WAIT_AFTER_WRONG_S)))
            else:
                self.message.setText(tr("Mã PIN không đúng"))
            return
        self.admin = admin
        self.accept()


class AdminChoice(QDialog):
    """What the administrator came for: quit, maintenance, or about."""

    QUIT, MAINTENANCE = 1, 2

    def __init__(self, parent: QWidget, admin: str, data_folder: Path | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Quản trị thiết bị"))
        self.choice = 0
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Quản trị viên: {name}", name=admin)))
        for text, value in (
            (tr("Thoát ứng dụng"), self.QUIT),
            (tr("Bảo trì: cửa sổ thường trong 10 phút"), self.MAINTENANCE),
        ):
            b = QPushButton(text)
            b.setMinimumHeight(56)
            b.clicked.connect(lambda _=False, v=value: self._choose(v))
            lay.addWidget(b)
        about = QPushButton(tr("Giới thiệu MotCua Desk…"))
        about.setMinimumHeight(56)
        about.clicked.connect(lambda: AboutDialog(self, data_folder).exec())
        lay.addWidget(about)
        back = QPushButton(tr("Quay lại"))
        back.setMinimumHeight(56)
        back.clicked.connect(self.reject)
        lay.addWidget(back)

    def _choose(self, value: int) -> None:
        self.choice = value
        self.accept()


class Lockdown(QObject):
    """Locks ``window`` as described above, from construction until an administrator leaves.

    Args:
        window: the kiosk, board or pad.
        check_pin: an administrator's user name for a right PIN (``AccountService.administrator_by_pin``).
        hide_cursor: a board: nobody points at a TV.
        data_folder: shown in "about".

    Signals:
        left(str): an administrator quit the app (their user name).
    """

    left = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        check_pin: Callable[[str], str | None],
        hide_cursor: bool = False,
        data_folder: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.check_pin = check_pin
        self.hide_cursor = hide_cursor
        self.data_folder = data_folder
        self.locked = False
        self._leaving = False
        self._taps: list[float] = []
        self._asking = False
        self._relock = QTimer(self)
        self._relock.setSingleShot(True)
        self._relock.timeout.connect(self.lock)
        self._front = QTimer(self)  # something covered the window: bring it back a moment later
        self._front.setSingleShot(True)
        self._front.setInterval(1000)
        self._front.timeout.connect(self._to_front)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.lock()

    # -- state -----------------------------------------------------------------------------------------
    def lock(self) -> None:
        self._relock.stop()
        self.locked = True
        self.window.showFullScreen()
        if self.hide_cursor:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)

    def maintenance(self, ms: int = MAINTENANCE_MS) -> None:
        """An ordinary window for a while (a technician at work), then locked again by itself."""
        self._unlock()
        self.window.showNormal()
        self._relock.start(ms)

    def leave(self, admin: str) -> None:
        self._unlock()
        self._leaving = True
        self.left.emit(admin)
        self.window.close()

    def _unlock(self) -> None:
        if self.locked and self.hide_cursor:
            QApplication.restoreOverrideCursor()
        self.locked = False

    def _to_front(self) -> None:
        if self.locked and not self._asking:
            self.window.showFullScreen()
            self.window.raise_()
            self.window.activateWindow()

    # -- the administrator's way out ---------------------------------------------------------------------------
    def ask(self) -> None:
        """The PIN, then what to do."""
        if self._asking:
            return
        self._asking = True
        if self.hide_cursor and self.locked:
            QApplication.setOverrideCursor(Qt.CursorShape.ArrowCursor)  # the technician needs to see the keys
        try:
            pin = PinDialog(self.window, self.check_pin)
            if pin.exec() != QDialog.DialogCode.Accepted or pin.admin is None:
                return
            choice = AdminChoice(self.window, pin.admin, self.data_folder)
            choice.exec()
            if choice.choice == AdminChoice.QUIT:
                self.leave(pin.admin)
            elif choice.choice == AdminChoice.MAINTENANCE:
                self.maintenance()
        finally:
            if self.hide_cursor and self.locked:
                QApplication.restoreOverrideCursor()
            self._asking = False

    def _tap(self, pos: QPoint) -> None:
        now = time.monotonic()
        if self._taps and now - self._taps[-1] < SAME_TOUCH_S:
            return  # the same touch seen again: by a parent widget, or as the mouse press Qt makes of it
        if pos.x() > CORNER_PX or pos.y() > CORNER_PX:
            self._taps.clear()
            return
        self._taps = [t for t in self._taps if now - t <= TAPS_WITHIN_S] + [now]
        if len(self._taps) >= TAPS:
            self._taps.clear()
            QTimer.singleShot(0, self.ask)  # after the touch is delivered, not inside it

    # -- events ----------------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt's name
        kind = event.type()
        if obj is self.window:
            if kind == QEvent.Type.Close and self.locked and not self._leaving:
                event.ignore()
                return True
            if kind == QEvent.Type.WindowStateChange and self.locked and not self.window.isFullScreen():
                QTimer.singleShot(0, self._to_front)
            if kind == QEvent.Type.WindowDeactivate and self.locked:
                self._front.start()
            if kind == QEvent.Type.WindowActivate:
                self._front.stop()
        if not self.locked or self._asking or not isinstance(obj, QWidget) or obj.window() is not self.window:
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if _is_admin_keys(event):
                if kind == QEvent.Type.KeyPress:
                    QTimer.singleShot(0, self.ask)
                event.accept()
                return True
            if _is_closing_key(event):
                # An accepted override keeps the key from any shortcut (F11, Ctrl+W…); the key press that follows
                # is swallowed here too.
                event.accept()
                return True
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._tap(self.window.mapFromGlobal(event.globalPosition().toPoint()))
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
            self._tap(self.window.mapFromGlobal(event.points()[0].globalPosition().toPoint()))
        return False
