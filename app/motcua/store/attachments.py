"""Attachments: digitized PDFs on dossier components, stored content-addressed beside the database.

The file goes to ``<data>/files/<sha[:2]>/<sha>.pdf`` first (temporary name, then an atomic rename; an
existing file with that name already holds these bytes and is never overwritten); only then is the row
written, with its outbox item in the same transaction. A crash in between leaves an unreferenced file,
never a row pointing at nothing.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from motcua.domain.attachment import Attachment
from motcua.domain.errors import NotFoundError
from motcua.i18n import tr
from motcua.store.clock import from_iso, iso
from motcua.store.permissions import PRIVATE_FILE, private_dir

FILES_DIR = "files"

_SELECT = (
    "SELECT a.id, d.code, a.component_code, a.sha256, a.path, a.pages, a.mode, a.bytes, a.created_at, "
    "a.created_by, a.reused_from, d.applicant_id_number FROM attachments a JOIN dossiers d ON d.id = a.dossier_id"
)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def relative_path(sha: str) -> str:
    """Where a file with this hash lives, relative to the data folder (always with forward slashes)."""
    return f"{FILES_DIR}/{sha[:2]}/{sha}.pdf"


def store_file(data_dir: Path, data: bytes) -> tuple[str, str]:
    """Write ``data`` under its hash, durably, unless it is already there.

    Returns:
        (sha256, path relative to ``data_dir``).
    """
    sha = sha256_of(data)
    rel = relative_path(sha)
    target = data_dir / rel
    if target.exists() and target.stat().st_size == len(data):
        return sha, rel
    private_dir(target.parent)
    tmp = target.with_name(f".{sha}.{os.getpid()}.part")
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return sha, rel


def _attachment(row: tuple[Any, ...]) -> Attachment:
    created = from_iso(row[8])
    assert created is not None
    return Attachment(
        id=row[0],
        dossier_code=row[1],
        component_code=row[2],
        sha256=row[3],
        path=row[4],
        pages=row[5],
        mode=row[6],
        size=row[7],
        created_at=created,
        created_by=row[9],
        reused_from=row[10],
        applicant_id_number=row[11],
    )


def _dossier_id(db: Database, code: str) -> int:
    row = db.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()
    if row is None:
        raise NotFoundError(tr("Không tìm thấy hồ sơ {code}", code=code))
    return int(row[0])


def find(db: Database, dossier_code: str, component_code: str, sha256: str) -> Attachment | None:
    row = db.execute(
        f"{_SELECT} WHERE d.code = ? AND a.component_code = ? AND a.sha256 = ?", [dossier_code, component_code, sha256]
    ).fetchone()
    return None if row is None else _attachment(row)


def add(
    db: Database,
    *,
    dossier_code: str,
    component_code: str,
    sha256: str,
    path: str,
    pages: int,
    mode: str,
    size: int,
    created_by: str,
    now: datetime,
    reused_from: int | None = None,
) -> Attachment:
    """Insert the row (inside the caller's write transaction, which also records its sync event); the same file on
    the same component again returns the existing attachment."""
    dossier_id = _dossier_id(db, dossier_code)
    existing = find(db, dossier_code, component_code, sha256)
    if existing is not None:
        return existing
    cur = db.execute(
        """INSERT INTO attachments (dossier_id, component_code, sha256, path, pages, mode, bytes, created_at,
            created_by, reused_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [dossier_id, component_code, sha256, path, pages, mode, size, iso(now), created_by, reused_from],
    )
    return get(db, int(cur.lastrowid or 0))


def event_data(db: Database, att: Attachment) -> dict[str, Any]:
    """What the attachment's sync event carries (the file itself travels separately, by its SHA-256)."""
    return {
        "component": att.component_code,
        "sha256": att.sha256,
        "bytes": att.size,
        "pages": att.pages,
        "mode": att.mode,
        "content_type": "application/pdf",
        "created_at": iso(att.created_at),
        "created_by": att.created_by,
        "reused_from_sha256": _sha_of(db, att.reused_from),
    }


def _sha_of(db: Database, attachment_id: int | None) -> str | None:
    if attachment_id is None:
        return None
    row = db.execute("SELECT sha256 FROM attachments WHERE id = ?", [attachment_id]).fetchone()
    return None if row is None else str(row[0])


def get(db: Database, attachment_id: int) -> Attachment:
    row = db.execute(f"{_SELECT} WHERE a.id = ?", [attachment_id]).fetchone()
    if row is None:
        raise NotFoundError(tr("Không tìm thấy tài liệu số hóa {id}", id=attachment_id))
    return _attachment(row)


def for_dossier(db: Database, dossier_code: str) -> list[Attachment]:
    rows = db.execute(f"{_SELECT} WHERE d.code = ? ORDER BY a.component_code, a.id", [dossier_code]).fetchall()
    return [_attachment(r) for r in rows]


def for_id_number(db: Database, id_number: str, exclude_dossier: str | None = None) -> list[Attachment]:
    """The documents digitized earlier for this ID number, newest first, one per distinct file and component."""
    if not id_number:
        return []
    rows = db.execute(
        f"{_SELECT} WHERE d.applicant_id_number = ? AND d.code != ? ORDER BY a.id DESC",
        [id_number, exclude_dossier or ""],
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    found = []
    for r in rows:
        a = _attachment(r)
        if (a.sha256, a.component_code) not in seen:
            seen.add((a.sha256, a.component_code))
            found.append(a)
    return found
