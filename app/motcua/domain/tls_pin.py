"""A certificate's pin, as devices hold it (``tls_pin_sha256``), and where a centre keeps its own certificate.

Pure functions shared by the layers that meet a certificate: the server that makes it (motcua.server.tls_cert),
the HTTP client that checks a pin (motcua.sync.http) and the administrator's enrolment screen
(motcua.services.device_accounts).
"""

from __future__ import annotations

import hashlib
import ssl
from pathlib import Path

CERT_FILE = "centre-tls-cert.pem"
KEY_FILE = "centre-tls-key.pem"
FOLDER = "tls"

_BEGIN, _END = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"


def centre_tls_paths(data_dir: Path) -> tuple[Path, Path]:
    """The certificate and key of ``motcua server --tls self-signed`` in a centre's data folder."""
    folder = data_dir / FOLDER
    return folder / CERT_FILE, folder / KEY_FILE


def fingerprint(pem_or_der: bytes) -> str:
    """SHA-256 fingerprint of a certificate file's first certificate, hex lower case (what a pin takes).

    Raises:
        ValueError: PEM text that holds no whole certificate.
    """
    der = pem_or_der
    if _BEGIN in pem_or_der:
        block = pem_or_der.split(_BEGIN, 1)[1].split(_END, 1)[0]
        der = ssl.PEM_cert_to_DER_cert((_BEGIN + block + _END).decode("ascii"))
    return hashlib.sha256(der).hexdigest()
