"""What a dossier carries beyond the card and the papers, as the clerk fills it at the counter: the place that decides
the competent agency, the person who submits for the owner, a passport, fees per page and copy and how they were
paid (VietQR transfer recorded from the dossier), and a citizen guided with Mẫu 02 instead of received."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import test_counter_window as counter
from PySide6.QtCore import Qt

from motcua.config import PaymentSettings
from motcua.devices.barcode import decode_file
from motcua.domain.applicant import IdKind
from motcua.domain.fees import Payment, PaymentMethod
from motcua.services.reception import ReceptionService
from motcua.ui.counter import reception_tab
from motcua.ui.counter.fee_dialog import FeeDialog
from motcua.ui.ops import wait_for_ops

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures

ACCOUNT = PaymentSettings(
    bank_bin="970415", bank_name="VietinBank", account="113366668888", account_name="TT PVHCC XA BAO THANG"
)


def _saved(qtbot, w, ctx, name: str = "dang hong bao"):
    w.reception_tab.save(print_after=False)
    qtbot.waitUntil(lambda: w.messages.text().startswith("Đã lưu hồ sơ"), timeout=5000)
    [d] = ReceptionService(ctx).search(name)
    return d


def test_a_residence_procedure_asks_for_the_new_residence_not_the_card_address(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    assert not tab.extras.isVisibleTo(tab)  # nothing more to ask for a birth registration
    tab.picker.query.clear()
    counter.choose_procedure(qtbot, window, "1.004222", "1.004222")
    assert tab.extras.place_commune.isVisibleTo(tab)
    assert "cư trú" in tab.extras.place_label.text()
    counter.scan_card(qtbot, window)  # a card from another province: never a reason to refuse
    tab.components.tick_required()
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: "xác định cơ quan giải quyết" in window.messages.text(), timeout=5000)
    assert tab.extras.place_commune.hasFocus()
    assert ReceptionService(ctx).search("dang hong bao") == []
    counter.type_text(tab.extras.place_detail, "Tổ 5")
    counter.type_text(tab.extras.place_commune, "Phường Cam Đường")
    counter.type_text(tab.extras.place_province, "Lào Cai")
    assert window.messages.text() == ""  # typing the place cleared its message
    d = _saved(qtbot, window, ctx)
    assert d.place is not None and d.place.commune == "Phường Cam Đường" and d.place.province == "Lào Cai"
    assert d.applicant.address.commune == "Xã Bảo Thắng"  # the card's address kept as the applicant's


def test_someone_submitting_for_the_owner_is_recorded_apart(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    counter.scan_card(qtbot, window)
    tab.components.tick_required()
    assert not tab.applicant.submitter_row.isVisibleTo(tab)
    tab.applicant.by_other.setChecked(True)
    assert tab.applicant.submitter_row.isVisibleTo(tab)
    counter.type_text(tab.applicant.submitter_name, "Nguyễn Thị Lan")
    counter.type_text(tab.applicant.submitter_id, "0011900123")  # two digits short
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: window.messages.text().startswith("Người nộp thay"), timeout=5000)
    assert tab.applicant.submitter_id.hasFocus()
    counter.type_text(tab.applicant.submitter_id, "45")
    d = _saved(qtbot, window, ctx)
    assert d.submitter is not None and (d.submitter.name, d.submitter.id_number) == ("Nguyễn Thị Lan", "001190012345")
    assert d.applicant.name == "Đặng Hồng Bảo"


def test_a_foreigner_is_received_on_a_passport_with_nationality(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    form = tab.applicant
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    assert not form.nationality.isVisibleTo(tab)
    form.id_kind.setCurrentIndex(form.id_kind.findData(IdKind.PASSPORT.value))
    assert form.nationality.isVisibleTo(tab)
    counter.type_text(form.name, "John Smith")
    counter.type_text(form.id_number, "c1234567")
    tab.components.tick_required()
    tab.save(print_after=False)
    qtbot.waitUntil(lambda: "quốc gia" in window.messages.text(), timeout=5000)
    assert form.nationality.hasFocus()
    counter.type_text(form.nationality, "Anh")
    d = _saved(qtbot, window, ctx, "john smith")
    assert (d.applicant.id_kind, d.applicant.id_number, d.applicant.nationality) == (IdKind.PASSPORT, "C1234567", "Anh")


def test_fees_per_page_and_copy_are_shown_charged_and_paid_in_cash(qtbot, window, ctx) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "2.000815", "2.000815")  # chứng thực: 2.000 đ a page, 1.000 from page 3
    extras = tab.extras
    assert extras.pages.isVisibleTo(tab) and extras.copies.isVisibleTo(tab)
    assert "2.000" in extras.fee_label.text()
    extras.pages.setValue(5)
    extras.copies.setValue(2)
    assert "14.000" in extras.fee_label.text()
    assert not extras.reference.isVisibleTo(tab)
    extras.method.setCurrentIndex(extras.method.findData(PaymentMethod.CASH.value))
    assert extras.reference.isVisibleTo(tab)
    counter.type_text(extras.reference, "BL-0042")
    counter.scan_card(qtbot, window)
    tab.components.tick_required()
    d = _saved(qtbot, window, ctx)
    assert d.fee_vnd == 14_000 and d.payment == Payment(PaymentMethod.CASH, 14_000, "BL-0042")
    assert extras.pages.value() == 1 and extras.method.currentData() == ""  # ready for the next citizen
    window.refresh_status()
    qtbot.waitUntil(lambda: "Đã thu: 14.000" in window.status_label.text(), timeout=5000)


def test_a_fee_paid_later_by_vietqr_transfer_is_recorded_from_the_dossier(qtbot, window, ctx, monkeypatch, tmp_path):
    ctx.settings = replace(ctx.settings, payment=ACCOUNT)
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "1.004222", "1.004222")  # 20.000 đ
    counter.scan_card(qtbot, window)
    tab.components.tick_required()
    tab.extras.set_place(counter_place())
    d = _saved(qtbot, window, ctx)
    assert d.fee_vnd == 20_000 and d.payment is None
    window.open_dossier(d.code)
    view = window.dossier_view
    qtbot.waitUntil(lambda: view.dossier() is not None and view.fee_button.isVisibleTo(view), timeout=5000)
    seen: dict[str, object] = {}

    def exec_(dialog: FeeDialog) -> int:
        # What the citizen scans: the QR on screen carries the centre's account, the amount and the dossier code.
        png = tmp_path / "qr.png"
        dialog.qr.pixmap().save(str(png))
        seen["qr"] = [s.text for s in decode_file(png)]
        seen["text"] = dialog.account.text()
        dialog.reference.setText("FT26335012345")
        dialog.transfer.click()
        return dialog.result()

    monkeypatch.setattr(FeeDialog, "exec", exec_)
    view.fee_button.click()
    qtbot.waitUntil(lambda: "đã thu 20.000" in window.messages.text(), timeout=5000)
    pay_by = window.printing.fee_pay_by(d)
    assert pay_by is not None and seen["qr"] == [pay_by.payload]
    assert d.code in str(seen["text"]) and "113366668888" in str(seen["text"])
    paid = ReceptionService(ctx).get(d.code)
    assert paid.payment == Payment(PaymentMethod.TRANSFER, 20_000, "FT26335012345")
    assert not view.fee_button.isVisibleTo(view)  # nothing owed any more


def counter_place():
    from motcua.domain.applicant import Address

    return Address("Tổ 5", "Phường Cam Đường", "Lào Cai")


def test_an_incomplete_dossier_is_guided_with_form_02_and_not_received(qtbot, window, ctx, a4, monkeypatch) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    counter.scan_card(qtbot, window)
    asked: list[str] = []

    def ask(_parent, _title, _label, text):
        asked.append(text)
        return text + "\nBản sao giấy chứng nhận kết hôn", True

    monkeypatch.setattr(reception_tab.QInputDialog, "getMultiLineText", ask)
    tab.guide_button.click()
    qtbot.waitUntil(lambda: "Đã ghi lượt hướng dẫn" in window.messages.text(), timeout=20_000)
    wait_for_ops()
    required = [c.name for c in ReceptionService(ctx).procedure("1.001193").components if c.required]
    assert asked == ["\n".join(required)]  # what is not ticked is offered
    assert ReceptionService(ctx).search("dang hong bao") == []  # not received
    assert ReceptionService(ctx).visits_on(ctx.clock().date()) == 1  # but counted
    assert a4.dialogs == 1 and len(a4.files) == 1  # printed (as a picture of the page) …
    [kept] = ctx.out_dir.glob("VISIT-*-mau02.pdf")  # … and a copy kept
    text = subprocess.run(["pdftotext", "-layout", str(kept), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Đặng Hồng Bảo" in flat and "Bản sao giấy chứng nhận kết hôn" in flat
    assert tab.applicant.name.text() == ""  # ready for the next citizen
    assert tab.picker.current() is not None  # the same procedure, for the next in the queue


def test_no_matching_procedure_is_said_and_nothing_stays_chosen(qtbot, window) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "khai sinh", "1.001193")
    tab.picker.query.clear()
    qtbot.keyClicks(tab.picker.query, "qwxz zzqq")
    qtbot.keyClick(tab.picker.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Không tìm thấy thủ tục nào khớp" in tab.picker.info.text(), timeout=5000)
    assert tab.picker.current() is None
    assert tab.components.rowCount() == 0
    assert "Chọn thủ tục" in tab.due.text()


def test_the_print_menu_offers_only_the_forms_that_apply(qtbot, window, ctx) -> None:
    from motcua.domain.cccd import parse_cccd
    from motcua.domain.dossier import ReceivedComponent
    from motcua.domain.status import Action
    from motcua.services.reception import ReceiveRequest

    svc = ReceptionService(ctx)
    p = svc.procedure("1.004222")  # due in days, not today
    given = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components if c.required)
    d = svc.receive(ReceiveRequest(p.code, parse_cccd(counter.QR).to_applicant(), given, place=counter_place()))
    window.open_dossier(d.code)
    view = window.dossier_view
    qtbot.waitUntil(lambda: view.dossier() is not None, timeout=5000)
    apology = view.print_actions["mau04"]
    assert not apology.isEnabled() and "Mẫu 04" in apology.toolTip()  # not late: no apology, and why
    assert view.print_actions["mau01"].isEnabled() and not view.print_actions["mau03"].isVisible()
    assert view.print_actions["fees"].isVisible()  # 20.000 đ to pay
    refused = svc.act(d.code, Action.REFUSE, note="Giấy tờ giả mạo")
    view.show_dossier(refused)
    assert not view.print_actions["mau01"].isEnabled() and view.print_actions["mau03"].isVisible()


def test_the_window_keeps_a_reception_with_its_details_across_a_language_switch(qtbot, window) -> None:
    tab = window.reception_tab
    counter.choose_procedure(qtbot, window, "2.000815", "2.000815")
    tab.extras.pages.setValue(3)
    tab.extras.method.setCurrentIndex(tab.extras.method.findData(PaymentMethod.TRANSFER.value))
    tab.applicant.by_other.setChecked(True)
    counter.type_text(tab.applicant.submitter_name, "Nguyễn Thị Lan")
    switched = window._switch_language()
    switched.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(switched)
    qtbot.waitExposed(switched)
    wait_for_ops()
    try:
        t2 = switched.reception_tab
        assert t2.extras.pages.value() == 3
        assert t2.extras.method.currentData() == PaymentMethod.TRANSFER.value
        assert t2.applicant.by_other.isChecked() and t2.applicant.submitter_name.text() == "Nguyễn Thị Lan"
    finally:
        if switched.queue_panel is not None:
            switched.queue_panel.link.close()
        switched.close()
