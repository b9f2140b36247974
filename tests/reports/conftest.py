"""A year of a provincial centre (~300 dossiers and ~400 tickets a working day), built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from motcua.bench.report_history import AGENCY, History, plan_history, write_dossiers, write_ratings, write_tickets
from motcua.store.db import Store

TODAY = date(2026, 12, 1)
CENTRE = AGENCY


@dataclass
class CentreYear:
    history: History
    workstation: Store
    queue: Store
    folder: Path


@pytest.fixture(scope="session")
def centre_year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentreYear]:
    from motcua.services.queue.service import open_queue_store
    from motcua.store.schema import migrate_workstation

    folder = tmp_path_factory.mktemp("centre_year")
    history = plan_history(TODAY)
    workstation = Store(folder / "workstation.sqlite", migrate_workstation)
    with workstation.write() as db:
        write_dossiers(db, history)
    queue = open_queue_store(folder / "centre.sqlite")
    with queue.write() as db:
        write_tickets(db, history, CENTRE)
        write_ratings(db, history, CENTRE)
    yield CentreYear(history, workstation, queue, folder)
    workstation.close()
    queue.close()
