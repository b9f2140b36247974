"""A centre's own TLS certificate (``motcua server --tls self-signed``): made once in its data folder, reused after.

A centre has no public name a CA would sign, and its devices do not need one: each device is told the
certificate's SHA-256 fingerprint when it is enrolled (``tls_pin_sha256``) and trusts exactly that certificate,
the same pinning the centre itself uses towards the province (:class:`motcua.sync.http.Tls`). The certificate is
therefore long-lived: replacing it means re-enrolling every device.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from pathlib import Path

from motcua.domain.errors import MotcuaError
from motcua.domain.tls_pin import centre_tls_paths, fingerprint
from motcua.i18n import tr

VALID_DAYS = 20 * 365  # pinned, not CA-checked: an expiry would only force a re-enrolment of every device


def paths(data_dir: Path) -> tuple[Path, Path]:
    return centre_tls_paths(data_dir)


def ensure_self_signed(data_dir: Path, host: str = "") -> tuple[Path, Path, bool]:
    """The certificate and key files in ``data_dir/tls``, made when missing; returns (cert, key, made now)."""
    cert, key = paths(data_dir)
    if cert.is_file() and key.is_file():
        return cert, key, False
    if cert.exists() or key.exists():
        # Half a pair: making a new one would silently change the pin every device holds.
        raise MotcuaError(
            tr(
                "Thiếu một nửa cặp chứng thư/khóa trong {folder}; hãy khôi phục hoặc xóa cả hai",
                folder=str(cert.parent),
            )
        )
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        raise MotcuaError(tr("Cần gói cryptography để tạo chứng thư tự ký")) from None

    private = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    hostname = socket.gethostname()
    if hostname and hostname != "localhost":
        names.append(x509.DNSName(hostname))
    try:
        if host and not ipaddress.ip_address(host).is_unspecified and not ipaddress.ip_address(host).is_loopback:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        names.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"MotCua Desk centre {hostname}"[:64])])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.parent.mkdir(parents=True, exist_ok=True)
    key_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # The key is written readable by its owner only, before it holds anything, and both files by rename, so a
    # crash leaves either no pair or a whole one.
    tmp_key, tmp_cert = key.with_suffix(".tmp"), cert.with_suffix(".tmp")
    fd = os.open(tmp_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_pem)
    tmp_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp_key, key)
    os.replace(tmp_cert, cert)
    return cert, key, True


def sha256_of(cert: Path) -> str:
    """The certificate's SHA-256 fingerprint, as devices take it in ``tls_pin_sha256`` (hex, lower case)."""
    return fingerprint(cert.read_bytes())


def spaced(hex_digest: str) -> str:
    """``AB:CD:…`` for reading aloud or comparing by eye."""
    upper = hex_digest.upper()
    return ":".join(upper[i : i + 2] for i in range(0, len(upper), 2))
