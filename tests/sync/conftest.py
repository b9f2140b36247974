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
