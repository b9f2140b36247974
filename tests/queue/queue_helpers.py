"""Queue test helpers: an all-hours configuration, device tokens, waiting, and the tickets as stored.

A module of its own (not conftest.py) so that test files can import it by a name no other folder uses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.domain.queue_config import QueueConfig, parse_queue_config
from motcua.store import device_tokens
from motcua.store.db import Store

CONFIG_TOML = """
centre_id = "TEST"
centre_name = "TRUNG TÂM THỬ"
[policy]
max_regular_wait_min = 30
regular_every_nth = 3
[[priority_groups]]
code = "elderly"
label = "Người cao tuổi"
[[services]]
code = "HT"
name = "Hộ tịch"
prefix = "A"
hours = ["00:00-24:00"]
[[services]]
code = "DD"
name = "Đất đai"
prefix = "B"
hours = ["00:00-24:00"]
[[services]]
code = "KH"
name = "Khác"
prefix = "C"
hours = ["07:00-11:30", "13:30-17:00"]
weekdays = [1, 2, 3, 4, 5]
"""


def make_config(counters: int = 3) -> QueueConfig:
    import tomllib

    raw = tomllib.loads(CONFIG_TOML)
    raw["counters"] = [
        {"number": n, "services": ["HT", "DD"] if n % 2 else ["DD", "HT"]} for n in range(1, counters + 1)
    ]
    return parse_queue_config(raw)


def write_config(path: Path, counters: int) -> Path:
    lines = [CONFIG_TOML]
    for n in range(1, counters + 1):
        order = '["HT", "DD"]' if n % 2 else '["DD", "HT"]'
        lines.append(f"[[counters]]\nnumber = {n}\nservices = {order}\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def add_tokens(store: Store, kiosks: int = 1, counters: int = 1, displays: int = 1) -> dict[str, str]:
    with store.write() as db:
        return device_tokens.add_fleet(db, datetime.now(), kiosks, counters, displays)


def wait_until(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    """Whether ``predicate()`` came true within ``timeout`` seconds (asked every 20 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def stored_tickets(db: Path, columns: str) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM queue_tickets`` of the centre database ``db`` (opened and closed here)."""
    from motcua.services.queue.service import open_queue_store

    store = open_queue_store(db)
    try:
        return [tuple(r) for r in store.read().execute(f"SELECT {columns} FROM queue_tickets").fetchall()]
    finally:
        store.close()


def services_with_gaps(numbered: Iterable[tuple[str, int]]) -> list[str]:
    """The services whose (service, number) pairs are not 1, 2, 3, … each once: a gap or a repeat."""
    by_service: dict[str, list[int]] = {}
    for service, number in numbered:
        by_service.setdefault(service, []).append(number)
    return sorted(s for s, numbers in by_service.items() if sorted(numbers) != list(range(1, len(numbers) + 1)))
