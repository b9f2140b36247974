"""The supervisor's dialogs: the calendar's days off and working Saturdays, and the sync repairs (parked changes
put back in line, conflicts settled with a note, or sent to the centre when this PC does not keep them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import test_supervisor_window as sup
from PySide6.QtCore import Qt
from test_counter_window import type_text

from motcua.domain.errors import ValidationError
from motcua.services.calendar_admin import CalendarAdmin
from motcua.ui.supervisor.calendar_dialog import CalendarDialog
from motcua.ui.supervisor.sync_dialog import SyncDialog

fake_queue, makers, window = sup.fake_queue, sup.makers, sup.window


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_day_off_and_a_working_saturday_are_added_and_removed(qtbot, ctx) -> None:
    dialog = CalendarDialog(CalendarAdmin(ctx), date(2026, 11, 23))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=3000)  # the law's holidays of 2026
    before = dialog.table.rowCount()
    dialog.day.setDate(dialog.day.date().addDays(4))  # Friday 27/11/2026
    dialog.kind.setCurrentIndex(0)
    type_text(dialog.label, "Nghỉ bù")  # QTest types ASCII only
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1, timeout=3000)
    assert ["27/11/2026", "Thứ Sáu", "Nghỉ", "Nghỉ bù"] in _rows(dialog.table)
    assert not ctx.calendar.is_working_day(date(2026, 11, 27))
    dialog.day.setDate(dialog.day.date().addDays(1))  # Saturday 28/11/2026, worked in exchange
    dialog.kind.setCurrentIndex(1)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 2, timeout=3000)
    assert ["28/11/2026", "Thứ Bảy", "Làm việc", "Ngày làm việc bù"] in _rows(dialog.table)
    assert dialog.label.text() == ""
    row = next(r for r, cells in enumerate(_rows(dialog.table)) if cells[0] == "27/11/2026")
    rect = dialog.table.visualItemRect(dialog.table.item(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1, timeout=3000)
    assert ctx.calendar.is_working_day(date(2026, 11, 27))
    assert "Đã bỏ điều chỉnh ngày 27/11/2026" in dialog.messages.text()


def test_a_public_holiday_cannot_be_removed(qtbot, ctx) -> None:
    dialog = CalendarDialog(CalendarAdmin(ctx), date(2026, 11, 23))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=3000)
    row = next(r for r, cells in enumerate(_rows(dialog.table)) if cells[0] == "02/09/2026")  # National Day
    dialog.table.selectRow(row)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.messages.kind() == "error", timeout=3000)
    assert "không có trong bảng điều chỉnh" in dialog.messages.text()


@dataclass(frozen=True)
class Parked:
    key: str
    kind: str
    entity: str
    last_error: str


@dataclass(frozen=True)
class Clash:
    key: str
    dossier: str
    action: str
    origin: str
    at: str


@dataclass
class FakeDesk:
    parked_items: list[Parked] = field(default_factory=list)
    clashes: list[Clash] | None = field(default_factory=list)
    retried: list[tuple[str, ...]] = field(default_factory=list)
    settled: list[tuple[str, str]] = field(default_factory=list)

    def parked(self) -> list[Parked]:
        return list(self.parked_items)

    def retry(self, keys: Sequence[str]) -> int:
        self.retried.append(tuple(keys))
        before = len(self.parked_items)
        self.parked_items = [p for p in self.parked_items if keys and p.key not in keys]
        return before - len(self.parked_items)

    def conflicts(self) -> list[Clash] | None:
        return None if self.clashes is None else list(self.clashes)

    def settle(self, key: str, note: str) -> None:
        if not note.strip():
            raise ValidationError("Hãy ghi cách đã xử lý xung đột", "note")
        self.settled.append((key, note))
        assert self.clashes is not None
        self.clashes = [c for c in self.clashes if c.key != key]


def _desk() -> FakeDesk:
    return FakeDesk(
        [
            Parked("k1", "dossier.received", "000.25.38.H38-261120-0003", "HTTP 422: thiếu mã thủ tục"),
            Parked("k2", "dossier.status", "000.25.38.H38-261121-0001", "HTTP 409: khóa đã dùng"),
        ],
        [Clash("c1", "000.25.38.H38-261119-0002", "resolve", "000.25.38.H38/Q02", "2026-11-19T10:00:00")],
    )


def test_parked_changes_are_listed_with_their_reason_and_sent_again(qtbot, ctx, fake_queue, makers, tmp_path) -> None:
    desk = _desk()
    w = sup.open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports", sync=desk)
    try:
        w.toolbar.actions()[1].trigger()  # Xử lý đồng bộ…
        dialog = w.dialog
        assert isinstance(dialog, SyncDialog)
        qtbot.waitUntil(lambda: dialog.parked_table.rowCount() == 2, timeout=3000)
        assert _rows(dialog.parked_table)[0] == [
            "000.25.38.H38-261120-0003",
            "dossier.received",
            "HTTP 422: thiếu mã thủ tục",
        ]
        dialog.parked_table.selectRow(1)
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.parked_table.rowCount() == 1, timeout=3000)
        assert desk.retried == [("k2",)]
        assert "Đã đưa 1 thay đổi trở lại hàng đợi gửi" in dialog.messages.text()
        qtbot.mouseClick(dialog.retry_all_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.parked_table.rowCount() == 0, timeout=3000)
        assert desk.retried[-1] == () and not dialog.retry_all_button.isEnabled()
        dialog.close()
    finally:
        w.live.close()


def test_a_conflict_is_settled_only_with_a_note(qtbot) -> None:
    desk = _desk()
    dialog = SyncDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.conflicts_table.rowCount() == 1, timeout=3000)
    assert dialog.conflicts_table.isVisible() and not dialog.at_centre.isVisible()
    dialog.conflicts_table.selectRow(0)
    qtbot.mouseClick(dialog.settle_button, Qt.MouseButton.LeftButton)
    assert dialog.messages.text() == "Hãy ghi cách đã xử lý xung đột" and desk.settled == []
    type_text(dialog.note, "Đã đối chiếu với bản giấy, giữ bản của trung tâm")
    qtbot.mouseClick(dialog.settle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts_table.rowCount() == 0, timeout=3000)
    assert desk.settled == [("c1", "Đã đối chiếu với bản giấy, giữ bản của trung tâm")]
    assert dialog.note.text() == ""


def test_where_conflicts_are_not_kept_the_dialog_says_they_are_settled_at_the_centre(qtbot) -> None:
    desk = _desk()
    desk.clashes = None
    dialog = SyncDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.parked_table.rowCount() == 2, timeout=3000)
    assert dialog.at_centre.isVisible() and "máy chủ của trung tâm" in dialog.at_centre.text()
    assert not dialog.conflicts_table.isVisible() and not dialog.settle_button.isVisible()


def test_without_sync_repairs_the_window_says_where_they_are_made(window) -> None:
    window.toolbar.actions()[1].trigger()
    assert window.dialog is None
    assert "máy chủ của trung tâm" in window.messages.text()


def test_a_centre_server_that_does_not_answer_is_said_in_the_dialog(qtbot, ctx) -> None:
    import socket

    from motcua.domain.accounts import Role, Session
    from motcua.services.sync_repair import SyncRepair
    from motcua.sync.conflicts_client import HttpConflictDesk

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody answers there
    ctx.session = Session("binh.tt", "Trần Thị Bình", Role.SUPERVISOR)
    desk = HttpConflictDesk(f"http://127.0.0.1:{port}", "tok", timeout=1.0, retries=0)
    dialog = SyncDialog(SyncRepair(ctx, desk))
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        qtbot.waitUntil(lambda: "Không kết nối được máy chủ trung tâm" in dialog.messages.text(), timeout=5000)
        assert "xung đột" in dialog.messages.text() and "Lỗi không mong muốn" not in dialog.messages.text()
    finally:
        desk.close()
