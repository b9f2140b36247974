"""The data folder belongs to the app's own account: citizens' identity data is personal data (Decree 13/2023,
Law on Personal Data Protection 2025), and another Windows or Linux account on the counter PC has no business
reading it.

POSIX: folders 0700, files 0600, given at creation (an explicit mode, not the process umask, which belongs to
whoever started us) and re-checked at start for a folder made by an older version or copied in by hand.
Windows: the data folder's ACL is cut from its parent and reduced to the owner and SYSTEM, inherited by everything
below it, with ``icacls`` (present on every Windows since Vista).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_SYSTEM_SID = "*S-1-5-18"  # NT AUTHORITY\SYSTEM, by SID so that a French or Vietnamese Windows names it the same

log = logging.getLogger(__name__)


def _windows() -> bool:
    return sys.platform == "win32"


def private_dir(path: Path, tighten: bool = True) -> Path:
    """Make ``path`` (and missing parents) readable by this account only.

    Folders that existed already are left as they are unless ``tighten`` (the data folder itself, and folders the
    app alone makes inside it); a parent such as the user's home or ``/tmp`` is never ours to change.
    """
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it between the check and here
            folder.mkdir(mode=PRIVATE_DIR)
    if tighten or missing:
        _restrict(path, folder=True)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty (if missing) with mode 0600, so that SQLite, which gives its -wal and -shm files the
    database file's mode, never makes a readable copy; tighten it if it exists."""
    if not _windows():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            pass
        else:
            os.close(fd)
    _restrict(path, folder=False)
    return path


def restrict(path: Path) -> Path:
    """Tighten one existing file or folder (a file written by a helper that used the default mode)."""
    _restrict(path, folder=path.is_dir())
    return path


def _shared_folder(path: Path) -> bool:
    """A folder every account uses (``/``, ``/tmp``, a home): given as a data folder by mistake, never chmod it."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    resolved = path.resolve()
    return bool(st.st_mode & stat.S_ISVTX) or resolved == Path.home().resolve() or resolved.parent == resolved


def _restrict(path: Path, folder: bool) -> None:
    if _windows():
        return  # everything below the data folder inherits its ACL (secure_data_folder); one icacls per file is slow
    if folder and _shared_folder(path):
        log.warning("%s is a shared folder: its permissions are left alone; give the app a folder of its own", path)
        return
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_DIR if folder else PRIVATE_FILE)


def secure_data_folder(root: Path) -> int:
    """At start: make ``root`` private and tighten anything below it that others could read.

    Only regular files and folders this account owns are changed (a socket or another account's file is not ours to
    touch); symbolic links are not followed. A warning is logged when something had to be tightened, with the
    count only (file names are dossier codes and hashes, but the count is all an operator needs).

    Returns:
        How many files and folders were tightened.
    """
    if _windows():
        return _secure_windows_folder(root)
    if _shared_folder(root):
        log.warning("%s is a shared folder: its permissions are left alone; give the app a folder of its own", root)
        return 0
    was_loose = root.exists() and bool(os.stat(root).st_mode & 0o077)
    private_dir(root)
    uid = os.getuid()
    fixed = int(was_loose and not os.stat(root).st_mode & 0o077)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if st.st_uid != uid:
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(Path(entry.path))
                wanted = PRIVATE_DIR
            elif stat.S_ISREG(st.st_mode):
                wanted = PRIVATE_FILE
            else:
                continue
            if st.st_mode & 0o077:
                os.chmod(entry.path, wanted)
                fixed += 1
    root_mode = os.stat(root).st_mode
    if root_mode & 0o077 and not _shared_folder(root):  # a file system without modes (a FAT stick, a CIFS share)
        log.warning("data folder %s keeps mode %o: this file system cannot restrict it", root, root_mode & 0o777)
    if fixed:
        log.warning("data folder %s: %d files or folders were readable by other accounts; tightened", root, fixed)
    return fixed


# -- Windows ----------------------------------------------------------------------------------------------------


def _current_user_sid() -> str:
    """This account's SID, as ``*S-1-5-21-…`` for icacls (a name could be ambiguous between domain and PC)."""
    try:  # pywin32, when installed
        import win32api
        import win32security

        token = win32security.OpenProcessToken(win32api.GetCurrentProcess(), win32security.TOKEN_QUERY)
        sid = win32security.GetTokenInformation(token, win32security.TokenUser)[0]
        return "*" + str(win32security.ConvertSidToStringSid(sid))
    except ImportError:
        pass
    out = subprocess.run(
        ["whoami", "/user", "/fo", "csv", "/nh"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    # "DOMAIN\user","S-1-5-21-…"
    return "*" + out.strip().rsplit(",", 1)[-1].strip().strip('"')


def windows_acl_commands(path: Path, user_sid: str) -> list[list[str]]:
    """The icacls calls that leave ``path`` to its owner and SYSTEM: inheritance from the parent removed
    (``/inheritance:r``), full control granted to both and replacing any grant they had (``/grant:r``), inherited by
    sub-folders (CI) and files (OI)."""
    return [
        [
            "icacls",
            str(path),
            "/inheritance:r",
            "/grant:r",
            f"{user_sid}:(OI)(CI)F",
            f"{_SYSTEM_SID}:(OI)(CI)F",
            "/Q",
        ]
    ]


ACL_MARKER = ".acl-owner-system"  # the folder's ACL was set by this app: later starts skip the (slow) icacls /T


def _secure_windows_folder(root: Path) -> int:
    """Once per data folder: its ACL to owner + SYSTEM (inherited below), and whatever was made before reset to
    inherit it (files made later inherit by themselves, renames within the folder included)."""
    existed = root.exists()
    private_dir(root, tighten=False)
    marker = root / ACL_MARKER
    if marker.exists():
        return 0
    try:
        for cmd in windows_acl_commands(root, _current_user_sid()):
            subprocess.run(cmd, capture_output=True, check=True, timeout=60)
        subprocess.run(
            ["icacls", str(root / "*"), "/reset", "/T", "/C", "/Q"], capture_output=True, check=False, timeout=600
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not restrict the ACL of the data folder %s: %s", root, exc)
        return 0
    marker.write_text("owner + SYSTEM only (icacls)\n", encoding="utf-8")
    if existed:  # made by an older version, or copied in: it inherited its parent's grants until now
        log.warning("data folder %s: its access list was reduced to this account and SYSTEM", root)
    return int(existed)
