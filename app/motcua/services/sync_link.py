"""What the windows know of the sync: the link's state, and what waits to go up (without importing the engine).

The composition root (``motcua run``) builds the workstation's runner and hands the windows a :class:`SyncLink`;
the counter window shows :class:`LinkState` in its status bar, and a save calls ``wake()`` so the change leaves at
once when the link is up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class LinkState:
    """The link to the node above.

    Attributes:
        upstream: where changes go ("local" for the centre inside this app; "" when nothing is configured).
        online: the last round reached it (None: not tried yet).
        last_success: when a round last finished.
        last_error: why the last round failed ("" when it did not).
        next_try_in: seconds until the next try (while down).
    """

    upstream: str
    online: bool | None
    last_success: datetime | None
    last_error: str
    next_try_in: float


class SyncLink(Protocol):
    def state(self) -> LinkState: ...

    def wake(self) -> None: ...

    def close(self) -> None: ...
