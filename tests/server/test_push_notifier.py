"""The long-poll's wait on the change feed: it ends when the sequence passes the client's, or at its timeout."""

from __future__ import annotations

import asyncio

from motcua.server.push import AsyncNotifier
from motcua.services.queue.feed import ChangeFeed


def test_a_wait_ends_only_once_the_sequence_passes_what_the_client_has() -> None:
    feed = ChangeFeed()

    async def main() -> tuple[int, float, int]:
        notifier = AsyncNotifier(feed)
        notifier.attach()
        loop = asyncio.get_running_loop()
        # The client knows sequence 1 already (read from the database another process wrote it to) while this
        # process's feed is still at 0: hearing of 1 now is nothing new for that client.
        waiting = asyncio.ensure_future(notifier.wait(1, 5.0))
        await asyncio.sleep(0.05)
        feed.publish(1)
        await asyncio.sleep(0.1)
        still = not waiting.done()
        started = loop.time()
        feed.publish(2)
        seq = await waiting
        quiet = await notifier.wait(2, 0.2)  # nothing more: the timeout ends it
        notifier.close()
        return seq, loop.time() - started, quiet if still else -1

    seq, took, quiet = asyncio.run(main())
    assert quiet == 2, "the wait ended when it heard of a sequence the client had"
    assert seq == 2 and took < 2.0
