"""A kiosk and a display board left alone: full screen, deaf to the close keys, left only with an administrator's
PIN; the kiosk's first screen comes back after idle time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow

from motcua.config import Settings, UiSettings
from motcua.domain.accounts import Role
from motcua.services.accounts import AccountService
from motcua.services.queue.devices import make_kiosk_service
from motcua.store import audit
from motcua.ui import lockdown as lk
from motcua.ui.app import lock_unattended, locks
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops


@pytest.fixture
def admin_ctx(ctx):
    AccountService(ctx).add("kythuat", "Kỹ thuật viên", Role.ADMIN, "mat-khau-dai-1", pin="2468")
    AccountService(ctx).add("canbo", "Cán bộ", Role.CLERK, "mat-khau-dai-2", pin="1357")
    return ctx


@pytest.fixture
def board(qtbot, admin_ctx):
    w = QMainWindow()
    w.setObjectName("board")
    w.fired = []  # what the window's own keys did (the kiosk and the board have F11 for full screen)
    for keys in ("F11", "Esc", "Ctrl+W", "Ctrl+Q", "Alt+F4"):
        QShortcut(QKeySequence(keys), w, lambda keys=keys: w.fired.append(keys))
    qtbot.addWidget(w)
    lock = lock_unattended(w, admin_ctx, hide_cursor=True)
    qtbot.waitUntil(w.isVisible)
    yield w, lock
    if lock.locked:
        lock.leave("test")


def test_the_close_keys_and_close_requests_do_nothing_while_locked(qtbot, board) -> None:
    w, lock = board
    assert w.isFullScreen() and lock.locked
    for key, mods in (
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(w, key, mods)
    assert w.fired == []
    assert not w.close()  # what Alt+F4 becomes on Windows: a close request
    assert w.isVisible() and w.isFullScreen()


def test_a_window_shrunk_or_covered_comes_back_full_screen(qtbot, board) -> None:
    w, _ = board
    w.showNormal()
    qtbot.waitUntil(w.isFullScreen, timeout=2000)


def test_the_board_hides_the_cursor_and_gives_it_back_when_left(qtbot, board) -> None:
    w, lock = board
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    lock.leave("kythuat")
    assert QApplication.overrideCursor() is None
    assert not w.isVisible()


def test_five_taps_in_the_corner_ask_for_the_pin_and_elsewhere_they_do_not(qtbot, board, monkeypatch) -> None:
    w, lock = board
    asked: list[bool] = []
    monkeypatch.setattr(lock, "ask", lambda: asked.append(True))
    clock = iter(range(100))
    monkeypatch.setattr(lk.time, "monotonic", lambda: next(clock) * 0.5)
    for _ in range(4):
        qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(600, 400))  # a citizen's touch starts it over
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.wait(50)
    assert asked == []
    for _ in range(4):
        qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.waitUntil(lambda: asked == [True], timeout=1000)


def test_only_an_administrators_pin_lets_out_and_wrong_tries_wait(qtbot, admin_ctx, monkeypatch) -> None:
    accounts = AccountService(admin_ctx)
    parent = QMainWindow()
    qtbot.addWidget(parent)
    dialog = lk.PinDialog(parent, accounts.administrator_by_pin)
    for pin in ("1357", "0000", "12", "abc", ""):  # a clerk's PIN is not an administrator's
        dialog.entry.setText(pin)
        dialog.submit()
        assert dialog.admin is None
    assert dialog.message.text() == "Nhập sai nhiều lần; thử lại sau 60 giây"
    dialog.entry.setText("2468")
    dialog.submit()  # even the right PIN waits out the pause
    assert dialog.admin is None
    monkeypatch.setattr(lk.time, "monotonic", lambda: 10**9)
    dialog.entry.setText("2468")
    dialog.submit()
    assert dialog.admin == "kythuat" and dialog.result() == lk.QDialog.DialogCode.Accepted
    actions = [e["action"] for e in audit.history(admin_ctx.store.read(), "device")]
    assert actions.count("lockdown_pin_failed") == 4 and actions.count("lockdown_left") == 1


def test_the_administrator_quits_or_takes_ten_minutes_of_maintenance(qtbot, board, monkeypatch) -> None:
    w, lock = board
    monkeypatch.setattr(lk.PinDialog, "exec", lambda self: (setattr(self, "admin", "kythuat"), 1)[1])
    monkeypatch.setattr(lk.AdminChoice, "exec", lambda self: self._choose(lk.AdminChoice.MAINTENANCE))
    monkeypatch.setattr(lk, "MAINTENANCE_MS", 300)
    lock.maintenance(300)
    assert not lock.locked and not w.isFullScreen()
    qtbot.waitUntil(lambda: lock.locked and w.isFullScreen(), timeout=3000)  # locked again by itself
    left: list[str] = []
    lock.left.connect(left.append)
    monkeypatch.setattr(lk.AdminChoice, "exec", lambda self: self._choose(lk.AdminChoice.QUIT))
    lock.ask()
    assert left == ["kythuat"] and not w.isVisible()


def test_the_kiosk_goes_back_to_its_first_screen_in_vietnamese_when_left_alone(qtbot, queue_service) -> None:
    service, demo = make_kiosk_service(queue_service, Settings(), None)
    w = KioskWindow(queue_service, service, demo, poll_ms=200, idle_ms=400)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "HT" in w.start_page.buttons, timeout=5000)
    try:
        w.switch_language()
        qtbot.mouseClick(w.start_page.priority, Qt.MouseButton.LeftButton)
        assert w.lang == "en" and w.start_page.dirty
        for _ in range(3):  # someone still at it: no reset
            qtbot.wait(250)
            qtbot.mouseClick(w.start_page.centre, Qt.MouseButton.LeftButton)
        assert w.lang == "en" and w.start_page.dirty
        qtbot.waitUntil(lambda: w.lang == "vi" and not w.start_page.dirty, timeout=3000)
        assert w.current_page() is w.start_page
    finally:
        w.link.close()
        wait_for_ops()


def test_only_a_kiosk_board_or_pad_alone_on_its_pc_is_locked() -> None:
    on, off = Settings(), Settings(ui=UiSettings(lockdown=False))
    assert locks(on, {"kiosk"}, 1) and locks(on, {"display"}, 1) and locks(on, {"rating"}, 1)
    assert not locks(on, {"counter"}, 1) and not locks(on, {"supervisor"}, 1)
    assert not locks(on, {"all"}, 3) and not locks(on, {"kiosk", "counter"}, 2)
    assert not locks(off, {"kiosk"}, 1)
