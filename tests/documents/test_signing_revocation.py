"""Revoked certificates and long-term signatures, for real: the test CA publishes its revocation list over HTTP on
127.0.0.1 (named in the certificates it issues), pyHanko fetches it, and the CA's server can be taken down to play a
commune whose link is gone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from cryptography import x509
from signing_helpers import CrlServer, FakeRootCA, asn1_cert, crl_server

from motcua.config import ConfigError, SigningSettings
from motcua.documents import signing as pdfsig
from motcua.documents.scan.pdf import build_pdf
from motcua.documents.signature_types import (
    REVOCATION_CHECKED,
    REVOCATION_NOT_PUBLISHED,
    REVOCATION_OFF,
    REVOCATION_UNAVAILABLE,
    REVOKED,
)
from motcua.services.signing import SigningService, verify_document
from motcua.store import audit

PASSWORD = "mật-khẩu"


@pytest.fixture(scope="module")
def ca() -> FakeRootCA:
    return FakeRootCA()


@pytest.fixture
def crls() -> Iterator[CrlServer]:
    with crl_server() as server:
        yield server


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_pdf([np.full((600, 420), 255, np.uint8)], "grey", dpi=200, title="scan")


def _signer(ca: FakeRootCA, folder: Path, cn: str, crl_url: str) -> tuple[Path, x509.Certificate]:
    path = folder / f"{len(list(folder.iterdir()))}.p12"
    path.write_bytes(ca.pkcs12(cn, PASSWORD, crl_url=crl_url))
    cert = x509.load_der_x509_certificate(pdfsig.load_pkcs12_signer(path, PASSWORD).signing_cert.dump())
    return path, cert


def _sign(p12: Path, pdf: bytes, **kw: object) -> bytes:
    return pdfsig.sign_pdf(pdf, pdfsig.load_pkcs12_signer(p12, PASSWORD), box=None, **kw)  # type: ignore[arg-type]


def _check(data: bytes, ca: FakeRootCA, mode: str) -> pdfsig.SignatureReport:
    (report,) = pdfsig.verify_pdf(data, [asn1_cert(ca.cert)], mode)
    return report


def test_a_revoked_signer_is_refused_and_a_good_one_is_checked(ca, crls, pdf, tmp_path) -> None:
    good, _ = _signer(ca, tmp_path, "Cán bộ Tốt", crls.url)
    bad, bad_cert = _signer(ca, tmp_path, "Cán bộ Bị Thu Hồi", crls.url)
    crls.body = ca.crl([bad_cert])
    signed_good, signed_bad = _sign(good, pdf), _sign(bad, pdf)
    for mode in ("soft-fail", "hard-fail"):
        ok = _check(signed_good, ca, mode)
        assert ok.ok and ok.revocation == REVOCATION_CHECKED
        refused = _check(signed_bad, ca, mode)
        assert not refused.ok and not refused.trusted and refused.revocation == REVOKED
        assert "thu hồi" in refused.verdict()
    assert crls.hits > 0
    # Offline checking asks nobody: the revoked signer passes, and the report says revocation was not looked at.
    hits = crls.hits
    offline = _check(signed_bad, ca, "off")
    assert offline.trusted and offline.revocation == REVOCATION_OFF and crls.hits == hits


def test_with_the_ca_unreachable_soft_fail_accepts_and_says_so_and_hard_fail_refuses(ca, crls, pdf, tmp_path) -> None:
    p12, _ = _signer(ca, tmp_path, "Cán bộ A", crls.url)
    crls.body = ca.crl([])
    signed = _sign(p12, pdf)
    crls.up = False
    soft = _check(signed, ca, "soft-fail")
    assert soft.ok and soft.revocation == REVOCATION_UNAVAILABLE and "chưa kiểm tra được" in soft.verdict()
    hard = _check(signed, ca, "hard-fail")
    assert not hard.ok and not hard.trusted and hard.revocation == REVOCATION_UNAVAILABLE
    assert "Chưa xác minh được" in hard.verdict()


def test_a_certificate_naming_no_revocation_service_is_not_reported_as_checked(ca, pdf, tmp_path) -> None:
    p12, _ = _signer(ca, tmp_path, "Cán bộ B", "")
    report = _check(_sign(p12, pdf), ca, "hard-fail")
    assert report.ok and report.revocation == REVOCATION_NOT_PUBLISHED


def test_a_long_term_signature_carries_its_revocation_data_and_checks_offline(ca, crls, pdf, tmp_path) -> None:
    p12, _cert = _signer(ca, tmp_path, "Cán bộ C", crls.url)
    crls.body = ca.crl([])
    roots = [asn1_cert(ca.cert)]
    long_term = _sign(p12, pdf, long_term=roots)
    assert pdfsig.has_long_term_data(long_term)
    crls.up = False  # years later, or at a commune with no link: the embedded CRL answers
    # pyHanko's own validator agrees, with only the document's security store to go on (no fetching, hard-fail).
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(long_term), strict=False)
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "hard-fail"}
    )
    status = validate_pdf_signature(reader.embedded_signatures[0], signer_validation_context=context)
    assert status.bottom_line and status.trusted and not status.revoked
    for mode in ("off", "hard-fail"):
        report = _check(long_term, ca, mode)
        assert report.ok and report.revocation == REVOCATION_CHECKED
    # Signed while the CA cannot be reached: signed all the same, without the data, and checked as such.
    plain = _sign(p12, pdf, long_term=roots)
    assert not pdfsig.has_long_term_data(plain)
    assert _check(plain, ca, "off").revocation == REVOCATION_OFF
    # A copy whose signed bytes were changed fails, long-term data or not.
    tampered = bytearray(long_term)
    at = long_term.index(b"/Title")
    tampered[at + 8] ^= 0x01
    assert not _check(bytes(tampered), ca, "off").ok


def test_the_service_signs_long_term_and_audits_it_and_verifies_with_the_configured_mode(
    ctx, ca, crls, pdf, tmp_path
) -> None:
    p12, _cert = _signer(ca, tmp_path, "Cán bộ D", crls.url)
    trust = tmp_path / "trust"
    ca.write_pem(trust)
    crls.body = ca.crl([])
    settings = SigningSettings(kind="pkcs12", pkcs12_path=str(p12), pkcs12_password=PASSWORD, trust_dir=str(trust))
    ctx.settings = replace(ctx.settings, signing=settings)
    signed = SigningService(ctx).sign_file(pdf, "ket-qua.pdf", reason="Kết quả")
    (entry,) = [e for e in audit.history(ctx.store.read(), "ket-qua.pdf") if e["action"] == "sign_pdf"]
    assert entry["detail"]["long_term"] is True
    crls.up = False
    (offline,) = verify_document(replace(settings, revocation="off"), signed)
    assert offline.ok and offline.revocation == REVOCATION_CHECKED  # from the data embedded when signing
    # Signed while the CA is unreachable: the paper is still signed, and the log says it is not long-term.
    again = SigningService(ctx).sign_file(pdf, "ket-qua-2.pdf", reason="Kết quả")
    (entry,) = [e for e in audit.history(ctx.store.read(), "ket-qua-2.pdf") if e["action"] == "sign_pdf"]
    assert entry["detail"]["long_term"] is False and not pdfsig.has_long_term_data(again)


def test_an_unknown_revocation_mode_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match=r"signing\.revocation"):
        SigningSettings(revocation="strict")
