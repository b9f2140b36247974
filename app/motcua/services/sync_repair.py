"""The sync repairs a supervisor makes: parked outbox items (refused for good, with their reason) put back in line,
and conflicts settled with a note.

Conflicts are kept by the centre's sync node. On a one-PC centre it runs in this process and is used directly; on
a centre with a LAN the supervisor's PC reaches it through the centre server
(:class:`motcua.sync.conflicts_client.HttpConflictDesk`, ``/api/v1/sync/conflicts``). Both are a
:class:`ConflictDesk`; the signed-in person's permission is checked here either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from motcua.domain.accounts import Permission, require
from motcua.domain.errors import ValidationError
from motcua.domain.sync_conflicts import ConflictItem, check_note
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.store import outbox
from motcua.store.outbox import OutboxItem


class ConflictDesk(Protocol):
    """Where the centre's conflicts are listed and settled: its :class:`~motcua.services.sync_node.SyncNode` in
    this process, or the centre server over HTTP. Failures are :class:`~motcua.domain.errors.MotcuaError` with a
    sentence for the supervisor (the centre unreachable, already settled by someone else …)."""

    def conflicts(self) -> Sequence[ConflictItem]:
        """The conflicts not settled yet, oldest first."""
        ...

    def settle(self, key: str, actor: str, note: str) -> object:
        """Record that ``actor`` (the signed-in supervisor's name) settled conflict ``key`` with ``note``; the same
        note again does nothing more."""
        ...


class SyncRepair:
    """Args:
    ctx: the workstation (its outbox, the signed-in person).
    desk: the centre's conflicts: its sync node when it runs in this process (``QueueHandle.sync_node`` on a
        one-PC centre), the centre server's (``HttpConflictDesk``) on a supervisor's PC of a larger centre, else
        None: conflicts are then settled at the centre.
    """

    def __init__(self, ctx: AppContext, desk: ConflictDesk | None = None) -> None:
        self.ctx = ctx
        self.desk = desk

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
        """The unsettled conflicts; None where this PC cannot reach them."""
        return None if self.desk is None else list(self.desk.conflicts())

    def settle(self, key: str, note: str) -> None:
        require(self.ctx.role, Permission.RESOLVE_SYNC)
        if self.desk is None:
            raise ValidationError(tr("Xung đột được xử lý tại máy chủ trung tâm"))
        self.desk.settle(key, self.ctx.clerk, check_note(note))
