"""Documents (digitized PDFs) as they travel between nodes: by SHA-256, verified on arrival, resumable.

A file is stored under its hash (``files/<sha[:2]>/<sha>.pdf``, the layout the workstation's attachments already
use) and listed in ``rep_documents`` only once its bytes hash to its name. An upload arrives in chunks, each
appended at the offset the sender names; a chunk at the wrong offset is refused with the size already held, so a
sender that lost its connection resumes where the bytes stopped instead of starting again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from motcua.domain.errors import ConflictError, ValidationError
from motcua.domain.sync_envelope import SHA256
from motcua.i18n import tr
from motcua.store.attachments import relative_path
from motcua.store.clock import iso
from motcua.store.permissions import PRIVATE_FILE, private_dir
from motcua.store.sql import Database, Sql

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024  # a 300-page colour scan is ~60 MB; beyond this is a mistake or abuse
PARTIAL_DIR = "files/.partial"

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(sha: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(sha, threading.Lock())


class OffsetMismatch(ConflictError):
    """A chunk arrived for another offset than the bytes held; ``received`` says where to resume."""

    def __init__(self, received: int) -> None:
        super().__init__(tr("Tệp đang nhận đã có {n} byte; hãy gửi tiếp từ đó", n=received))
        self.received = received


@dataclass(frozen=True, slots=True)
class UploadState:
    received: int
    complete: bool


def check_sha(sha: str) -> str:
    if not SHA256.match(sha):
        raise ValidationError(tr("Mã SHA-256 không hợp lệ: {value}", value=sha[:80]), "sha256")
    return sha


class DocumentStore:
    """The files of one node.

    Args:
        base: the node's data folder (files live under ``base/files``).
        db: the node's replica database (``rep_documents`` lists what is complete).
    """

    def __init__(self, base: Path, db: Database) -> None:
        self.base = base
        self.db = db

    def path(self, sha: str) -> Path:
        return self.base / relative_path(check_sha(sha))

    def _partial(self, sha: str) -> Path:
        return self.base / PARTIAL_DIR / f"{sha}.part"

    def has(self, sha: str) -> bool:
        with self.db.read() as sql:
            return sql.execute("SELECT 1 FROM rep_documents WHERE sha256 = ?", [check_sha(sha)]).fetchone() is not None

    def size(self, sha: str) -> int | None:
        with self.db.read() as sql:
            row = sql.execute("SELECT size FROM rep_documents WHERE sha256 = ?", [check_sha(sha)]).fetchone()
        return None if row is None else int(row[0])

    def state(self, sha: str) -> UploadState:
        size = self.size(sha)
        if size is not None:
            return UploadState(size, True)
        part = self._partial(sha)
        return UploadState(part.stat().st_size if part.exists() else 0, False)

    def put_chunk(self, sha: str, offset: int, total: int, chunk: bytes, source: str, now: datetime) -> UploadState:
        """Append ``chunk`` at ``offset`` of a file of ``total`` bytes; verify and list it once complete.

        Raises:
            OffsetMismatch: the bytes held end elsewhere (resume from ``received``).
            ValidationError: bad sizes, or the complete file does not hash to ``sha`` (the partial is discarded).
        """
        check_sha(sha)
        if not 0 <= total <= MAX_DOCUMENT_BYTES:
            raise ValidationError(tr("Tệp quá lớn (tối đa {mb} MB)", mb=MAX_DOCUMENT_BYTES // 2**20), "total")
        if offset < 0 or offset + len(chunk) > total:
            raise ValidationError(tr("Đoạn tệp vượt quá kích thước đã khai báo"), "offset")
        with _lock(sha):
            done = self.size(sha)
            if done is not None:
                return UploadState(done, True)
            part = self._partial(sha)
            private_dir(part.parent)
            held = part.stat().st_size if part.exists() else 0
            if offset != held:
                raise OffsetMismatch(held)
            with open(os.open(part, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE), "ab") as fh:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            held += len(chunk)
            if held < total:
                return UploadState(held, False)
            digest = _sha256_file(part)
            if digest != sha:
                part.unlink()
                raise ValidationError(
                    tr("Tệp nhận được không khớp mã SHA-256 (nhận {got}); hãy gửi lại", got=digest[:12]), "sha256"
                )
            self._install(part, sha)
            with self.db.write() as sql:
                register(sql, sha, total, source, now)
            return UploadState(total, True)

    def put_bytes(self, data: bytes, source: str, now: datetime) -> str:
        """Store a whole file held in memory (a workstation's own scan, a test); returns its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        self.put_chunk(sha, 0, len(data), data, source, now) if not self.has(sha) else None
        return sha

    def adopt(self, sql: Sql, sha: str, size: int, source: str, now: datetime) -> None:
        """List a file already stored under its name (the workstation's attachments write it themselves)."""
        register(sql, check_sha(sha), size, source, now)

    def _install(self, part: Path, sha: str) -> None:
        target = self.path(sha)
        private_dir(target.parent)
        os.replace(part, target)

    def read_chunk(self, sha: str, offset: int, length: int) -> tuple[bytes, int]:
        """Bytes of a complete file from ``offset`` (at most ``length``), and the file's size."""
        size = self.size(sha)
        if size is None:
            raise FileNotFoundError(sha)
        with open(self.path(sha), "rb") as fh:
            fh.seek(max(0, offset))
            return fh.read(max(0, length)), size


def register(sql: Sql, sha: str, size: int, source: str, now: datetime) -> None:
    sql.execute(
        "INSERT INTO rep_documents (sha256, size, source, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [sha, size, source, iso(now)],
    )


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
