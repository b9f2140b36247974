"""The node above in this very process: a one-PC centre's workstation syncing with the centre it runs itself.

Same contract as :class:`motcua.sync.upstream.HttpUpstream`, without HTTP: the workstation's engine calls the
centre's :class:`~motcua.services.sync_node.SyncNode` directly, as the peer its credential would name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from motcua.services import audit_trail
from motcua.services.account_relay import take_account
from motcua.services.sync_node import SyncNode
from motcua.store.replica import Peer
from motcua.store.replica_docs import OffsetMismatch
from motcua.sync.upstream import ChangesPage, Closeable, OffsetConflict


class LocalUpstream:
    """``node`` as seen by ``peer``."""

    def __init__(self, node: SyncNode, peer: Peer) -> None:
        self.node = node
        self.peer = peer
        self.label = "local"

    def listen(self, on_change: Callable[[], None]) -> Closeable:
        return self.node.feed.subscribe(lambda _seq: on_change())

    def push(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        return [o.to_json() for o in self.node.push(texts, self.peer)]

    def push_audit(self, entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [o.to_json() for o in audit_trail.push(self.node, entries, self.peer)]

    def put_account(self, username: str, body: str) -> None:
        # This very process is the centre: a command run on its PC acts as its administrator, signed or not.
        take_account(self.node, username, body, trusted=True)

    def known(self, keys: Sequence[str]) -> set[str]:
        return set(self.node.known(keys))

    def upload_state(self, sha: str) -> tuple[int, bool]:
        s = self.node.upload_state(sha)
        return s.received, s.complete

    def upload_states(self, shas: Sequence[str]) -> dict[str, tuple[int, bool]]:
        return {sha: self.upload_state(sha) for sha in shas}

    def upload_chunk(self, sha: str, offset: int, total: int, chunk: bytes) -> tuple[int, bool]:
        try:
            s = self.node.put_chunk(sha, offset, total, chunk, self.peer)
        except OffsetMismatch as exc:
            raise OffsetConflict(exc.received) from None
        return s.received, s.complete

    def download(self, sha: str, offset: int, length: int) -> tuple[bytes, int]:
        return self.node.read_document(sha, offset, length)

    def changes(self, after: int, limit: int) -> ChangesPage:
        page = self.node.changes(self.peer.holder, after, limit)
        return ChangesPage(page.cursor, page.more, page.dossiers)

    def catalog(self, etag: str | None) -> tuple[str, str] | None:
        found = self.node.catalog()
        if found is None or found[0] == etag:
            return None
        return found

    def published(self, name: str, etag: str | None) -> tuple[str, str] | None:
        found = self.node.published(name)
        if found is None or found[0] == etag:
            return None
        return found

    def health(self) -> bool:
        return True

    def close(self) -> None:
        pass
