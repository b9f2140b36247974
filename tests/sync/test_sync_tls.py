"""The exchange protocol over https: a client trusts the server through a CA file or a pinned certificate, and
refuses a server it was not told to trust."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sync_chain import self_signed

from motcua.domain.tls_pin import fingerprint
from motcua.server.province import create_province_app
from motcua.server.run import ServerThread, TlsFiles
from motcua.services.sync_setup import province_node
from motcua.store import replica_peers
from motcua.sync.http import Tls
from motcua.sync.upstream import HttpUpstream, LinkDown, Refused


@pytest.fixture
def https_province(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    from datetime import datetime

    node = province_node(str(tmp_path / "province.sqlite"), "H38", tmp_path)
    with node.db.write() as sql:
        credential = replica_peers.add_peer(sql, "000.25.38.H38", "A", [], datetime.now())
    cert, key = self_signed(tmp_path)
    server = ServerThread(create_province_app(node, "H38"), tls=TlsFiles(str(cert), str(key))).start()
    yield server.url, cert, credential
    server.stop()
    node.close()


def test_a_ca_file_or_a_pin_is_trusted_and_nothing_else(https_province: tuple[str, Path, str]) -> None:
    url, cert, credential = https_province
    for tls in (Tls(ca_file=str(cert)), Tls(pin_sha256=fingerprint(cert.read_bytes()))):
        up = HttpUpstream(url, credential, tls=tls, retries=0)
        try:
            assert up.changes(0, 10).dossiers == []
        finally:
            up.close()
    for tls in (Tls(), Tls(pin_sha256="ab" * 32)):  # the system's CAs do not know it; a wrong pin
        up = HttpUpstream(url, credential, tls=tls, retries=0)
        try:
            with pytest.raises(LinkDown, match=r"certificate|CERTIFICATE"):
                up.changes(0, 10)
        finally:
            up.close()
    up = HttpUpstream(url, "wrong-credential", tls=Tls(ca_file=str(cert)), retries=0)
    try:
        with pytest.raises(Refused):
            up.changes(0, 10)
    finally:
        up.close()
