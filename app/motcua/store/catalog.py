"""The procedure catalog as stored on the workstation: imported whole, searched through an in-memory index."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from motcua.domain.catalog_io.records import procedure_from_dict, procedure_to_dict
from motcua.domain.errors import NotFoundError
from motcua.domain.procedure_search import Indexed, ProcedureIndex
from motcua.domain.procedures import Procedure
from motcua.domain.search_terms import SearchTerms, current_search_terms
from motcua.domain.text import fold
from motcua.i18n import tr
from motcua.store.clock import iso


def upsert_all(db: Database, procedures: Iterable[Procedure], now: datetime) -> int:
    """Insert or replace procedures (call inside a write transaction: an import is all or nothing)."""
    n = 0
    for p in procedures:
        db.execute(
            """INSERT INTO procedures (code, name, name_fold, sector, sector_fold, level, agency, active, data,
                   updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(code) DO UPDATE SET name = excluded.name, name_fold = excluded.name_fold,
                   sector = excluded.sector, sector_fold = excluded.sector_fold, level = excluded.level,
                   agency = excluded.agency, active = excluded.active, data = excluded.data,
                   updated_at = excluded.updated_at""",
            [
                p.code,
                p.name,
                fold(p.name),
                p.sector,
                fold(p.sector),
                p.level.value,
                p.agency,
                int(p.active),
                json.dumps(procedure_to_dict(p), ensure_ascii=False),
                iso(now),
            ],
        )
        n += 1
    return n


def get(db: Database, code: str) -> Procedure:
    row = db.execute("SELECT data FROM procedures WHERE code = ?", [code]).fetchone()
    if row is None:
        raise NotFoundError(tr("Không có thủ tục mã {code} trong danh mục", code=code))
    return procedure_from_dict(json.loads(row[0]))


def all_procedures(db: Database, active_only: bool = False) -> list[Procedure]:
    where = " WHERE active = 1" if active_only else ""
    rows = db.execute(f"SELECT data FROM procedures{where} ORDER BY code").fetchall()
    return [procedure_from_dict(json.loads(r[0])) for r in rows]


def sectors(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT sector FROM procedures WHERE active = 1 ORDER BY sector_fold")]


def search(db: Database, text: str, sector: str | None = None, limit: int = 100) -> list[Procedure]:
    """Active procedures matching what a clerk typed, best first (:mod:`motcua.domain.procedure_search`).

    Blank text lists every active procedure (shorter names first); nothing sensible to match gives ``[]``.
    """
    index = _index(db)
    return [index.procedure(code) for code in index.search(text, sector, limit)]


class _CatalogIndex:
    """The search index of one database's catalog at one revision, and its procedures parsed on first use."""

    def __init__(self, revision: tuple[str, int] | None, terms: SearchTerms, rows: list[tuple[str, str, str, str]]):
        self.revision = revision
        self.terms = terms
        self._data = {code: data for code, _, _, data in rows}
        self._parsed: dict[str, Procedure] = {}
        self._index = ProcedureIndex((Indexed(code, name, sector) for code, name, sector, _ in rows), terms)

    def search(self, text: str, sector: str | None, limit: int) -> list[str]:
        return self._index.search(text, sector, limit)

    def procedure(self, code: str) -> Procedure:
        p = self._parsed.get(code)
        if p is None:
            p = procedure_from_dict(json.loads(self._data[code]))
            self._parsed[code] = p  # a race parses twice and keeps either: both are equal
        return p


_indexes: OrderedDict[str, _CatalogIndex] = OrderedDict()
_indexes_lock = threading.Lock()
_KEEP = 4  # databases whose index stays in memory (a workstation has one; tests and benchmarks open many)


def _revision(db: Database) -> tuple[str, int] | None:
    """Which catalog this is and how often it has changed: triggers on ``procedures`` bump the number on every
    write, whichever process or code path made it (migration 0007_search_indexes)."""
    try:
        row = db.execute("SELECT token, revision FROM catalog_revision WHERE id = 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return (str(row[0]), int(row[1])) if row else None


def _index(db: Database) -> _CatalogIndex:
    # The revision is read before the rows: rows newer than their revision only cost one more rebuild, next call.
    revision = _revision(db)
    terms = current_search_terms()
    # Inside a write transaction the rows may still be rolled back: build for this call, keep nothing.
    key = revision[0] if revision is not None and not db.conn.in_transaction else None
    if key is not None:
        with _indexes_lock:
            cached = _indexes.get(key)
            if cached is not None and cached.revision == revision and cached.terms is terms:
                _indexes.move_to_end(key)
                return cached
    rows = [
        (str(r[0]), str(r[1]), str(r[2]), str(r[3]))
        for r in db.execute("SELECT code, name, sector, data FROM procedures WHERE active = 1 ORDER BY code")
    ]
    built = _CatalogIndex(revision, terms, rows)
    if key is not None:
        with _indexes_lock:
            _indexes[key] = built
            _indexes.move_to_end(key)
            while len(_indexes) > _KEEP:
                _indexes.popitem(last=False)
    return built


def count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0])
