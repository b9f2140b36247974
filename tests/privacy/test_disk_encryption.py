"""The start-up check of the data folder's disk encryption, on a made-up /proc/mounts, /dev and /sys/block."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.store import disk_encryption
from motcua.store.disk_encryption import DiskEncryption, linux_status, mount_of


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, Path]:
    """A PC with: / on LVM on LUKS (dm-1 on dm-0 = CRYPT), /srv on a plain partition, /media/usb key on dm-crypt
    plain, /run on tmpfs."""
    dev, sysb = tmp_path / "dev", tmp_path / "sys" / "block"
    (dev / "mapper").mkdir(parents=True)
    for name in ("dm-0", "dm-1", "dm-2", "sda2", "vda"):
        (dev / name).touch()
    (dev / "mapper" / "vg-root").symlink_to("../dm-1")
    (dev / "mapper" / "usb").symlink_to("../dm-2")

    def dm(name: str, uuid: str, slaves: tuple[str, ...] = ()) -> None:
        (sysb / name / "dm").mkdir(parents=True)
        (sysb / name / "dm" / "uuid").write_text(uuid + "\n")
        (sysb / name / "slaves").mkdir()
        for s in slaves:
            (sysb / name / "slaves" / s).mkdir()

    dm("dm-0", "CRYPT-LUKS2-0f1e2d3c4b5a69788796a5b4c3d2e1f0-luks-root")
    dm("dm-1", "LVM-AbCdEf0123456789", ("dm-0",))
    dm("dm-2", "CRYPT-PLAIN-usb")
    (sysb / "sda" / "sda2").mkdir(parents=True)
    (sysb / "vda").mkdir(parents=True)
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/mapper/vg-root / ext4 rw,relatime 0 0\n"
        "/dev/sda2 /srv ext4 rw 0 0\n"
        "/dev/mapper/usb /media/usb\\040key vfat rw 0 0\n"
        "tmpfs /run tmpfs rw 0 0\n"
        "proc /proc proc rw 0 0\n"
    )
    return {"mounts": mounts, "sys": sysb, "dev": dev}


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("/home/clerk/.local/share/motcua", DiskEncryption.ENCRYPTED),  # LVM on LUKS: found below the LV
        ("/srv/motcua", DiskEncryption.NOT_ENCRYPTED),
        ("/srvx/motcua", DiskEncryption.ENCRYPTED),  # not under /srv: on /
        ("/media/usb key/motcua", DiskEncryption.ENCRYPTED),
        ("/run/motcua", DiskEncryption.UNKNOWN),
    ],
)
def test_linux_finds_dm_crypt_under_the_mount(machine, folder: str, expected: DiskEncryption) -> None:
    got = linux_status(Path(folder), machine["mounts"], machine["sys"], machine["dev"])
    assert got is expected


def test_mount_point_names_are_unescaped(machine) -> None:
    assert mount_of(Path("/media/usb key/x"), machine["mounts"]) == ("/dev/mapper/usb", "vfat")


def test_the_warning_is_one_line_and_only_when_known_unencrypted(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(disk_encryption, "status", lambda p: DiskEncryption.NOT_ENCRYPTED)
    text = disk_encryption.warning(tmp_path)
    assert text is not None and "\n" not in text and "chưa được mã hóa" in text and str(tmp_path) in text
    for quiet in (DiskEncryption.ENCRYPTED, DiskEncryption.UNKNOWN):
        monkeypatch.setattr(disk_encryption, "status", lambda p, q=quiet: q)
        assert disk_encryption.warning(tmp_path) is None


def test_windows_reads_bitlocker_without_admin_rights_first(monkeypatch) -> None:
    calls: list[str] = []

    def fake(script: str) -> str:
        calls.append(script)
        return "2" if "Shell.Application" in script else ""

    monkeypatch.setattr(disk_encryption, "_powershell", fake)
    monkeypatch.setattr(disk_encryption.os.path, "splitdrive", lambda p: ("C:", p[2:]))
    assert disk_encryption.windows_status(Path("C:/Users/a/AppData/Local/motcua")) is DiskEncryption.NOT_ENCRYPTED
    assert len(calls) == 1 and "BitLockerProtection" in calls[0] and "'C:'" in calls[0]
