"""A test PKI for the signature tests: a root CA made with ``cryptography``, signer certificates for keys in software
or on a SoftHSM2 token (a real PKCS#11 module, as the officers' USB tokens are), and a local RFC 3161 timestamp
server built on pyHanko's DummyTimeStamper."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "motcua-test"
KEY_LABEL = "can-bo-mot-cua"
USER_PIN = "123456"
SO_PIN = "12345678"


def _name(cn: str, org: str = "Trung tâm Phục vụ hành chính công xã Bảo Thắng") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@dataclass
class FakeRootCA:
    """A root CA and what it issues."""

    name: str = "MotCua Test Root CA"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    cert: x509.Certificate = field(init=False)

    def __post_init__(self) -> None:
        now = datetime.now(UTC)
        subject = _name(self.name, "Ban Cơ yếu Chính phủ (thử nghiệm)")
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    def issue(
        self,
        cn: str,
        public_key: rsa.RSAPublicKey,
        *,
        tsa: bool = False,
        not_after: datetime | None = None,
        crl_url: str = "",
    ) -> x509.Certificate:
        """A signer certificate (digitalSignature + nonRepudiation), or a timestamp authority's (critical
        timeStamping EKU); valid from an hour ago for a year, or until ``not_after``; naming ``crl_url`` as where
        its revocation list is published, when given."""
        now = datetime.now(UTC)
        end = not_after or now + timedelta(days=365)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(cn))
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(min(now, end) - timedelta(hours=1))
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=not tsa,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )
        if tsa:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        if crl_url:
            point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
        return builder.sign(self.key, hashes.SHA256())

    def crl(self, revoked: list[x509.Certificate]) -> bytes:
        """This CA's certificate revocation list (DER), naming ``revoked``; valid for a day."""
        now = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - timedelta(minutes=5))
            .next_update(now + timedelta(days=1))
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .add_extension(x509.CRLNumber(1), critical=False)
        )
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(cert.serial_number)
                .revocation_date(now - timedelta(minutes=1))
                .build()
            )
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def write_pem(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "root.pem"
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def pkcs12(self, cn: str, password: str, not_after: datetime | None = None, crl_url: str = "") -> bytes:
        """A ``.p12`` with a fresh key, its certificate and this CA."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = self.issue(cn, key.public_key(), not_after=not_after, crl_url=crl_url)
        return pkcs12.serialize_key_and_certificates(
            b"signer",
            key,
            cert,
            [self.cert],
            serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption(),
        )


def asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def softhsm_module() -> str:
    """The SoftHSM2 PKCS#11 module; the test fails (never skips) when it is missing."""
    for path in SOFTHSM_MODULES:
        if Path(path).is_file() and shutil.which("softhsm2-util"):
            return path
    pytest.fail(
        "SoftHSM2 (a PKCS#11 token emulator) is not installed; the USB-token signing tests need it. "
        "Install it with: sudo apt-get install -y softhsm2   (or: bash installer/install.sh --dev)"
    )


def make_token(folder: Path, ca: FakeRootCA, cn: str) -> tuple[str, x509.Certificate]:
    """A SoftHSM2 token in ``folder`` with an RSA key generated on the token (it never leaves it), its certificate
    from ``ca`` stored beside it under the same label and ID, and the CA's certificate. Sets SOFTHSM2_CONF for this
    process.

    Returns:
        (module path, signer certificate).
    """
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

    module = softhsm_module()
    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", SO_PIN, "--pin", USER_PIN],
        check=True,
        capture_output=True,
    )
    lib = pkcs11.lib(module)
    token = lib.get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=USER_PIN) as session:
        public, _private = session.generate_keypair(KeyType.RSA, 2048, label=KEY_LABEL, id=b"\x01", store=True)
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"), int.from_bytes(public[Attribute.MODULUS], "big")
        )
        cert = ca.issue(cn, numbers.public_key())
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: KEY_LABEL,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
        # Officers' tokens carry the issuing CA's certificate too: finding "the" certificate must not trip on it.
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: ca.name,
                Attribute.ID: b"\xca",
                Attribute.SUBJECT: ca.cert.subject.public_bytes(),
                Attribute.VALUE: ca.cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return module, cert


@dataclass
class LocalTsa:
    url: str
    requests: list[bytes]


@contextmanager
def local_tsa(ca: FakeRootCA) -> Iterator[LocalTsa]:
    """An RFC 3161 timestamp server on 127.0.0.1 that counts its requests."""
    from pyhanko.sign.timestamps import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = ca.issue("MotCua Test TSA", key.public_key(), tsa=True)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_cert(cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=[asn1_cert(ca.cert)],
    )
    seen: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(body)
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalTsa(f"http://127.0.0.1:{server.server_address[1]}/tsa", seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class CrlServer:
    """Publishes a CA's revocation list over HTTP on 127.0.0.1; ``body`` is what it serves, ``up`` whether it
    answers at all (False: a 503, as when the CA's site cannot be reached), ``hits`` how often it was asked."""

    url: str
    body: bytes = b""
    up: bool = True
    hits: int = 0


@contextmanager
def crl_server() -> Iterator[CrlServer]:
    published = CrlServer("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            published.hits += 1
            if not published.up:
                self.send_error(503)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(published.body)))
            self.end_headers()
            self.wfile.write(published.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    published.url = f"http://127.0.0.1:{server.server_address[1]}/root.crl"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield published
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
