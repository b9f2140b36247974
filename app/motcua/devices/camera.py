"""Cameras: webcams and document cameras through OpenCV; a video or image file works as a camera too.

A camera source is text, as the settings and the workstation's saved choice hold it: a device index ("0"), a
device index on one capture backend ("dshow:1", "msmf:0", "v4l2:2", "avfoundation:0"), or a file path.
``list_cameras`` finds the devices present, with the name the platform gives them where it gives one.
"""

from __future__ import annotations

import contextlib
import glob
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

BACKENDS: dict[str, int] = {
    "v4l2": cv2.CAP_V4L2,
    "dshow": cv2.CAP_DSHOW,
    "msmf": cv2.CAP_MSMF,
    "avfoundation": cv2.CAP_AVFOUNDATION,
    "gstreamer": cv2.CAP_GSTREAMER,
}
# Per platform, the backends to list cameras on, best first. DirectShow opens a webcam in well under a second
# where Media Foundation can take several, and it honours the asked resolution; both number devices alike only
# by chance, so a device is always reopened on the backend it was listed on.
_PLATFORM_BACKENDS = {"win32": ("dshow", "msmf"), "linux": ("v4l2",), "darwin": ("avfoundation",)}
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"})


class CameraError(MotcuaError):
    pass


class Camera(Protocol):
    def read(self) -> np.ndarray | None:
        """The next BGR frame, or None when the source has ended."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class CameraDevice:
    """A camera found on this computer.

    Attributes:
        source: what ``open_camera`` takes to open it ("dshow:0", "v4l2:2", …).
        name: the platform's name for it ("HD Pro Webcam C920"), or "" when the platform gives none.
        index: its device number on its backend.
    """

    source: str
    name: str
    index: int


def parse_source(source: str) -> tuple[int | None, int, str]:
    """(device index or None for a file, capture backend, file path or "") of a camera source."""
    text = source.strip()
    backend, _sep, rest = text.partition(":")
    if rest.isdigit() and backend.lower() in BACKENDS:
        return int(rest), BACKENDS[backend.lower()], ""
    if text.isdigit():
        return int(text), cv2.CAP_ANY, ""
    return None, cv2.CAP_ANY, text


def describe_source(source: str) -> str:
    """A camera source as a person reads it: "camera 1" for a device (counted from 1), the file name for a file."""
    index, _backend, path = parse_source(source)
    if index is None:
        return Path(path).name or path
    return tr("camera {n}", n=index + 1)


@contextlib.contextmanager
def _quiet_opencv() -> Iterator[None]:
    # Probing absent devices makes OpenCV log a warning for each; the clerk sees the list, not the log.
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(level)


class _Pace:
    """Hands out frames no faster than ``fps`` (0: at once), as a camera delivers them."""

    def __init__(self, fps: float) -> None:
        self._period = 1.0 / fps if fps > 0 else 0.0
        self._next_at = 0.0

    def wait(self) -> None:
        if not self._period:
            return
        now = time.monotonic()
        if now < self._next_at:
            time.sleep(self._next_at - now)
        self._next_at = max(now, self._next_at) + self._period


class OpenCvCamera:
    """A device or a video file, opened with cv2.VideoCapture.

    Args:
        source: a camera source (see the module docstring).
        width, height: the capture size asked of a device (a file keeps its own size).

    Raises:
        CameraError: the device or file cannot be opened, or a device opens but sends no picture.
    """

    def __init__(self, source: str, width: int = 1920, height: int = 1080) -> None:
        self.source = source
        index, backend, path = parse_source(source)
        with _quiet_opencv():
            self._cap = cv2.VideoCapture(path) if index is None else cv2.VideoCapture(index, backend)
        self._first: np.ndarray | None = None
        self._pace = _Pace(0.0)  # a file plays at its own frame rate, as the camera it stands for would
        if not self._cap.isOpened():
            raise CameraError(
                tr(
                    "Không mở được {camera}: camera đã bị rút ra, đang được chương trình khác dùng hoặc không "
                    "có quyền truy cập. Hãy cắm lại hoặc chọn camera khác.",
                    camera=describe_source(source),
                )
            )
        if index is None:
            fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
            self._pace = _Pace(fps if 1.0 <= fps <= 240.0 else 0.0)
            return
        self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        # A device can open and still deliver nothing (another program holds the stream): say so now, while the
        # clerk is looking at the chooser, rather than showing a black view.
        ok, frame = self._cap.read()
        if not ok:
            self._cap.release()
            raise CameraError(
                tr(
                    "{camera} mở được nhưng không gửi hình: hãy đóng chương trình khác đang dùng camera, "
                    "hoặc chọn camera khác.",
                    camera=describe_source(source).capitalize(),
                )
            )
        self._first = frame

    def read(self) -> np.ndarray | None:
        if self._first is not None:
            frame, self._first = self._first, None
            return frame
        self._pace.wait()
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        self._cap.release()


class ImageFileCamera:
    """Still images played as frames (a flatbed scan or a photo treated like a camera)."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._paths = iter(list(paths))

    def read(self) -> np.ndarray | None:
        for p in self._paths:
            frame = cv2.imdecode(np.fromfile(str(p), dtype=np.uint8), cv2.IMREAD_COLOR)
            if frame is not None:
                return frame
        return None

    def close(self) -> None:
        self._paths = iter(())


class FakeCamera:
    """Scripted frames for tests and the no-hardware demo; ``fps`` paces them as a real camera does (a read waits
    for the next frame's time), None hands them out at once."""

    def __init__(self, frames: Iterable[np.ndarray], fps: float | None = None) -> None:
        self._frames: Iterator[np.ndarray] = iter(list(frames))
        self._pace = _Pace(fps or 0.0)
        self.closed = False

    def read(self) -> np.ndarray | None:
        self._pace.wait()
        return next(self._frames, None)

    def close(self) -> None:
        self.closed = True


def open_camera(source: str, width: int = 1920, height: int = 1080) -> Camera:
    if Path(source).suffix.lower() in IMAGE_SUFFIXES:
        return ImageFileCamera([Path(source)])
    return OpenCvCamera(source, width, height)


# -- finding the cameras present --------------------------------------------------------------------------------
Enumerator = Callable[[int], Iterable[Any]]  # backend → objects with .index and .name (cv2_enumerate_cameras)
Opener = Callable[[int, int], Any]  # (index, backend) → an object with isOpened() and release()


def _library_enumerator() -> Enumerator | None:
    try:
        from cv2_enumerate_cameras import enumerate_cameras, supported_backends
    except ImportError:  # an optional dependency: without it, indices are probed and cameras go unnamed
        return None

    def enumerate_on(backend: int) -> Iterable[Any]:
        return enumerate_cameras(backend) if backend in supported_backends else ()

    return enumerate_on


def _linux_devices(root: Path) -> list[tuple[int, str]]:
    """(index, name) of the V4L2 capture nodes, from sysfs: a UVC camera has a second node for metadata, whose
    ``index`` is not 0."""
    found = []
    for dev in sorted(glob.glob(str(root / "dev" / "video*"))):
        number = Path(dev).name.removeprefix("video")
        if not number.isdigit():
            continue
        sys_dir = root / "sys" / "class" / "video4linux" / f"video{number}"
        node = _read_line(sys_dir / "index")
        if node not in (None, "0"):
            continue
        found.append((int(number), _read_line(sys_dir / "name") or ""))
    return sorted(found)


def _read_line(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _probe(backend: int, max_index: int, opener: Opener) -> list[int]:
    """Indices 0.. that open on ``backend``, up to the first that does not (devices are numbered without gaps)."""
    found = []
    with _quiet_opencv():
        for index in range(max_index + 1):
            cap = opener(index, backend)
            opened = bool(cap.isOpened())
            cap.release()
            if not opened:
                break
            found.append(index)
    return found


def list_cameras(
    max_index: int = 5,
    platform: str | None = None,
    enumerator: Enumerator | None = None,
    opener: Opener | None = None,
    root: Path = Path("/"),
) -> list[CameraDevice]:
    """The cameras present, best backend of the platform first; slow (devices are opened), so not on the GUI
    thread.

    Args:
        max_index: the highest device number probed when the platform cannot list its devices.
        platform: ``sys.platform`` (tests pass another).
        enumerator: lists named devices per backend; default cv2_enumerate_cameras when installed.
        opener: opens a device to probe it; default cv2.VideoCapture.
        root: where /dev and /sys are (tests pass a fake tree).
    """
    platform = platform or sys.platform
    enumerate_on = enumerator if enumerator is not None else _library_enumerator()
    backends = next((names for prefix, names in _PLATFORM_BACKENDS.items() if platform.startswith(prefix)), ())
    for name in backends:
        backend = BACKENDS[name]
        if enumerate_on is not None:
            listed = [(int(c.index), str(c.name or "")) for c in enumerate_on(backend)]
        elif name == "v4l2":
            listed = _linux_devices(root)
        else:
            listed = [(i, "") for i in _probe(backend, max_index, opener or cv2.VideoCapture)]
        if listed:
            return [CameraDevice(f"{name}:{index}", label, index) for index, label in listed]
    if backends:
        return []
    # An unknown platform: probe plain indices on whatever backend OpenCV picks.
    return [CameraDevice(str(i), "", i) for i in _probe(cv2.CAP_ANY, max_index, opener or cv2.VideoCapture)]
