"""Clerk accounts as stored on this workstation (verifiers only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from motcua.domain.accounts import Account, Role
from motcua.domain.errors import NotFoundError, ValidationError
from motcua.i18n import tr
from motcua.store.clock import iso

_COLUMNS = (
    "username, full_name, role, active, password_hash, pin_hash, failed, locked_until, "
    "public_key, sealed_key, revision, signed_by, signature"
)
_SIGNED = ("public_key", "sealed_key", "revision", "signed_by", "signature")


def _account(r: Any) -> Account:
    return Account(r[0], r[1], Role(r[2]), bool(r[3]), r[4], r[5], int(r[6]), r[7], r[8], r[9], int(r[10]), r[11],
                   r[12])  # fmt: skip


def count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM accounts").fetchone()[0])


def add(db: Database, a: Account, now: datetime, dirty: bool = True) -> None:
    if db.execute("SELECT 1 FROM accounts WHERE username = ?", [a.username]).fetchone():
        raise ValidationError(tr("Tên đăng nhập {username} đã có", username=a.username), "username")
    db.execute(
        f"INSERT INTO accounts ({_COLUMNS}, dirty, created_at, updated_at) VALUES ({', '.join(['?'] * 16)})",
        [
            a.username,
            a.full_name,
            a.role.value,
            int(a.active),
            a.password_hash,
            a.pin_hash,
            0,
            "",
            a.public_key,
            a.sealed_key,
            a.revision,
            a.signed_by,
            a.signature,
            int(dirty),
            iso(now),
            iso(now),
        ],
    )


def find(db: Database, username: str) -> Account | None:
    r = db.execute(f"SELECT {_COLUMNS} FROM accounts WHERE username = ?", [username]).fetchone()
    return _account(r) if r else None


def get(db: Database, username: str) -> Account:
    a = find(db, username)
    if a is None:
        raise NotFoundError(tr("Không có tài khoản {username}", username=username))
    return a


def all_accounts(db: Database) -> list[Account]:
    return [_account(r) for r in db.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY username").fetchall()]


def update(db: Database, username: str, now: datetime, **fields: object) -> None:
    allowed = {"full_name", "role", "active", "password_hash", "pin_hash", "failed", "locked_until", "dirty", *_SIGNED}
    assert set(fields) <= allowed, fields
    sets = ", ".join(f"{k} = ?" for k in fields)
    values = [v.value if isinstance(v, Role) else int(v) if isinstance(v, bool) else v for v in fields.values()]
    db.execute(f"UPDATE accounts SET {sets}, updated_at = ? WHERE username = ?", [*values, iso(now), username])


def dirty(db: Database) -> list[Account]:
    """Accounts changed on this workstation that the centre has not taken yet."""
    return [_account(r) for r in db.execute(f"SELECT {_COLUMNS} FROM accounts WHERE dirty = 1").fetchall()]


def taken(db: Database, a: Account) -> None:
    """The centre took (or refused for good) ``a``: clean, unless it changed again here meanwhile (each change
    signs a new revision)."""
    db.execute("UPDATE accounts SET dirty = 0 WHERE username = ? AND revision = ?", [a.username, a.revision])
