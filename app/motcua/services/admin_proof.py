"""An administrator's signature on one request to the centre: what lets a counter PC manage the centre's device
tokens over the LAN.

A counter's own token proves only which PC asks, and a stolen one must not enrol a device of the thief's. So a
request that makes or revokes a token also carries, in three headers, the name of the administrator signed in at
that PC and their signature (the account key of services/account_keys.py, opened by their password at sign-in)
over the method, the path, the time and the body. The centre checks it against the accounts it holds (an active
administrator, their key as the centre knows it), refuses a time more than a few minutes off its own clock, and
remembers each signature until then, so a request captured on the wire cannot be sent again.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from motcua.domain.accounts import Account, Role, Session
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.services.account_keys import sign_bytes, verify_bytes

ADMIN = "X-Motcua-Admin"
SIGNED_AT = "X-Motcua-Signed-At"
SIGNATURE = "X-Motcua-Signature"
NONCE = "X-Motcua-Nonce"  # Ed25519 signs the same bytes the same way: two equal requests in one second differ here
MAX_SKEW = timedelta(minutes=5)
_DOMAIN = b"motcua-admin-request-v1\n"
_REMEMBERED = 10_000  # signatures kept against replays (a few minutes' worth of a busy centre, many times over)


class NotAnAdministrator(MotcuaError):
    """The request carries no valid signature of an active administrator the centre knows (HTTP 403)."""


def _signed(method: str, path: str, signed_at: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return _DOMAIN + "\n".join([method.upper(), path, signed_at, nonce, digest]).encode("ascii")


def sign_request(session: Session | None, method: str, path: str, body: bytes, now: datetime) -> dict[str, str]:
    """The headers that prove the signed-in administrator asks this.

    Raises:
        NotAnAdministrator: nobody is signed in here with a key (a command run on the PC, an account whose key did
            not open), so there is nothing to sign with.
    """
    if session is None or not session.signing_key:
        raise NotAnAdministrator(tr("Cần một tài khoản quản trị đăng nhập tại máy này để ký yêu cầu"))
    at = now.astimezone().isoformat(timespec="seconds")
    nonce = secrets.token_hex(16)
    signature = sign_bytes(session.signing_key, _signed(method, path, at, nonce, body))
    return {ADMIN: session.username, SIGNED_AT: at, NONCE: nonce, SIGNATURE: signature}


# (signature, valid until, now) → True the first time that signature is shown, False when it is a replay.
FirstUse = Callable[[str, datetime, datetime], bool]


class SeenInMemory:
    """Signatures seen by this process (a centre of one process that never restarts; tests)."""

    def __init__(self) -> None:
        self._seen: OrderedDict[str, datetime] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, signature: str, valid_until: datetime, now: datetime) -> bool:
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) >= _REMEMBERED):
                self._seen.popitem(last=False)
            if signature in self._seen:
                return False
            self._seen[signature] = valid_until
            return True


class AdminProofs:
    """The centre's check of those headers.

    Args:
        accounts: the accounts the centre holds now (its published accounts document).
        clock: the centre's "now", timezone-aware.
        first_use: remembers the signatures seen (the centre's database: store/admin_signatures.py, which every
            process of the centre and a restarted one share).
    """

    def __init__(
        self,
        accounts: Callable[[], dict[str, Account]],
        clock: Callable[[], datetime],
        first_use: FirstUse | None = None,
    ) -> None:
        self._accounts = accounts
        self._clock = clock
        self._first_use = first_use or SeenInMemory()

    def check(self, headers: Mapping[str, str], method: str, path: str, body: bytes) -> Account:
        """The administrator who signed the request.

        Raises:
            NotAnAdministrator: no signature, an unknown, disabled or non-administrator account, a bad signature,
                a time too far from the centre's, or a signature seen before.
        """
        name, at, signature = headers.get(ADMIN, ""), headers.get(SIGNED_AT, ""), headers.get(SIGNATURE, "")
        nonce = headers.get(NONCE, "")
        refused = NotAnAdministrator(tr("Yêu cầu này cần chữ ký của một tài khoản quản trị đang hoạt động"))
        if not (name and at and signature and nonce) or len(signature) > 200 or len(at) > 40 or len(nonce) > 64:
            raise refused
        admin = self._accounts().get(name)
        if admin is None or not admin.active or admin.role is not Role.ADMIN or not admin.public_key:
            raise refused
        try:  # a time that is no time, or a path that is not ASCII (only a forger's): ValueError
            signed_at = datetime.fromisoformat(at)
            genuine = verify_bytes(admin.public_key, signature, _signed(method, path, at, nonce, body))
        except ValueError:
            raise refused from None
        if not genuine:
            raise refused
        now = self._clock()
        if signed_at.tzinfo is None or abs(now - signed_at) > MAX_SKEW:
            raise NotAnAdministrator(
                tr(
                    "Giờ của máy này lệch quá {minutes} phút so với máy chủ trung tâm: hãy chỉnh lại giờ",
                    minutes=int(MAX_SKEW.total_seconds() // 60),
                )
            )
        if not self._first_use(signature, signed_at + MAX_SKEW, now):
            raise refused  # the same request again: a replay
        return admin
