"""The centre's device accounts (kiosk, display, rating pad, counter PC): an administrator's screen over the same
tokens ``motcua queue token add|list|revoke`` manages (:mod:`motcua.store.device_tokens`).

A token is shown once, when it is made, with what the technician types on the device (the centre's address and
the SHA-256 fingerprint of its TLS certificate); only its SHA-256 is kept. Every add and revoke is audited in
this workstation's log under the signed-in administrator, never with the token.

The tokens live in the centre database: this works where that database is in this process (a one-PC centre, the
centre server's own PC). Elsewhere (the queue reached over HTTP) :attr:`DeviceAccounts.available` is False and
every call says where devices are managed.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

from sqlite_utils import Database

from motcua.domain.accounts import Permission, require
from motcua.domain.device_health import MAX_DEVICE
from motcua.domain.errors import MotcuaError, ValidationError
from motcua.domain.tls_pin import centre_tls_paths, fingerprint
from motcua.i18n import tr
from motcua.services.admin_proof import sign_request
from motcua.services.context import AppContext
from motcua.services.queue.api import QueueApi
from motcua.services.queue.service import QueueService
from motcua.store import audit, device_tokens
from motcua.store.clock import from_iso
from motcua.store.db import Store

# The roles a token may carry, in the order the screen offers them (the CLI's --role choices).
ROLES = ("counter", "kiosk", "display", "rating", "admin")
BOUND_ROLES = device_tokens.BOUND_ROLES  # must name their counter (a rating pad)
COUNTER_ROLES = ("counter", "rating")  # may name one (a counter PC bound to its counter)
MAX_COUNTER = 999  # as motcua.cli.queue.MAX_COUNTER: counters are numbered on the board and in the voice
DEFAULT_PORT = 8765  # as motcua.server.__main__.DEFAULT_PORT
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def role_label(role: str) -> str:
    """A token's role as the administrator reads it."""
    labels = {
        "kiosk": tr("Ki-ốt lấy số"),
        "display": tr("Màn hình hiển thị"),
        "rating": tr("Máy đánh giá"),
        "counter": tr("Máy quầy"),
        "admin": tr("Quản trị (toàn quyền)"),
    }
    return labels.get(role, role)


def check_device_name(name: str) -> str:
    """Letters without accents, digits, ``.``, ``_``, ``-``; at most :data:`MAX_DEVICE`: typed in the device's
    settings and written in the logs (a counter PC's name is its ``[counter] station_id``, e.g. ``Q02``)."""
    n = name.strip()
    if not n or len(n) > MAX_DEVICE or not _NAME.match(n):
        raise ValidationError(
            tr(
                "Tên thiết bị gồm 1–{max} chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang; "
                "bắt đầu bằng chữ cái hoặc chữ số (ví dụ Q02, KIOSK-1)",
                max=MAX_DEVICE,
            ),
            "name",
        )
    return n


def enrol(db: Database, name: str, role: str, counter: int | None, now: datetime) -> tuple[str, str]:
    """Check a new device's name, role and counter and make its token, inside the caller's write transaction on the
    centre database: the app's dialog and ``motcua queue token add`` both come here.

    Returns:
        The device's name as stored, and its token (shown once).

    Raises:
        ValidationError: a bad name, role or counter, or a device that already has a token in use.
    """
    device = check_device_name(name)
    if role not in ROLES:
        raise ValidationError(tr("Loại thiết bị không hợp lệ: {role}", role=role), "role")
    if counter is not None and role not in COUNTER_ROLES:
        raise ValidationError(tr("Chỉ máy quầy và máy đánh giá mới gắn với một quầy"), "counter")
    if counter is not None and not 1 <= counter <= MAX_COUNTER:
        raise ValidationError(
            tr("Số quầy phải từ 1 đến {max}, không phải {value}", max=MAX_COUNTER, value=counter), "counter"
        )
    if role in BOUND_ROLES and counter is None:
        raise ValidationError(tr("Máy đánh giá phải gắn với một quầy: chọn số quầy"), "counter")
    if any(d.device == device for d, _c, revoked in device_tokens.list_devices(db) if revoked is None):
        raise ValidationError(
            tr("Thiết bị {device} đã có mã đang dùng: thu hồi mã đó trước, hoặc chọn tên khác", device=device),
            "name",
        )
    return device, device_tokens.add_token(db, device, role, now, counter)


def centre_fingerprint(centre: Store) -> str:
    """The SHA-256 of the certificate ``motcua server --tls self-signed`` made in the centre's data folder, ""
    when there is none."""
    cert, _key = centre_tls_paths(centre.path.parent)
    try:
        return fingerprint(cert.read_bytes()) if cert.is_file() else ""
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        return ""


@runtime_checkable
class RemoteDevices(Protocol):
    """The centre server's device-token routes, as a counter PC's queue client reaches them."""

    base_url: str

    def device_admin(
        self, method: str, path: str, body: Any, sign: Callable[[str, str, bytes], dict[str, str]]
    ) -> Any: ...


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """One device as the list shows it (its token is never kept, so never shown again)."""

    name: str
    role: str
    counter: int | None
    created: datetime | None
    revoked: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked is None


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A new token and what the technician types on the device; shown once.

    Attributes:
        centre_url: the centre server's address, "" when not known here.
        centre_url_guessed: True when ``centre_url`` is this PC's name with the default port (check it).
        fingerprint: the centre certificate's SHA-256 (hex), "" when this centre has no certificate of its own.
    """

    name: str
    role: str
    counter: int | None
    token: str
    centre_url: str = ""
    centre_url_guessed: bool = False
    fingerprint: str = ""

    def settings_text(self) -> str:
        """The lines to put in the device's ``kiosk_config`` files (as the README's "Several counters")."""
        url = self.centre_url or "https://CENTRE:8765"
        lines = ["# kiosk_config/queue.toml", "[client]", f'server_url = "{url}"', f'token = "{self.token}"']
        lines += ["", "# kiosk_config/centre.toml"]
        if self.role in COUNTER_ROLES:
            lines += ["[counter]", f'station_id = "{self.name}"']
            if self.counter is not None:
                lines.append(f"counter_number = {self.counter}")
        if self.fingerprint:
            lines += ["[sync]", f'centre_tls_pin_sha256 = "{self.fingerprint}"']
        return "\n".join(lines)


class DeviceAccounts:
    """List, add and revoke the centre's device tokens (an administrator's act).

    Args:
        ctx: the workstation (who is signed in, its audit log, its clock).
        centre: the centre database, or None when the queue is remote (then nothing here works; the screen says so).
        centre_url: the address devices reach the centre at, when known.
    """

    def __init__(
        self, ctx: AppContext, centre: Store | None, centre_url: str = "", remote: RemoteDevices | None = None
    ) -> None:
        self.ctx = ctx
        self.centre = centre
        self._centre_url = centre_url
        self.remote = remote

    @classmethod
    def for_queue(cls, ctx: AppContext, queue: QueueApi | None) -> DeviceAccounts:
        """The devices of the centre whose queue this window has: its database when the queue runs in this
        process, the centre server's ``/devices`` routes when it is reached over HTTP."""
        if isinstance(queue, QueueService):
            return cls(ctx, queue.store)
        client: object = queue  # the HTTP queue client is also the centre's device-token routes
        if isinstance(client, RemoteDevices):
            return cls(ctx, None, client.base_url, remote=client)
        return cls(ctx, None)

    @property
    def available(self) -> bool:
        return self.centre is not None or self.remote is not None

    @staticmethod
    def remote_message() -> str:
        return tr(
            "Máy này làm việc với máy chủ trung tâm qua mạng: thiết bị và mã truy cập được quản lý trên máy chủ "
            "trung tâm (mở phần mềm tại đó, hoặc dùng lệnh «motcua queue token» trên máy chủ)."
        )

    def _centre(self) -> Store:
        require(self.ctx.role, Permission.MANAGE_ACCOUNTS)
        if self.centre is None:
            raise MotcuaError(self.remote_message())
        return self.centre

    def _ask(self, remote: RemoteDevices, method: str, path: str, body: Any = None) -> Any:
        """The centre server, asked with this PC's token and the signed-in administrator's signature."""
        require(self.ctx.role, Permission.MANAGE_ACCOUNTS)
        session = self.ctx.session

        def sign(m: str, p: str, data: bytes) -> dict[str, str]:
            # The wall clock, not the context's: the centre compares it with its own.
            return sign_request(session, m, p, data, datetime.now().astimezone())

        return remote.device_admin(method, path, body, sign)

    # -- reading ---------------------------------------------------------------------------------------------
    def devices(self) -> list[DeviceRow]:
        if self.remote is not None:
            answer = self._ask(self.remote, "GET", "/devices")
            return [
                DeviceRow(d["name"], d["role"], d["counter"], from_iso(d["created"]),
                          from_iso(d["revoked"]) if d["revoked"] else None)
                for d in answer["devices"]
            ]  # fmt: skip
        rows = device_tokens.list_devices(self._centre().read())
        return [DeviceRow(d.device, d.role, d.counter, from_iso(c), from_iso(r) if r else None) for d, c, r in rows]

    def fingerprint(self) -> str:
        """The centre certificate's fingerprint, "" when there is none."""
        return centre_fingerprint(self.centre) if self.centre is not None else ""

    # -- changing --------------------------------------------------------------------------------------------
    def add(self, name: str, role: str, counter: int | None = None) -> Enrolment:
        """Make a token for a new device (or one whose token was revoked) and return it with its enrolment.

        Raises:
            NotAllowedError: the signed-in account is not an administrator.
            ValidationError: a bad name, role or counter, or a device that already has a token in use.
        """
        if self.remote is not None:
            check_device_name(name)  # said here, before the network
            e = self._ask(self.remote, "POST", "/devices", {"name": name, "role": role, "counter": counter})
            self._audit("device_token_add", e["name"], role=role, counter=counter, centre=self.remote.base_url)
            return Enrolment(e["name"], role, counter, e["token"], self.remote.base_url, False, e["fingerprint"])
        centre = self._centre()
        with centre.write() as db:
            device, token = enrol(db, name, role, counter, self.ctx.clock())
        self._audit("device_token_add", device, role=role, counter=counter)
        url, guessed = self._url()
        return Enrolment(device, role, counter, token, url, guessed, self.fingerprint())

    def revoke(self, name: str) -> None:
        """Revoke a device's token: the centre refuses it within seconds (its lookups are cached a few seconds)."""
        if self.remote is not None:
            self._ask(self.remote, "DELETE", f"/devices/{quote(name, safe='')}")
            self._audit("device_token_revoke", name, centre=self.remote.base_url)
            return
        centre = self._centre()
        with centre.write() as db:
            if not device_tokens.revoke(db, name, self.ctx.clock()):
                raise ValidationError(tr("Không có thiết bị {device} đang dùng mã", device=name), "name")
        self._audit("device_token_revoke", name)

    def _audit(self, action: str, device: str, **detail: object) -> None:
        with self.ctx.store.write() as db:
            audit.record(
                db, actor=self.ctx.clerk, station_id=self.ctx.station_id, action=action, entity=f"device:{device}",
                at=self.ctx.clock(), **detail,
            )  # fmt: skip

    def _url(self) -> tuple[str, bool]:
        if self._centre_url:
            return self._centre_url, False
        if self.fingerprint():  # a centre serving the LAN with its own certificate: this PC, on its usual port
            return f"https://{socket.gethostname()}:{DEFAULT_PORT}", True
        return "", False
