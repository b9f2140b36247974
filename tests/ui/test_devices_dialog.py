"""The administrator's "Thiết bị và mã truy cập" dialog, and where the account menus offer it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from motcua.domain.accounts import Role
from motcua.services.accounts import AccountService
from motcua.services.device_accounts import DeviceAccounts
from motcua.store import device_tokens
from motcua.ui.accounts import devices_dialog
from motcua.ui.accounts.devices_dialog import DevicesDialog, NewDeviceDialog, TokenDialog
from motcua.ui.accounts.session_guard import SessionGuard
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops

MENU_ENTRY = "Thiết bị và mã truy cập…"


def _shot(widget, name: str) -> None:
    folder = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/queue_shots"))
    folder.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(folder / f"devices-{name}.png"))


@pytest.fixture
def staffed(ctx) -> AccountService:
    accounts = AccountService(ctx)
    accounts.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
    accounts.sign_in("admin", "quan-tri-123")
    accounts.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1", pin="2468")
    return accounts  # the administrator signed in


def _texts(d: DevicesDialog, column: int) -> list[str]:
    return [d.table.item(r, column).text() for r in range(d.table.rowCount())]


def _select(d: DevicesDialog, name: str) -> None:
    d.table.selectRow(_texts(d, 0).index(name))


def _add(monkeypatch, d: DevicesDialog, name: str, role: str, counter: int) -> dict[str, str]:
    """Press "Thêm thiết bị…", fill the form, and read what the token dialog shows (both are modal)."""
    shown: dict[str, str] = {}

    def fill(form: NewDeviceDialog) -> int:
        form.name.setText(name)
        form.role.setCurrentIndex(form.role.findData(role))
        form.counter.setValue(counter)
        form.submit()
        shown["error"] = form.error.text()
        return form.result()

    def show(token: TokenDialog) -> int:
        shown["token"] = token.token.text()
        shown["settings"] = token.settings.toPlainText()
        shown["warning"] = token.warning.text()
        shown["selectable"] = str(token.token.isReadOnly() and token.token.isEnabled())
        return 1

    monkeypatch.setattr(NewDeviceDialog, "exec", fill)
    monkeypatch.setattr(TokenDialog, "exec", show)
    d.add_button.click()
    return shown


def test_the_dialog_adds_shows_the_token_once_and_revokes_after_asking(qtbot, ctx, queue_service, staffed, monkeypatch):
    devices = DeviceAccounts.for_queue(ctx, queue_service)
    assert devices.available
    d = DevicesDialog(devices)
    qtbot.addWidget(d)
    assert d.table.rowCount() == 0 and not d.revoke_button.isEnabled()

    refused = _add(monkeypatch, d, "Quầy 2", "counter", 2)
    assert "Tên thiết bị gồm" in refused["error"] and "token" not in refused and d.table.rowCount() == 0

    shown = _add(monkeypatch, d, "Q02", "counter", 2)
    token = shown["token"]
    assert "Mã chỉ hiện một lần" in shown["warning"] and shown["selectable"] == "True"
    assert f'token = "{token}"' in shown["settings"] and "server_url" in shown["settings"]
    assert device_tokens.lookup(queue_service.store.read(), token) == device_tokens.Device("Q02", "counter", 2)
    # Shown once: gone from the dialog once closed, and never in clear in either database.
    assert (
        d.last_token is not None
        and d.last_token.token.text() == ""
        and token not in d.last_token.settings.toPlainText()
    )
    for path in (queue_service.store.path, ctx.store.path):
        for f in path.parent.glob(path.name + "*"):
            assert token.encode() not in f.read_bytes(), f
    assert _texts(d, 0) == ["Q02"] and _texts(d, 1) == ["Máy quầy"] and _texts(d, 2) == ["2"]
    assert _texts(d, 4) == ["đang dùng"]
    d.resize(1366 // 2, 768 // 2)
    _shot(d, "list")

    asked: list[str] = []

    def answer(_parent, _title, text, *_a):
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(devices_dialog.QMessageBox, "question", answer)
    _select(d, "Q02")
    assert d.revoke_button.isEnabled()
    d.revoke_button.click()  # "no": nothing happens
    assert device_tokens.lookup(queue_service.store.read(), token) is not None
    d.revoke_button.click()
    assert len(asked) == 2 and "Q02" in asked[0]
    assert device_tokens.lookup(queue_service.store.read(), token) is None
    assert _texts(d, 4)[0].startswith("đã thu hồi") and "Đã thu hồi mã của thiết bị Q02" in d.message.text()
    _select(d, "Q02")
    assert not d.revoke_button.isEnabled()


def test_a_counter_pc_manages_the_centres_devices_over_the_lan(qtbot, ctx, staffed) -> None:
    """On a counter PC (the queue reached over HTTP) the screen works through the centre server's ``/devices``
    routes (tests/sync/test_remote_device_tokens.py drives them); a centre that does not answer is said, plainly,
    and no queue at all gets the message of where devices are managed."""
    from motcua.sync.queue_client import HttpQueueClient

    client = HttpQueueClient("http://127.0.0.1:9", "t", retries=0)
    try:
        d = DevicesDialog(DeviceAccounts.for_queue(ctx, client))
        qtbot.addWidget(d)
        assert not d.table.isHidden() and not d.add_button.isHidden()
        assert "Không kết nối được máy chủ trung tâm" in d.message.text() and d.table.rowCount() == 0
    finally:
        client.close()
    nothing = DevicesDialog(DeviceAccounts.for_queue(ctx, None))
    qtbot.addWidget(nothing)
    assert nothing.table.isHidden() and nothing.add_button.isHidden() and nothing.revoke_button.isHidden()
    assert "quản lý trên máy chủ trung tâm" in nothing.message.text()


def _menu(window) -> list[str]:
    return [a.text() for a in window.account_button.menu().actions()]


def test_the_account_menus_offer_devices_to_an_administrator_only(qtbot, ctx, queue_service, staffed) -> None:
    from motcua.ui.supervisor.window import SupervisorWindow

    SessionGuard(staffed, 0, lambda: None, None)
    try:
        for username, password, admin in (("lan", "mat-khau-1", False), ("admin", "quan-tri-123", True)):
            staffed.sign_in(username, password)
            w = CounterWindow(ctx, queue_service)
            w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            qtbot.addWidget(w)
            assert (MENU_ENTRY in _menu(w)) is admin
            if admin:
                assert _menu(w).index(MENU_ENTRY) == _menu(w).index("Quản lý tài khoản…") + 1
            if w.queue_panel is not None:
                w.queue_panel.link.close()
            w.close()
            wait_for_ops()
            staffed.sign_out()
        staffed.sign_in("admin", "quan-tri-123")
        s = SupervisorWindow(ctx, queue_service, archive_dir=ctx.files_dir / "reports", poll_ms=100)
        s.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        qtbot.addWidget(s)
        assert MENU_ENTRY in _menu(s)
        s.live.close()
        s.close()
        wait_for_ops()
    finally:
        SessionGuard._instance = None


def test_the_supervisors_menu_has_no_devices_entry(qtbot, ctx, queue_service, staffed) -> None:
    from motcua.services.accounts import AccountService as Accounts
    from motcua.ui.supervisor.window import SupervisorWindow

    Accounts(ctx).add("hoa", "Lê Thị Hoa", Role.SUPERVISOR, "giam-sat-12")
    staffed.sign_out()
    staffed.sign_in("hoa", "giam-sat-12")
    SessionGuard(staffed, 0, lambda: None, None)
    try:
        s = SupervisorWindow(ctx, queue_service, archive_dir=ctx.files_dir / "reports", poll_ms=100)
        s.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        qtbot.addWidget(s)
        assert MENU_ENTRY not in _menu(s) and "Khóa màn hình" in _menu(s)
        s.live.close()
        s.close()
        wait_for_ops()
    finally:
        SessionGuard._instance = None


def test_the_new_device_form_binds_a_counter_only_where_it_means_something(qtbot, ctx, queue_service, staffed) -> None:
    form = NewDeviceDialog(DeviceAccounts.for_queue(ctx, queue_service))
    qtbot.addWidget(form)
    form.role.setCurrentIndex(form.role.findData("kiosk"))
    assert not form.counter.isEnabled()
    form.role.setCurrentIndex(form.role.findData("rating"))
    assert form.counter.isEnabled()
    form.name.setText("R1")
    form.submit()  # no counter chosen
    assert "Máy đánh giá phải gắn với một quầy" in form.error.text() and form.enrolment is None
    assert isinstance(form.error, QLabel)
