"""The government's announced swaps: shipped with the app, published by the province, adopted by every counter."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from motcua.cli.sync_link import WorkstationSync
from motcua.config import Settings, SyncSettings
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import ProcessingTime, TimeUnit
from motcua.server.local_upstream import LocalUpstream
from motcua.server.uplink import centre_engine
from motcua.services.calendar_announcements import parse_announcements
from motcua.services.context import open_context
from motcua.services.sync_setup import centre_node, province_node
from motcua.store.db import Store
from motcua.store.replica import EVERY_WORKSTATION, Peer
from motcua.sync.engine import SyncEngine

A = "000.25.38.H38"


def test_the_shipped_swaps_of_new_year_2026_are_in_force(ctx) -> None:
    # The holidays package knows 1/1 only; the government moved 2/1 off and Saturday 10/1 to work.
    assert not ctx.calendar.is_working_day(date(2026, 1, 2))
    assert ctx.calendar.is_working_day(date(2026, 1, 10))
    assert "làm bù" in (ctx.calendar.holiday_name(date(2026, 1, 2)) or "")
    # Five working days from Wednesday 31/12/2025: 5, 6, 7, 8, 9 … and Saturday 10 is one of them.
    due = ctx.calendar.due_date(datetime(2025, 12, 31, 9, 0), ProcessingTime(5, TimeUnit.WORKING_DAYS))
    assert due.date() == date(2026, 1, 9)


def test_a_calendar_published_by_the_province_reaches_the_counter(tmp_path: Path) -> None:
    province = province_node(str(tmp_path / "province.sqlite"), "H38", tmp_path / "p")
    centre = centre_node(Store(tmp_path / "c" / "centre.sqlite"), A, tmp_path / "c")
    settings = Settings()
    ctx = open_context(settings, tmp_path / "ws")
    try:
        assert ctx.calendar.is_working_day(date(2026, 12, 31))
        body = json.dumps(
            {"format": "motcua-calendar", "version": 1, "source": "UBND tỉnh Lào Cai",
             "days": [{"day": "2026-12-31", "kind": "off", "label": "Nghỉ theo thông báo của UBND tỉnh"}]},
            ensure_ascii=False,
        )  # fmt: skip
        province.publish("calendar", body)
        # The centre's own engine, as `motcua server` builds it, only talking to the province in this process.
        up = centre_engine(centre, SyncSettings(province_url="http://127.0.0.1:9"), datetime.now)
        assert isinstance(up, SyncEngine)
        up.upstream = LocalUpstream(province, Peer(A, (A, f"{A}/"), frozenset({A}), A))
        up.run_once()
        peer = Peer("Q01", (f"{A}/Q01",), frozenset({A}), EVERY_WORKSTATION)
        link = WorkstationSync(ctx, LocalUpstream(centre, peer))
        link.engine.run_once()
        assert not ctx.calendar.is_working_day(date(2026, 12, 31))
        assert ctx.calendar.holiday_name(date(2026, 12, 31)) == "Nghỉ theo thông báo của UBND tỉnh"
        assert not ctx.calendar.is_working_day(date(2026, 1, 2))  # the shipped swaps still hold
    finally:
        ctx.close()
        centre.close()
        province.close()


def test_a_bad_calendar_file_is_refused_whole() -> None:
    with pytest.raises(ValidationError, match="days"):
        parse_announcements(
            '{"format": "motcua-calendar", "version": 1, "days": [{"day": "2026-13-01", "kind": "off"}]}'
        )
    twice = {"format": "motcua-calendar", "version": 1, "days": [{"day": "2026-12-31", "kind": "off"}] * 2}
    with pytest.raises(ValidationError, match="hai lần"):
        parse_announcements(json.dumps(twice))
