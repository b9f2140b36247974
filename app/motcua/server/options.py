"""What ``motcua server`` checks before anything is served (the role, the certificate files, TLS on a LAN address),
kept apart from :mod:`motcua.server.run` so that building the command's parser does not load FastAPI and uvicorn."""

from __future__ import annotations

import ipaddress
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

ROLES = ("center", "province")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise MotcuaError(tr("Vai trò máy chủ không hợp lệ: {role}", role=role))


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """The server's certificate and key (PEM): ``--tls-cert`` / ``--tls-key``."""

    cert: str = ""
    key: str = ""

    def __post_init__(self) -> None:
        if bool(self.cert) != bool(self.key):
            raise MotcuaError(tr("Cần cả --tls-cert và --tls-key"))
        for f in (self.cert, self.key):
            if f and not Path(f).is_file():
                raise MotcuaError(tr("Không tìm thấy tệp {file}", file=f))

    @property
    def scheme(self) -> str:
        return "https" if self.cert else "http"


def loopback_only(host: str) -> bool:
    """Whether binding ``host`` serves this PC only (no other machine can connect)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


def check_transport(host: str, tls: TlsFiles | None, insecure_lan: bool) -> None:
    """Refuse to serve the network in clear unless told to: every request carries a device's bearer token, which
    anyone on the LAN could read and reuse."""
    if loopback_only(host) or (tls is not None and tls.cert) or insecure_lan:
        return
    raise MotcuaError(
        tr(
            "Không khởi động máy chủ trên địa chỉ mạng {host} mà không có TLS: mã truy cập của các thiết bị sẽ đi qua "
            "mạng nội bộ ở dạng không mã hóa. Hãy dùng --tls self-signed (hoặc --tls-cert và --tls-key); nếu vẫn "
            "chấp nhận rủi ro này, thêm --insecure-lan.",
            host=host or "0.0.0.0",
        )
    )


LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


def log_to_stderr() -> None:
    """Log on standard error at ``MOTCUA_LOG``'s level (info or debug makes the server say what its sync does;
    WARNING when unset). Each process of a server (motcua.server.workers) calls it: they share the environment."""
    logging.basicConfig(
        level=os.environ.get("MOTCUA_LOG", "WARNING").upper(),
        format=LOG_FORMAT,
        force=True,  # something imported earlier may have configured the root logger already
    )
