"""Where a workstation gets its blocks of dossier numbers: the centre (embedded or, later, over HTTP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from motcua.domain.codes import check_agency_id
from motcua.domain.errors import MotcuaError, ValidationError
from motcua.i18n import tr
from motcua.store import code_blocks
from motcua.store.db import Store


class LeaseSource(Protocol):
    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        """Allocate a disjoint range of sequence numbers; raise OSError/ConnectionError when unreachable."""
        ...


@dataclass(frozen=True, slots=True)
class LeasePolicy:
    """What a centre agrees to lease.

    Attributes:
        agencies: the agency ids whose dossier codes this centre numbers (empty: any well-formed id, for a
            one-PC centre that only serves itself).
        max_block: the most numbers one request gets (asked for more, it gets this many).
        max_per_station_day: the most numbers one workstation may hold for one agency and day: a runaway or
            hostile client cannot take the day's whole range (9,999 numbers) from the other counters.
    """

    agencies: frozenset[str] = frozenset()
    max_block: int = 500
    max_per_station_day: int = 2000


class EmbeddedCentreLeases:
    """The centre database on this PC (a one-PC centre), and the centre server's own lease book."""

    def __init__(self, centre_store: Store, policy: LeasePolicy | None = None) -> None:
        self._store = centre_store
        self.policy = policy or LeasePolicy()

    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        agency = check_agency_id(agency_id)
        p = self.policy
        if p.agencies and agency not in p.agencies:
            raise ValidationError(
                tr("Trung tâm này không cấp số hồ sơ cho đơn vị {agency}", agency=agency), "agency_id"
            )
        if not station_id.strip() or len(station_id) > 64:
            raise ValidationError(tr("Mã máy trạm không hợp lệ"), "station_id")
        if size < 1:
            raise ValidationError(tr("Số lượng số hồ sơ xin cấp phải từ 1 trở lên"), "size")
        with self._store.write() as db:
            held = code_blocks.leased_to(db, agency, day, station_id)
            room = p.max_per_station_day - held
            if room <= 0:
                raise LeaseLimitError(
                    tr(
                        "Máy trạm {station} đã giữ {n} số hồ sơ cho ngày {day}; không cấp thêm",
                        station=station_id,
                        n=held,
                        day=day.strftime("%d/%m/%Y"),
                    )
                )
            return code_blocks.lease_from_centre(db, agency, day, station_id, min(size, p.max_block, room), now)


class LeaseLimitError(MotcuaError):
    """A workstation asked for more dossier numbers than a centre lets one workstation hold."""


class UnreachableCentre:
    """A centre that cannot be reached (offline tests and a workstation whose link is down)."""

    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        raise ConnectionError("centre unreachable")
