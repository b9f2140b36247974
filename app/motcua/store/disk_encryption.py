"""Is the data folder's disk encrypted? The protection at rest chosen for citizens' data (docs/security.md) is the
operating system's full-disk encryption (BitLocker, LUKS, FileVault), which covers the database, its WAL, the
printed copies, the scans, temporary files and swap together; the app only checks it and says so at start.

Linux: the mount holding the folder is found in ``/proc/mounts``; its device, and every device under it (LVM on
LUKS), is looked up in ``/sys/block/<dm-N>/dm/uuid``, which device-mapper sets to ``CRYPT-LUKS2-…`` (or
``CRYPT-PLAIN-…``) for a dm-crypt mapping. Windows: the volume's BitLocker protection as Explorer shows it
(``System.Volume.BitLockerProtection``, no administrator rights needed), else WMI ``Win32_EncryptableVolume``.
macOS: ``fdesetup isactive``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from enum import StrEnum
from pathlib import Path

from motcua.i18n import tr


class DiskEncryption(StrEnum):
    ENCRYPTED = "encrypted"
    NOT_ENCRYPTED = "not_encrypted"
    UNKNOWN = "unknown"  # a network share, a RAM disk, a container's overlay, a tool that did not answer


# File systems that are not a local disk: nothing of them stays on a stolen PC's disk, or we cannot tell.
_NOT_A_DISK = frozenset({"tmpfs", "ramfs", "overlay", "nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "9p", "virtiofs"})


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes (``\\040``)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 4 <= len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_of(path: Path, proc_mounts: Path = Path("/proc/mounts")) -> tuple[str, str] | None:
    """(device, file system type) of the mount holding ``path``: the longest mount point above it."""
    target = str(path.resolve())
    best: tuple[int, str, str] | None = None
    for line in proc_mounts.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, point, fstype = _unescape(parts[0]), _unescape(parts[1]), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), device, fstype)
    return None if best is None else (best[1], best[2])


def _block_name(device: str, dev_dir: Path) -> str | None:
    """``/dev/mapper/root`` → ``dm-0``, ``/dev/nvme0n1p2`` → ``nvme0n1p2`` (the name under /sys/block or a
    partition's parent)."""
    if not device.startswith("/dev/"):
        return None
    real = Path(os.path.realpath(dev_dir / device.removeprefix("/dev/")))
    return real.name


def _sys_entry(name: str, sys_block: Path) -> Path | None:
    direct = sys_block / name
    if direct.exists():
        return direct
    for disk in sys_block.iterdir() if sys_block.is_dir() else ():  # a partition lives under its disk
        if (disk / name).is_dir():
            return disk / name
    return None


def _crypt_below(entry: Path, sys_block: Path, seen: set[str]) -> bool:
    """The device, or one it is built on (its ``slaves``: LVM on LUKS, RAID), is a dm-crypt mapping."""
    if entry.name in seen:
        return False
    seen.add(entry.name)
    uuid = entry / "dm" / "uuid"
    if uuid.is_file() and uuid.read_text(encoding="utf-8", errors="replace").strip().startswith("CRYPT-"):
        return True
    slaves = entry / "slaves"
    if slaves.is_dir():
        for s in sorted(slaves.iterdir()):
            below = _sys_entry(s.name, sys_block)
            if below is not None and _crypt_below(below, sys_block, seen):
                return True
    return False


def linux_status(
    path: Path,
    proc_mounts: Path = Path("/proc/mounts"),
    sys_block: Path = Path("/sys/block"),
    dev_dir: Path = Path("/dev"),
) -> DiskEncryption:
    try:
        found = mount_of(path, proc_mounts)
    except OSError:
        return DiskEncryption.UNKNOWN
    if found is None:
        return DiskEncryption.UNKNOWN
    device, fstype = found
    if fstype in _NOT_A_DISK:
        return DiskEncryption.UNKNOWN
    name = _block_name(device, dev_dir)
    entry = None if name is None else _sys_entry(name, sys_block)
    if entry is None:
        return DiskEncryption.UNKNOWN
    return DiskEncryption.ENCRYPTED if _crypt_below(entry, sys_block, set()) else DiskEncryption.NOT_ENCRYPTED


# System.Volume.BitLockerProtection: 1 on, 2 off, 3 encrypting, 4 decrypting, 5 suspended, 6 on and locked.
_BITLOCKER_SHELL = {"1": DiskEncryption.ENCRYPTED, "3": DiskEncryption.ENCRYPTED, "6": DiskEncryption.ENCRYPTED,
                    "2": DiskEncryption.NOT_ENCRYPTED, "4": DiskEncryption.NOT_ENCRYPTED,
                    "5": DiskEncryption.NOT_ENCRYPTED}  # fmt: skip
# Win32_EncryptableVolume.ProtectionStatus: 0 off, 1 on, 2 unknown (locked).
_BITLOCKER_WMI = {"0": DiskEncryption.NOT_ENCRYPTED, "1": DiskEncryption.ENCRYPTED}


def _powershell(script: str) -> str:
    done = subprocess.run(
        ["powershell", "-NoProfile", "-NonInteractive", "-Command", script],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def windows_status(path: Path) -> DiskEncryption:
    drive = os.path.splitdrive(str(path.resolve()))[0]  # "C:" (a UNC share has no drive letter: unknown)
    if not drive.endswith(":"):
        return DiskEncryption.UNKNOWN
    try:
        shell = _powershell(
            f"(New-Object -ComObject Shell.Application).NameSpace('{drive}').Self"
            ".ExtendedProperty('System.Volume.BitLockerProtection')"
        )
        if shell in _BITLOCKER_SHELL:
            return _BITLOCKER_SHELL[shell]
        wmi = _powershell(
            r"(Get-CimInstance -Namespace root\cimv2\Security\MicrosoftVolumeEncryption "
            f"-ClassName Win32_EncryptableVolume -Filter \"DriveLetter='{drive}'\").ProtectionStatus"
        )
        return _BITLOCKER_WMI.get(wmi, DiskEncryption.UNKNOWN)
    except (OSError, subprocess.SubprocessError):
        return DiskEncryption.UNKNOWN


def macos_status() -> DiskEncryption:
    try:
        out = subprocess.run(["fdesetup", "isactive"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return DiskEncryption.UNKNOWN
    return {"true": DiskEncryption.ENCRYPTED, "false": DiskEncryption.NOT_ENCRYPTED}.get(out, DiskEncryption.UNKNOWN)


def status(path: Path) -> DiskEncryption:
    """Whether the disk holding ``path`` is encrypted by the operating system."""
    platform: str = sys.platform  # a plain str: mypy would otherwise drop the other systems' branches
    if platform.startswith("linux"):
        return linux_status(path)
    if platform == "win32":
        return windows_status(path)
    if platform == "darwin":
        return macos_status()
    return DiskEncryption.UNKNOWN


def warning(path: Path) -> str | None:
    """The one line to say at start when the data folder's disk is known not to be encrypted (else None)."""
    if status(path) is not DiskEncryption.NOT_ENCRYPTED:
        return None
    return tr(
        "Cảnh báo: ổ đĩa chứa dữ liệu công dân ({path}) chưa được mã hóa; hãy bật BitLocker (Windows) hoặc LUKS "
        "(Linux) để máy hoặc ổ đĩa bị mất không lộ dữ liệu cá nhân",
        path=str(path),
    )
