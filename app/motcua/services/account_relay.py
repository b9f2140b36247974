"""The centre's side of accounts: it keeps the accounts document its counters adopt, and takes each account a
counter changed (an administrator's work, or a clerk's own password), the last change winning."""

from __future__ import annotations

from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.services.accounts import merge_account, parse_account
from motcua.services.sync_node import SyncNode

ACCOUNTS = "accounts"


def take_account(node: SyncNode, username: str, body: str) -> str:
    """Merge one account into the published document and publish it again; returns the new ETag."""
    sent = parse_account(body)
    if sent.username != username:
        raise ValidationError(tr("Tài khoản gửi lên không khớp tên {username}", username=username))
    found = node.published(ACCOUNTS)
    return node.publish(ACCOUNTS, merge_account(found[1] if found else None, sent))
