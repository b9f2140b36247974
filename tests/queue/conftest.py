"""Queue fixtures: an all-hours configuration, a centre database, tokens, and a real server on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from queue_helpers import make_config

from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store.db import Store


@pytest.fixture
def centre_store(tmp_path: Path) -> Iterator[Store]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    yield store
    store.close()


@pytest.fixture
def queue(centre_store: Store, clock: object) -> QueueService:
    return QueueService(centre_store, make_config(), clock=clock)  # type: ignore[arg-type]
