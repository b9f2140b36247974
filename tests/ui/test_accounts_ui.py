"""The counter's sign-in, idle lock and account menu, driven as a clerk would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from motcua.domain.accounts import Role
from motcua.services.accounts import AccountService
from motcua.ui.accounts.idle_lock import IdleLock, UnlockDialog
from motcua.ui.accounts.login_dialog import LoginDialog
from motcua.ui.accounts.session_guard import SessionGuard
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops

SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/shots-accounts"))


def _shot(w, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(SHOTS / f"{name}.png"))


def test_the_first_start_makes_the_administrator_and_signs_in(qtbot, ctx) -> None:
    accounts = AccountService(ctx)
    d = LoginDialog(accounts, ctx.settings.centre.name)
    qtbot.addWidget(d)
    assert d.first and d.full_name.isVisibleTo(d)
    qtbot.keyClicks(d.username, "admin")
    qtbot.keyClicks(d.full_name, "Tran Van Quan")
    qtbot.keyClicks(d.password, "quan-tri-123")
    qtbot.keyClicks(d.again, "quan-tri-12")  # a slip
    d.submit()
    assert "không khớp" in d.error.text() and ctx.session is None and accounts.needs_first_admin()
    qtbot.keyClicks(d.password, "quan-tri-123")
    qtbot.keyClicks(d.again, "quan-tri-123")
    _shot(d, "first-start")
    d.submit()
    assert d.result() == LoginDialog.DialogCode.Accepted
    assert ctx.session is not None and ctx.session.role is Role.ADMIN and ctx.clerk == "Tran Van Quan"


@pytest.fixture
def staffed(ctx) -> AccountService:
    accounts = AccountService(ctx)
    accounts.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
    accounts.sign_in("admin", "quan-tri-123")
    accounts.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1", pin="2468")
    accounts.sign_out()
    return accounts


def test_a_wrong_password_is_said_and_nobody_is_signed_in(qtbot, ctx, staffed) -> None:
    d = LoginDialog(staffed)
    qtbot.addWidget(d)
    assert not d.first and not d.full_name.isVisibleTo(d)
    qtbot.keyClicks(d.username, "lan")
    qtbot.keyClicks(d.password, "sai")
    qtbot.keyClick(d.password, Qt.Key.Key_Return)
    assert "không đúng" in d.error.text() and ctx.session is None and d.password.text() == ""
    _shot(d, "sign-in-refused")
    qtbot.keyClicks(d.password, "mat-khau-1")
    qtbot.keyClick(d.password, Qt.Key.Key_Return)
    assert ctx.session is not None and ctx.clerk == "Nguyễn Thị Lan"


def test_idle_time_locks_once_and_input_keeps_it_open(qtbot) -> None:
    locked: list[int] = []
    idle = IdleLock(0.5, lambda: locked.append(1))  # 30 s
    start = idle._last
    idle.check(now=start + 29)
    assert locked == []
    idle.check(now=start + 31)
    assert locked == [1]
    idle.check(now=idle._last + 10)  # the lock's own time counts from its end
    assert locked == [1]


def test_the_pin_unlocks_and_a_wrong_one_is_said(qtbot, ctx, staffed) -> None:
    staffed.sign_in("lan", "mat-khau-1")
    d = UnlockDialog(staffed)
    qtbot.addWidget(d)
    qtbot.keyClicks(d.secret, "1357")
    d.submit()
    assert "không đúng" in d.error.text() and d.result() != UnlockDialog.DialogCode.Accepted
    _shot(d, "locked")
    qtbot.keyClicks(d.secret, "2468")
    d.submit()
    assert d.result() == UnlockDialog.DialogCode.Accepted and ctx.session is not None


def test_the_window_names_the_clerk_and_offers_accounts_to_an_administrator_only(
    qtbot, ctx, queue_service, staffed
) -> None:
    SessionGuard(staffed, 0, lambda: None, None)  # the app's one guard (kept by the class)
    try:
        for username, password, admin in (("lan", "mat-khau-1", False), ("admin", "quan-tri-123", True)):
            staffed.sign_in(username, password)
            w = CounterWindow(ctx, queue_service)
            w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            qtbot.addWidget(w)
            w.resize(1366, 768)
            w.show()
            qtbot.waitExposed(w)
            assert w.account_button is not None and w.account_button.text() == ctx.session.full_name
            labels = [a.text() for a in w.account_button.menu().actions()]
            assert ("Quản lý tài khoản…" in labels) is admin and "Khóa màn hình" in labels
            _shot(w, f"counter-{username}")
            if w.queue_panel is not None:
                w.queue_panel.link.close()
            w.close()
            wait_for_ops()
            staffed.sign_out()
    finally:
        SessionGuard._instance = None


def test_the_lock_hides_the_counters_content_until_the_clerk_is_back(qtbot, ctx, queue_service, staffed, monkeypatch):
    from motcua.ui.accounts import session_guard

    guard = SessionGuard(staffed, 0, lambda: None, None)
    staffed.sign_in("lan", "mat-khau-1")
    w = CounterWindow(ctx, queue_service)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    seen: list[bool] = []

    def unlock(dialog) -> int:  # what the screen shows while the unlock dialog waits
        covers = [c for c in w.centralWidget().findChildren(QLabel, "lockCover") if c.isVisible()]
        seen.append(bool(covers) and covers[0].geometry() == w.centralWidget().rect())
        QApplication.processEvents()  # as the dialog's own event loop would: the window repaints
        _shot(w, "locked-window")
        dialog.secret.setText("2468")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(session_guard.UnlockDialog, "exec", unlock)
    try:
        guard.lock_now(w)
        assert seen == [True]  # the counter's content covered: nothing of the citizen's on the screen while locked
        QApplication.processEvents()
        wait_for_ops()
        qtbot.waitUntil(lambda: not w.centralWidget().findChildren(QLabel, "lockCover"), timeout=2000)
        assert ctx.session is not None  # back, as it was
    finally:
        SessionGuard._instance = None
        if w.queue_panel is not None:
            w.queue_panel.link.close()
        w.close()
        wait_for_ops()
