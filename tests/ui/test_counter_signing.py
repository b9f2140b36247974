"""Signing at the counter: the receipt signed from the dossier's print menu (the secret asked on screen), and a
PDF a citizen brings checked for its signatures, a modified copy said to be so."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import test_counter_window as counter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from signing_helpers import FakeRootCA

from motcua.config import SigningSettings
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.signing import verify_document
from motcua.ui.counter import dossier_view

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures


def test_the_receipt_is_signed_from_the_print_menu_and_a_modified_copy_is_said(
    qtbot, window, ctx, tmp_path, monkeypatch
) -> None:
    ca = FakeRootCA()
    p12 = tmp_path / "can-bo.p12"
    p12.write_bytes(ca.pkcs12("Nguyễn Thị Lan", "mat-khau-p12"))
    trust = tmp_path / "trust"
    ca.write_pem(trust)
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    given = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components if c.required)
    d = svc.receive(ReceiveRequest(p.code, parse_cccd(counter.QR).to_applicant(), given))
    window.open_dossier(d.code)
    view = window.dossier_view
    qtbot.waitUntil(lambda: view.dossier() is not None, timeout=5000)
    assert not view.print_actions["sign"].isEnabled()  # nothing configured: said in its tooltip
    assert "[signing]" in view.print_actions["sign"].toolTip()
    ctx.settings = replace(
        ctx.settings, signing=SigningSettings(kind="pkcs12", pkcs12_path=str(p12), trust_dir=str(trust))
    )
    view.show_dossier(d)
    assert view.print_actions["sign"].isEnabled()
    asked: list[str] = []

    def pin(_parent, _title, label, _echo):  # the .p12 password is not in the settings: asked on screen
        asked.append(label)
        return "mat-khau-p12", True

    monkeypatch.setattr(dossier_view.QInputDialog, "getText", pin)
    opened: list[str] = []
    monkeypatch.setattr(dossier_view.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    view.print_actions["sign"].trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert asked and opened[0].endswith("-mau01-ky-so.pdf")
    signed = Path(opened[0]).read_bytes()
    [report] = verify_document(ctx.settings.signing, signed)
    assert report.intact and report.valid and report.trusted and report.signer_name == "Nguyễn Thị Lan"
    # A citizen brings the file back: checked and found good; a copy with a byte changed is said to be modified.
    tampered = tmp_path / "sua.pdf"
    data = bytearray(signed)
    at = len(data) // 3  # inside the signed content
    data[at] = (data[at] + 1) % 256
    tampered.write_bytes(bytes(data))
    for path, good in ((Path(opened[0]), True), (tampered, False)):
        monkeypatch.setattr(dossier_view.QFileDialog, "getOpenFileName", lambda *_a, p=path: (str(p), ""))
        view.print_actions["verify"].trigger()
        qtbot.waitUntil(lambda p=path: window.messages.text().startswith(f"{p.name}:"), timeout=20_000)
        assert ("KHÔNG hợp lệ" not in window.messages.text()) is good and "hợp lệ" in window.messages.text()
