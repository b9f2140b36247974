"""The supervisor's window driven as a supervisor would: today's counters, queues and dossiers, live; pausing and
re-assigning a counter; the overdue list opening a dossier; a clerk turned away.

Shared by the other test_supervisor_*.py files: a fake centre queue, fake report makers, the window.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from motcua.config import Settings
from motcua.domain.accounts import Role, Session
from motcua.domain.cccd import parse_cccd
from motcua.domain.device_health import DeviceHealth, DeviceRole, PaperState, seen
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.errors import MotcuaError
from motcua.domain.queue import TicketState
from motcua.domain.queue_views import Board, CounterView, ServiceView
from motcua.domain.reports.daily import DailySummary
from motcua.domain.reports.facts import (
    CounterActivity,
    CounterFact,
    QueueSnapshot,
    RatingFact,
    RatingLevel,
    TicketFact,
)
from motcua.domain.reports.period import PeriodReport
from motcua.domain.reports.service_index import IndexMonth
from motcua.i18n import get_language
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.ui.ops import wait_for_ops
from motcua.ui.supervisor import access
from motcua.ui.supervisor import window as window_module
from motcua.ui.supervisor.dossier_dialog import DossierDialog
from motcua.ui.supervisor.services_dialog import ServicesDialog
from motcua.ui.supervisor.window import SupervisorWindow

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


class _Closed:
    def close(self) -> None:
        pass


class FakeQueue:
    """The centre's queue as the supervisor's window uses it, on a Monday morning at 09:30.

    Counter 1 serves A003 since 09:18; counter 2 is open and idle; two citizens wait for HT (the first since 09:00).
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.day = now.date()
        self.seq = 1
        self.fail = False
        self.calls: list[tuple[object, ...]] = []
        self._lock = threading.Lock()
        self.services = {"HT": "Hộ tịch, chứng thực", "DD": "Đất đai, xây dựng"}
        at = self._at
        self.counters = {
            1: CounterFact(1, "Quầy 1", ("HT",), CounterActivity.SERVING, at(9, 18), "Nguyễn Văn An", "A003"),
            2: CounterFact(2, "Quầy 2", ("DD", "HT"), CounterActivity.IDLE, at(8, 45), "Trần Thị Bình"),
        }
        done, no_show, serving, waiting = (
            TicketState.DONE,
            TicketState.NO_SHOW,
            TicketState.SERVING,
            TicketState.WAITING,
        )
        self.tickets = [
            TicketFact(1, self.day, "HT", "A001", done, at(8, 0), 1, at(8, 10), at(8, 11), at(8, 20)),
            TicketFact(2, self.day, "HT", "A002", no_show, at(8, 5), 1, at(8, 30)),
            TicketFact(3, self.day, "HT", "A003", serving, at(8, 40), 1, at(9, 18), at(9, 19)),
            TicketFact(4, self.day, "HT", "A004", waiting, at(9, 0)),
            TicketFact(5, self.day, "HT", "A005", waiting, at(9, 20)),
            TicketFact(6, self.day, "DD", "B001", done, at(8, 15), 2, at(8, 20), at(8, 21), at(8, 45)),
        ]
        # The kiosk is out of paper; the board was last heard at 09:20 (ten minutes ago: silent).
        self.devices = [
            DeviceHealth("K-Q01", DeviceRole.KIOSK, at(9, 29), PaperState.OUT, "MotCua Desk 1.0 (source; Python)"),
            DeviceHealth("D-Q01", DeviceRole.DISPLAY, at(9, 20), PaperState.NONE, "MotCua Desk 1.0 (source; Python)"),
        ]
        self.ratings = [
            RatingFact(at(8, 21), RatingLevel.VERY_SATISFIED, 1, 1, "HT", "Nguyễn Văn An"),
            RatingFact(at(8, 46), RatingLevel.VERY_SATISFIED, 2, 6, "DD", "Trần Thị Bình"),
            RatingFact(at(8, 50), RatingLevel.SATISFIED, 2, None, "DD", "Trần Thị Bình"),
            RatingFact(at(9, 1), RatingLevel.DISSATISFIED, 1, 2, "HT", "Nguyễn Văn An", reasons=("slow",)),
        ]

    def _at(self, h: int, m: int) -> datetime:
        return datetime.combine(self.day, datetime.min.time()).replace(hour=h, minute=m)

    def changed(self) -> None:
        with self._lock:
            self.seq += 1

    # -- what the window calls -----------------------------------------------------------------------------
    def latest_seq(self) -> int:
        return self.seq

    def subscribe(self, on_change: object) -> _Closed:
        return _Closed()

    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        if self.fail:
            raise MotcuaError("Không kết nối được máy chủ trung tâm")
        with self._lock:
            return QueueSnapshot(
                tuple(self.tickets) if tickets else (),
                tuple(self.ratings),
                tuple(self.counters.values()),
                tuple(self.services.items()),
            )

    def board(self, last_calls: int = 10) -> Board:
        with self._lock:
            counters = tuple(self._view(n) for n in self.counters)
            waiting = {c: sum(1 for t in self.tickets if t.service == c and t.state.callable) for c in self.services}
            services = tuple(ServiceView(c, name, c[0], True, waiting[c]) for c, name in self.services.items())
            return Board(self.seq, self.day, self.now, counters, (), services)

    def device_health(self, silent_after_s: float = 180.0) -> list[DeviceHealth]:
        with self._lock:
            return [seen(d, self.now, silent_after_s) for d in self.devices]

    def _view(self, n: int) -> CounterView:
        c = self.counters[n]
        return CounterView(n, c.name, c.activity is CounterActivity.PAUSED, c.services, clerk=c.clerk)

    def _set(self, counter: int, **changes: object) -> CounterView:
        with self._lock:
            self.counters[counter] = replace(self.counters[counter], **changes)  # type: ignore[arg-type]
        self.changed()
        return self._view(counter)

    def pause(self, counter: int, *, key: str | None = None) -> CounterView:
        self.calls.append(("pause", counter))
        return self._set(counter, activity=CounterActivity.PAUSED, since=self.now)

    def resume(self, counter: int, *, key: str | None = None) -> CounterView:
        self.calls.append(("resume", counter))
        return self._set(counter, activity=CounterActivity.IDLE, since=self.now)

    def assign_services(self, counter: int, services: Sequence[str], *, key: str | None = None) -> CounterView:
        self.calls.append(("assign", counter, tuple(services)))
        return self._set(counter, services=tuple(services))


def tiny_pdf(*lines: str, pages: int = 1) -> bytes:
    """A real PDF (reportlab), so that previews render and printers print it."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for p in range(pages):
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 18 * i, f"{line} ({p + 1})")
        c.showPage()
    c.save()
    return out.getvalue()


@dataclass
class FakeMakers:
    """Report files (a ReportFiles' three makers) that record what they were given, in which language, and return
    a small real PDF (or fixed workbook bytes)."""

    daily: list[DailySummary] = field(default_factory=list)
    period: list[tuple[PeriodReport, list[IndexMonth]]] = field(default_factory=list)
    xlsx: list[tuple[PeriodReport, list[IndexMonth]]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    def daily_pdf(self, s: DailySummary) -> bytes:
        self.daily.append(s)
        self.languages.append(get_language())
        return tiny_pdf(f"daily {s.day.isoformat()}", pages=2)

    def period_pdf(self, r: PeriodReport, index: Sequence[IndexMonth] = ()) -> bytes:
        self.period.append((r, list(index)))
        self.languages.append(get_language())
        return tiny_pdf(f"period {r.start.isoformat()} {r.end.isoformat()}")

    def period_xlsx(self, r: PeriodReport, index: Sequence[IndexMonth] = ()) -> bytes:
        self.xlsx.append((r, list(index)))
        return b"PK-fake-workbook"


def receive(ctx: object, clock: object, when: str, procedure: str = "1.001193") -> str:
    """Receive a dossier at ``when`` (the clock goes back there and returns): its code."""
    svc = ReceptionService(ctx)  # type: ignore[arg-type]
    before = clock.now  # type: ignore[attr-defined]
    clock.set(when)  # type: ignore[attr-defined]
    try:
        p = svc.procedure(procedure)
        components = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
        return svc.receive(ReceiveRequest(procedure, parse_cccd(QR).to_applicant(), components)).code
    finally:
        clock.now = before  # type: ignore[attr-defined]


@pytest.fixture
def fake_queue(clock) -> FakeQueue:
    return FakeQueue(clock.now)


@pytest.fixture
def makers() -> FakeMakers:
    return FakeMakers()


def no_catch_up(ctx, days: int = 0) -> None:
    """The window keeps missing daily summaries of the days before: none, unless a test is about that."""
    ctx.settings = replace(ctx.settings, reports=replace(ctx.settings.reports, catch_up_days=days))


def open_window(qtbot, ctx, queue, makers: FakeMakers, archive: Path, **kw: object) -> SupervisorWindow:
    if ctx.settings.reports.catch_up_days == Settings().reports.catch_up_days:
        no_catch_up(ctx)
    w = SupervisorWindow(ctx, queue, files=makers, archive_dir=archive, poll_ms=100, **kw)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot owns it in tests
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
    return w


@pytest.fixture
def window(qtbot, ctx, fake_queue, makers, tmp_path):
    w = open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports")
    yield w
    w.live.close()
    wait_for_ops()


def texts(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def row_of(table, text: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == text)


def click_row(qtbot, table, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- the live dashboard ------------------------------------------------------------------------------------------
def test_dashboard_shows_each_counter_each_service_and_the_day_in_tiles(window) -> None:
    d = window.dashboard
    counters = d.counters.table
    one, two = row_of(counters, "Quầy 1"), row_of(counters, "Quầy 2")
    assert counters.item(one, 1).text() == "Nguyễn Văn An"
    assert counters.item(one, 2).text() == "Phục vụ A003"
    assert counters.item(one, 3).text() == "12"  # minutes serving: since 09:18, now 09:30
    assert counters.item(one, 4).text() == "1"  # A001 served there
    assert counters.item(one, 6).text() == "50%"  # one very satisfied, one not
    assert counters.item(two, 2).text() == "Đang trống"
    services = d.services.table
    ht = row_of(services, "Hộ tịch, chứng thực")
    assert [services.item(ht, c).text() for c in range(1, 4)] == ["2", "30", "5 · 1 · 1"]
    assert services.item(ht, 5).text() == "9,0 · 9,0"  # minutes: A001 served 09:11–09:20
    tiles = d.figures.tiles
    assert (tiles["issued"].value.text(), tiles["issued"].detail.text()) == ("6", "Xong 2 · Vắng 1")
    assert (tiles["waiting"].value.text(), tiles["waiting"].detail.text()) == ("2", "Lâu nhất 30 phút")
    assert (tiles["satisfaction"].value.text(), tiles["satisfaction"].detail.text()) == ("75%", "4 lượt đánh giá")
    assert window.updated_label.text() == "Cập nhật lúc 09:30:00"


def test_a_change_in_the_queue_is_shown_without_waiting_for_the_timer(qtbot, window, fake_queue) -> None:
    tiles = window.dashboard.figures.tiles
    assert tiles["waiting"].value.text() == "2"
    fake_queue.tickets.append(TicketFact(7, fake_queue.day, "DD", "B002", TicketState.WAITING, fake_queue._at(9, 25)))
    fake_queue.changed()  # the next poll hears a new sequence (the timer is 15 s away)
    qtbot.waitUntil(lambda: tiles["waiting"].value.text() == "3", timeout=3000)
    dd = row_of(window.dashboard.services.table, "Đất đai, xây dựng")
    assert window.dashboard.services.table.item(dd, 1).text() == "1"


def test_dossiers_are_re_read_on_the_timer(qtbot, ctx, clock, fake_queue, makers, tmp_path) -> None:
    w = open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports", refresh_ms=150)
    try:
        assert w.dashboard.figures.tiles["received"].value.text() == "0"
        receive(ctx, clock, "2026-11-23T09:10")  # nothing in the queue changes
        qtbot.waitUntil(lambda: w.dashboard.figures.tiles["received"].value.text() == "1", timeout=3000)
        tile = w.dashboard.figures.tiles["received"]
        assert (tile.detail.text(), tile.toolTip()) == (
            "trong đó trực tuyến 0",
            "Trực tiếp 1 · Trực tuyến 0 · Bưu chính 0",
        )
    finally:
        w.live.close()
        wait_for_ops()


def test_an_unreachable_centre_is_said_and_the_dossier_figures_stay(qtbot, ctx, clock, fake_queue, makers, tmp_path):
    receive(ctx, clock, "2026-11-23T08:30")
    fake_queue.fail = True
    w = open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports")
    try:
        note = w.dashboard.queue_note
        assert note.isVisible() and "Không kết nối được máy chủ trung tâm" in note.text()
        assert w.dashboard.figures.tiles["received"].value.text() == "1"
        assert w.dashboard.counters.table.rowCount() == 0
        fake_queue.fail = False
        fake_queue.changed()
        qtbot.waitUntil(lambda: not note.isVisible(), timeout=3000)
        assert w.dashboard.counters.table.rowCount() == 2
    finally:
        w.live.close()
        wait_for_ops()


def test_charts_draw_the_day(window) -> None:
    charts = window.charts
    hours = dict(zip(charts.hours.labels, zip(*charts.hours.bars, strict=True), strict=True))
    assert hours["8:00"] == (4, 0) and hours["9:00"] == (2, 0)  # tickets, dossiers
    assert charts.ratings.bars == [[2, 1, 1]]
    assert charts.ratings.title_text == "Hài lòng: 75% (4 lượt)"
    assert charts.wait.labels == ["Hộ tịch, chứng th…", "Đất đai, xây dựng"]  # the longest wait first; shortened
    assert charts.wait.bars == [[24.3, 5.0]]  # A001 waited 10 min, A002 25, A003 38; B001 5
    assert charts.on_time.title_text == "Giải quyết đúng hạn: —"


# -- the supervisor's moves on a counter ---------------------------------------------------------------------------
def test_pause_a_counter_then_undo(qtbot, window, fake_queue) -> None:
    counters = window.dashboard.counters
    assert not counters.pause_button.isEnabled()  # nothing selected
    click_row(qtbot, counters.table, row_of(counters.table, "Quầy 2"))
    assert counters.pause_button.text() == "Tạm dừng quầy"
    qtbot.mouseClick(counters.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counters.pause_button.text() == "Cho quầy nhận số lại", timeout=3000)
    assert fake_queue.calls == [("pause", 2)]
    two = row_of(counters.table, "Quầy 2")
    assert counters.table.item(two, 2).text() == "Tạm dừng"
    assert "Quầy 2 đã tạm dừng" in window.messages.text()
    undo = next(b for b in window.messages.buttons() if b.text() == "Hoàn tác")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fake_queue.calls[-1] == ("resume", 2), timeout=3000)
    qtbot.waitUntil(lambda: counters.pause_button.text() == "Tạm dừng quầy", timeout=3000)


def test_reassign_a_counters_services_for_today(qtbot, window, fake_queue, monkeypatch) -> None:
    seen: list[ServicesDialog] = []

    def exec_(dialog: ServicesDialog) -> int:
        seen.append(dialog)
        assert dialog.boxes["HT"].isChecked() and not dialog.boxes["DD"].isChecked()  # what it takes now
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        dialog.boxes["HT"].click()
        assert not ok.isEnabled()  # a counter with no service: refused
        dialog.boxes["DD"].click()
        assert ok.isEnabled()
        return ServicesDialog.DialogCode.Accepted

    monkeypatch.setattr(ServicesDialog, "exec", exec_)
    counters = window.dashboard.counters
    click_row(qtbot, counters.table, row_of(counters.table, "Quầy 1"))
    qtbot.mouseClick(counters.services_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ("assign", 1, ("DD",)) in fake_queue.calls, timeout=3000)
    assert len(seen) == 1
    qtbot.waitUntil(lambda: "Quầy 1 nhận trong hôm nay: Đất đai, xây dựng" in window.messages.text(), timeout=3000)


def test_without_a_queue_the_counter_buttons_stay_off(qtbot, ctx, makers, tmp_path) -> None:
    w = open_window(qtbot, ctx, None, makers, tmp_path / "reports")
    try:
        assert not w.dashboard.counters.pause_button.isEnabled()
        assert "Không có hàng đợi" in w.link_label.text()
    finally:
        w.live.close()
        wait_for_ops()


# -- dossiers --------------------------------------------------------------------------------------------------
def test_overdue_dossiers_are_listed_and_a_double_click_opens_one(qtbot, ctx, clock, fake_queue, makers, tmp_path):
    late = receive(ctx, clock, "2026-11-02T09:00")  # due the same day at 17:00
    receive(ctx, clock, "2026-11-23T08:00")  # due later: not overdue
    w = open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports")
    try:
        view = w.overdue
        assert view.codes() == [late]
        row = view.key_row(late)
        assert [view.table.item(row, c).text() for c in (3, 4, 5)] == ["02/11/2026", "21", ctx.clerk]
        assert view.table.item(row, 6).text() == ctx.settings.centre.name  # the agency holding it, by name
        assert w.tabs.tabText(w.tabs.indexOf(view)) == "Hồ sơ quá hạn (1)"
        assert w.dashboard.figures.tiles["overdue"].value.text() == "1"
        w.tabs.setCurrentWidget(view)
        qtbot.keyClicks(view.filter, "khong co")
        assert view.codes() == [] and view.count.text() == "0/1 hồ sơ quá hạn"
        view.filter.clear()
        rect = view.table.visualItemRect(view.table.item(view.key_row(late), 0))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt's double click
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # follows a press
        dialog = w.dialog
        assert isinstance(dialog, DossierDialog)
        qtbot.waitUntil(lambda: dialog.dossier() is not None, timeout=3000)
        assert dialog.dossier().code == late
        assert late in dialog.view.title.text() or late in dialog.view.state.text()
        dialog.close()
    finally:
        w.live.close()
        wait_for_ops()


def test_open_any_dossier_by_its_code(qtbot, ctx, clock, window) -> None:
    code = receive(ctx, clock, "2026-11-20T10:00")
    window.toolbar.actions()[0].trigger()  # Mở hồ sơ… (Ctrl+O)
    dialog = window.dialog
    assert isinstance(dialog, DossierDialog)
    qtbot.keyClicks(dialog.search.query, code[-4:])
    qtbot.keyClick(dialog.search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.dossier() is not None, timeout=3000)
    assert dialog.dossier().code == code
    dialog.close()


# -- who may use it --------------------------------------------------------------------------------------------
def test_a_clerk_is_turned_away_with_a_clear_message(ctx, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(access.QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    ctx.session = Session("an.nv", "Nguyễn Văn An", Role.CLERK)
    assert not access.admit(ctx)
    assert said == [
        "Màn hình giám sát chỉ dành cho tài khoản Giám sát hoặc Quản trị; "
        "tài khoản Nguyễn Văn An (Cán bộ tiếp nhận) không mở được."
    ]
    for role in (Role.SUPERVISOR, Role.ADMIN):
        ctx.session = Session("binh.tt", "Trần Thị Bình", role)
        assert access.admit(ctx)
    assert len(said) == 1


def test_the_window_closes_when_a_clerk_signs_in_at_the_lock(qtbot, window, ctx, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(window_module.QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    ctx.session = Session("binh.tt", "Trần Thị Bình", Role.SUPERVISOR)
    window.session_changed()
    assert window.isVisible() and not said
    ctx.session = Session("an.nv", "Nguyễn Văn An", Role.CLERK)
    window.session_changed()
    assert not window.isVisible() and "chỉ dành cho tài khoản Giám sát" in said[0]


def test_switching_to_english_rebuilds_the_window_on_the_same_tab(qtbot, window) -> None:
    window.tabs.setCurrentWidget(window.overdue)
    replacement = window.switch_language()
    qtbot.addWidget(replacement)
    try:
        assert get_language() == "en"
        assert replacement.language_action.text() == "Tiếng Việt"
        assert replacement.tabs.currentWidget() is replacement.overdue
        assert not window.isVisible()
        qtbot.waitUntil(lambda: replacement.state is not None, timeout=3000)
    finally:
        replacement.live.close()
        replacement.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        window_module._OPEN_WINDOWS.discard(replacement)  # qtbot closes it
        wait_for_ops()


def test_run_mode_supervisor_opens_the_window_with_the_real_report_makers(qtbot, ctx, fake_queue) -> None:
    from motcua.ui.app import open_windows

    no_catch_up(ctx)
    centre = object()  # the centre server's conflicts (a supervisor's PC of a centre with a LAN)
    [w] = open_windows(Settings(), ctx, {"supervisor"}, fake_queue, None, centre)  # type: ignore[arg-type]
    assert isinstance(w, SupervisorWindow)
    assert w.sync is not None and w.sync.desk is centre  # type: ignore[attr-defined]
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    try:
        assert w.reports_tab.archive.folder == ctx.files_dir / "reports"
        qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
        assert w.dashboard.counters.table.rowCount() == 2
    finally:
        w.live.close()
        wait_for_ops()
