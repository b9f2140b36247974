"""Signing in and managing clerk accounts.

Passwords and PINs are kept as Argon2id verifiers (argon2-cffi's defaults, rehashed when they change); five wrong
passwords in a row lock an account for a few minutes, and a refusal never says which of the two was wrong. Every
account change and every sign-in is audited under the name of whoever made it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from motcua.domain.accounts import (
    Account,
    AuthError,
    Permission,
    Role,
    Session,
    check_full_name,
    check_password,
    check_pin,
    check_username,
    require,
)
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.store import accounts as repo
from motcua.store import audit
from motcua.store.clock import from_iso, iso

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=5)
_HASHER = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """Checked against when the user name is unknown, so that a wrong name takes as long as a wrong password
    (made on first use: hashing costs a tenth of a second, which every `motcua` command would pay at import)."""
    return _HASHER.hash("motcua-no-such-user")


def _verify(verifier: str, secret: str) -> bool:
    try:
        return bool(verifier) and _HASHER.verify(verifier, secret)
    except (VerificationError, InvalidHashError):
        return False


class AccountService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- who may do what ----------------------------------------------------------------------------------
    def _require(self, permission: Permission) -> None:
        require(self.ctx.role, permission)

    def _audit(self, action: str, username: str, **detail: object) -> None:
        with self.ctx.store.write() as db:
            audit.record(
                db, actor=self.ctx.clerk, station_id=self.ctx.station_id, action=action, entity=f"user:{username}",
                at=self.ctx.clock(), **detail,
            )  # fmt: skip

    # -- accounts ---------------------------------------------------------------------------------------
    def needs_first_admin(self) -> bool:
        """No account yet: the first one to be made is the administrator (on the app's first start)."""
        return repo.count(self.ctx.store.read()) == 0

    def accounts(self) -> list[Account]:
        return repo.all_accounts(self.ctx.store.read())

    def add(self, username: str, full_name: str, role: Role, password: str, pin: str = "") -> Account:
        """Make an account (an administrator's act; the very first account must be an administrator)."""
        first = self.needs_first_admin()
        if first and role is not Role.ADMIN:
            raise ValidationError(tr("Tài khoản đầu tiên phải là tài khoản quản trị"), "role")
        if not first:
            self._require(Permission.MANAGE_ACCOUNTS)
        user = check_username(username)
        account = Account(
            user,
            check_full_name(full_name),
            role,
            password_hash=_HASHER.hash(check_password(password, user)),
            pin_hash=_HASHER.hash(check_pin(pin)) if pin else "",
        )
        with self.ctx.store.write() as db:
            repo.add(db, account, self.ctx.clock())
            audit.record(
                db, actor=self.ctx.clerk if not first else account.full_name, station_id=self.ctx.station_id,
                action="account_add", entity=f"user:{user}", at=self.ctx.clock(), role=role.value,
            )  # fmt: skip
        return account

    def disable(self, username: str) -> None:
        self._require(Permission.MANAGE_ACCOUNTS)
        a = repo.get(self.ctx.store.read(), check_username(username))
        if self.ctx.session is not None and self.ctx.session.username == a.username:
            raise ValidationError(tr("Không thể tự khóa tài khoản đang đăng nhập"), "username")
        admins = [x for x in self.accounts() if x.active and x.role is Role.ADMIN]
        if a.role is Role.ADMIN and a.active and len(admins) == 1:
            raise ValidationError(tr("Phải còn ít nhất một tài khoản quản trị đang hoạt động"), "username")
        with self.ctx.store.write() as db:
            repo.update(db, a.username, self.ctx.clock(), active=False, dirty=True)
        self._audit("account_disable", a.username)

    def enable(self, username: str) -> None:
        self._require(Permission.MANAGE_ACCOUNTS)
        a = repo.get(self.ctx.store.read(), check_username(username))
        with self.ctx.store.write() as db:
            repo.update(db, a.username, self.ctx.clock(), active=True, failed=0, locked_until="", dirty=True)
        self._audit("account_enable", a.username)

    def set_password(self, username: str, password: str) -> None:
        """A clerk changes their own password; an administrator anyone's (and lifts a lockout)."""
        user = check_username(username)
        own = self.ctx.session is not None and self.ctx.session.username == user
        if not own:
            self._require(Permission.MANAGE_ACCOUNTS)
        repo.get(self.ctx.store.read(), user)
        verifier = _HASHER.hash(check_password(password, user))
        with self.ctx.store.write() as db:
            repo.update(db, user, self.ctx.clock(), password_hash=verifier, failed=0, locked_until="", dirty=True)
        self._audit("account_password", user)

    def set_pin(self, username: str, pin: str) -> None:
        user = check_username(username)
        own = self.ctx.session is not None and self.ctx.session.username == user
        if not own:
            self._require(Permission.MANAGE_ACCOUNTS)
        verifier = _HASHER.hash(check_pin(pin))
        with self.ctx.store.write() as db:
            repo.update(db, user, self.ctx.clock(), pin_hash=verifier, dirty=True)
        self._audit("account_pin", user)

    # -- signing in -------------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> Session:
        """Check the password and open a session on this workstation's context.

        Raises:
            AuthError: unknown name, wrong password, disabled or locked account — said the same way, except for a
                lockout, which says when to try again.
        """
        now = self.ctx.clock()
        try:
            user = check_username(username)
        except ValidationError:
            user = ""
        a = repo.find(self.ctx.store.read(), user) if user else None
        if a is None:
            _verify(_dummy(), password)
            self._failed(user or username[:40], None)
            raise AuthError(tr("Tên đăng nhập hoặc mật khẩu không đúng"))
        locked = from_iso(a.locked_until) if a.locked_until else None
        if locked is not None and locked > now:
            raise AuthError(
                tr("Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau {time}", time=locked.strftime("%H:%M"))
            )
        if not _verify(a.password_hash, password) or not a.active:
            self._failed(a.username, a)
            raise AuthError(tr("Tên đăng nhập hoặc mật khẩu không đúng"))
        with self.ctx.store.write() as db:
            fields: dict[str, object] = {"failed": 0, "locked_until": ""}
            if _HASHER.check_needs_rehash(a.password_hash):
                fields["password_hash"] = _HASHER.hash(password)
            repo.update(db, a.username, now, **fields)
        session = Session(a.username, a.full_name, a.role)
        self.ctx.session = session
        self._audit("sign_in", a.username)
        return session

    def _failed(self, username: str, a: Account | None) -> None:
        now = self.ctx.clock()
        with self.ctx.store.write() as db:
            if a is not None:
                failed = a.failed + 1
                locked = iso(now + LOCK_FOR) if failed >= MAX_FAILURES else ""
                repo.update(db, a.username, now, failed=0 if locked else failed, locked_until=locked or "")
            audit.record(
                db, actor=username, station_id=self.ctx.station_id, action="sign_in_failed",
                entity=f"user:{username}", at=now,
            )  # fmt: skip

    def unlock(self, secret: str) -> bool:
        """After idle time: the signed-in clerk's PIN (or password) lets them back in; anything else does not."""
        s = self.ctx.session
        if s is None:
            return False
        a = repo.find(self.ctx.store.read(), s.username)
        if a is None or not a.active:
            return False
        ok = (bool(a.pin_hash) and _verify(a.pin_hash, secret)) or _verify(a.password_hash, secret)
        if not ok:
            self._failed(a.username, a)
            if repo.get(self.ctx.store.read(), a.username).locked_until:
                self.sign_out()  # too many tries: the full sign-in is needed
        return ok

    def administrator_by_pin(self, pin: str) -> str | None:
        """The active administrator whose PIN this is (a kiosk or display board is left only that way), else None.

        Every try is audited under the PC's name; the caller slows repeated wrong tries down (there is no account
        to lock when the PIN matches none).
        """
        admins = [
            a for a in repo.all_accounts(self.ctx.store.read()) if a.active and a.role is Role.ADMIN and a.pin_hash
        ]
        who = next((a.username for a in admins if _verify(a.pin_hash, pin)), None) if pin.isdigit() else None
        with self.ctx.store.write() as db:
            audit.record(
                db, actor=who or "?", station_id=self.ctx.station_id,
                action="lockdown_left" if who else "lockdown_pin_failed", entity="device", at=self.ctx.clock(),
            )  # fmt: skip
        return who

    def any_administrator_pin(self) -> bool:
        """Some active administrator of this PC has a PIN (else nobody can leave a locked kiosk from its screen)."""
        return any(a.active and a.role is Role.ADMIN and a.pin_hash for a in repo.all_accounts(self.ctx.store.read()))

    def sign_out(self) -> None:
        s = self.ctx.session
        if s is not None:
            self._audit("sign_out", s.username)
        self.ctx.session = None

    def session_is(self, username: str) -> bool:
        return self.ctx.session is not None and self.ctx.session.username == username

    def refreshed(self, s: Session) -> Session:
        """The session with the account's current name and role (an administrator may have changed them)."""
        a = repo.get(self.ctx.store.read(), s.username)
        return replace(s, full_name=a.full_name, role=a.role)


# -- accounts travel from the centre to every counter ---------------------------------------------------------
class _AccountDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=32)
    full_name: str = Field(max_length=80)
    role: Role
    active: bool
    password_hash: str = Field(max_length=200)
    pin_hash: str = Field(default="", max_length=200)


class _AccountsDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=1)
    accounts: list[_AccountDoc] = Field(max_length=5000)


def accounts_document(accounts: list[Account]) -> str:
    """What the centre publishes to its counters: every account with its verifiers (so that any clerk can sign in
    at any counter, offline too), never a secret."""
    doc = _AccountsDoc(version=1, accounts=[_doc(a) for a in sorted(accounts, key=lambda a: a.username)])
    return doc.model_dump_json()


def _doc(a: Account) -> _AccountDoc:
    return _AccountDoc(username=a.username, full_name=a.full_name, role=a.role, active=a.active,
                       password_hash=a.password_hash, pin_hash=a.pin_hash)  # fmt: skip


def _checked(d: _AccountDoc, problem: str) -> Account:
    """The account a document holds, its verifiers Argon2 ones (else ``problem``, the caller's words)."""
    if not d.password_hash.startswith("$argon2"):
        raise ValidationError(problem)
    return Account(check_username(d.username), check_full_name(d.full_name), d.role, d.active, d.password_hash,
                   d.pin_hash)  # fmt: skip


def parse_accounts_document(body: str) -> list[Account]:
    """The accounts of a published document, checked (raises ValidationError naming the problem)."""
    try:
        doc = _AccountsDoc.model_validate_json(body)
    except PydanticValidationError as exc:
        raise ValidationError(tr("Danh sách tài khoản nhận về không hợp lệ: {error}", error=str(exc)[:300])) from None
    return [
        _checked(a, tr("Danh sách tài khoản nhận về không hợp lệ: {error}", error=a.username)) for a in doc.accounts
    ]


def parse_account(body: str) -> Account:
    """One account as a counter sent it to the centre, checked."""
    try:
        return _checked(_AccountDoc.model_validate_json(body), tr("Tài khoản gửi lên không hợp lệ"))
    except PydanticValidationError:
        raise ValidationError(tr("Tài khoản gửi lên không hợp lệ")) from None


def adopt_accounts(ctx: AppContext, body: str) -> int:
    """Make this counter's accounts those the centre published (all or nothing). An account the centre no longer
    lists is disabled here, not deleted: what it did keeps a name. Returns how many accounts changed."""
    wanted = {a.username: a for a in parse_accounts_document(body)}
    now = ctx.clock()
    changed = 0
    with ctx.store.write() as db:
        have = {a.username: a for a in repo.all_accounts(db)}
        mine = {a.username for a in repo.dirty(db)}  # changed here and not yet at the centre: ours wins for now
        for name, a in wanted.items():
            old = have.get(name)
            if name in mine:
                continue
            if old is None:
                repo.add(db, a, now, dirty=False)
                changed += 1
            elif (old.full_name, old.role, old.active, old.password_hash, old.pin_hash) != (
                a.full_name,
                a.role,
                a.active,
                a.password_hash,
                a.pin_hash,
            ):
                repo.update(db, name, now, full_name=a.full_name, role=a.role, active=a.active,
                            password_hash=a.password_hash, pin_hash=a.pin_hash)  # fmt: skip
                changed += 1
        for name, old in have.items():
            if name not in wanted and old.active and name not in mine:
                repo.update(db, name, now, active=False)
                changed += 1
    s = ctx.session
    if s is not None and s.username in wanted and not wanted[s.username].active:
        ctx.session = None  # disabled at the centre: signed out here too
    return changed


def merge_account(published: str | None, incoming: Account) -> str:
    """The centre's accounts document with one account as a counter sent it (the last change wins)."""
    accounts = {a.username: a for a in parse_accounts_document(published)} if published else {}
    accounts[incoming.username] = incoming
    return accounts_document(list(accounts.values()))


def account_json(a: Account) -> str:
    return _doc(a).model_dump_json()


def push_changed_accounts(ctx: AppContext, put: Callable[[str, str], object]) -> int:
    """Send the centre every account changed here (``put(username, json)``); each one taken is marked clean."""
    sent = 0
    for a in repo.dirty(ctx.store.read()):
        put(a.username, account_json(a))
        with ctx.store.write() as db:
            repo.taken(db, a)
        sent += 1
    return sent
