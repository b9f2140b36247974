"""Keys and scanners at the counter: the shortcuts work wherever the focus is, the focus goes where the next key
belongs, and an ID card read by a keyboard-wedge scanner into any field reaches the applicant."""

from __future__ import annotations

import pytest
import test_counter_window as counter
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QApplication

from motcua.services.reception import ReceptionService
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops
from motcua.ui.widgets.wedge import WedgeCatcher

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures
QR, QR2, type_text = counter.QR, counter.QR2, counter.type_text


def _ready_to_save(qtbot, w: CounterWindow) -> None:
    counter.choose_procedure(qtbot, w, "khai sinh", "1.001193")
    counter.scan_card(qtbot, w)
    w.reception_tab.components.tick_required()


def test_every_shortcut_belongs_to_the_window_not_to_one_widget(window) -> None:
    def counter_owned(obj) -> bool:  # the scanning station's keys work inside its own tab, by design
        return not window.scan_station.isAncestorOf(obj.parent()) and obj.parent() is not window.scan_station

    shortcuts = [s for s in window.findChildren(QShortcut) if counter_owned(s) and not s.key().isEmpty()]
    bound = [(s.key().toString(), s.context()) for s in shortcuts]
    bound += [(a.shortcut().toString(), a.shortcutContext()) for a in window.findChildren(QAction) if a.shortcut()]
    keys = {k for k, _ in bound}
    assert {"Ctrl+S", "Ctrl+P", "Ctrl+N", "F3", "Ctrl+L", "Ctrl+F", "F9", "F2", "F12"} <= keys
    window_wide = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    assert [k for k, c in bound if c not in window_wide] == []


def test_save_works_with_the_focus_in_the_queue_panel(qtbot, window, ctx) -> None:
    _ready_to_save(qtbot, window)
    panel = window.queue_panel
    assert panel is not None
    panel.pause_button.setFocus()
    assert QApplication.focusWidget() is panel.pause_button
    qtbot.keyClick(panel.pause_button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.messages.text().startswith("Đã lưu"), timeout=5000)
    assert len(ReceptionService(ctx).search("dang hong bao")) == 1


def test_keys_from_another_tab_bring_the_reception_back(qtbot, window) -> None:
    window._focus_search()
    assert window.tabs.currentWidget() is window.search_tab
    qtbot.keyClick(window.search_tab.query, Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is window.reception_tab
    assert QApplication.focusWidget() is window.reception_tab.applicant.scan
    qtbot.keyClick(window.reception_tab.applicant.scan, Qt.Key.Key_F9)
    assert QApplication.focusWidget() is window.return_scan
    qtbot.keyClick(window.return_scan, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.reception_tab.picker.query


def test_the_focus_goes_where_the_next_key_belongs(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    assert QApplication.focusWidget() is tab.picker.query  # a new reception starts with the procedure
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    assert QApplication.focusWidget() is tab.applicant.scan  # chosen: the card is next
    counter.scan_card(qtbot, window)
    assert QApplication.focusWidget() is tab.applicant.phone  # the card read: its phone is not on it
    tab.components.tick_required()
    qtbot.keyClick(tab.applicant.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.messages.text().startswith("Đã lưu"), timeout=5000)
    assert QApplication.focusWidget() is tab.applicant.scan  # the next citizen, same procedure
    qtbot.keyClick(tab.applicant.scan, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is tab.picker.query  # a new reception: the procedure first
    assert tab.picker.current() is None and tab.components.rowCount() == 0


@pytest.mark.parametrize("where", ["note", "procedure search", "dossier search", "return field", "phone"])
def test_a_card_scanned_into_any_field_fills_the_applicant_and_leaves_the_field_as_it_was(
    qtbot, window, ctx, where
) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    field = {
        "note": tab.note,
        "procedure search": tab.picker.query,
        "dossier search": window.search_tab.query,
        "return field": window.return_scan,
        "phone": tab.applicant.phone,
    }[where]
    if where == "dossier search":
        window._focus_search()
    before = field.text()
    type_text(field, "abc ")
    type_text(field, QR + QR)  # this scanner sends its payload twice
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == before + "abc "  # the payload left, the clerk's own text stayed
    assert tab.applicant.name.text() == "Đặng Hồng Bảo"
    assert tab.applicant.id_number.text() == "051084009698"
    assert window.tabs.currentWidget() is tab
    assert tab.picker.current() is not None and tab.picker.current().code == "1.001193"  # Enter chose nothing
    wait_for_ops()
    assert ReceptionService(ctx).search("dang hong bao") == []  # and returned nothing, saved nothing


def test_a_card_scanned_while_a_button_has_the_focus_does_not_press_it(qtbot, window) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    pressed: list[bool] = []
    tab.tick_required.clicked.connect(lambda: pressed.append(True))
    tab.tick_required.setFocus()
    type_text(tab.tick_required, QR)  # the name's spaces would press a focused button
    qtbot.keyClick(tab.tick_required, Qt.Key.Key_Return)
    assert pressed == []
    assert tab.applicant.name.text() == "Đặng Hồng Bảo"
    assert tab.components.received() == ()


def test_a_card_scanned_into_the_sets_box_keeps_its_number(qtbot, window) -> None:
    tab = window.reception_tab
    tab.sets.setValue(2)
    tab.sets.setFocus()
    type_text(tab.sets, QR)
    qtbot.keyClick(tab.sets, Qt.Key.Key_Return)
    assert tab.sets.value() == 2
    assert tab.applicant.name.text() == "Đặng Hồng Bảo"


@pytest.mark.parametrize("where", ["card field", "note", "table"])
def test_two_cards_in_one_burst_the_last_one_wins(qtbot, window, where) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    field = {"card field": tab.applicant.scan, "note": tab.note, "table": tab.components}[where]
    field.setFocus()
    target = QApplication.focusWidget()  # in the table: the first row's tick box, which Space would tick
    type_text(target, QR + QR2)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert tab.components.received() == ()
    assert tab.applicant.name.text() == "Nguyễn Thị Lan"
    assert tab.applicant.id_number.text() == "001190012345"
    assert tab.applicant.birth.text() == "15/03/1990"


@pytest.mark.parametrize("where", ["card field", "note"])
def test_a_scanner_without_enter_is_recognised_when_it_stops(qtbot, window, monkeypatch, where) -> None:
    monkeypatch.setattr(WedgeCatcher, "QUIET_MS", 50)
    tab = window.reception_tab
    field = tab.applicant.scan if where == "card field" else tab.note
    type_text(field, QR + QR)
    qtbot.waitUntil(lambda: tab.applicant.name.text() == "Đặng Hồng Bảo", timeout=3000)
    qtbot.waitUntil(lambda: field.text() == "", timeout=3000)
    assert QApplication.focusWidget() is tab.applicant.phone


def test_a_broken_card_in_a_field_says_so(qtbot, window) -> None:
    tab = window.reception_tab
    type_text(tab.note, "051084009698|212163684|Đặng Hồng Bảo|31021984|Nam|Lào Cai|23092024")
    qtbot.keyClick(tab.note, Qt.Key.Key_Return)
    assert window.messages.kind() == "error" and "ngày sinh" in window.messages.text()
    assert tab.note.text() == "" and tab.applicant.name.text() == ""
