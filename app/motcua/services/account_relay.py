"""The centre's side of accounts: it keeps the accounts document its counters adopt, and takes each account a
counter changed, when the person who signed the change may make it.

Who may make a change is judged on the accounts as the centre already holds them, never on what the change itself
says: an active administrator (by the key the centre holds for them) may change any account; anyone may change
their own password and PIN with their own key, but not their name, role or state; an account the centre holds
without a key (made before accounts were signed) introduces one with its password as the proof; and the very first
administrator vouches for itself only while the centre has no account at all. Each change carries a revision
above the centre's, so an old signed change replayed is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from motcua.domain.accounts import Account, Role
from motcua.domain.errors import MotcuaError, ValidationError
from motcua.i18n import tr
from motcua.services.account_docs import (
    ACCOUNTS,
    SIGNED_ACCOUNTS,
    accounts_document,
    legacy_document,
    parse_accounts_document,
    parse_sent,
)
from motcua.services.account_keys import verify
from motcua.services.accounts import verify_secret
from motcua.services.sync_node import SyncNode

log = logging.getLogger(__name__)


class NotAuthorised(MotcuaError):
    """The change is not signed by someone the centre knows may make it (HTTP 403)."""


class Outdated(MotcuaError):
    """The centre holds a later revision of the account than the change (HTTP 409): an old change replayed, or
    two counters changing one account at once (the second gives way)."""


@dataclass(frozen=True, slots=True)
class Taken:
    etag: str
    applied: bool  # False: an unsigned change from a counter of an older version, answered but not taken
    reason: str = ""


def held_accounts(node: SyncNode) -> dict[str, Account]:
    """The accounts as the centre holds them now (its published document)."""
    found = node.published(SIGNED_ACCOUNTS) or node.published(ACCOUNTS)  # the first format: before the upgrade
    return {a.username: a for a in parse_accounts_document(found[1])} if found else {}


def check_change(held: dict[str, Account], sent: Account, proof: str) -> None:
    """Raises NotAuthorised or Outdated unless ``sent`` may replace what the centre holds (``held``)."""
    refused = NotAuthorised(
        tr("Thay đổi tài khoản {username} không có chữ ký hợp lệ của người được phép", username=sent.username)
    )
    old = held.get(sent.username)
    if old is not None and sent.revision <= old.revision:
        raise Outdated(tr("Máy chủ đã có thay đổi mới hơn của tài khoản {username}", username=sent.username))
    signer = sent.signed_by
    if not signer or not sent.signature:
        raise refused
    if signer != sent.username:
        by = held.get(signer)
        if by is None or not by.active or by.role is not Role.ADMIN or not by.public_key:
            raise refused
        if not verify(sent, by.public_key):
            raise refused
        return
    # One's own account: signed with one's own key.
    if old is None:
        if held or sent.role is not Role.ADMIN or not verify(sent, sent.public_key):
            raise refused  # only the very first administrator of an empty centre vouches for itself
        return
    if (sent.full_name, sent.role, sent.active) != (old.full_name, old.role, old.active) or not old.active:
        raise refused
    if sent.public_key == old.public_key and old.public_key:
        if not verify(sent, old.public_key):
            raise refused
        return
    # A new key for an account the centre holds (without a key, or whose sealed key no longer opened): the
    # password the centre knows proves it is the account's owner.
    if not verify(sent, sent.public_key) or not (proof and verify_secret(old.password_hash, proof)):
        raise refused


def take_account(node: SyncNode, username: str, body: str, *, trusted: bool = False) -> Taken:
    """Merge one account into the published documents and publish them again.

    Args:
        trusted: the change comes from this very process (a one-PC centre's own counter), not over the network:
            an unsigned change made by a command on that PC is taken as the PC's administrator's.

    Raises:
        ValidationError: not an account (HTTP 422). NotAuthorised, Outdated: see there.
    """
    sent, proof = parse_sent(body)
    if sent.username != username:
        raise ValidationError(tr("Tài khoản gửi lên không khớp tên {username}", username=username))
    if not sent.signature and not trusted:
        # A counter of an older version sends unsigned accounts. Refusing them with an error would stop its whole
        # sync round; answered but not taken, its change is undone there by the next accounts document instead.
        log.warning("unsigned account change for %s not taken", username)
        found = node.published(SIGNED_ACCOUNTS)
        return Taken(found[0] if found else "", False, tr("Thay đổi tài khoản chưa được ký: cần cập nhật phần mềm"))
    held = held_accounts(node)
    if not trusted:
        check_change(held, sent, proof)
    accounts = list({**held, sent.username: replace(sent, failed=0, locked_until="")}.values())
    node.publish(ACCOUNTS, legacy_document(accounts))
    return Taken(node.publish(SIGNED_ACCOUNTS, accounts_document(accounts)), True)
