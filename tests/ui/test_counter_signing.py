"""Signing at the counter: the receipt signed from the dossier's print menu (the secret asked on screen), and a
PDF a citizen brings checked for its signatures, a modified copy said to be so."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
import test_counter_window as counter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from signing_helpers import FakeRootCA

from motcua.config import SigningSettings
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import Dossier, ReceivedComponent
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.signing import verify_document
from motcua.ui.counter import dossier_view

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures


@pytest.fixture
def officer(tmp_path: Path) -> tuple[Path, Path]:
    """The officer's .p12 (password "mat-khau-p12") and the folder of the test CA that issued it."""
    ca = FakeRootCA()
    p12 = tmp_path / "can-bo.p12"
    p12.write_bytes(ca.pkcs12("Nguyễn Thị Lan", "mat-khau-p12"))
    trust = tmp_path / "trust"
    ca.write_pem(trust)
    return p12, trust


def _received(ctx) -> Dossier:
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    given = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components if c.required)
    return svc.receive(ReceiveRequest(p.code, parse_cccd(counter.QR).to_applicant(), given))


def test_the_receipt_is_signed_from_the_print_menu_and_a_modified_copy_is_said(
    qtbot, window, ctx, tmp_path, monkeypatch, officer
) -> None:
    p12, trust = officer
    d = _received(ctx)
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


def test_a_digitized_document_is_signed_from_its_list_and_the_signed_copy_travels(
    qtbot, ctx, tmp_path, officer
) -> None:
    from motcua.services.scanning_station import ScanningStation
    from motcua.ui.scan.attachments import AttachmentsList

    p12, trust = officer
    d = _received(ctx)
    station = ScanningStation(ctx)
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan))
    c.drawString(72, 720, "Giay khai sinh (ban sao)")
    c.save()
    att = station.attach_pdf(scan.read_bytes(), d.code, d.components[0].code, 1, "bw")
    lst = AttachmentsList(station)
    qtbot.addWidget(lst)
    lst.show_dossier(d.code)
    qtbot.waitUntil(lambda: lst.list.count() == 1, timeout=5000)
    lst.list.setCurrentRow(0)
    assert not lst.sign_button.isEnabled()  # no signature configured yet
    ctx.settings = replace(
        ctx.settings,
        signing=SigningSettings(kind="pkcs12", pkcs12_path=str(p12), pkcs12_password="mat-khau-p12",
                                trust_dir=str(trust)),
    )  # fmt: skip
    lst.list.setCurrentRow(-1)
    lst.list.setCurrentRow(0)
    assert lst.sign_button.isEnabled()
    lst.sign_button.click()
    qtbot.waitUntil(lambda: lst.list.count() == 2, timeout=20_000)
    assert "Đã ký số" in lst.messages.text()
    signed = [a for a in station.attachments_for(d.code) if a.id != att.id]
    assert len(signed) == 1 and signed[0].component_code == att.component_code
    [report] = verify_document(ctx.settings.signing, station.file_path(signed[0]).read_bytes())
    assert report.intact and report.trusted
