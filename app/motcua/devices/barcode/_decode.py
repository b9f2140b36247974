"""The decoding strategy: cheap attempts first, stop as soon as a believable symbol is found.

1. ZBar on the frame as it is (clean, upright codes end here, in a few milliseconds).
2. Locate barcode-like regions (``_locate``). Linear ones are rectified (``_linear``) for ZBar, and if
   that fails their averaged profiles go to the model-based decoder (``_bars``). QR ones get denoised
   and perspective-corrected views for ZBar and OpenCV, then a clean redraw from their module grid
   (``_qrgrid``).
3. Last resort: the whole frame smoothed, contrast-equalised and rotated.

Reads are tallied: QR (Reed-Solomon) and Code 128 (mod-103 check) are trusted at once, symbologies
with weak or no check characters (Code 39, EAN, I2/5, …) only once two independent reads agree.
A frame holding several codes returns those found by the first attempt that finds any.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from motcua.devices.barcode._bars import decode_profile
from motcua.devices.barcode._linear import rectified
from motcua.devices.barcode._locate import Region, locate
from motcua.devices.barcode._qr import opencv_decode, qr_views
from motcua.devices.barcode._text import is_plausible, linear_text, qr_text
from motcua.devices.barcode._zbar import RawSymbol, scan
from motcua.devices.images import load_image
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

_TRUSTED_TYPES = frozenset({"QRCODE", "CODE128"})  # strong built-in error detection
_VOTES_NEEDED = 2  # for every other symbology
# ZBar scans rows and columns, so a rotation by 90° + a is the same as by a: 15-75° cover every angle.
_FALLBACK_ANGLES = (15, 30, 45, 60, 75)
_FALLBACK_SIZE = 1000  # whole-frame retries run on a copy at most this large
_MODEL_COHERENCE = 0.4  # printed bars give 0.48-0.98 (0.65+ unless very noisy); text lines 0.3-0.47


@dataclass(frozen=True, slots=True)
class Symbol:
    """One decoded barcode or QR code."""

    type: str  # "QRCODE", "CODE128", "CODE39", "EAN13", … (pyzbar's names)
    text: str  # NFC-normalised decoded text


@dataclass(slots=True)
class _Tally:
    """Reads collected so far and how much each is supported."""

    votes: dict[Symbol, int] = field(default_factory=dict)

    def add_zbar(self, raws: list[RawSymbol], independent_rows: bool = True) -> None:
        for raw in raws:
            if raw.type == "QRCODE":
                self._vote(Symbol("QRCODE", qr_text(raw.data, raw.binary)), _VOTES_NEEDED)
            else:
                # Identical rows all give the same read, so their count proves nothing.
                weight = min(raw.quality, _VOTES_NEEDED) if independent_rows else 1
                self._vote(Symbol(raw.type, linear_text(raw.data)), max(1, weight))

    def add_reads(self, reads: list[tuple[str, str]]) -> None:
        """Reads from the model-based decoder: one vote each (a check character, if any, passed)."""
        for symbology, text in reads:
            self._vote(Symbol(symbology, unicodedata.normalize("NFC", text)), 1)

    def add_qr_texts(self, texts: list[str]) -> None:
        for text in texts:
            self._vote(Symbol("QRCODE", qr_text(text.encode("utf-8"), binary=True)), _VOTES_NEEDED)

    def accepted(self) -> list[Symbol]:
        return [symbol for symbol, votes in self.votes.items() if _believable(symbol, votes)]

    def _vote(self, symbol: Symbol, weight: int) -> None:
        if is_plausible(symbol.text):
            self.votes[symbol] = self.votes.get(symbol, 0) + weight


def _believable(symbol: Symbol, votes: int) -> bool:
    return symbol.type in _TRUSTED_TYPES or votes >= _VOTES_NEEDED


def decode_image(image: np.ndarray) -> list[Symbol]:
    """Decode the barcodes and QR codes in a BGR, BGRA or grayscale frame (deduplicated)."""
    gray = _to_gray(image)
    if gray is None:
        return []
    tally = _Tally()
    tally.add_zbar(scan(gray))
    if tally.accepted():
        return tally.accepted()
    for region in locate(gray):
        if _decode_region(gray, region, tally):
            return tally.accepted()
    for index, view in enumerate(_fallback_views(gray)):
        # Only the first two views are upright; rotating helps linear codes only (ZBar finds QR codes
        # at any angle).
        tally.add_zbar(scan(view, qr=index < 2))
        if tally.accepted():
            break
    return tally.accepted()


def decode_file(path: str | os.PathLike[str]) -> list[Symbol]:
    """Decode an image file; non-ASCII (Vietnamese) paths work on every platform.

    Raises:
        ImageFileError: (a ValidationError) the file is missing, not an image, damaged or too large to decode.
    """
    return decode_image(load_image(path, grayscale=True))


def _decode_region(gray: np.ndarray, region: Region, tally: _Tally) -> bool:
    """Try the views of one region until a symbol is believable; True if one was."""
    return _decode_linear(gray, region, tally) if region.is_linear else _decode_qr(gray, region, tally)


def _decode_linear(gray: np.ndarray, region: Region, tally: _Tally) -> bool:
    """ZBar on rectified views first; the model-based decoder for what blur has made unreadable."""
    code = rectified(gray, region)
    if code is None:
        return False
    for view in code.views():
        tally.add_zbar(scan(view.image, qr=False), view.independent_rows)
        if tally.accepted():
            return True
    if region.coherence < _MODEL_COHERENCE:
        return False  # text or texture rather than bars: not worth the model-based decoder
    for profile in code.profiles():
        tally.add_reads(decode_profile(profile))
        if tally.accepted():
            return True
    return False


def _decode_qr(gray: np.ndarray, region: Region, tally: _Tally) -> bool:
    for decoder, image in qr_views(gray, region):
        if decoder == "zbar":
            tally.add_zbar(scan(image))
        else:
            tally.add_qr_texts(opencv_decode(image))
        if tally.accepted():
            return True
    return False


def _fallback_views(gray: np.ndarray) -> Iterator[np.ndarray]:
    """Whole-frame variants for codes the locator missed (tiny, or touching the frame edge)."""
    scale = min(1.0, _FALLBACK_SIZE / max(gray.shape))
    base = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    smooth = cv2.GaussianBlur(base, (0, 0), 1.0)
    yield smooth
    yield cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(smooth)
    for angle in _FALLBACK_ANGLES:
        yield _rotate(smooth, angle)


def _rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, growing the canvas so that no corner is cut off."""
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_w / 2 - width / 2
    matrix[1, 2] += new_h / 2 - height / 2
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _to_gray(image: np.ndarray) -> np.ndarray | None:
    """8-bit single-channel copy of a frame; None for an empty one."""
    array = np.asarray(image)
    if array.size == 0:
        return None
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 3 and array.shape[2] in (3, 4):
        array = cv2.cvtColor(_to_u8(array), cv2.COLOR_BGR2GRAY if array.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)
    if array.ndim != 2:
        raise ValidationError(tr("Ảnh không đúng định dạng (kích thước {shape})", shape=array.shape))
    return _to_u8(array)


def _to_u8(array: np.ndarray) -> np.ndarray:
    if array.dtype == np.uint8:
        return array
    if array.dtype == np.bool_:
        return array.astype(np.uint8) * 255
    if array.dtype == np.uint16:
        return (array >> 8).astype(np.uint8)
    values = array.astype(np.float64)
    if np.issubdtype(array.dtype, np.floating) and float(np.nanmax(values)) <= 1.0:
        values = values * 255.0  # float images in [0, 1]
    return np.clip(np.nan_to_num(values), 0, 255).astype(np.uint8)
