"""The counter window tells the centre who is signed in at its counter: on opening, on "another clerk", on
signing out and on closing; a language switch changes nothing; an offline queue only costs a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from motcua.domain.accounts import Role
from motcua.domain.queue import CentreUnreachableError
from motcua.services.accounts import AccountService
from motcua.services.queue.service import QueueService
from motcua.ui.accounts.session_guard import SessionGuard
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops


@pytest.fixture
def guard(ctx) -> Iterator[SessionGuard]:
    accounts = AccountService(ctx)
    accounts.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
    accounts.sign_in("admin", "quan-tri-123")
    accounts.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1")
    accounts.add("minh", "Lê Văn Minh", Role.CLERK, "mat-khau-2")
    accounts.sign_out()
    g = SessionGuard(accounts, 0, lambda: None, None)
    yield g
    SessionGuard._instance = None


def at_counter(q: QueueService) -> str:
    return next(c for c in q.board(0).counters if c.number == 1).clerk


def open_counter(qtbot, ctx, api) -> CounterWindow:
    w = CounterWindow(ctx, api)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    return w


def close_counter(w: CounterWindow) -> None:
    """Close the window and let every op it started end (a late result may start another: the status bar's),
    before the test's databases close under them."""
    if w.queue_panel is not None:
        w.queue_panel.link.close()
    w._status_timer.stop()
    w.close()
    for _ in range(3):
        wait_for_ops()
        QApplication.processEvents()


def test_sign_in_another_clerk_and_closing_reach_the_queue(qtbot, ctx, queue_service, guard, monkeypatch) -> None:
    guard.accounts.sign_in("lan", "mat-khau-1")
    w = open_counter(qtbot, ctx, queue_service)
    try:
        qtbot.waitUntil(lambda: at_counter(queue_service) == "lan", timeout=5000)

        def next_clerk(parent: object = None) -> bool:
            assert at_counter_soon(queue_service, "", qtbot)  # signed out before the next one signs in
            guard.accounts.sign_in("minh", "mat-khau-2")
            return True

        monkeypatch.setattr(guard, "sign_in", next_clerk)
        guard.switch_clerk(w)
        qtbot.waitUntil(lambda: at_counter(queue_service) == "minh", timeout=5000)
    finally:
        close_counter(w)
    assert at_counter(queue_service) == ""  # closing waited for the sign-out to be saved
    assert [e.kind for e in queue_service.events(0, kinds=("clerk",))] == ["clerk"] * 4


def at_counter_soon(q: QueueService, clerk: str, qtbot) -> bool:
    qtbot.waitUntil(lambda: at_counter(q) == clerk, timeout=5000)
    return True


def test_a_language_switch_keeps_the_clerk_at_the_counter(qtbot, ctx, queue_service, guard) -> None:
    guard.accounts.sign_in("lan", "mat-khau-1")
    w = open_counter(qtbot, ctx, queue_service)
    qtbot.waitUntil(lambda: at_counter(queue_service) == "lan", timeout=5000)
    replacement = w._switch_language()
    replacement.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(replacement)
    try:
        wait_for_ops()
        assert at_counter(queue_service) == "lan"
        assert len(queue_service.events(0, kinds=("clerk",))) == 1  # the same clerk again changes nothing
    finally:
        from motcua.i18n import set_language

        set_language("vi")
        if w.queue_panel is not None:
            w.queue_panel.link.close()
        w._status_timer.stop()
        close_counter(replacement)
    assert at_counter(queue_service) == ""


def test_an_offline_queue_is_only_logged(qtbot, ctx, queue_service, guard, monkeypatch, caplog) -> None:
    def offline(*_a: object, **_k: object) -> object:
        raise CentreUnreachableError("connection refused")

    monkeypatch.setattr(queue_service, "set_clerk", offline)
    guard.accounts.sign_in("lan", "mat-khau-1")
    with caplog.at_level(logging.WARNING, logger="motcua.ui.counter.presence"):
        w = open_counter(qtbot, ctx, queue_service)
        qtbot.waitUntil(lambda: "counter 1" in caplog.text, timeout=5000)
        close_counter(w)  # does not hang on the offline queue either
    assert "connection refused" in caplog.text
