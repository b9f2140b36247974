"""Days off and working days the government announces each year (swaps for Tết and National Day), which the
statutory calendar (the ``holidays`` package) may lack.

Three sources, later ones winning for a day they both name: the list shipped with the app
(``resources/calendar/announcements.json``), the list the province publishes through the sync (``motcua province
calendar publish FILE``: every centre and counter adopts it, like the catalog), and the centre's own overrides
(settings, then ``motcua calendar off|work``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.paths import resource_path
from motcua.store import replica_peers
from motcua.store.db import Store
from motcua.store.sql import SqliteSql

PUBLISHED_NAME = "calendar"


class AnnouncedDay(BaseModel):
    day: date
    kind: Literal["off", "work"]
    label: str = Field("", max_length=200)


class Announcements(BaseModel):
    format: Literal["motcua-calendar"]
    version: Literal[1]
    source: str = ""
    days: list[AnnouncedDay] = Field(max_length=2000)


def parse_announcements(text: str) -> list[AnnouncedDay]:
    """Validate a calendar file; a bad one names its problems and nothing of it is used."""
    try:
        data = Announcements.model_validate_json(text)
    except PydanticError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)[:5]
        )
        raise ValidationError(tr("Tệp lịch không hợp lệ: {problems}", problems=problems), "calendar") from None
    days = [d.day for d in data.days]
    if len(days) != len(set(days)):
        raise ValidationError(tr("Tệp lịch nêu một ngày hai lần"), "calendar")
    return data.days


def shipped() -> list[AnnouncedDay]:
    return parse_announcements(resource_path("calendar", "announcements.json").read_text(encoding="utf-8"))


def announced(store: Store) -> dict[date, AnnouncedDay]:
    """The announced days in force here: the shipped list, then the province's (which wins for a day it names)."""
    days = {d.day: d for d in shipped()}
    found = replica_peers.published(SqliteSql(store.read()), PUBLISHED_NAME)
    if found is not None:
        days.update({d.day: d for d in parse_announcements(found[1])})
    return days


def adopt_published(store: Store, body: str) -> int:
    """Keep a calendar published upstream (validated first: all or nothing); returns how many days it names."""
    days = parse_announcements(body)
    with store.write() as db:
        replica_peers.publish(SqliteSql(db), PUBLISHED_NAME, body, datetime.now().replace(microsecond=0))
    return len(days)
