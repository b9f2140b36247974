"""One small SQL interface over SQLite and PostgreSQL, for the code that runs on both (the sync replica).

The workstation and the centre keep SQLite files; the province server keeps PostgreSQL (``--database
postgresql://…``) or, for a demo, SQLite. The replica's SQL is written once, with ``?`` placeholders and the
subset both understand (``INSERT … ON CONFLICT``, ``RETURNING``); this module translates the placeholders and
gives both the same transaction shape: ``write()`` is one transaction with one writer per dossier,
``read()`` is one consistent snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from sqlite_utils import Database as SqliteUtilsDatabase

from motcua.store.db import Store


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Sql(Protocol):
    """A connection inside a transaction."""

    dialect: str  # "sqlite" or "postgres"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def lock(self, name: str) -> None:
        """Serialise writers on ``name`` until the transaction ends (a no-op on SQLite: one writer anyway)."""
        ...


class Database(Protocol):
    dialect: str

    def write(self) -> AbstractContextManager[Sql]: ...

    def read(self) -> AbstractContextManager[Sql]: ...

    def close(self) -> None: ...


class SqliteSql:
    """An SQLite connection (through sqlite-utils) as :class:`Sql`; ``db`` gives the repositories their usual
    ``Database`` on the same connection, inside the same transaction."""

    dialect = "sqlite"

    def __init__(self, db: SqliteUtilsDatabase) -> None:
        self.db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        cur: Cursor = self.db.execute(sql, list(params))
        return cur

    def lock(self, name: str) -> None:
        pass


def sqlite_db(sql: Sql) -> SqliteUtilsDatabase:
    """The sqlite-utils Database behind an SQLite :class:`Sql` (the workstation's own tables live there)."""
    if not isinstance(sql, SqliteSql):
        raise TypeError("an SQLite connection is needed here")
    return sql.db


class SqliteDatabase:
    """A :class:`~motcua.store.db.Store` (one guarded writer, readers per thread) seen through :class:`Sql`."""

    dialect = "sqlite"

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def write(self) -> Iterator[Sql]:
        with self.store.write() as db:
            yield SqliteSql(db)

    @contextmanager
    def read(self) -> Iterator[Sql]:
        db = self.store.read()
        conn = db.conn
        if conn.in_transaction:  # a read inside a read on this thread: share the outer snapshot
            yield SqliteSql(db)
            return
        conn.execute("BEGIN")  # a snapshot: in WAL mode every statement below sees the same commit
        try:
            yield SqliteSql(db)
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        self.store.close()


class _PgSql:
    dialect = "postgres"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        # Our SQL has no literal '?' or '%' (checked by the tests on both backends).
        cur: Cursor = self._conn.execute(sql.replace("?", "%s"), list(params))
        return cur

    def lock(self, name: str) -> None:
        self._conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])


class PostgresDatabase:
    """PostgreSQL through psycopg 3, one connection per thread (the server's worker threads), reconnecting after
    the server restarts.

    Args:
        dsn: "postgresql://user@host:port/db".
    """

    dialect = "postgres"

    def __init__(self, dsn: str) -> None:
        import psycopg  # imported here: the workstation and the centre never need it

        self._psycopg = psycopg
        self.dsn = dsn
        self._local = threading.local()
        self._all: list[Any] = []
        self._guard = threading.Lock()
        with self.write() as sql:  # fail now, with the server's own message, if the database is unreachable
            sql.execute("SELECT 1")

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = self._psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[Sql]:
        conn = self._conn()
        with conn.transaction():
            yield _PgSql(conn)

    @contextmanager
    def read(self) -> Iterator[Sql]:
        conn = self._conn()
        if conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            yield _PgSql(conn)
            return
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield _PgSql(conn)

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()


def open_database(target: str | Store) -> Database:
    """A :class:`Store` (SQLite) or a ``postgresql://`` URL."""
    if isinstance(target, Store):
        return SqliteDatabase(target)
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(target)
    return SqliteDatabase(Store(target))
