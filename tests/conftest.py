"""Shared fixtures: real SQLite files in tmp folders, a fixed clock, fake hardware, offscreen Qt."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MOTCUA_LANG", "vi")
# Tables made from public data (the address converter's, 8 s to build): one cache for the session and the commands
# the tests run, as one PC's runs share theirs.
os.environ.setdefault("MOTCUA_CACHE_DIR", str(Path(tempfile.gettempdir()) / "motcua-test-cache"))

REPO = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


# As in the app (motcua.ui.gc_guard): cycles are collected on the main thread only, between tests, never by a
# worker thread that happens to allocate while a window from an earlier test waits in a cycle.
gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_main_thread() -> Iterator[None]:
    yield
    from motcua.collector import collect_due

    collect_due()


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    from motcua.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = datetime.fromisoformat(text)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 30))  # a Monday


@pytest.fixture
def ctx(tmp_path: Path, clock: FixedClock) -> Iterator[object]:
    """A workstation with the sample catalog, an embedded centre and a fake printer."""
    from motcua.config import Settings
    from motcua.devices.printer import FakePrinter
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context

    context = open_context(Settings(), tmp_path / "data", clock=clock, printer=FakePrinter())
    CatalogService(context).ensure_sample()
    yield context
    context.close()
