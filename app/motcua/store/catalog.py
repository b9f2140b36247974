"""The procedure catalog as stored on the workstation (imported whole, searched by folded text)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from motcua.domain.catalog_io.records import procedure_from_dict, procedure_to_dict
from motcua.domain.errors import NotFoundError
from motcua.domain.procedures import Procedure
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
    """Every word must match the folded name or the code.

    Codes that start with the query come first, then names holding the words as one phrase, shorter names first
    (the plain procedure before its special cases).
    """
    clauses = ["active = 1"]
    params: dict[str, object] = {"prefix": f"{text.strip()}%", "phrase": f"%{fold(text)}%", "limit": limit}
    for i, w in enumerate(fold(text).split()):
        clauses.append(f"(name_fold LIKE :w{i} OR code LIKE :c{i})")
        params[f"w{i}"] = f"%{w}%"
        params[f"c{i}"] = f"{w}%"
    if sector:
        clauses.append("sector_fold = :sector")
        params["sector"] = fold(sector)
    rows = db.execute(
        f"SELECT data FROM procedures WHERE {' AND '.join(clauses)} "
        "ORDER BY (code LIKE :prefix) DESC, (name_fold LIKE :phrase) DESC, length(name_fold), name_fold LIMIT :limit",
        params,
    ).fetchall()
    return [procedure_from_dict(json.loads(r[0])) for r in rows]


def count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0])
