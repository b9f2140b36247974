"""Switching the language mid-reception keeps the reception; Qt's own buttons and dialogs speak Vietnamese too."""

from __future__ import annotations

import pytest
import test_counter_window as counter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog, QLabel, QMessageBox, QSpinBox

from motcua.ui.app import install_qt_translations
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures


@pytest.fixture
def qt_words(qapp):
    yield qapp
    install_qt_translations(qapp, "en")  # no translator: Qt's own English, as the other tests expect


def _yes_no() -> set[str]:
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return {b.text() for b in box.buttons()}


def _buttons(box: QDialogButtonBox) -> set[str]:
    return {b.text() for b in box.buttons()}


def _switch(qtbot, w: CounterWindow) -> CounterWindow:
    other = w._switch_language()
    other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(other)
    qtbot.waitExposed(other)
    wait_for_ops()
    return other


def test_switching_the_language_keeps_the_reception_in_progress(qtbot, window, qt_words) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    counter.scan_card(qtbot, window)
    qtbot.keyClicks(tab.applicant.phone, "0912345678")
    tab.components.toggle(0)
    tab.components.toggle(2)  # the "if any" one
    spin = tab.components.cellWidget(2, 2)
    assert isinstance(spin, QSpinBox)
    spin.setValue(3)
    tab.sets.setValue(2)
    counter.type_text(tab.note, "nộp thay")
    before = tab.state()

    english = _switch(qtbot, window)
    et = english.reception_tab
    assert english.tabs.tabText(0) == "Dossier reception"
    assert et.save_button.text().startswith("Save")
    assert et.state() == before
    assert et.picker.current() is not None and et.picker.current().code == "1.001193"
    assert et.applicant.name.text() == "Đặng Hồng Bảo" and et.applicant.phone.text() == "0912345678"
    assert [et.components.is_ticked(r) for r in range(et.components.rowCount())] == [True, False, True, False]
    assert et.components.received()[1].originals == 3
    assert (et.sets.value(), et.note.text()) == (2, "nộp thay")
    qtbot.waitUntil(lambda: et.picker.results.currentItem() is not None, timeout=5000)  # the list shows it chosen

    back = _switch(qtbot, english)
    assert back.tabs.tabText(0) == "Tiếp nhận hồ sơ"
    assert back.reception_tab.state() == before
    back.queue_panel.link.close()
    english.queue_panel.link.close()


def test_switching_keeps_the_open_dossier_and_the_tab(qtbot, window, ctx, qt_words) -> None:
    from test_counter_messages import _received

    d = _received(ctx)
    window.open_dossier(d.code)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.details, timeout=5000)
    english = _switch(qtbot, window)
    assert english.tabs.currentWidget() is english.details
    assert english.dossier_view.dossier() is not None and english.dossier_view.dossier().code == d.code
    assert "Received" in english.dossier_view.state.text()
    english.queue_panel.link.close()


def test_qt_own_buttons_speak_the_language_of_the_window(qtbot, window, qt_words) -> None:
    install_qt_translations(qt_words, "vi")  # as run_app does for a Vietnamese counter
    box = QMessageBox(
        QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    assert {b.text() for b in box.buttons()} == {"&Có", "&Không"}
    ask = QInputDialog()
    ask.show()
    assert _buttons(ask.findChild(QDialogButtonBox)) == {"Đồng ý", "Hủy"}
    ask.hide()
    files = QFileDialog(None, "", "")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    assert "&Tên tệp:" in {label.text() for label in files.findChildren(QLabel)}

    english = _switch(qtbot, window)  # the switch changes Qt's words too
    box = QMessageBox(
        QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    assert {b.text() for b in box.buttons()} == {"&Yes", "&No"}
    back = _switch(qtbot, english)
    box = QMessageBox(
        QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    assert {b.text() for b in box.buttons()} == {"&Có", "&Không"}
    back.queue_panel.link.close()
    english.queue_panel.link.close()
