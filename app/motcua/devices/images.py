"""Reading an image file safely: its size is checked from the header before a single pixel is decoded.

A PNG of a few hundred bytes can claim 30000×30000 pixels; decoding it asks for gigabytes and takes the counter's
PC down with it. Pillow reads only the header to learn the size, so :func:`load_image` refuses such a file at once,
then lets OpenCV decode what passed (``OPENCV_IO_MAX_IMAGE_PIXELS``, set in ``motcua/__init__.py`` before OpenCV
loads, stops OpenCV itself for formats Pillow does not know).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from motcua.domain.errors import ValidationError
from motcua.i18n import tr

# 100 megapixels: a 600 dpi A3 scan (7000×9900) and a 108 MP phone photo's default 12 MP output fit with room;
# decoded as colour that is 300 MB, the most a counter PC should give one image.
MAX_IMAGE_PIXELS = 100_000_000
# Bigger than any photo or scan of paper; a bigger file is almost surely not what the clerk meant to open.
MAX_IMAGE_BYTES = 200 * 1024 * 1024


class ImageFileError(ValidationError):
    """An image file that is missing, not an image, damaged or too large; the message names the file."""


def image_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(width, height) from the file's header without decoding it; None when Pillow does not know the format.

    Raises:
        ImageFileError: a file Pillow knows that is damaged or claims more than :data:`MAX_IMAGE_PIXELS`.
    """
    name = Path(path).name
    try:
        with warnings.catch_warnings():
            # Pillow warns (and from 2× its own limit raises) about bombs; we decide with our own limit below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_large(name, width, height)
                if im.format == "PNG":
                    # Chunk checksums only, no inflating: a cut-off PNG is refused here instead of libpng printing
                    # its own complaint on the terminal.
                    im.verify()
                return width, height
    except Image.DecompressionBombError:
        raise _too_large(name, 0, 0) from None
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageFileError(tr("Tệp ảnh {file} bị hỏng hoặc không trọn vẹn", file=name), "image") from None


def load_image(path: str | os.PathLike[str], grayscale: bool = False) -> np.ndarray:
    """The image at ``path`` as OpenCV decodes it (BGR, or grey), after checking its size from the header.

    Non-ASCII (Vietnamese) paths work on every platform.

    Raises:
        ImageFileError: missing, a folder, empty, not an image, damaged, or larger than the limits.
    """
    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        raise ImageFileError(tr("{file} là một thư mục, không phải tệp ảnh", file=str(p)), "image")
    try:
        size = p.stat().st_size
    except OSError:
        raise ImageFileError(tr("Không tìm thấy tệp ảnh {file}", file=str(p)), "image") from None
    if size == 0:
        raise ImageFileError(tr("Tệp ảnh {file} rỗng (0 byte)", file=name), "image")
    if size > MAX_IMAGE_BYTES:
        raise ImageFileError(
            tr(
                "Tệp ảnh {file} quá lớn ({mb} MB, tối đa {max_mb} MB)",
                file=name,
                mb=size >> 20,
                max_mb=MAX_IMAGE_BYTES >> 20,
            ),
            "image",
        )
    image_size(p)
    try:
        data = np.fromfile(str(p), dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE if grayscale else cv2.IMREAD_COLOR)
    except OSError:
        raise ImageFileError(tr("Không đọc được tệp ảnh: {file}", file=name), "image") from None
    except cv2.error:
        # OpenCV's own pixel limit, for a format Pillow did not know.
        raise ImageFileError(tr("Không đọc được tệp ảnh: {file}", file=name), "image") from None
    if image is None:
        raise ImageFileError(tr("Không đọc được tệp ảnh: {file}", file=name), "image")
    return image


def _too_large(name: str, width: int, height: int) -> ImageFileError:
    if not width:  # Pillow's own bomb error, which does not say the size
        return ImageFileError(
            tr("Ảnh {file} quá lớn (tối đa {limit} triệu điểm ảnh)", file=name, limit=MAX_IMAGE_PIXELS // 1_000_000),
            "image",
        )
    return ImageFileError(
        tr(
            "Ảnh {file} quá lớn ({width}×{height} điểm ảnh; tối đa {limit} triệu điểm ảnh)",
            file=name,
            width=width,
            height=height,
            limit=MAX_IMAGE_PIXELS // 1_000_000,
        ),
        "image",
    )
