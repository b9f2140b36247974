"""The sync repairs a supervisor makes: parked outbox items (refused for good, with their reason) put back in line,
and conflicts settled with a note (where this process holds the centre's sync node: a one-PC centre).
"""

from __future__ import annotations

from collections.abc import Sequence

from motcua.domain.accounts import Permission, require
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.services.sync_node import ConflictItem, SyncNode
from motcua.store import outbox
from motcua.store.outbox import OutboxItem


class SyncRepair:
    """Args:
    ctx: the workstation (its outbox).
    node: the centre's sync node when it runs in this process (``QueueHandle.sync_node`` on a one-PC centre),
        else None: conflicts are then settled at the centre.
    """

    def __init__(self, ctx: AppContext, node: SyncNode | None = None) -> None:
        self.ctx = ctx
        self.node = node

    def parked(self) -> list[OutboxItem]:
        return outbox.parked_items(self.ctx.store.read())

    def retry(self, keys: Sequence[str]) -> int:
        """Put these parked items (all when ``keys`` is empty) back in line; how many."""
        require(self.ctx.role, Permission.RESOLVE_SYNC)
        with self.ctx.store.write() as db:
            n = outbox.retry_parked(db, keys)
        self.ctx.changed()  # the sync sends them now rather than at its next round
        return n

    def conflicts(self) -> list[ConflictItem] | None:
        return None if self.node is None else self.node.conflicts()

    def settle(self, key: str, note: str) -> None:
        require(self.ctx.role, Permission.RESOLVE_SYNC)
        if self.node is None:
            raise ValidationError(tr("Xung đột được xử lý tại máy chủ trung tâm"))
        self.node.settle(key, self.ctx.clerk, note)
