"""Cameras: webcams and document cameras through OpenCV; a video or image file works as a camera too."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr


class CameraError(MotcuaError):
    pass


class Camera(Protocol):
    def read(self) -> np.ndarray | None:
        """The next BGR frame, or None when the source has ended."""
        ...

    def close(self) -> None: ...


class OpenCvCamera:
    """A device index ("0", "1", …) or a video file path, opened with cv2.VideoCapture.

    Args:
        source: device index as text, or a file path (a looping demo video, or a test clip).
        width, height: the capture size asked of a device (a file keeps its own size).
    """

    def __init__(self, source: str, width: int = 1920, height: int = 1080) -> None:
        self.source = source
        self._cap = cv2.VideoCapture(int(source)) if source.isdigit() else cv2.VideoCapture(source)
        if not self._cap.isOpened():
            raise CameraError(tr("Không mở được camera {source}", source=source))
        if source.isdigit():
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    def read(self) -> np.ndarray | None:
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
    """Scripted frames for tests and the no-hardware demo."""

    def __init__(self, frames: Iterable[np.ndarray]) -> None:
        self._frames: Iterator[np.ndarray] = iter(list(frames))
        self.closed = False

    def read(self) -> np.ndarray | None:
        return next(self._frames, None)

    def close(self) -> None:
        self.closed = True


def open_camera(source: str, width: int = 1920, height: int = 1080) -> Camera:
    path = Path(source)
    if path.suffix.lower() in {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"}:
        return ImageFileCamera([path])
    return OpenCvCamera(source, width, height)
