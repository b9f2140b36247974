"""Signing in and managing clerk accounts.

Passwords and PINs are kept as Argon2id verifiers (argon2-cffi's defaults, rehashed when they change); five wrong
passwords in a row lock an account for a few minutes, and a refusal never says which of the two was wrong. Every
account change and every sign-in is audited under the name of whoever made it.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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
from motcua.services.account_docs import published_fields
from motcua.services.account_keys import new_key, public_of, seal, sign, unseal
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


def verify_secret(verifier: str, secret: str) -> bool:
    """``secret`` matches the Argon2 ``verifier`` (False for a malformed one)."""
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
        pair = new_key()
        account = Account(
            user,
            check_full_name(full_name),
            role,
            password_hash=_HASHER.hash(check_password(password, user)),
            pin_hash=_HASHER.hash(check_pin(pin)) if pin else "",
            public_key=pair.public_key,
            sealed_key=seal(pair.private_key, password, user),
        )
        # The very first administrator vouches for itself: a centre takes that only while it has no account at all.
        account = self._signed(account, signer=(user, pair.private_key) if first else None)
        with self.ctx.store.write() as db:
            repo.add(db, account, self.ctx.clock())
            audit.record(
                db, actor=self.ctx.clerk if not first else account.full_name, station_id=self.ctx.station_id,
                action="account_add", entity=f"user:{user}", at=self.ctx.clock(), role=role.value,
            )  # fmt: skip
        return account

    def _signed(self, a: Account, signer: tuple[str, bytes] | None = None, **fields: object) -> Account:
        """``a`` with ``fields`` changed, as its next revision, signed by ``signer`` (name, private key) or else by
        whoever is signed in here. Nobody signed in (a command run on the PC): the change stays unsigned, and a
        centre takes it only when this PC is the centre itself."""
        s = self.ctx.session
        if signer is None and s is not None and s.signing_key:
            signer = (s.username, s.signing_key)
        changed = replace(a, **fields)  # type: ignore[arg-type]  # field names and types: the callers' own
        changed = replace(changed, revision=a.revision + 1, signed_by=signer[0] if signer else "", signature="")
        return replace(changed, signature=sign(changed, signer[1])) if signer else changed

    def _save(self, a: Account, **local: object) -> None:
        """Keep the signed change here, to be sent to the centre."""
        with self.ctx.store.write() as db:
            repo.update(db, a.username, self.ctx.clock(), **published_fields(a), **local, dirty=True)

    def disable(self, username: str) -> None:
        self._require(Permission.MANAGE_ACCOUNTS)
        a = repo.get(self.ctx.store.read(), check_username(username))
        if self.ctx.session is not None and self.ctx.session.username == a.username:
            raise ValidationError(tr("Không thể tự khóa tài khoản đang đăng nhập"), "username")
        admins = [x for x in self.accounts() if x.active and x.role is Role.ADMIN]
        if a.role is Role.ADMIN and a.active and len(admins) == 1:
            raise ValidationError(tr("Phải còn ít nhất một tài khoản quản trị đang hoạt động"), "username")
        self._save(self._signed(a, active=False))
        self._audit("account_disable", a.username)

    def enable(self, username: str) -> None:
        self._require(Permission.MANAGE_ACCOUNTS)
        a = repo.get(self.ctx.store.read(), check_username(username))
        self._save(self._signed(a, active=True), failed=0, locked_until="")
        self._audit("account_enable", a.username)

    def set_password(self, username: str, password: str) -> None:
        """A clerk changes their own password; an administrator anyone's (and lifts a lockout)."""
        user = check_username(username)
        own = self.ctx.session is not None and self.ctx.session.username == user
        if not own:
            self._require(Permission.MANAGE_ACCOUNTS)
        a = repo.get(self.ctx.store.read(), user)
        verifier = _HASHER.hash(check_password(password, user))
        session = self.ctx.session
        # One's own password: the same key, sealed with the new password. Another's (an administrator's reset):
        # their old key stays sealed with a password nobody here knows, so they get a new one, which the
        # administrator's signature vouches for.
        own_key = session.signing_key if own and session is not None else b""
        key = own_key or new_key().private_key
        changed = self._signed(
            a, password_hash=verifier, public_key=public_of(key), sealed_key=seal(key, password, user)
        )
        self._save(changed, failed=0, locked_until="")
        if own and session is not None and session.signing_key != key:
            self.ctx.session = replace(session, signing_key=key)
        self._audit("account_password", user)

    def set_pin(self, username: str, pin: str) -> None:
        user = check_username(username)
        own = self.ctx.session is not None and self.ctx.session.username == user
        if not own:
            self._require(Permission.MANAGE_ACCOUNTS)
        verifier = _HASHER.hash(check_pin(pin))
        self._save(self._signed(repo.get(self.ctx.store.read(), user), pin_hash=verifier))
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
            verify_secret(_dummy(), password)
            self._failed(user or username[:40], None)
            raise AuthError(tr("Tên đăng nhập hoặc mật khẩu không đúng"))
        locked = from_iso(a.locked_until) if a.locked_until else None
        if locked is not None and locked > now:
            raise AuthError(
                tr("Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau {time}", time=locked.strftime("%H:%M"))
            )
        if not verify_secret(a.password_hash, password) or not a.active:
            self._failed(a.username, a)
            raise AuthError(tr("Tên đăng nhập hoặc mật khẩu không đúng"))
        with self.ctx.store.write() as db:
            fields: dict[str, object] = {"failed": 0, "locked_until": ""}
            if _HASHER.check_needs_rehash(a.password_hash):
                fields["password_hash"] = _HASHER.hash(password)
            repo.update(db, a.username, now, **fields)
        session = Session(a.username, a.full_name, a.role, signing_key=self._open_key(a, password))
        self.ctx.session = session
        self._audit("sign_in", a.username)
        return session

    def _open_key(self, a: Account, password: str) -> bytes:
        """The account's private key, opened by the password just checked. An account made before accounts were
        signed (or whose sealed key does not open) gets a new key here, which it introduces to the centre itself,
        with its password as the proof (held in memory only until the centre has taken it)."""
        key = unseal(a.sealed_key, password, a.username) if a.sealed_key else None
        if key is not None and public_of(key) == a.public_key:
            return key
        key = new_key().private_key
        introduced = self._signed(
            a, signer=(a.username, key), public_key=public_of(key), sealed_key=seal(key, password, a.username)
        )
        self._save(introduced)
        self.ctx.account_proofs.setdefault(a.username, password)
        self._audit("account_key_made", a.username)
        return key

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
        ok = (bool(a.pin_hash) and verify_secret(a.pin_hash, secret)) or verify_secret(a.password_hash, secret)
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
        who = next((a.username for a in admins if verify_secret(a.pin_hash, pin)), None) if pin.isdigit() else None
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
