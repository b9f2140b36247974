"""Sync fixtures: one real PostgreSQL cluster for the session (a fresh database per test), node builders."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.bench.postgres import TempPostgres

_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TempPostgres]:
    reason = TempPostgres.unavailable_reason()
    if reason:
        pytest.fail(reason)  # CI installs it (installer --dev): a missing server is a broken setup, not a skip
    pg = TempPostgres(tmp_path_factory.mktemp("pg"))
    pg.start()
    yield pg
    pg.stop()


@pytest.fixture
def postgres_dsn(postgres_cluster: TempPostgres) -> str:
    """A new, empty database on the session's cluster."""
    import psycopg

    name = f"t{next(_names)}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(postgres_cluster.dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_cluster.dsn.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def province_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the province keeps its data: an SQLite file, and a real PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "province.sqlite")
    return str(request.getfixturevalue("postgres_dsn"))


class CentreLan:
    """A centre server on loopback (queue, leases, sync) and the counters enrolled on it, closed at the end."""

    AGENCY = "000.25.38.H38"

    def __init__(self, tmp: Path) -> None:
        from motcua.domain.queue_config import parse_queue_config
        from motcua.server.run import EmbeddedServer
        from motcua.services.queue.service import QueueService, open_queue_store
        from motcua.services.sync_setup import centre_node

        self.tmp = tmp
        self.store = open_queue_store(tmp / "centre" / "centre.sqlite")
        self.node = centre_node(self.store, self.AGENCY, tmp / "centre")
        queue = QueueService(self.store, parse_queue_config({"centre_id": self.AGENCY}))
        self.server = EmbeddedServer(queue, sync=self.node, agency_id=self.AGENCY).start()
        self._closers: list[object] = []

    def counter(self, station: str):  # type: ignore[no-untyped-def]
        """A counter PC enrolled with its own token: its context and its sync link (not started)."""
        from datetime import datetime

        from motcua.cli.sync_link import WorkstationSync
        from motcua.config import CounterSettings, Settings, SyncSettings
        from motcua.services.context import open_context
        from motcua.store import device_tokens
        from motcua.sync.centre_client import HttpCentreLeases
        from motcua.sync.upstream import HttpUpstream

        url = self.server.url
        with self.store.write() as db:
            token = device_tokens.add_token(db, station, "counter", datetime.now())
        settings = Settings(
            counter=CounterSettings(station_id=station),
            sync=SyncSettings(centre_url=url, centre_token=token, interval_s=3600.0),
        )
        ctx = open_context(settings, self.tmp / station, leases=HttpCentreLeases(url, token))
        link = WorkstationSync(ctx, HttpUpstream(url, token))
        self._closers += [ctx, link]
        return ctx, link

    def close(self) -> None:
        for c in reversed(self._closers):  # links before their contexts
            c.close()  # type: ignore[attr-defined]
        self.server.stop()
        self.store.close()


@pytest.fixture
def centre_lan(tmp_path: Path) -> Iterator[CentreLan]:
    lan = CentreLan(tmp_path)
    yield lan
    lan.close()


@pytest.fixture
def staffed_centre(centre_lan: CentreLan) -> CentreLan:
    """A centre whose administrator (signed in at counter Q01) made a clerk, Lan; both counters synced.
    ``.ctx`` and ``.links``: the two counters' contexts and sync links."""
    from motcua.domain.accounts import Role
    from motcua.services.accounts import AccountService

    (ctx1, link1), (ctx2, link2) = centre_lan.counter("Q01"), centre_lan.counter("Q02")
    one = AccountService(ctx1)
    one.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
    one.sign_in("admin", "quan-tri-123")
    one.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1")
    link1.engine.run_once()
    link2.engine.run_once()
    centre_lan.ctx = (ctx1, ctx2)  # type: ignore[attr-defined]
    centre_lan.links = (link1, link2)  # type: ignore[attr-defined]
    return centre_lan
