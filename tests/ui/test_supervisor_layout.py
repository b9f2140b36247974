"""The supervisor's window on a provincial centre's busy day (12 counters, 12 services, 40 overdue dossiers) at
1366×768 and 1920×1080, in Vietnamese and in English: nothing is cut off or pushed past the screen.

Pictures of every tab go to /tmp/shots_supervisor (or $MOTCUA_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import test_supervisor_window as sup
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from motcua.domain.device_health import DeviceHealth, DeviceRole, PaperState
from motcua.domain.procedures import Channel
from motcua.domain.reports.daily import (
    HOURS,
    ClerkRow,
    CounterRow,
    DailySummary,
    HourRow,
    OverdueRow,
    RatingSummary,
    SectorRow,
    ServiceRow,
)
from motcua.domain.reports.facts import CounterActivity
from motcua.domain.reports.figures import Spread
from motcua.domain.status import Status
from motcua.i18n import set_language
from motcua.services.status import WorkstationStatus
from motcua.ui.app import install_fonts
from motcua.ui.ops import wait_for_ops
from motcua.ui.supervisor.live import LiveState

TASKBAR_AND_TITLE = 72  # a Windows taskbar (40) and a title bar (32)
fake_queue, makers = sup.fake_queue, sup.makers
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/shots_supervisor"))
DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 15, 40)

SERVICES = (
    ("HT", "Hộ tịch"),
    ("CT", "Chứng thực bản sao, chữ ký"),
    ("DD", "Đất đai"),
    ("XD", "Xây dựng, quy hoạch"),
    ("KD", "Đăng ký kinh doanh, hộ kinh doanh"),
    ("LD", "Lao động - Thương binh và Xã hội"),
    ("TP", "Tư pháp"),
    ("GD", "Giáo dục và Đào tạo"),
    ("YT", "Y tế"),
    ("TN", "Tài nguyên và Môi trường"),
    ("GT", "Giao thông vận tải"),
    ("KH", "Lĩnh vực khác"),
)
CLERKS = (
    "Nguyễn Thị Thu Hương",
    "Trần Văn Minh",
    "Lê Hoàng Phương Thảo",
    "Phạm Quốc Bảo",
    "Vũ Thị Ngọc Ánh",
    "Đặng Văn Hùng",
    "Bùi Thị Lan",
    "Hoàng Minh Tuấn",
    "Ngô Thị Mai",
    "Đỗ Đức Thắng",
    "",
    "Dương Thị Hồng Nhung",
)
SECTORS = ("Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh", "Lao động - Thương binh và Xã hội", "Tư pháp")
PROCEDURES = (
    "Thủ tục đăng ký khai sinh",
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
    "Cấp giấy phép xây dựng đối với công trình, nhà ở riêng lẻ",
    "Đăng ký thành lập hộ kinh doanh",
    "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất",
)


def busy_day() -> DailySummary:
    """A provincial centre at 15:40 on a Monday, as the domain would compute it."""
    m = 60.0
    services = tuple(
        ServiceRow(
            code,
            name,
            issued=20 + 7 * i,
            served=15 + 6 * i,
            no_show=i % 4,
            waiting=(i * 5) % 9,
            longest_wait_s=(8 + 4 * i) * m if i % 3 else None,
            wait=Spread(15 + 6 * i, (6 + i) * m, (14 + 2 * i) * m),
            service=Spread(15 + 6 * i, (5 + i % 5) * m, (11 + i % 6) * m),
        )
        for i, (code, name) in enumerate(SERVICES)
    )
    activities = (CounterActivity.SERVING, CounterActivity.SERVING, CounterActivity.IDLE, CounterActivity.PAUSED)
    counters = tuple(
        CounterRow(
            n,
            f"Quầy {n}",
            CLERKS[n - 1],
            CounterActivity.CLOSED if not CLERKS[n - 1] else activities[n % 4],
            NOW - timedelta(minutes=3 + 7 * n) if CLERKS[n - 1] else None,
            f"{SERVICES[n - 1][0][0]}{100 + n:03d}" if activities[n % 4] is CounterActivity.SERVING else None,
            served=18 + 3 * n,
            service=Spread(18 + 3 * n, (5 + n % 4) * m, (10 + n % 5) * m),
            ratings=10 + n,
            satisfied=9 + n - n % 3,
        )
        for n in range(1, 13)
    )
    overdue = tuple(
        OverdueRow(
            f"000.25.38.H38-2611{(k % 20) + 1:02d}-{k + 1:04d}",
            PROCEDURES[k % len(PROCEDURES)],
            SECTORS[k % len(SECTORS)],
            datetime(2026, 10, 1 + k % 28, 9, 0),
            datetime(2026, 11, 1 + k % 20, 17, 0),
            22 - k % 20,
            CLERKS[k % 10],
            "000.25.38.H38" if k % 3 else "000.00.12.H38",
            (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED)[k % 3],
        )
        for k in range(40)
    )
    tickets = (9, 38, 52, 47, 31, 6, 12, 41, 44, 36, 15)
    dossiers = (3, 14, 19, 17, 11, 2, 4, 15, 16, 12, 5)
    hours = tuple(HourRow(h, tickets[k], dossiers[k]) for k, h in enumerate(HOURS))
    return DailySummary(
        day=DAY,
        as_of=NOW,
        centre="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LÀO CAI",
        tickets_issued=331,
        tickets_served=286,
        tickets_no_show=17,
        tickets_cancelled=2,
        tickets_waiting=26,
        wait=Spread(303, 11.5 * m, 27 * m),
        service=Spread(286, 7.2 * m, 14 * m),
        services=services,
        counters=counters,
        by_hour=hours,
        received=118,
        received_by_channel=((Channel.DIRECT, 82), (Channel.ONLINE, 33), (Channel.POSTAL, 3)),
        received_by_sector=tuple(SectorRow(s, 8 + 3 * i, 2 + i, i % 2) for i, s in enumerate(SECTORS)),
        resolved_early=41,
        resolved_on_time=63,
        resolved_late=5,
        ended_without_result=4,
        due_today=27,
        overdue=overdue,
        supplements_pending=12,
        transfers_in=3,
        transfers_out=9,
        clerks=tuple(ClerkRow(c, 10, 5, 3, 9, 8) for c in CLERKS if c),
        ratings=RatingSummary(142, 88, 9, (("slow", 5), ("attitude", 2))),
        unsynced=4,
        parked=1,
    )


def busy_state() -> LiveState:
    status = WorkstationStatus(received_today=118, outbox_pending=4, outbox_parked=1, codes_left_today=380, conflicts=2)
    return LiveState(busy_day(), status)


def _cut_labels(root) -> list[str]:
    """Visible labels whose text needs more width than they got (a tile caption cut off, say)."""
    cut = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text() or "<" in label.text():
            continue
        if label.fontMetrics().horizontalAdvance(label.text().split("\n")[0]) > label.width() + 1:
            cut.append(label.text())
    return cut


@pytest.fixture
def app_font(qapp, ctx):
    """The font and size the app runs with (the offscreen platform's default is smaller)."""
    before = qapp.font()
    install_fonts(qapp, ctx.settings.ui.font_pt)
    yield
    qapp.setFont(before)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_window_fits_a_small_screen_and_a_large_one(qtbot, app_font, ctx, fake_queue, makers, tmp_path, lang):
    set_language(lang)
    w = sup.open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports")
    try:
        w.live.close()  # the busy day below stays on screen
        wait_for_ops()
        QApplication.processEvents()  # a read delivered late is dropped
        w._show_state(busy_state())
        hint = w.minimumSizeHint()
        SHOTS.mkdir(parents=True, exist_ok=True)
        cut: list[tuple[int, str]] = []
        for width, height in ((1366, 768 - TASKBAR_AND_TITLE), (1920, 1080 - TASKBAR_AND_TITLE)):
            w.resize(width, height)
            for name, tab in (
                ("", w.dashboard),
                ("_charts", w.charts),
                ("_overdue", w.overdue),
                ("_reports", w.reports_tab),
                ("_index", w.index_view),
            ):
                w.tabs.setCurrentWidget(tab)
                qtbot.wait(30)  # the layout settles, the index tab reads its months
                wait_for_ops()
                QApplication.processEvents()
                if tab is w.dashboard:
                    cut += [(width, text) for text in _cut_labels(w.dashboard)]
                w.grab().save(str(SHOTS / f"{lang}_{width}{name}.png"))
        assert hint.width() <= 1366 and hint.height() <= 768 - TASKBAR_AND_TITLE, hint
        assert cut == []
        assert w.width() == 1920
        assert w.overdue.table.rowCount() == 40
        assert w.tabs.tabText(2).endswith("(40)")
    finally:
        w.live.close()
        wait_for_ops()
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_dialog_opens_inside_a_small_screen(qtbot, app_font, ctx, lang) -> None:
    """(The PDF preview opens at a fixed 900×660, pdf_preview.PAGE_WIDTH.)"""
    import test_supervisor_dialogs as dialogs_test

    from motcua.domain.queue_views import ServiceView
    from motcua.services.calendar_admin import CalendarAdmin
    from motcua.services.printing import PrintingService
    from motcua.services.reception import ReceptionService
    from motcua.ui.supervisor.calendar_dialog import CalendarDialog
    from motcua.ui.supervisor.dossier_dialog import DossierDialog
    from motcua.ui.supervisor.services_dialog import ServicesDialog
    from motcua.ui.supervisor.sync_dialog import SyncDialog

    set_language(lang)
    services = [ServiceView(code, name, code[0], True, i % 4) for i, (code, name) in enumerate(SERVICES)]
    made = {
        "calendar": CalendarDialog(CalendarAdmin(ctx), DAY),
        "sync": SyncDialog(dialogs_test._desk()),
        "services": ServicesDialog("Quầy 3", services, ("HT", "CT", "DD")),
        "dossier": DossierDialog(ReceptionService(ctx), PrintingService(ctx)),
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    for dialog in made.values():
        qtbot.addWidget(dialog)
        dialog.show()
    qtbot.waitUntil(lambda: made["calendar"].table.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: made["sync"].parked_table.rowCount() == 2, timeout=5000)
    for name, dialog in made.items():
        size = dialog.size()
        assert size.width() <= 1366 - 20 and size.height() <= 768 - TASKBAR_AND_TITLE, (name, size)
        dialog.grab().save(str(SHOTS / f"{lang}_dialog_{name}.png"))
    wait_for_ops()


def busy_devices() -> tuple[DeviceHealth, ...]:
    """A provincial centre's 29 devices, a few of them in trouble: a kiosk out of paper, one running low, a board
    silent since lunch, a counter PC whose printer is unplugged."""
    line = "MotCua Desk 1.4.2 (windows 2026-11-20 3e60606abc; Python 3.11.9, Qt 6.8.1; Windows 10 AMD64)"
    seen = lambda s: NOW - timedelta(seconds=s)  # noqa: E731
    devices = [
        DeviceHealth("K-TANG1-CUA-CHINH", DeviceRole.KIOSK, seen(20), PaperState.OUT, line, seen_ago_s=20),
        DeviceHealth("K-TANG1-CUA-PHU", DeviceRole.KIOSK, seen(45), PaperState.LOW, line, seen_ago_s=45),
        DeviceHealth("K-TANG2", DeviceRole.KIOSK, seen(30), PaperState.OK, line.replace("1.4.2", "1.3.0"),
                     seen_ago_s=30),
        DeviceHealth("D-SANH-CHO", DeviceRole.DISPLAY, seen(2 * 3600 + 600), version=line, seen_ago_s=7800,
                     silent=True),
        DeviceHealth("D-TANG2", DeviceRole.DISPLAY, seen(10), version=line, seen_ago_s=10),
    ]  # fmt: skip
    for n in range(1, 13):
        printer = PaperState.OFFLINE if n == 7 else PaperState.OK
        devices.append(DeviceHealth(f"Q{n:02d}", DeviceRole.COUNTER, seen(5 * n), printer, line, n, 5 * n))
        devices.append(DeviceHealth(f"R-Q{n:02d}", DeviceRole.RATING, seen(4 * n), version=line, counter=n,
                                    seen_ago_s=4 * n))  # fmt: skip
    return tuple(devices)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_devices_list_fits_a_small_screen(qtbot, app_font, ctx, fake_queue, makers, tmp_path, lang) -> None:
    set_language(lang)
    w = sup.open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports")
    try:
        w.live.close()
        wait_for_ops()
        QApplication.processEvents()
        w._show_state(replace(busy_state(), devices=busy_devices()))
        w.resize(1366, 768 - TASKBAR_AND_TITLE)
        d = w.dashboard
        d.side.setCurrentWidget(d.devices)
        qtbot.wait(30)
        QApplication.processEvents()
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(SHOTS / f"{lang}_1366_devices.png"))
        table = d.devices.table
        assert table.rowCount() == 29
        assert not table.horizontalScrollBar().isVisible()  # every column in view, the version elided at worst
        assert table.visualItemRect(table.item(0, 4)).width() >= table.fontMetrics().horizontalAdvance("1.4.2")
        assert _cut_labels(w.dashboard) == []
        assert "3" in d.side.tabText(1)  # out of paper, printer offline, silent (paper low is amber, not counted)
        hint = w.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768 - TASKBAR_AND_TITLE, hint
    finally:
        w.live.close()
        wait_for_ops()
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
