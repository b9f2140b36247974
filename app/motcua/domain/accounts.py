"""Clerk accounts and what each role may do.

Three roles, as a centre is staffed: the clerk at the counter, the supervisor (head of the one-stop unit: the
calendar, other clerks' closed dossiers, parked sync items, conflicts), and the administrator (accounts, the
catalog, settings). A supervisor may do all a clerk may; an administrator all a supervisor may.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from motcua.domain.errors import MotcuaError, ValidationError
from motcua.domain.text import nfc
from motcua.i18n import tr


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return tr({"clerk": "Cán bộ tiếp nhận", "supervisor": "Giám sát", "admin": "Quản trị"}[self.value])

    @property
    def rank(self) -> int:
        return (Role.CLERK, Role.SUPERVISOR, Role.ADMIN).index(self)


class Permission(StrEnum):
    RECEIVE = "receive"  # receive, guide, move one's own or an open dossier along
    EDIT_CLOSED_OF_OTHERS = "edit_closed_of_others"  # a dossier another clerk closed (returned, refused …)
    EDIT_CALENDAR = "edit_calendar"
    RESOLVE_SYNC = "resolve_sync"  # retry parked items, settle conflicts
    MANAGE_ACCOUNTS = "manage_accounts"
    IMPORT_CATALOG = "import_catalog"


_LEAST_ROLE = {
    Permission.RECEIVE: Role.CLERK,
    Permission.EDIT_CLOSED_OF_OTHERS: Role.SUPERVISOR,
    Permission.EDIT_CALENDAR: Role.SUPERVISOR,
    Permission.RESOLVE_SYNC: Role.SUPERVISOR,
    Permission.MANAGE_ACCOUNTS: Role.ADMIN,
    Permission.IMPORT_CATALOG: Role.ADMIN,
}


def allows(role: Role, permission: Permission) -> bool:
    return role.rank >= _LEAST_ROLE[permission].rank


class NotAllowedError(MotcuaError):
    """The signed-in account's role does not allow the action (the message names the role needed)."""


def require(role: Role, permission: Permission) -> None:
    if not allows(role, permission):
        raise NotAllowedError(
            tr(
                "Tài khoản «{role}» không được làm việc này; cần quyền «{needed}».",
                role=role.label,
                needed=_LEAST_ROLE[permission].label,
            )
        )


class AccountRefused(MotcuaError):
    """The centre will not take an account change (not signed by someone who may make it, an older revision than
    the centre's, or not an account at all); the message says why.

    ``unknown_signer``: refused for its signature (HTTP 403), which another change sent in the same round may yet
    make good (the signer's own account, made at this counter too and not at the centre yet).
    """

    def __init__(self, message: str, *, unknown_signer: bool = False) -> None:
        super().__init__(message)
        self.unknown_signer = unknown_signer


class AuthError(MotcuaError):
    """Sign-in refused. The message never says whether the user name or the password was wrong."""


@dataclass(frozen=True, slots=True)
class Account:
    """A clerk's account as stored (the verifiers are Argon2 hashes, never the secrets)."""

    username: str
    full_name: str
    role: Role
    active: bool = True
    password_hash: str = ""
    pin_hash: str = ""
    failed: int = 0  # sign-in failures in a row
    locked_until: str = ""  # "YYYY-MM-DD HH:MM:SS" after too many failures
    # Who may change the account, provably (services/account_keys.py): the public key, the private one sealed
    # with the password, the change's revision (each change counts one up, so an old change cannot be replayed)
    # and who signed it. Empty on an account made before accounts were signed.
    public_key: str = ""
    sealed_key: str = ""
    revision: int = 0
    signed_by: str = ""
    signature: str = ""


@dataclass(frozen=True, slots=True)
class Session:
    """Who is signed in at this workstation: every change, print and status move is recorded under this name."""

    username: str
    full_name: str
    role: Role
    # The account's private key, opened by the password at sign-in: what signs the account changes made in this
    # session. Kept in memory only, and out of every repr and log line.
    signing_key: bytes = field(default=b"", repr=False, compare=False)

    def allows(self, permission: Permission) -> bool:
        return allows(self.role, permission)


_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")
_PIN = re.compile(r"^[0-9]{4,8}$")
MIN_PASSWORD = 8


def check_username(username: str) -> str:
    """Lower-case ASCII, 3–32 characters: typed at any counter, on any keyboard layout."""
    u = username.strip().lower()
    if not _USERNAME.match(u):
        raise ValidationError(
            tr("Tên đăng nhập gồm 3–32 chữ cái không dấu, chữ số, dấu chấm, gạch ngang; bắt đầu bằng chữ cái"),
            "username",
        )
    return u


def check_full_name(name: str) -> str:
    n = " ".join(nfc(name).split())
    if not n or len(n) > 80 or any(unicodedata.category(c).startswith("C") for c in n):
        raise ValidationError(tr("Họ tên cán bộ không được để trống và tối đa 80 ký tự"), "full_name")
    return n


def check_password(password: str, username: str = "") -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(tr("Mật khẩu phải có ít nhất {n} ký tự", n=MIN_PASSWORD), "password")
    if username and password.lower() == username.lower():
        raise ValidationError(tr("Mật khẩu không được trùng tên đăng nhập"), "password")
    return password


def check_pin(pin: str) -> str:
    """The quick unlock after idle time: 4–8 digits (the password still signs in)."""
    if not _PIN.match(pin):
        raise ValidationError(tr("Mã PIN gồm 4–8 chữ số"), "pin")
    return pin
