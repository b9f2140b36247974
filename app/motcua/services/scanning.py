"""Reading codes for the counter: the ID-card QR from an image or camera frame, receipt barcodes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from motcua.config import CameraSettings
from motcua.devices.barcode import decode_file, decode_image
from motcua.devices.camera import Camera, open_camera
from motcua.domain.applicant import Applicant
from motcua.domain.cccd import parse_cccd
from motcua.domain.errors import ValidationError
from motcua.i18n import tr


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
    """Read frames until one shows an ID-card QR (the citizen holds the card up), or give up after a while."""
    deadline = clock() + timeout_s
    try:
        while clock() < deadline:
            frame = camera.read()
            if frame is None:
                break
            texts = [s.text for s in decode_image(frame)]
            if texts:
                try:
                    return applicant_from_symbols(texts)
                except ValidationError:
                    continue
    finally:
        camera.close()
    raise ValidationError(tr("Không đọc được mã QR căn cước từ camera; hãy đưa thẻ lại gần và giữ yên"))


def open_counter_camera(settings: CameraSettings) -> Camera:
    return open_camera(settings.source, settings.width, settings.height)
