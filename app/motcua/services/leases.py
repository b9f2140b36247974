"""Where a workstation gets its blocks of dossier numbers: the centre (embedded or, later, over HTTP)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from motcua.store import code_blocks
from motcua.store.db import Store


class LeaseSource(Protocol):
    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        """Allocate a disjoint range of sequence numbers; raise OSError/ConnectionError when unreachable."""
        ...


class EmbeddedCentreLeases:
    """The centre database on this PC (a one-PC centre, the default)."""

    def __init__(self, centre_store: Store) -> None:
        self._store = centre_store

    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        with self._store.write() as db:
            return code_blocks.lease_from_centre(db, agency_id, day, station_id, size, now)


class UnreachableCentre:
    """A centre that cannot be reached (offline tests and a workstation whose link is down)."""

    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        raise ConnectionError("centre unreachable")
