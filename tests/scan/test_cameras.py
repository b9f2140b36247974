"""Finding the cameras on a computer and opening one: by name where the platform names them, by probing device
numbers where it does not, and a clear sentence when a camera cannot be used."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import cv2
import pytest

from motcua.devices.camera import CameraDevice, CameraError, describe_source, list_cameras, open_camera, parse_source


class _Cap:
    def __init__(self, opened: bool) -> None:
        self._opened = opened
        self.released = False

    def isOpened(self) -> bool:
        return self._opened

    def release(self) -> None:
        self.released = True


def test_named_cameras_are_listed_on_the_platforms_preferred_backend() -> None:
    asked: list[int] = []

    def enumerate_on(backend: int) -> list[object]:
        asked.append(backend)
        if backend == cv2.CAP_DSHOW:
            return [SimpleNamespace(index=0, name="HD Pro Webcam C920"), SimpleNamespace(index=1, name="")]
        return [SimpleNamespace(index=0, name="should not be reached")]

    cameras = list_cameras(platform="win32", enumerator=enumerate_on)

    assert cameras == [CameraDevice("dshow:0", "HD Pro Webcam C920", 0), CameraDevice("dshow:1", "", 1)]
    assert asked == [cv2.CAP_DSHOW]


def test_media_foundation_is_asked_when_directshow_lists_nothing() -> None:
    def enumerate_on(backend: int) -> list[object]:
        return [SimpleNamespace(index=0, name="Integrated Camera")] if backend == cv2.CAP_MSMF else []

    assert list_cameras(platform="win32", enumerator=enumerate_on) == [CameraDevice("msmf:0", "Integrated Camera", 0)]


def test_without_a_lister_windows_devices_are_probed_up_to_the_first_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("motcua.devices.camera._library_enumerator", lambda: None)
    opened: dict[int, _Cap] = {}

    def opener(index: int, backend: int) -> _Cap:
        assert backend == cv2.CAP_DSHOW
        opened[index] = _Cap(index in (0, 1, 3))
        return opened[index]

    cameras = list_cameras(platform="win32", opener=opener)

    assert [c.source for c in cameras] == ["dshow:0", "dshow:1"]
    assert sorted(opened) == [0, 1, 2] and all(c.released for c in opened.values())


def test_linux_capture_nodes_are_read_from_sysfs_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("motcua.devices.camera._library_enumerator", lambda: None)
    (tmp_path / "dev").mkdir()
    names = {0: ("HD Webcam", "0"), 1: ("HD Webcam", "1"), 2: ("Document Camera S500", "0")}
    for n, (name, node) in names.items():
        (tmp_path / "dev" / f"video{n}").touch()
        sys_dir = tmp_path / "sys" / "class" / "video4linux" / f"video{n}"
        sys_dir.mkdir(parents=True)
        (sys_dir / "name").write_text(name + "\n", encoding="utf-8")
        (sys_dir / "index").write_text(node + "\n", encoding="utf-8")

    cameras = list_cameras(platform="linux", root=tmp_path)

    # video1 is the webcam's metadata node, not a picture.
    assert cameras == [CameraDevice("v4l2:0", "HD Webcam", 0), CameraDevice("v4l2:2", "Document Camera S500", 2)]


def test_this_machine_can_be_listed() -> None:
    # Whatever is plugged in here (CI has no camera): the call returns devices of the kind the chooser shows.
    cameras = list_cameras()
    assert all(isinstance(c, CameraDevice) and parse_source(c.source)[0] == c.index for c in cameras)


def test_sources_name_a_device_on_a_backend_a_plain_number_or_a_file() -> None:
    assert parse_source("dshow:1") == (1, cv2.CAP_DSHOW, "")
    assert parse_source("v4l2:2") == (2, cv2.CAP_V4L2, "")
    assert parse_source("0") == (0, cv2.CAP_ANY, "")
    assert parse_source("C:\\\\demo\\\\desk.avi") == (None, cv2.CAP_ANY, "C:\\\\demo\\\\desk.avi")
    assert describe_source("msmf:0") == "camera 1"
    assert describe_source("/srv/demo/desk.avi") == "desk.avi"


def test_a_camera_that_cannot_be_opened_says_so_in_words() -> None:
    with pytest.raises(CameraError) as caught:
        open_camera("v4l2:63")
    message = str(caught.value)
    assert message.startswith("Không mở được camera 64")
    assert "chọn camera khác" in message
