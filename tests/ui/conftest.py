"""Queue fixtures for the kiosk, counter panel and display tests: a real centre database and the real service."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.domain.queue_config import QueueConfig, parse_queue_config
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store.db import Store

# HT and DD are open all day; KH keeps office hours on weekdays and is closed on the Sunday tests move to.
QUEUE_TOML = """
centre_id = "TEST"
centre_name = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ THỬ"
[policy]
max_regular_wait_min = 30
regular_every_nth = 3
[[priority_groups]]
code = "elderly"
label = "Người cao tuổi"
[[priority_groups]]
code = "disabled"
label = "Người khuyết tật"
[[priority_groups]]
code = "pregnant"
label = "Phụ nữ mang thai"
[[priority_groups]]
code = "war_invalid"
label = "Thương binh, bệnh binh, người có công"
[[services]]
code = "HT"
name = "Hộ tịch, chứng thực"
prefix = "A"
hours = ["00:00-24:00"]
[[services]]
code = "DD"
name = "Đất đai, xây dựng"
prefix = "B"
hours = ["00:00-24:00"]
[[services]]
code = "KH"
name = "Lĩnh vực khác"
prefix = "C"
hours = ["07:00-11:30", "13:30-17:00"]
weekdays = [1, 2, 3, 4, 5]
[[counters]]
number = 1
services = ["HT", "KH"]
[[counters]]
number = 2
services = ["DD", "KH"]
[[counters]]
number = 3
services = ["KH", "HT", "DD"]
"""


def queue_config() -> QueueConfig:
    return parse_queue_config(tomllib.loads(QUEUE_TOML))


@pytest.fixture
def queue_toml(tmp_path: Path) -> Path:
    path = tmp_path / "queue.toml"
    path.write_text(QUEUE_TOML, encoding="utf-8")
    return path


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Store]:
    store = open_queue_store(tmp_path / "centre-queue.sqlite")
    yield store
    store.close()


@pytest.fixture
def queue_service(centre: Store, clock: object) -> QueueService:
    return QueueService(centre, queue_config(), clock=clock)  # type: ignore[arg-type]


@pytest.fixture
def shot() -> object:
    """Save a widget's picture to /tmp/queue_shots (or $MOTCUA_SCREENSHOTS) for a person to look at."""
    folder = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/queue_shots"))

    def save(widget: object, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(folder / f"{name}.png"))  # type: ignore[attr-defined]

    return save
