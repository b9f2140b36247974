"""Digital signatures of PDFs, for real: keys on a SoftHSM2 token (a PKCS#11 module, like the officers' USB tokens)
and in a PKCS#12 file, certificates from a test CA made here, a local RFC 3161 timestamp server, and pyHanko's own
validator as the judge. Nothing in the signing path is mocked.

SoftHSM2 must be installed (``apt-get install -y softhsm2``, done by ``installer/install.sh --dev``); without it the
token tests fail with that command rather than skip.
"""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from fontTools import ttLib
from pyhanko.pdf_utils.generic import StreamObject, pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from signing_helpers import KEY_LABEL, TOKEN_LABEL, USER_PIN, FakeRootCA, asn1_cert, local_tsa, make_token

from motcua.cli import main
from motcua.config import SigningSettings
from motcua.documents import signing as pdfsig
from motcua.documents.fonts import covers_vietnamese
from motcua.documents.scan.pdf import build_pdf
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.errors import ValidationError
from motcua.services.printing import PrintingService
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning_station import ScanningStation
from motcua.services.signing import RECEIPT_ANCHOR, SigningService
from motcua.store import audit

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"
OFFICER = "Nguyễn Thị Hằng"
P12_PASSWORD = "mật-khẩu-123"


# -- the test PKI, once per run (SoftHSM2 reads its configuration once per process) ------------------------------
@pytest.fixture(scope="session")
def ca() -> FakeRootCA:
    return FakeRootCA()


@pytest.fixture(scope="session")
def token(ca: FakeRootCA, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SoftHSM2 module, with a token holding the officer's key (made on the token) and certificate."""
    module, _cert = make_token(tmp_path_factory.mktemp("softhsm"), ca, OFFICER)
    return module


@pytest.fixture(scope="session")
def trust_dir(ca: FakeRootCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trust")
    ca.write_pem(folder)
    return folder


@pytest.fixture(scope="session")
def p12(ca: FakeRootCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("p12") / "can-bo.p12"
    path.write_bytes(ca.pkcs12(OFFICER, P12_PASSWORD))
    return path


def pkcs11_settings(module: str, trust: Path, **kw: object) -> SigningSettings:
    values: dict[str, object] = {
        "kind": "pkcs11",
        "pkcs11_module": module,
        "token_label": TOKEN_LABEL,
        "key_label": KEY_LABEL,
        "pin": USER_PIN,
        "trust_dir": str(trust),
    }
    values.update(kw)
    return SigningSettings(**values)  # type: ignore[arg-type]


def pkcs12_settings(path: Path, trust: Path, **kw: object) -> SigningSettings:
    values: dict[str, object] = {
        "kind": "pkcs12",
        "pkcs12_path": str(path),
        "pkcs12_password": P12_PASSWORD,
        "trust_dir": str(trust),
    }
    values.update(kw)
    return SigningSettings(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["pkcs11", "pkcs12"])
def signing(request: pytest.FixtureRequest, ctx, trust_dir: Path, p12: Path) -> SigningSettings:
    """The workstation ``ctx`` set up to sign with the token, then with the .p12 file."""
    if request.param == "pkcs11":
        s = pkcs11_settings(request.getfixturevalue("token"), trust_dir)
    else:
        s = pkcs12_settings(p12, trust_dir)
    ctx.settings = replace(ctx.settings, signing=s)
    return s


def use(ctx, s: SigningSettings) -> SigningService:
    ctx.settings = replace(ctx.settings, signing=s)
    return SigningService(ctx)


def receive(ctx) -> str:
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, parse_cccd(QR).to_applicant(), comps)).code


@cache
def scanned_pdf() -> bytes:
    """A grey A4 'scan' at 200 dpi, as the digitizing tab writes it."""
    page = np.full((2339, 1654), 235, dtype=np.uint8)
    page[200:280, 160:1400] = 30  # a heading's worth of ink
    page[400:2000:80, 160:1480] = 60
    return build_pdf([page], "grey", dpi=200, title="scan")


def pyhanko_status(data: bytes, roots: list, index: int = 0):
    """pyHanko's own verdict, independent of our wrapper."""
    sig = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures[index]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    return validate_pdf_signature(sig, context, key_usage_settings=pdfsig.SIGNING_KEY_USAGE)


def widget(data: bytes, index: int = 0) -> tuple[int, tuple[float, ...]]:
    """(page index, /Rect) of the ``index``-th signature's widget."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    pages = reader.root["/Pages"]["/Kids"]
    found = []
    for n, page_ref in enumerate(pages):
        for annot in page_ref.get_object().get("/Annots", []):
            a = annot.get_object()
            if a.get("/FT") == pdf_name("/Sig"):
                found.append((n, tuple(float(v) for v in a["/Rect"])))
    return found[index]


def text_boxes(data: bytes, page_index: int) -> list[tuple[float, float, float, float]]:
    doc = pdfium.PdfDocument(data)
    try:
        tp = doc[page_index].get_textpage()
        return [tp.get_charbox(i) for i in range(tp.count_chars()) if tp.get_text_range(i, 1).strip()]
    finally:
        doc.close()


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- acceptance -----------------------------------------------------------------------------------------------
def test_signed_receipt_validates_and_its_box_sits_under_the_receiving_officer(ctx, signing, ca) -> None:
    ctx.settings = replace(ctx.settings, counter=replace(ctx.settings.counter, clerk=OFFICER))  # printed under the box
    code = receive(ctx)
    unsigned = PrintingService(ctx).receipt_pdf(ReceptionService(ctx).get(code))  # to compare the layout with
    signed = SigningService(ctx).sign_receipt(code)

    # Signing appends one revision to the receipt as printed (its own bytes are not rewritten).
    revisions = [PdfFileReader(io.BytesIO(pdf), strict=False).xrefs.total_revisions for pdf in (unsigned, signed)]
    assert revisions == [1, 2]
    status = pyhanko_status(signed, [asn1_cert(ca.cert)])
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    [report] = SigningService(ctx).verify(signed)
    assert report.ok and report.unchanged and report.signer_name == OFFICER
    assert report.signed_at is not None

    # The box is on the citizen's copy (the last page), under the officer's heading, clear of every printed letter.
    page, rect = widget(signed)
    pages = len(pdfium.PdfDocument(unsigned))
    assert page == pages - 1
    under = pdfsig.box_below_text(unsigned, RECEIPT_ANCHOR, RECEIPT_ANCHOR, 2, 2, gap=0)  # a dot under the heading
    assert under is not None and under.page == page
    heading_x, heading_bottom = (under.x0 + under.x1) / 2, under.y1
    assert abs((rect[0] + rect[2]) / 2 - heading_x) < 1  # centred under the officer's column
    assert heading_bottom - 40 < rect[3] < heading_bottom  # right under its heading and "(Ký và ghi rõ họ tên)"
    assert not [b for b in text_boxes(unsigned, page) if overlaps(b, rect)]
    doc = pdfium.PdfDocument(unsigned)
    assert OFFICER in doc[page].get_textpage().get_text_range()  # the clerk's name is there, and the box clear of it
    doc.close()

    [entry] = [h for h in audit.history(ctx.store.read(), code) if h["action"] == "sign_receipt"]
    assert entry["detail"]["signer"] == OFFICER


def test_signed_digitized_copy_validates_and_is_attached_beside_the_scan(ctx, signing, ca) -> None:
    code = receive(ctx)
    station = ScanningStation(ctx)
    scan = station.attach_pdf(scanned_pdf(), code, "TP1", 1, "grey")

    signed_att = SigningService(ctx).sign_attachment(scan.id)

    assert (signed_att.dossier_code, signed_att.component_code) == (code, "TP1")
    assert signed_att.sha256 != scan.sha256
    data = station.file_path(signed_att).read_bytes()
    assert pyhanko_status(data, [asn1_cert(ca.cert)]).bottom_line
    [report] = pdfsig.verify_pdf(data, [asn1_cert(ca.cert)])
    assert report.ok
    assert {a.sha256 for a in station.attachments_for(code)} == {scan.sha256, signed_att.sha256}
    actions = [h["action"] for h in audit.history(ctx.store.read(), code)]
    assert "sign_attachment" in actions


def test_bytes_changed_after_signing_fail(ctx, trust_dir, p12, ca) -> None:
    signed = use(ctx, pkcs12_settings(p12, trust_dir)).sign_file(scanned_pdf(), "scan.pdf")
    at = signed.index(b"stream") + 200  # inside the page image, well within the signed bytes
    tampered = signed[:at] + bytes([signed[at] ^ 0xFF]) + signed[at + 1 :]

    assert not pyhanko_status(tampered, [asn1_cert(ca.cert)]).intact
    [report] = pdfsig.verify_pdf(tampered, [asn1_cert(ca.cert)])
    assert not report.intact and not report.ok
    assert "KHÔNG hợp lệ" in report.verdict()


def test_an_incremental_update_that_changes_a_page_fails(ctx, trust_dir, p12, ca) -> None:
    signed = use(ctx, pkcs12_settings(p12, trust_dir)).sign_file(scanned_pdf(), "scan.pdf")
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    w.add_stream_to_page(0, w.add_object(StreamObject(stream_data=b"0 0 0 rg 100 100 200 50 re f")))
    out = io.BytesIO()
    w.write(out)
    changed = out.getvalue()

    status = pyhanko_status(changed, [asn1_cert(ca.cert)])
    assert status.intact and not status.bottom_line  # the signed revision is intact, but what came after is not
    [report] = pdfsig.verify_pdf(changed, [asn1_cert(ca.cert)])
    assert report.intact and not report.unchanged and not report.changes_allowed and not report.ok
    assert report.verdict() == "Chữ ký KHÔNG hợp lệ: tài liệu đã bị sửa đổi sau khi ký"


def test_a_certificate_outside_the_trust_roots_is_untrusted(ctx, trust_dir, tmp_path) -> None:
    stranger = FakeRootCA("Some Other Root CA")
    p12 = tmp_path / "stranger.p12"
    p12.write_bytes(stranger.pkcs12("Người Lạ", P12_PASSWORD))
    signed = use(ctx, pkcs12_settings(p12, trust_dir)).sign_file(scanned_pdf(), "scan.pdf")

    [report] = SigningService(ctx).verify(signed)  # against trust_dir, which holds only the test CA

    assert report.intact and report.valid and not report.trusted and not report.ok
    assert report.signer_name == "Người Lạ"
    assert "không thuộc tổ chức chứng thực tin cậy" in report.verdict()
    assert [r.trusted for r in pdfsig.verify_pdf(signed, [asn1_cert(stranger.cert)])] == [True]


def test_a_second_officer_may_sign_after_the_first(ctx, trust_dir, p12, token) -> None:
    first = use(ctx, pkcs12_settings(p12, trust_dir)).sign_file(scanned_pdf(), "scan.pdf")
    both = use(ctx, pkcs11_settings(token, trust_dir)).sign_file(first, "scan.pdf")

    reports = SigningService(ctx).verify(both)

    assert [r.field for r in reports] == ["ChuKySo1", "ChuKySo2"]
    assert all(r.ok for r in reports)
    assert not reports[0].unchanged and reports[0].changes_allowed  # a signature added later is allowed
    assert reports[1].unchanged


# -- timestamps ---------------------------------------------------------------------------------------------------
def test_a_configured_timestamp_server_is_asked_and_its_time_embedded(ctx, trust_dir, token, ca) -> None:
    with local_tsa(ca) as tsa:
        signed = use(ctx, pkcs11_settings(token, trust_dir, tsa_url=tsa.url)).sign_file(scanned_pdf(), "a.pdf")
        assert tsa.requests
    status = pyhanko_status(signed, [asn1_cert(ca.cert)])
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    [report] = SigningService(ctx).verify(signed)
    assert report.ok and report.timestamp_at is not None


def test_no_timestamp_server_configured_asks_none(ctx, trust_dir, token, ca) -> None:
    with local_tsa(ca) as tsa:
        signed = use(ctx, pkcs11_settings(token, trust_dir)).sign_file(scanned_pdf(), "a.pdf")
        assert tsa.requests == []
    [report] = SigningService(ctx).verify(signed)
    assert report.ok and report.timestamp_at is None


def test_an_unreachable_timestamp_server_stops_the_signing(ctx, trust_dir, p12) -> None:
    svc = use(ctx, pkcs12_settings(p12, trust_dir, tsa_url="http://127.0.0.1:9/tsa"))
    with pytest.raises(pdfsig.SigningError, match="Không lấy được dấu thời gian"):
        svc.sign_file(scanned_pdf(), "a.pdf")


# -- the token and the settings ------------------------------------------------------------------------------------
def test_a_wrong_pin_is_said_plainly(ctx, trust_dir, token) -> None:
    with pytest.raises(pdfsig.SigningError, match=r"^Mã PIN của thiết bị ký số không đúng$"):
        use(ctx, pkcs11_settings(token, trust_dir, pin="000000")).sign_file(scanned_pdf(), "a.pdf")


def test_an_empty_pin_is_asked_for(ctx, trust_dir, token) -> None:
    ctx.settings = replace(ctx.settings, signing=pkcs11_settings(token, trust_dir, pin=""))
    asked: list[str] = []

    def ask(question: str) -> str:
        asked.append(question)
        return USER_PIN

    signed = SigningService(ctx, ask).sign_file(scanned_pdf(), "a.pdf")
    assert asked == ["Mã PIN của thiết bị ký số: "]
    assert [r.ok for r in SigningService(ctx).verify(signed)] == [True]
    with pytest.raises(pdfsig.SigningError, match="Chưa nhập mã PIN"):
        SigningService(ctx).sign_file(scanned_pdf(), "a.pdf")


def test_the_only_signing_key_is_found_without_a_label(ctx, trust_dir, token) -> None:
    signed = use(ctx, pkcs11_settings(token, trust_dir, key_label="")).sign_file(scanned_pdf(), "a.pdf")
    assert [r.signer_name for r in SigningService(ctx).verify(signed)] == [OFFICER]


def test_a_missing_token_or_key_is_said_plainly(ctx, trust_dir, token, tmp_path) -> None:
    with pytest.raises(pdfsig.SigningError, match="Không tìm thấy thiết bị ký số khac: hãy cắm USB token"):
        use(ctx, pkcs11_settings(token, trust_dir, token_label="khac")).sign_file(scanned_pdf(), "a.pdf")
    with pytest.raises(pdfsig.SigningError, match="Không tìm thấy khóa ký hoặc chứng thư số “khac”"):
        use(ctx, pkcs11_settings(token, trust_dir, key_label="khac")).sign_file(scanned_pdf(), "a.pdf")
    with pytest.raises(pdfsig.SigningError, match="Không tìm thấy thư viện PKCS#11"):
        use(ctx, pkcs11_settings(str(tmp_path / "none.so"), trust_dir)).sign_file(scanned_pdf(), "a.pdf")


def test_a_wrong_pkcs12_password_and_unconfigured_signing_are_said_plainly(ctx, trust_dir, p12) -> None:
    with pytest.raises(pdfsig.SigningError, match="sai mật khẩu"):
        use(ctx, pkcs12_settings(p12, trust_dir, pkcs12_password="sai")).sign_file(scanned_pdf(), "a.pdf")
    with pytest.raises(pdfsig.SigningError, match="Chưa cấu hình chữ ký số"):
        use(ctx, SigningSettings()).sign_file(scanned_pdf(), "a.pdf")
    with pytest.raises(ValidationError, match=r"signing\.kind"):
        use(ctx, SigningSettings(kind="usb")).sign_file(scanned_pdf(), "a.pdf")


def test_an_empty_pkcs12_password_is_asked_for(ctx, trust_dir, p12) -> None:
    ctx.settings = replace(ctx.settings, signing=pkcs12_settings(p12, trust_dir, pkcs12_password=""))
    signed = SigningService(ctx, lambda question: P12_PASSWORD).sign_file(scanned_pdf(), "a.pdf")
    assert [r.ok for r in SigningService(ctx).verify(signed)] == [True]
    with pytest.raises(pdfsig.SigningError, match="sai mật khẩu"):
        SigningService(ctx).sign_file(scanned_pdf(), "a.pdf")  # nobody to ask: tried without a password


def test_an_expired_certificate_is_refused_before_signing(ctx, ca, trust_dir, tmp_path) -> None:
    path = tmp_path / "old.p12"
    path.write_bytes(ca.pkcs12(OFFICER, P12_PASSWORD, not_after=datetime.now(UTC) - timedelta(days=2)))
    with pytest.raises(pdfsig.SigningError, match="Chứng thư số đã hết hạn ngày"):
        use(ctx, pkcs12_settings(path, trust_dir)).sign_file(scanned_pdf(), "a.pdf")


def test_a_pdf_without_signatures_or_not_a_pdf_is_refused(ca) -> None:
    with pytest.raises(ValidationError, match="không có chữ ký số"):
        pdfsig.verify_pdf(scanned_pdf(), [asn1_cert(ca.cert)])
    with pytest.raises(ValidationError, match="không phải PDF"):
        pdfsig.verify_pdf(b"hello", [asn1_cert(ca.cert)])


def test_the_box_font_has_vietnamese_and_1000_units_per_em() -> None:
    # pyHanko writes glyph widths as if every font had 1000 units per em; a 2048-unit font spreads the letters out.
    font = pdfsig.stamp_font()
    assert covers_vietnamese(font)
    assert ttLib.TTFont(str(font))["head"].unitsPerEm == 1000


def test_the_box_setting_in_millimetres() -> None:
    box = pdfsig.SignatureBox.from_mm(0, 10, 20, 50, 15)
    assert box.page == -1 and box.x0 == pytest.approx(28.35, abs=0.01) and box.y1 == pytest.approx(99.21, abs=0.01)
    assert pdfsig.SignatureBox.from_mm(2, 0, 0, 1, 1).page == 1
    with pytest.raises(ValidationError):
        pdfsig.SignatureBox.from_mm(1, 0, 0, 0, 10)


# -- the command line ---------------------------------------------------------------------------------------------
def write_config(tmp_path: Path, signing_toml: str) -> Path:
    path = tmp_path / "centre.toml"
    path.write_text(f"schema_version = 1\n\n[signing]\n{signing_toml}\n", encoding="utf-8")
    return path


def test_cli_signs_and_verifies(tmp_path, trust_dir, p12, capsys) -> None:
    cfg = write_config(
        tmp_path,
        f'kind = "pkcs12"\npkcs12_path = "{p12}"\npkcs12_password = "{P12_PASSWORD}"\ntrust_dir = "{trust_dir}"',
    )
    src, out = tmp_path / "ket-qua.pdf", tmp_path / "ket-qua-ky.pdf"
    src.write_bytes(scanned_pdf())
    base = ["--config", str(cfg), "--data-dir", str(tmp_path / "data")]

    assert main([*base, "pdf", "sign", str(src), "--out", str(out), "--reason", "Trả kết quả"]) == 0
    assert main([*base, "pdf", "verify", str(out), "--json"]) == 0
    [report] = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["ok"] and report["signer_name"] == OFFICER

    assert main([*base, "pdf", "verify", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Chữ ký hợp lệ, tài liệu không bị thay đổi sau khi ký" in text and f"CN={OFFICER}" in text

    pdftotext = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True)
    assert pdftotext.returncode == 0  # poppler still reads the signed file


def test_cli_verify_exit_status_and_errors(tmp_path, trust_dir, p12, capsys) -> None:
    cfg = write_config(tmp_path, f'trust_dir = "{trust_dir}"')
    base = ["--config", str(cfg), "--data-dir", str(tmp_path / "data")]
    stranger = FakeRootCA("Some Other Root CA")
    other = tmp_path / "other.p12"
    other.write_bytes(stranger.pkcs12("Người Lạ", ""))
    signed = tmp_path / "la.pdf"
    signed.write_bytes(pdfsig.sign_pdf(scanned_pdf(), pdfsig.load_pkcs12_signer(other, ""), box=None))
    unsigned = tmp_path / "chua-ky.pdf"
    unsigned.write_bytes(scanned_pdf())

    assert main([*base, "pdf", "verify", str(signed)]) == 1
    assert "không thuộc tổ chức chứng thực tin cậy" in capsys.readouterr().out
    assert main([*base, "pdf", "verify", str(unsigned)]) == 2
    assert capsys.readouterr().err.strip() == "Lỗi: Tệp PDF không có chữ ký số nào"
    assert main([*base, "pdf", "sign", str(unsigned), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: Chưa cấu hình chữ ký số") and "\n" not in err
