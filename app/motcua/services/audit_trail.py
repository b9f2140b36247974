"""The audit log's use cases on a sync node: take entries pushed from below, and check every chain held.

The chain itself is :mod:`motcua.domain.audit_chain`; where entries are kept, :mod:`motcua.store.audit_chain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from motcua.domain.audit_chain import Problem
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.services.sync_node import SyncNode
from motcua.store import audit_chain
from motcua.store.audit_chain import AuditOutcome
from motcua.store.replica import Peer
from motcua.store.sql import Database

MAX_AUDIT_BATCH = 1000


def push(node: SyncNode, entries: Sequence[object], peer: Peer) -> list[AuditOutcome]:
    """Entries pushed by ``peer``, in order; each gets its own answer (a batch is not all or nothing)."""
    if len(entries) > MAX_AUDIT_BATCH:
        raise ValidationError(tr("Mỗi lần gửi tối đa {n} mục nhật ký", n=MAX_AUDIT_BATCH), "entries")
    with node.db.write() as sql:
        out = audit_chain.accept(sql, entries, peer, node.clock())
    if any(o.result == "stored" for o in out):
        for hook in node.on_push:  # the uplink takes them further up at once
            hook()
    return out


@dataclass(frozen=True, slots=True)
class Verification:
    origins: int
    entries: int
    problems: list[Problem]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(db: Database) -> Verification:
    """Walk every chain this node holds (a workstation's own log, or a centre's / the province's)."""
    with db.read() as sql:
        origins, count, problems = audit_chain.verify(sql)
    return Verification(origins, count, problems)
