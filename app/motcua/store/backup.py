"""Backups of a data folder: one folder per backup, restored whole, checked before anything is replaced.

A backup is a folder ``motcua-YYYY-MM-DD_HHMMSS`` holding:

- every SQLite database of the data folder, copied with SQLite's online backup API (one step, so the copy is the
  database as one committed transaction left it, while the app and the centre server keep writing: in WAL mode
  the copy's read transaction blocks no writer), then checked with ``PRAGMA quick_check``;
- every other file of the data folder (the content-addressed documents under ``files/``, the report archive, the
  server's certificate…), copied *after* the databases: a document is written before the row that names it, so
  every document a copied row names is already there when the files are copied;
- ``manifest.json``: the app version, when, from where, the migrations each database has applied, and every
  file's size and SHA-256.

It is made under a temporary name (``….partial``) and renamed when complete: a folder with the final name is a
whole backup. A document already in the previous backup (same content-addressed name and size) is hard-linked to it
when the file system allows, so fourteen backups cost about one copy of the documents.

A restore copies the backup beside the data folder, checking every hash on the way, refuses a backup whose
databases have applied migrations this build does not know, refuses while a program has the data folder's
databases open, and only then swaps the folders: the replaced data folder stays beside it as
``<name>.before-restore-<time>``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.store import queue_schema, replica_schema, schema
from motcua.store.atomic import fsync_dir
from motcua.store.permissions import PRIVATE_FILE, private_dir, private_file, secure_data_folder

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "motcua-"
PARTIAL = ".partial"
LOCK = ".backup.lock"
_NAME = re.compile(r"^motcua-(\d{4}-\d{2}-\d{2}_\d{6})$")
_STAMP = "%Y-%m-%d_%H%M%S"
# SQLite's side files (their content is in the copied database) and files still being written.
_SKIP_SUFFIXES = ("-wal", "-shm", "-journal", ".part", PARTIAL)
_CHUNK = 1 << 20
REPLICA_SET = "motcua.replica"


class BackupError(MotcuaError):
    """A backup that cannot be made or restored; the message is translated."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RestoreResult:
    data_dir: Path
    aside: Path | None  # the data folder as it was before the restore (None: there was nothing to keep)
    files: int
    retired_numbers: int = 0  # dossier numbers of leased blocks given up (see _retire_number_blocks)


# -- what a database has applied ---------------------------------------------------------------------------------


def known_migrations() -> dict[str, list[str]]:
    """Every migration this build knows, by set."""
    sets = {m.name: [x.name for x in m._migrations] for m in (schema.workstation, schema.centre, queue_schema.queue)}
    sets[REPLICA_SET] = [name for name, _ in replica_schema.MIGRATIONS]
    return sets


def applied_migrations(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The migrations a database has applied, by set (sqlite-utils' table, and the replica's own)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    found: dict[str, list[str]] = {}
    if "_sqlite_migrations" in tables:
        for set_name, name in conn.execute(
            "SELECT migration_set, name FROM _sqlite_migrations ORDER BY applied_at, rowid"
        ):
            found.setdefault(str(set_name), []).append(str(name))
    if "rep_migrations" in tables:
        found[REPLICA_SET] = [str(r[0]) for r in conn.execute("SELECT name FROM rep_migrations ORDER BY rowid")]
    return found


def unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """``set/name`` of each applied migration this build does not know (a newer version made the database)."""
    known = known_migrations()
    return [f"{s}/{n}" for s, names in applied.items() for n in names if n not in known.get(s, ())]


# -- making a backup ---------------------------------------------------------------------------------------------


DATABASE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def is_database(path: Path) -> bool:
    """A database of the data folder, told by its name and never by opening it.

    Reading its header through a file of our own would be fatal in the process that has it open (the app, the
    centre server, which make the daily backup): POSIX locks belong to the process, and closing *any* descriptor of
    the file drops SQLite's locks on it, letting another process write under a reader or a writer — the
    "malformed" database of SQLite's "How to corrupt" page, §2.2, seen here in the sync test under kills.
    """
    return path.name.endswith(DATABASE_SUFFIXES)


def copy_database(src: Path, dst: Path) -> dict[str, list[str]]:
    """A consistent copy of a live database (online backup API, one step); returns its applied migrations.

    The copy is left in rollback-journal mode (a single self-contained file) and checked with ``quick_check``.
    """
    private_file(dst)
    source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    try:
        target = sqlite3.connect(dst)
        try:
            source.backup(target, pages=-1)  # one step: the copy is one snapshot of the source
            target.execute("PRAGMA journal_mode = DELETE")
            check = target.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(tr("Bản sao của {file} bị lỗi: {error}", file=src.name, error=str(check)))
            return applied_migrations(target)
        finally:
            target.close()
    finally:
        source.close()


def _hash_copy(src: IO[bytes], dst: IO[bytes] | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := src.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if dst is not None:
            dst.write(chunk)
    return digest.hexdigest(), size


def _hash_file(path: Path) -> tuple[str, int]:
    with open(path, "rb") as fh:
        return _hash_copy(fh, None)


def _copy_file(src: Path, dst: Path) -> tuple[str, int]:
    private_dir(dst.parent, tighten=False)
    with open(src, "rb") as fin, open(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb") as fout:
        sha, size = _hash_copy(fin, fout)
        fout.flush()
        os.fsync(fout.fileno())
    return sha, size


def _walk(root: Path, skip: Path | None) -> Iterator[Path]:
    """Regular files below ``root`` (relative), sorted, without SQLite's side files and unfinished writes."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if skip is None or (here / d).resolve() != skip)
        for name in sorted(files):
            if name.endswith(_SKIP_SUFFIXES) or name == LOCK:
                continue
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root)


def backup_name(now: datetime) -> str:
    return PREFIX + now.strftime(_STAMP)


def _content_addressed(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == "files" and parts[2].split(".")[0].startswith(parts[1])


def create_backup(data_dir: Path, folder: Path, now: datetime, app_version: str) -> Path:
    """Back up ``data_dir`` into a new folder of ``folder``; returns it.

    Raises:
        BackupError: the data folder is missing, or a copy failed its check.
        OSError: the backup folder cannot be written (full, read-only); the partial backup is removed.
    """
    if not data_dir.is_dir():
        raise BackupError(tr("Không tìm thấy thư mục dữ liệu {path}", path=str(data_dir)))
    secure_backup_folder(folder)
    final = folder / backup_name(now)
    if final.exists():
        raise BackupError(tr("Bản sao lưu {name} đã có", name=final.name))
    partial = final.with_name(final.name + PARTIAL)
    if partial.exists():
        shutil.rmtree(partial)  # left by a run that was interrupted
    private_dir(partial)
    try:
        previous = _previous_files(folder)
        skip = folder.resolve()
        databases = [r.as_posix() for r in _walk(data_dir, skip) if is_database(data_dir / r)]
        entries: list[dict[str, Any]] = []
        migrations: dict[str, dict[str, list[str]]] = {}
        for rel in databases:  # the databases first, then the documents they name (written before their rows)
            target = partial / rel
            private_dir(target.parent, tighten=False)
            migrations[rel] = copy_database(data_dir / rel, target)
            sha, size = _hash_file(target)
            entries.append({"path": rel, "sha256": sha, "bytes": size, "kind": "database"})
        # Listed only now: a document written while the databases were copied may be named by a copied row.
        for rel in (r.as_posix() for r in _walk(data_dir, skip)):
            if rel in databases or is_database(data_dir / rel):
                continue
            src, target = data_dir / rel, partial / rel
            try:
                sha, size = _link_or_copy(src, target, rel, previous)
            except FileNotFoundError:
                continue  # deleted meanwhile (retention): it was not part of the data any more
            entries.append({"path": rel, "sha256": sha, "bytes": size, "kind": "file"})
        manifest = {
            "format": FORMAT,
            "app_version": app_version,
            "created_at": now.isoformat(timespec="seconds"),
            "source_data_dir": str(data_dir.resolve()),
            "migrations": migrations,
            "files": entries,
        }
        _write_manifest(partial / MANIFEST, manifest)
        os.replace(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    fsync_dir(folder)
    return final


def _previous_files(folder: Path) -> dict[str, tuple[Path, str, int]]:
    """The content-addressed documents of the newest complete backup: path → (its file, sha256, size)."""
    backups = list_backups(folder)
    if not backups:
        return {}
    try:
        manifest = json.loads((backups[0].path / MANIFEST).read_text(encoding="utf-8"))
        return {
            e["path"]: (backups[0].path / e["path"], str(e["sha256"]), int(e["bytes"]))
            for e in manifest["files"]
            if _content_addressed(str(e["path"]))
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _link_or_copy(src: Path, target: Path, rel: str, previous: dict[str, tuple[Path, str, int]]) -> tuple[str, int]:
    known = previous.get(rel)
    if known is not None and _content_addressed(rel):
        old, sha, size = known
        if src.stat().st_size == size and Path(rel).name.split(".")[0] == sha:
            private_dir(target.parent, tighten=False)
            try:
                os.link(old, target)
                return sha, size
            except OSError:
                pass  # another file system, or one without hard links (FAT): a copy then
    return _copy_file(src, target)


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def secure_backup_folder(folder: Path) -> None:
    """The backups hold citizens' personal data: the folder is this account's only, like the data folder."""
    if sys.platform == "win32":
        secure_data_folder(folder)  # its ACL once (owner + SYSTEM), inherited by every backup below it
    else:
        private_dir(folder)


# -- listing and pruning ----------------------------------------------------------------------------------------


def list_backups(folder: Path) -> list[BackupInfo]:
    """The complete backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if m and (p / MANIFEST).is_file():
            try:
                found.append(BackupInfo(p, datetime.strptime(m.group(1), _STAMP)))
            except ValueError:
                continue
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` complete backups, and partial ones left by an interrupted run (call with
    :func:`folder_lock` held: no other program is writing one)."""
    removed = []
    for info in list_backups(folder)[max(keep, 1) :]:
        shutil.rmtree(info.path)
        removed.append(info.path)
    for p in folder.iterdir() if folder.is_dir() else ():
        if p.name.startswith(PREFIX) and p.name.endswith(PARTIAL):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


# -- one backup at a time ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[bool]:
    """Hold the backup folder's lock (two programs of one PC backing up one data folder at closing time): yields
    False, without waiting, when another process holds it. The OS releases it if the process dies."""
    secure_backup_folder(folder)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        if not _try_lock(fd):
            yield False
            return
        try:
            yield True
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


# -- checking and restoring --------------------------------------------------------------------------------------


def read_manifest(backup: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
            raise ValueError("files")
        for e in manifest["files"]:
            if not (isinstance(e["path"], str) and isinstance(e["sha256"], str) and isinstance(e["bytes"], int)):
                raise ValueError(e)
            if Path(e["path"]).is_absolute() or ".." in Path(e["path"]).parts:
                raise ValueError(e["path"])
    except FileNotFoundError:
        raise BackupError(
            tr("{path} không phải là một bản sao lưu (không có tệp {manifest})", path=str(backup), manifest=MANIFEST)
        ) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(
            tr("Bản sao lưu {name} bị hỏng: tệp {manifest} không đọc được", name=backup.name, manifest=MANIFEST)
        ) from None
    if int(manifest.get("format", 0)) > FORMAT:
        raise BackupError(tr("Bản sao lưu {name} được tạo bởi phiên bản mới hơn của phần mềm; hãy cập nhật phần mềm "
                             "trước khi khôi phục.", name=backup.name))  # fmt: skip
    return manifest


def _damaged(backup: Path, rel: str) -> BackupError:
    return BackupError(
        tr(
            "Bản sao lưu {name} bị hỏng (tệp {file} không khớp mã kiểm tra SHA-256); không khôi phục. "
            "Dữ liệu hiện tại vẫn giữ nguyên; hãy chọn bản sao lưu khác.",
            name=backup.name,
            file=rel,
        )
    )


def verify(backup: Path, into: Path | None = None) -> dict[str, Any]:
    """Check every file of ``backup`` against its manifest (and copy it into ``into`` on the way); returns the
    manifest.

    Raises:
        BackupError: a file is missing or differs, the manifest is unreadable, or a database was made by a newer
            version of the software (migrations this build does not know).
    """
    manifest = read_manifest(backup)
    for e in manifest["files"]:
        rel = e["path"]
        src = backup / rel
        try:
            if into is None:
                sha, size = _hash_file(src)
            else:
                sha, size = _copy_file(src, into / rel)
        except FileNotFoundError:
            raise _damaged(backup, rel) from None
        if sha != e["sha256"] or size != e["bytes"]:
            raise _damaged(backup, rel)
    newer: list[str] = []
    for e in manifest["files"]:
        if e.get("kind") == "database":
            conn = sqlite3.connect(f"{(backup / e['path']).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                newer += unknown_migrations(applied_migrations(conn))
            finally:
                conn.close()
    if newer:
        raise BackupError(
            tr(
                "Bản sao lưu {name} được tạo bởi phiên bản mới hơn của phần mềm (cơ sở dữ liệu có các bước cập nhật "
                "chưa biết: {migrations}); hãy cập nhật phần mềm trước khi khôi phục.",
                name=backup.name,
                migrations=", ".join(newer),
            )
        )
    return manifest


def database_in_use(data_dir: Path) -> str | None:
    """The name of a database of ``data_dir`` that a program (the app, the centre server) has open, else None.

    Every program of ours keeps its databases open in WAL mode while it runs; leaving WAL mode needs the only
    connection, so a refusal (``database is locked``) says another one is open. When nobody has it open, the switch
    checkpoints the WAL into the file (the app turns WAL on again when it opens it).
    """
    if not data_dir.is_dir():
        return None
    for rel in _walk(data_dir, None):
        path = data_dir / rel
        if not is_database(path):
            continue
        conn = sqlite3.connect(path, timeout=0)
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            return rel.as_posix()
        finally:
            conn.close()
    return None


def restore(backup: Path, data_dir: Path, now: datetime) -> RestoreResult:
    """Replace ``data_dir`` by the backup; the data folder as it was is kept beside it.

    Raises:
        BackupError: the backup is damaged or newer than this software, or a program has the data folder open;
            the data folder is then untouched.
    """
    read_manifest(backup)  # not a backup at all: said before anything else
    stamp = now.strftime(_STAMP)
    parent = data_dir.resolve().parent
    private_dir(parent, tighten=False)
    staging = parent / f".{data_dir.name}.restoring-{stamp}"
    if staging.exists():
        shutil.rmtree(staging)
    private_dir(staging)
    try:
        manifest = verify(backup, into=staging)  # every hash checked before the data folder is touched
        busy = database_in_use(data_dir)
        if busy is not None:
            raise BackupError(
                tr(
                    "Cơ sở dữ liệu {file} trong {path} đang được dùng (ứng dụng hoặc máy chủ trung tâm đang chạy): "
                    "hãy tắt chúng rồi khôi phục lại.",
                    file=busy,
                    path=str(data_dir),
                )
            )
        retired = _retire_number_blocks(staging, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    aside: Path | None = None
    if data_dir.exists():
        if any(data_dir.iterdir()):
            aside = parent / f"{data_dir.name}.before-restore-{stamp}"
            os.rename(data_dir, aside)
        else:
            data_dir.rmdir()
    try:
        os.rename(staging, data_dir)
    except BaseException:
        if aside is not None:
            os.rename(aside, data_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(parent)
    return RestoreResult(data_dir, aside, len(manifest["files"]), retired)


def _retire_number_blocks(folder: Path, manifest: dict[str, Any]) -> int:
    """Give up the unused numbers of every dossier-number block in the restored databases; how many.

    A workstation put back to yesterday would otherwise hand out again the numbers it printed on receipts since the
    backup (the centre never leases a range twice, so the next numbers come from a fresh block, leased once the
    centre answers)."""
    retired = 0
    for entry in manifest["files"]:
        if entry.get("kind") != "database":
            continue
        conn = sqlite3.connect(folder / entry["path"])
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'code_blocks'").fetchone():
                with conn:
                    retired += conn.execute(
                        "SELECT COALESCE(SUM(last - next + 1), 0) FROM code_blocks WHERE next <= last"
                    ).fetchone()[0]
                    conn.execute("UPDATE code_blocks SET next = last + 1 WHERE next <= last")
        finally:
            conn.close()
    return int(retired)
