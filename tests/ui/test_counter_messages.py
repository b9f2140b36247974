"""What the counter says and asks: a message bar that never moves the layout and clears itself when its message no
longer applies; one question before a change that cannot be undone, naming the dossier; an undo for the others
when the service offers one."""

from __future__ import annotations

import test_counter_window as counter
from PySide6.QtCore import QPoint, Qt

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import Dossier, ReceivedComponent
from motcua.domain.status import Action, Status
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.ui.counter import dossier_view
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops
from motcua.ui.widgets.message_bar import MessageBar

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures


def _received(ctx) -> Dossier:
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    given = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, parse_cccd(counter.QR).to_applicant(), given))


def _open(qtbot, w: CounterWindow, code: str) -> None:
    w.open_dossier(code)
    qtbot.waitUntil(lambda: w.dossier_view.dossier() is not None and w.dossier_view.dossier().code == code)


def _status(ctx, code: str) -> Status:
    return ReceptionService(ctx).get(code).status


def test_a_message_moves_nothing(qtbot, window) -> None:
    tab = window.reception_tab
    watched = (window.tabs, tab.save_button, tab.applicant.scan)

    def where() -> list[QPoint]:
        return [w.mapTo(window, QPoint(0, 0)) for w in watched]

    before, height = where(), window.messages.height()
    window.messages.show_message(
        "Hồ sơ còn thiếu thành phần bắt buộc: " + "; ".join(["Tờ khai đăng ký khai sinh theo mẫu"] * 20),
        "error",
        {"Một": lambda: None, "Hai": lambda: None},
    )
    qtbot.wait(10)
    assert window.messages.height() == height and where() == before
    assert window.messages.label.toolTip()  # too long for the bar: shortened, whole in the tooltip
    window.messages.clear()
    qtbot.wait(10)
    assert window.messages.height() == height and where() == before


def test_a_missing_component_error_goes_away_once_the_component_is_ticked(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    counter.scan_card(qtbot, window)
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: "thiếu" in window.messages.text(), timeout=5000)
    assert window.messages.kind() == "error"
    tab.components.toggle(0)  # one required component of two: still missing one
    assert "thiếu" in window.messages.text()
    tab.components.tick_required()
    assert window.messages.text() == ""


def test_a_field_error_goes_away_when_the_field_is_edited(qtbot, window) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    counter.type_text(tab.applicant.name, "Lò Văn Páo")
    qtbot.keyClicks(tab.applicant.birth, "31/02/1990")
    tab.components.tick_required()
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: "ngày/tháng/năm" in window.messages.text(), timeout=3000)
    qtbot.keyClicks(tab.applicant.name, " A")  # another field: the error still applies
    assert "ngày/tháng/năm" in window.messages.text()
    qtbot.keyClick(tab.applicant.birth, Qt.Key.Key_Backspace)
    assert window.messages.text() == ""


def test_a_success_fades_by_itself(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(MessageBar, "OK_MS", 30)
    monkeypatch.setattr(MessageBar, "FADE_MS", 30)
    window.messages.show_message("Đã lưu hồ sơ", "ok")
    assert window.messages.text() == "Đã lưu hồ sơ"
    qtbot.waitUntil(lambda: window.messages.text() == "", timeout=3000)
    window.messages.show_message("Lỗi", "error")
    qtbot.wait(150)
    assert window.messages.text() == "Lỗi"  # an error stays until it no longer applies


def test_returning_a_result_asks_once_naming_the_dossier(qtbot, window, ctx, questions) -> None:
    d = _received(ctx)
    ReceptionService(ctx).act(d.code, Action.RESOLVE)
    _open(qtbot, window, d.code)
    questions.answer = False
    window.dossier_view.apply(Action.RETURN_RESULT)
    assert len(questions.asked) == 1 and d.code in questions.asked[0] and "Đặng Hồng Bảo" in questions.asked[0]
    wait_for_ops()
    assert _status(ctx, d.code) is Status.RESOLVED  # "no" changed nothing
    questions.answer = True
    window.dossier_view.apply(Action.RETURN_RESULT)
    qtbot.waitUntil(lambda: _status(ctx, d.code) is Status.RETURNED, timeout=5000)
    assert len(questions.asked) == 2


def test_returning_by_scanning_the_slip_asks_too(qtbot, window, ctx, questions) -> None:
    d = _received(ctx)
    ReceptionService(ctx).act(d.code, Action.RESOLVE)
    questions.answer = False
    qtbot.keyClicks(window.return_scan, d.code)
    qtbot.keyClick(window.return_scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(questions.asked) == 1, timeout=5000)
    assert d.code in questions.asked[0]
    wait_for_ops()
    assert _status(ctx, d.code) is Status.RESOLVED


def test_refusing_asks_once_in_the_reason_dialog(qtbot, window, ctx, questions, monkeypatch) -> None:
    d = _received(ctx)
    _open(qtbot, window, d.code)
    labels: list[str] = []

    def reason(_parent, _title: str, label: str, text: str = "") -> tuple[str, bool]:
        labels.append(label)
        return "Không đúng thẩm quyền", True

    monkeypatch.setattr(dossier_view.QInputDialog, "getMultiLineText", reason)
    monkeypatch.setattr(dossier_view.QDesktopServices, "openUrl", lambda _url: True)  # Mẫu 03 opens
    window.dossier_view.apply(Action.REFUSE)
    qtbot.waitUntil(lambda: _status(ctx, d.code) is Status.REFUSED, timeout=5000)
    assert len(labels) == 1 and d.code in labels[0] and "không hoàn tác" in labels[0]
    assert questions.asked == []  # the reason's dialog was the one question


def test_everyday_moves_ask_nothing_and_can_be_undone(qtbot, window, ctx, questions, monkeypatch) -> None:
    monkeypatch.setattr(dossier_view.QDesktopServices, "openUrl", lambda _url: True)  # Mẫu 02 opens
    d = _received(ctx)
    _open(qtbot, window, d.code)
    window.dossier_view.apply(Action.START)
    qtbot.waitUntil(lambda: _status(ctx, d.code) is Status.PROCESSING, timeout=5000)
    qtbot.waitUntil(lambda: [b.text() for b in window.messages.buttons()] == ["Hoàn tác"], timeout=5000)
    assert questions.asked == []  # done at once, no question
    window.dossier_view.apply(Action.REQUEST_SUPPLEMENT, note="Thiếu giấy ủy quyền", items=["Giấy ủy quyền"])
    qtbot.waitUntil(lambda: _status(ctx, d.code) is Status.SUPPLEMENT_REQUESTED, timeout=5000)
    # One message for the step and its form (Mẫu 02), still offering the undo of this step.
    qtbot.waitUntil(lambda: "mau02" in window.messages.text(), timeout=10_000)
    assert [b.text() for b in window.messages.buttons()] == ["Hoàn tác"]
    window.messages.buttons()[0].click()
    qtbot.waitUntil(lambda: window.messages.text().startswith("Đã hoàn tác"), timeout=5000)
    # The status before the step is back, the due date too, and the history shows both the step and its undo.
    back = ReceptionService(ctx).get(d.code)
    assert back.status is Status.PROCESSING and back.due_at == d.due_at
    assert [e.action for e in back.events][-2:] == [Action.REQUEST_SUPPLEMENT, Action.UNDO]
    assert window.dossier_view.dossier().status is Status.PROCESSING


def test_an_undo_offer_expires(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(MessageBar, "UNDO_MS", 30)
    monkeypatch.setattr(MessageBar, "FADE_MS", 10)
    window.messages.offer_undo("Hồ sơ X: Đang xử lý", lambda: None)
    assert len(window.messages.buttons()) == 1
    qtbot.waitUntil(lambda: window.messages.buttons() == [], timeout=3000)
