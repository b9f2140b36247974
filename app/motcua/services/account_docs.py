"""Accounts travel between the counters and their centre.

The centre publishes every account with its verifiers (so that any clerk signs in at any counter, offline too) and
its keys (the public one, and the private one sealed with the password), never a secret. It publishes it twice:
``accounts-signed`` in today's format, and ``accounts`` in the first format (no keys, no signatures), which counters
of an older version still read while a centre is upgraded one counter at a time.

A counter sends up each account changed there, signed by whoever changed it (services/account_keys.py); the centre
decides whether that person may (services/account_relay.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from motcua.domain.accounts import Account, AccountRefused, Role, check_full_name, check_username
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.store import accounts as repo
from motcua.store import audit

log = logging.getLogger(__name__)

ACCOUNTS = "accounts"  # the first format, for counters of an older version
SIGNED_ACCOUNTS = "accounts-signed"
_PUBLISHED = ("full_name", "role", "active", "password_hash", "pin_hash")
_SIGNED = ("public_key", "sealed_key", "revision", "signed_by", "signature")


class _LegacyAccount(BaseModel):
    """An account in the first format (counters before signed accounts refuse any other field)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=32)
    full_name: str = Field(max_length=80)
    role: Role
    active: bool
    password_hash: str = Field(max_length=200)
    pin_hash: str = Field(default="", max_length=200)


class _Account(_LegacyAccount):
    """An account as published and as sent up: the first format's fields, its keys and its signed revision (each
    empty on an account sent by a counter of an older version)."""

    public_key: str = Field(default="", max_length=64)
    sealed_key: str = Field(default="", max_length=200)
    revision: int = Field(default=0, ge=0, le=2**31)
    signed_by: str = Field(default="", max_length=32)
    signature: str = Field(default="", max_length=100)


class _Sent(_Account):
    # The password, sent once when a counter introduces the key of an account the centre knows without one
    # (made before accounts were signed): the centre checks it against the verifier it holds, and keeps nothing.
    password_proof: str = Field(default="", max_length=1024)


class _LegacyDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=1)
    accounts: list[_LegacyAccount] = Field(max_length=5000)


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2)
    accounts: list[_Account] = Field(max_length=5000)


def _model(a: Account) -> _Account:
    return _Account(
        username=a.username, full_name=a.full_name, role=a.role, active=a.active, password_hash=a.password_hash,
        pin_hash=a.pin_hash, public_key=a.public_key, sealed_key=a.sealed_key, revision=a.revision,
        signed_by=a.signed_by, signature=a.signature,
    )  # fmt: skip


def accounts_document(accounts: list[Account]) -> str:
    """What the centre publishes as ``accounts-signed``: every account with its verifiers and keys."""
    return _Doc(version=2, accounts=[_model(a) for a in sorted(accounts, key=lambda a: a.username)]).model_dump_json()


def legacy_document(accounts: list[Account]) -> str:
    """The same accounts in the first format (``accounts``), for counters of an older version."""
    rows = [_LegacyAccount(**_model(a).model_dump(include=set(_LegacyAccount.model_fields))) for a in accounts]
    return _LegacyDoc(version=1, accounts=sorted(rows, key=lambda r: r.username)).model_dump_json()


def _checked(d: _Account, problem: str) -> Account:
    """The account a document holds, its verifiers Argon2 ones (else ``problem``, the caller's words)."""
    if not d.password_hash.startswith("$argon2"):
        raise ValidationError(problem)
    return Account(
        check_username(d.username), check_full_name(d.full_name), d.role, d.active, d.password_hash, d.pin_hash,
        public_key=d.public_key, sealed_key=d.sealed_key, revision=d.revision, signed_by=d.signed_by,
        signature=d.signature,
    )  # fmt: skip


def _parse(body: str) -> tuple[int, list[Account]]:
    try:
        doc = _Doc.model_validate_json(body)
    except PydanticValidationError as exc:
        raise ValidationError(tr("Danh sách tài khoản nhận về không hợp lệ: {error}", error=str(exc)[:300])) from None
    return doc.version, [
        _checked(a, tr("Danh sách tài khoản nhận về không hợp lệ: {error}", error=a.username)) for a in doc.accounts
    ]


def parse_accounts_document(body: str) -> list[Account]:
    """The accounts of a published document, either format, checked (raises ValidationError naming the problem)."""
    return _parse(body)[1]


def parse_sent(body: str) -> tuple[Account, str]:
    """One account as a counter sent it to the centre, checked, and the password proof it carries (or "")."""
    try:
        sent = _Sent.model_validate_json(body)
    except PydanticValidationError:
        raise ValidationError(tr("Tài khoản gửi lên không hợp lệ")) from None
    return _checked(sent, tr("Tài khoản gửi lên không hợp lệ")), sent.password_proof


def account_json(a: Account, password_proof: str = "") -> str:
    return _Sent(**_model(a).model_dump(), password_proof=password_proof).model_dump_json()


def published_fields(a: Account) -> dict[str, object]:
    """What travels of an account (each PC keeps its sign-in failures and lockout to itself)."""
    return {n: getattr(a, n) for n in _PUBLISHED + _SIGNED}


def _fields(a: Account, names: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(getattr(a, n) for n in names)


def adopt_accounts(ctx: AppContext, body: str) -> int:
    """Make this counter's accounts those the centre published (all or nothing; either format: a document in the
    first format leaves the keys held here as they are). An account the centre no longer lists is disabled here,
    not deleted: what it did keeps a name. Returns how many accounts changed."""
    version, docs = _parse(body)
    names = _PUBLISHED + (_SIGNED if version >= 2 else ())
    wanted = {a.username: a for a in docs}
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
            elif _fields(old, names) != _fields(a, names):
                repo.update(db, name, now, **{n: getattr(a, n) for n in names})
                changed += 1
        for name, old in have.items():
            if name not in wanted and old.active and name not in mine:
                repo.update(db, name, now, active=False)
                changed += 1
    s = ctx.session
    if s is not None and s.username in wanted and s.username not in mine:
        now_held, before = wanted[s.username], have.get(s.username)
        # Disabled at the centre, or its password set anew elsewhere (an administrator's reset, which also gives
        # the account a new key): signed out here too, the new password needed.
        if not now_held.active or (before is not None and before.password_hash != now_held.password_hash):
            ctx.session = None
    return changed


def push_changed_accounts(ctx: AppContext, put: Callable[[str, str], object]) -> tuple[int, int]:
    """Send the centre every account changed here (``put(username, json)``); each one taken is marked clean.
    Returns (taken, refused).

    A change the centre refuses for good is given up here and audited (the caller then fetches the centre's
    version again). One refused for its signer is tried again after the others, while any of them is taken: its
    signer's own account may be among them (an administrator made here, who then changed another account).
    """
    pending = repo.dirty(ctx.store.read())
    given_up: list[tuple[Account, AccountRefused]] = []
    taken = 0
    while pending:
        refused: list[tuple[Account, AccountRefused]] = []
        for a in pending:
            proof = ctx.account_proofs.get(a.username, "") if a.signed_by == a.username else ""
            try:
                put(a.username, account_json(a, proof))
            except AccountRefused as exc:
                refused.append((a, exc))
                continue
            ctx.account_proofs.pop(a.username, None)
            with ctx.store.write() as db:
                repo.taken(db, a)
            taken += 1
        progress = len(refused) < len(pending)
        given_up += [(a, why) for a, why in refused if not (why.unknown_signer and progress)]
        pending = [a for a, why in refused if why.unknown_signer and progress]
    for a, why in given_up:
        log.warning("account change refused by the centre: %s", a.username)
        with ctx.store.write() as db:
            repo.taken(db, a)
            audit.record(
                db, actor=a.signed_by or "?", station_id=ctx.station_id, action="account_change_refused",
                entity=f"user:{a.username}", at=ctx.clock(), reason=str(why)[:200],
            )  # fmt: skip
    return taken, len(given_up)
