"""The counter window driven as a clerk would: keyboard, a scanner typing the ID-card QR, save, search, return.

Shared by the other test_counter_*.py files: the window, the questions it asks, the A4 print dialog answered with a
PDF file, and typing as a keyboard-wedge scanner does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication

from motcua.domain.status import Status
from motcua.services.reception import ReceptionService
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops
from motcua.ui.widgets import a4_print, dialogs

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"
QR2 = "001190012345|123456789|Nguyễn Thị Lan|15031990|Nữ|Số 5 ngõ 10, Phường Ba Đình, Hà Nội|01022022||||"
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS")


def type_text(widget, text: str) -> None:
    """Type as a keyboard (or a keyboard-wedge scanner through an IME) does: one key event per character.

    QTest.keyClicks only knows ASCII keys, so Vietnamese letters go as key events carrying their text.
    """
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def _shot(w, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        w.grab().save(str(Path(SHOTS) / f"{name}.png"))


@dataclass
class Questions:
    """The yes/no questions the window asked (instead of a modal box), and the answer it gets."""

    asked: list[str] = field(default_factory=list)
    answer: bool = True


@pytest.fixture
def questions(monkeypatch) -> Questions:
    q = Questions()

    def confirm(_parent, title: str, question: str, detail: str = "") -> bool:
        q.asked.append(question)
        return q.answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return q


@dataclass
class A4Out:
    """Qt's print dialog, answered by choosing a PDF file as the printer (one file per print)."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    dialogs: int = 0
    accept: bool = True


@pytest.fixture
def a4(monkeypatch, tmp_path) -> A4Out:
    out = A4Out(tmp_path / "a4")
    out.folder.mkdir()

    def exec_(dialog: QPrintDialog) -> int:
        out.dialogs += 1
        if not out.accept:
            return QPrintDialog.DialogCode.Rejected
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = out.folder / f"print-{len(out.files) + 1}.pdf"
        printer.setOutputFileName(str(path))
        out.files.append(path)
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(a4_print.QPrintDialog, "exec", exec_)
    return out


@pytest.fixture
def window(qtbot, ctx, queue_service, questions, a4):
    w = CounterWindow(ctx, queue_service)  # with its queue panel, as at a real counter
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot owns it in tests
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # shortcuts only reach the active window
    qtbot.waitActive(w)
    yield w
    if w.queue_panel is not None:
        w.queue_panel.link.close()
    wait_for_ops()


def choose_procedure(qtbot, w: CounterWindow, query: str, code: str) -> None:
    picker = w.reception_tab.picker
    qtbot.keyClicks(picker.query, query)
    qtbot.keyClick(picker.query, Qt.Key.Key_Return)  # Enter takes the best match of exactly what was typed
    qtbot.waitUntil(lambda: picker.current() is not None and picker.current().code == code)
    assert all(query.split()[0] in picker.results.item(i).text().lower() for i in range(picker.results.count()))


_choose_procedure = choose_procedure


def scan_card(qtbot, w: CounterWindow, qr: str = QR) -> None:
    tab = w.reception_tab
    type_text(tab.applicant.scan, qr)
    qtbot.keyClick(tab.applicant.scan, Qt.Key.Key_Return)


def test_clerk_receives_a_dossier_with_the_scanner_and_saves(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    _choose_procedure(qtbot, window, "khai sinh", "1.001193")
    assert "Hẹn trả kết quả" in tab.due.text()
    # A keyboard-wedge scanner types the payload into the scan field (twice, as some do), then Enter.
    type_text(tab.applicant.scan, QR + QR)
    qtbot.keyClick(tab.applicant.scan, Qt.Key.Key_Return)
    assert tab.applicant.name.text() == "Đặng Hồng Bảo"
    assert tab.applicant.id_number.text() == "051084009698"
    assert tab.applicant.birth.text() == "02/08/1984"
    qtbot.keyClicks(tab.applicant.phone, "0912345678")
    tab.components.tick_required()
    _shot(window, "counter-filled")
    qtbot.keyClick(tab.applicant.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.messages.label.text().startswith("Đã lưu"), timeout=5000)
    _shot(window, "counter-saved")
    found = ReceptionService(ctx).search("dang hong bao")
    assert len(found) == 1 and found[0].applicant.phone == "0912345678"
    assert tab.applicant.name.text() == ""  # ready for the next citizen


def test_missing_components_show_a_clear_error_and_nothing_is_saved(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    _choose_procedure(qtbot, window, "khai sinh", "1.001193")
    type_text(tab.applicant.scan, QR)
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: window.messages.isVisible() and "thiếu" in window.messages.label.text(), timeout=5000)
    _shot(window, "counter-error")
    assert ReceptionService(ctx).search("dang hong bao") == []
    assert tab.applicant.name.text() == "Đặng Hồng Bảo"  # nothing the clerk typed is lost


def test_bad_date_is_reported_and_field_focused(qtbot, window) -> None:
    tab = window.reception_tab
    _choose_procedure(qtbot, window, "khai sinh", "1.001193")
    type_text(tab.applicant.name, "Lò Văn Páo")
    qtbot.keyClicks(tab.applicant.birth, "31/02/1990")
    tab.components.tick_required()
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: "ngày/tháng/năm" in window.messages.label.text(), timeout=3000)


def test_search_open_act_and_return_by_scanning_the_receipt(qtbot, window, ctx) -> None:
    from motcua.domain.cccd import parse_cccd
    from motcua.domain.dossier import ReceivedComponent
    from motcua.services.reception import ReceiveRequest

    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    d = svc.receive(
        ReceiveRequest(
            p.code, parse_cccd(QR).to_applicant(), tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
        )
    )
    window._focus_search()
    qtbot.keyClicks(window.search_tab.query, "hong bao")
    qtbot.waitUntil(lambda: window.search_tab.table.rowCount() == 1, timeout=3000)
    qtbot.keyClick(window.search_tab.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.details, timeout=3000)
    assert d.code in window.dossier_view.title.text()
    _shot(window, "counter-dossier")
    from motcua.domain.status import Action

    window.dossier_view.apply(Action.RESOLVE)
    qtbot.waitUntil(lambda: svc.get(d.code).status is Status.RESOLVED, timeout=3000)
    qtbot.keyClicks(window.return_scan, d.code)
    qtbot.keyClick(window.return_scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: svc.get(d.code).status is Status.RETURNED, timeout=3000)
    qtbot.waitUntil(lambda: "Đã trả kết quả" in window.messages.label.text(), timeout=3000)
    _shot(window, "counter-returned")


def test_switch_to_english_and_back(qtbot, window) -> None:
    from motcua.i18n import tr

    english = window._switch_language()  # deletes itself when it is switched back
    qtbot.waitExposed(english)
    try:
        assert english.tabs.tabText(0) == tr("Tiếp nhận hồ sơ") == "Dossier reception"
        assert english.reception_tab.save_button.text().startswith("Save")
        _shot(english, "counter-english")
    finally:
        back = english._switch_language()
        qtbot.addWidget(back)
    assert back.tabs.tabText(0) == "Tiếp nhận hồ sơ"


def test_keyboard_shortcuts_do_not_collide(window) -> None:
    """Two bindings of one key make Qt fire neither ("ambiguous shortcut"): a clerk's key would do nothing."""
    from PySide6.QtGui import QAction, QShortcut
    from PySide6.QtWidgets import QAbstractButton

    keys: list[str] = []
    keys += [s.key().toString() for s in window.findChildren(QShortcut) if not s.key().isEmpty()]
    keys += [a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]
    keys += [b.shortcut().toString() for b in window.findChildren(QAbstractButton) if not b.shortcut().isEmpty()]
    assert len(keys) >= 5
    assert sorted(keys) == sorted(set(keys)), keys


def test_save_and_print_makes_the_pdf_and_the_thermal_receipt_after_the_save(qtbot, window, ctx) -> None:
    from motcua.devices.printer import decode_raster

    tab = window.reception_tab
    _choose_procedure(qtbot, window, "khai sinh", "1.001193")
    type_text(tab.applicant.scan, QR)
    qtbot.keyClick(tab.applicant.scan, Qt.Key.Key_Return)
    tab.components.tick_required()
    qtbot.keyClick(tab.applicant.phone, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "giấy tiếp nhận" in window.messages.label.text(), timeout=10_000)
    code = ReceptionService(ctx).search("dang hong bao")[0].code
    pdf = ctx.out_dir / f"{code}-mau01.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    jobs = ctx.printer.jobs
    assert len(jobs) == 1 and max(i.width for i in decode_raster(jobs[0][1])) == 576  # the receipt, full width
    # A reprint from the dossier view prints the same receipt again.
    window.open_dossier(code)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.details, timeout=3000)
    window.dossier_view._reprint_thermal()
    qtbot.waitUntil(lambda: len(ctx.printer.jobs) == 2, timeout=5000)


def test_printer_out_of_paper_keeps_the_dossier_and_offers_a_reprint(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    ctx.printer.out_of_paper = True
    _choose_procedure(qtbot, window, "khai sinh", "1.001193")
    type_text(tab.applicant.scan, QR)
    qtbot.keyClick(tab.applicant.scan, Qt.Key.Key_Return)
    tab.components.tick_required()
    tab.save(print_after=True)
    qtbot.waitUntil(lambda: "chưa in được" in window.messages.label.text(), timeout=10_000)
    assert "hết giấy" in window.messages.label.text().lower()
    assert len(ReceptionService(ctx).search("dang hong bao")) == 1  # saved, whatever the printer did


def test_supplement_request_prints_form_02_with_what_is_missing(qtbot, window, ctx, monkeypatch) -> None:
    import subprocess

    from motcua.domain.cccd import parse_cccd
    from motcua.domain.dossier import ReceivedComponent
    from motcua.domain.status import Action
    from motcua.services.reception import ReceiveRequest
    from motcua.ui.counter import dossier_view

    opened: list[str] = []
    monkeypatch.setattr(dossier_view.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    given = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components if c.required)
    d = svc.receive(ReceiveRequest(p.code, parse_cccd(QR).to_applicant(), given))
    optional = [c.name for c in p.components if not c.required]
    assert svc.supplement_suggestions(d) == optional
    window.open_dossier(d.code)
    qtbot.waitUntil(lambda: window.dossier_view.dossier() is not None, timeout=3000)
    window.dossier_view.apply(Action.REQUEST_SUPPLEMENT, note="Thiếu văn bản ủy quyền", items=optional)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    text = subprocess.run(["pdftotext", "-layout", opened[0], "-"], capture_output=True, text=True).stdout
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Thiếu văn bản ủy quyền" in text
    flat = " ".join(text.split())  # table cells wrap long names over lines
    assert all(name in flat for name in optional), optional
    note = svc.get(d.code).events[-1].note
    assert note.startswith("Thiếu văn bản ủy quyền") and optional[0] in note


class FakeLink:
    """A sync link in a given state (the real runner is tested in tests/sync)."""

    def __init__(self, online: bool | None, error: str = "") -> None:
        from datetime import datetime

        from motcua.services.sync_link import LinkState

        self.woken = 0
        self._state = LinkState("http://192.168.1.10:8765", online, datetime(2026, 11, 23, 9, 15), error, 40.0)

    def state(self):
        return self._state

    def wake(self) -> None:
        self.woken += 1

    def close(self) -> None:
        pass


def test_the_status_bar_shows_the_link_and_the_dossier_where_its_changes_are(qtbot, window, ctx) -> None:
    from motcua.domain.cccd import parse_cccd
    from motcua.domain.dossier import ReceivedComponent
    from motcua.services.reception import ReceiveRequest

    link = FakeLink(False, "http://192.168.1.10:8765: ConnectionRefusedError")
    ctx.sync_link = link
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    d = svc.receive(
        ReceiveRequest(
            p.code, parse_cccd(QR).to_applicant(), tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
        )
    )
    assert link.woken == 1  # a save asks the sync to send it at once
    window.refresh_status()
    qtbot.waitUntil(lambda: "Mất kết nối" in window.link_label.text(), timeout=3000)
    assert "chờ gửi 1" in window.link_label.text() and "09:15 23/11" in window.link_label.text()
    assert "ConnectionRefusedError" in window.link_label.toolTip()
    window._show_dossier(svc.get(d.code))
    assert "còn 1 thay đổi chưa gửi đi" in window.dossier_view.state.text()
    _shot(window, "counter-offline")
    ctx.sync_link = FakeLink(True)
    window.refresh_status()
    qtbot.waitUntil(lambda: "Trực tuyến" in window.link_label.text(), timeout=3000)
    assert window.link_label.property("tone") == "ok"
    _shot(window, "counter-online")
