"""The push channel: Server-Sent Events that say "changed" with the latest queue sequence number.

A client reads what it shows again when it hears of a newer number. On connecting it is told the current
number at once, so a client that reconnects after a server restart catches up without anything else. Only the
newest number is sent: a slow client gets fewer, later numbers, never a backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from motcua.services.queue.feed import ChangeFeed, Subscription

HEARTBEAT_S = 10.0  # a comment line this often lets both ends notice a dead connection
# After a push, the next waits at least this long: a burst of changes reaches each client as a few pushes, not
# hundreds, while the first change after a quiet spell goes out at once.
MIN_INTERVAL_S = 0.03


class AsyncNotifier:
    """Bridges the thread-side :class:`ChangeFeed` to coroutines on the server's event loop."""

    def __init__(self, feed: ChangeFeed) -> None:
        self._feed = feed
        self.seq = feed.seq
        self.closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._sub: Subscription | None = None

    def attach(self) -> None:
        """Call on the event loop at start-up."""
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        self.seq = self._feed.seq
        self._sub = self._feed.subscribe(self._published)

    def _published(self, seq: int) -> None:  # on a worker thread
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake, seq)

    def _wake(self, seq: int | None) -> None:
        if seq is not None:
            self.seq = max(self.seq, seq)
        event, self._event = self._event, asyncio.Event()
        if event is not None:
            event.set()

    async def wait(self, after: int, timeout: float) -> int:
        """The sequence once it passes ``after``, or after ``timeout`` seconds, whichever comes first.

        A change up to ``after`` does not end the wait: a client may know a sequence this process's feed has not
        heard of yet (written by another process of the centre, motcua.server.db_watch), and answering it then
        would only send it nothing new, at once.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.seq <= after and not self.closed and self._event is not None:
            left = deadline - loop.time()
            if left <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), left)
        return self.seq

    def close(self) -> None:
        """Stop: every waiting stream ends (so that the server can shut down without waiting for them)."""
        self.closed = True
        if self._sub is not None:
            self._sub.close()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake, None)


async def sse_stream(
    notifier: AsyncNotifier, heartbeat_s: float = HEARTBEAT_S, min_interval_s: float = MIN_INTERVAL_S
) -> AsyncIterator[bytes]:
    """``event: changed`` / ``data: {"seq": N}`` at once, then whenever the sequence passes what was last sent
    (at most once per ``min_interval_s``)."""
    yield b"retry: 1000\n\n"
    sent = -1
    while not notifier.closed:
        seq = notifier.seq
        if seq != sent:
            sent = seq
            yield f"id: {seq}\nevent: changed\ndata: {json.dumps({'seq': seq})}\n\n".encode()
            await asyncio.sleep(min_interval_s)
            continue
        if await notifier.wait(sent, heartbeat_s) == sent and not notifier.closed:
            yield b": keep-alive\n\n"
