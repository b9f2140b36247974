"""Reading codes for the counter: the ID-card QR from an image or camera frame, receipt barcodes."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from motcua.config import CameraSettings
from motcua.devices.barcode import decode_file, decode_image
from motcua.devices.camera import Camera, open_camera
from motcua.devices.scan_worker import ScanWorker
from motcua.domain.applicant import Applicant
from motcua.domain.cccd import parse_cccd
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

_POLL_S = 0.1  # how often the timeout is looked at while no code comes (a fake clock may not advance by itself)


def applicant_from_symbols(texts: list[str]) -> Applicant:
    for text in texts:
        try:
            return parse_cccd(text).to_applicant()
        except ValidationError:
            continue
    raise ValidationError(tr("Không tìm thấy mã QR căn cước trong ảnh"))


def applicant_from_image_file(path: Path) -> Applicant:
    return applicant_from_symbols([s.text for s in decode_file(path)])


def applicant_from_frame(frame: np.ndarray) -> Applicant:
    return applicant_from_symbols([s.text for s in decode_image(frame)])


def applicant_from_camera(
    camera: Camera, timeout_s: float = 10.0, clock: Callable[[], float] = time.monotonic
) -> Applicant:
    """Read frames until one shows an ID-card QR (the citizen holds the card up), or give up after a while.

    The camera is read at its own pace while the newest frame is decoded (``ScanWorker``); the camera is closed
    on the way out, whatever happens.

    Raises:
        ValidationError: no ID-card QR was read before the timeout or the end of the source.
    """
    deadline = clock() + timeout_s
    worker = ScanWorker(camera).start()
    try:
        while (remaining := deadline - clock()) > 0:
            try:
                result = worker.results.get(timeout=min(remaining, _POLL_S))
            except queue.Empty:
                continue
            if result is None:  # the source ended, or reading it failed
                if worker.error is not None:
                    raise worker.error
                break
            try:
                return applicant_from_symbols([s.text for s in result.symbols])
            except ValidationError:
                continue  # a code, but not an ID card's: keep looking
    finally:
        worker.stop()
        camera.close()
    raise ValidationError(tr("Không đọc được mã QR căn cước từ camera; hãy đưa thẻ lại gần và giữ yên"))


def open_counter_camera(settings: CameraSettings) -> Camera:
    return open_camera(settings.source, settings.width, settings.height)
