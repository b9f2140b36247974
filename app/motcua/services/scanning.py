"""Reading codes for the counter: the ID-card QR from an image or camera frame, receipt barcodes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from motcua.devices.barcode import decode_file, decode_image
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
