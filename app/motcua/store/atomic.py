"""Writing a file so that it is either the old one or the whole new one, never half of the new one.

A power cut or a full disk in the middle of ``Path.write_bytes`` leaves a truncated PDF that looks like a receipt
and opens as nothing. Here the bytes go to a temporary file in the same folder (so the rename cannot cross file
systems), are flushed and fsynced, and only then renamed over the target; on any error the temporary file is
removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` by ``data`` in one step; returns the path.

    Raises:
        OSError: the folder is missing, read-only or full (the target is then untouched), or ``path`` is a folder.
    """
    target = Path(path)
    with replacing(target) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
        try:
            view = memoryview(data)
            while view:
                # os.write may write less than asked (a signal, a pipe-like target): loop until all is out.
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    return target


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix) to write by any means; renamed over ``path`` on success.

    For writers that want a file name rather than bytes (an exporter that picks the format by the suffix). The
    temporary file is fsynced before the rename; on an exception it is removed and ``path`` is untouched.
    """
    target = Path(path)
    if target.is_dir():
        # os.replace would say "Is a directory" only after the whole document was written.
        raise IsADirectoryError(21, os.strerror(21), str(target))
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, _NEW_FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(target.parent)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; some file systems (and Windows) cannot open a folder: that is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    # Read once at import: os.umask can only be read by setting it, which would race other threads' files.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


# What ``open(path, "w")`` would have given: mkstemp makes 0600, which would hide a receipt from other users.
_NEW_FILE_MODE = 0o666 & ~_umask()
