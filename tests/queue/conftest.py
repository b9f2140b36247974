"""Queue fixtures: an all-hours configuration, a centre database, tokens, and a real server on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from motcua.domain.queue_config import QueueConfig, parse_queue_config
from motcua.services.queue import QueueService, open_queue_store
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
    out: dict[str, str] = {}
    with store.write() as db:
        now = datetime.now()
        for i in range(1, kiosks + 1):
            out[f"K{i}"] = device_tokens.add_token(db, f"K{i}", "kiosk", now)
        for n in range(1, counters + 1):
            out[f"C{n}"] = device_tokens.add_token(db, f"C{n}", "counter", now, n)
        for i in range(1, displays + 1):
            out[f"D{i}"] = device_tokens.add_token(db, f"D{i}", "display", now)
    return out


@pytest.fixture
def centre_store(tmp_path: Path) -> Iterator[Store]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    yield store
    store.close()


@pytest.fixture
def queue(centre_store: Store, clock: object) -> QueueService:
    return QueueService(centre_store, make_config(), clock=clock)  # type: ignore[arg-type]
