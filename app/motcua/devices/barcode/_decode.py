"""The decoding strategy: cheap attempts first, stop as soon as a believable symbol is found.

1. zxing-cpp on the frame as it is (``_zxing``): clean and moderately degraded codes end here, in about ten
   milliseconds on a full HD frame. Then ZBar on the whole frame (still images only: 30-250 ms on a busy frame).
2. The recovery stages (``recovery``): locate barcode-like regions (``_locate``; a large photo also a ninth and a
   sixteenth at a time); zxing-cpp on each at native resolution (a small QR one also at twice the size); linear
   ones are rectified (``_linear``) for ZBar, and if that fails their averaged profiles go to the model-based
   decoder (``_bars``). QR ones get denoised and perspective-corrected views for ZBar and
   OpenCV, then a clean redraw from their module grid (``_qrgrid``).
3. Last resort: the whole frame smoothed, contrast-equalised and rotated.

Each attempt of stages 2-3 is one step of a generator, so a caller with a time budget (``budget_ms``, or the
live decoder, ``_live``) can stop between steps or resume them on a later frame.

Reads are tallied: QR (Reed-Solomon) and Code 128 (mod-103 check) are trusted at once, symbologies
with weak or no check characters (Code 39, EAN, I2/5, …) only once two independent reads agree.
A frame holding several codes returns those found by the first attempt that finds any.
"""

from __future__ import annotations

import os
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from motcua.devices.barcode import _zxing
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
_TILE_ABOVE = 2600  # frames with a longer side are also located a tile at a time
# (side of a tile as a fraction of the frame's, tiles along each side): ninths, then sixteenths.
_TILE_LEVELS = ((0.45, 3), (0.3, 4))
# A sixteenth's region is decoded only if this coherent (the faint codes: 0.77-0.94), this long across its bars
# (fraction of the tile's side; codes 0.6-0.9, wood grain 0.1-0.28) and this many times as long as high (codes
# 2.7-5.2, a hand 1.4).
_FINE_COHERENCE = 0.6
_FINE_LENGTH = 0.4
_FINE_ASPECT = 2.0
_REGION_MARGIN = 0.15  # around a located region handed to zxing-cpp: the quiet zone, and some slack
_UPSCALE_BELOW = 240  # a QR region's crop smaller than this (pixels) is also read by zxing-cpp at twice the size


@dataclass(frozen=True, slots=True)
class Symbol:
    """One decoded barcode or QR code."""

    type: str  # "QRCODE", "CODE128", "CODE39", "EAN13", … (pyzbar's names)
    text: str  # NFC-normalised decoded text


@dataclass(slots=True)
class Tally:
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


def decode_image(image: np.ndarray, budget_ms: float | None = None) -> list[Symbol]:
    """Decode the barcodes and QR codes in a BGR, BGRA or grayscale frame (deduplicated).

    Args:
        image: the frame.
        budget_ms: stop trying once this many milliseconds have passed, between two attempts (so one attempt
            may overrun it); the fast first pass always runs. None tries everything, as for an image file.
    """
    started = time.perf_counter()
    gray = to_gray(image)
    if gray is None:
        return []
    tally = Tally()
    tally.add_zbar(_zxing.read(gray))
    if tally.accepted() or _spent(started, budget_ms):
        return tally.accepted()
    tally.add_zbar(scan(gray))
    if tally.accepted():
        return tally.accepted()
    for _ in recovery(gray, tally):
        if tally.accepted() or _spent(started, budget_ms):
            break
    return tally.accepted()


def fast_pass(gray: np.ndarray, invert: bool = True) -> list[Symbol]:
    """The believable reads of zxing-cpp alone on a grey frame (``invert``: light-on-dark codes too)."""
    tally = Tally()
    tally.add_zbar(_zxing.read(gray, invert=invert))
    return tally.accepted()


def recovery(gray: np.ndarray, tally: Tally) -> Iterator[None]:
    """The slow stages, one attempt per step; each step adds its reads to ``tally``.

    The caller checks ``tally.accepted()`` after each step and stops when it has what it wants.
    """
    regions = locate(gray)
    yield
    for region in regions:
        yield from _decode_region(gray, region, tally)
    tried = [region.bounds(0.0, gray.shape) for region in regions]
    for x0, y0, tile, fine in _tiles(gray):
        tile_regions = locate(tile)
        yield
        for region in tile_regions:
            region = replace(region, points=region.points + np.array([x0, y0]))
            if fine and (not _long_bars(region, max(tile.shape)) or _seen(region.bounds(0.0, gray.shape), tried)):
                continue
            tried.append(region.bounds(0.0, gray.shape))
            yield from _decode_region(gray, region, tally)
    for index, view in enumerate(_fallback_views(gray)):
        # Only the first two views are upright; rotating helps linear codes only (ZBar finds QR codes
        # at any angle).
        tally.add_zbar(scan(view, qr=index < 2))
        yield


def _spent(started: float, budget_ms: float | None) -> bool:
    return budget_ms is not None and (time.perf_counter() - started) * 1000.0 >= budget_ms


def decode_file(path: str | os.PathLike[str]) -> list[Symbol]:
    """Decode an image file; non-ASCII (Vietnamese) paths work on every platform.

    Raises:
        ImageFileError: (a ValidationError) the file is missing, not an image, damaged or too large to decode.
    """
    return decode_image(load_image(path, grayscale=True))


def _decode_region(gray: np.ndarray, region: Region, tally: Tally) -> Iterator[None]:
    """Try the views of one region, one per step, until a symbol is believable."""
    # zxing-cpp first, at native resolution: a code small in a large frame keeps every pixel it has.
    x0, y0, x1, y1 = region.bounds(_REGION_MARGIN, gray.shape)
    for raws in zxing_region(gray[y0:y1, x0:x1], region.is_linear):
        tally.add_zbar(raws)
        yield
        if tally.accepted():
            return
    yield from _decode_linear(gray, region, tally) if region.is_linear else _decode_qr(gray, region, tally)


def zxing_region(crop: np.ndarray, linear: bool) -> Iterator[list[RawSymbol]]:
    """zxing-cpp's reads of a located region's crop, one view per step: as it is, then (small QR) upscaled."""
    yield _zxing.read(crop, downscale=False)
    if not linear and max(crop.shape) < _UPSCALE_BELOW:
        # A QR code of 2-3 pixels a module, blurred: zxing-cpp's binariser finds its modules once there are more
        # pixels to them (cubic interpolation keeps the edges steep).
        yield _zxing.read(cv2.resize(crop, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC), downscale=False)


def _decode_linear(gray: np.ndarray, region: Region, tally: Tally) -> Iterator[None]:
    """ZBar on rectified views first; the model-based decoder for what blur has made unreadable."""
    code = rectified(gray, region)
    yield
    if code is None:
        return
    for view in code.views():
        tally.add_zbar(scan(view.image, qr=False), view.independent_rows)
        yield
        if tally.accepted():
            return
    if region.coherence < _MODEL_COHERENCE:
        return  # text or texture rather than bars: not worth the model-based decoder
    for profile in code.profiles():
        tally.add_reads(decode_profile(profile))
        yield
        if tally.accepted():
            return


def _decode_qr(gray: np.ndarray, region: Region, tally: Tally) -> Iterator[None]:
    for decoder, image in qr_views(gray, region):
        if decoder == "zbar":
            tally.add_zbar(scan(image))
        else:
            tally.add_qr_texts(opencv_decode(image))
        yield
        if tally.accepted():
            return


def _long_bars(region: Region, tile_side: int) -> bool:
    """Whether a sixteenth's region looks like a dossier barcode: coherent, long, much longer than high.

    Wood grain and a hand's shading are as coherent as bars but come in patches no longer than a quarter of the
    tile and about as high as long; a dossier barcode held to fill a sixth of the photo spans over half of it.
    """
    if region.coherence < _FINE_COHERENCE:
        return False
    normal = np.array([np.cos(region.theta), np.sin(region.theta)])
    length = float(np.ptp(region.points @ normal))
    height = float(np.ptp(region.points @ np.array([-normal[1], normal[0]])))
    return length >= _FINE_LENGTH * tile_side and length >= _FINE_ASPECT * height


def _seen(box: tuple[int, int, int, int], tried: list[tuple[int, int, int, int]]) -> bool:
    """Whether ``box`` is nearly one already decoded (intersection over union above 0.7)."""
    x0, y0, x1, y1 = box
    area = (x1 - x0) * (y1 - y0)
    for a0, b0, a1, b1 in tried:
        overlap = max(0, min(x1, a1) - max(x0, a0)) * max(0, min(y1, b1) - max(y0, b0))
        if overlap > 0.7 * (area + (a1 - a0) * (b1 - b0) - overlap):
            return True
    return False


def _tiles(gray: np.ndarray) -> Iterator[tuple[int, int, np.ndarray, bool]]:
    """``x0, y0, tile, fine``: overlapping ninths of a large photo, then sixteenths (``fine``), each located.

    The locator averages over 1/40 of the frame; in a 12-megapixel photo of a form, that merges a code of a
    thousand pixels with the lines of text beside it into one blob, which no decoder reads. In a ninth of the
    photo (0.45 of each side, so a code on a seam is whole in some tile) the code stands out again; quarters
    left a code among a form's text lines still merged with them (4000×3000 camera frames: 49/60 read with
    quarters, 53/60 with ninths, the same codes otherwise). A faint code (a blurred, low-contrast label) is
    still outshone there by the print around it, which sets the locator's threshold; in a sixteenth (0.3 of
    each side, still longer than a dossier barcode held to fill a sixth of the photo) less print is left to
    outshine it (57/60). Only the sixteenths' regions shaped like a dossier barcode and not already tried are
    decoded: the faint codes found there are linear ones, and the rest is wood grain and print the ninths have
    been through (a photo with no code took two to three times as long with every region decoded).
    """
    height, width = gray.shape
    if max(height, width) <= _TILE_ABOVE:
        return
    for level, (fraction, count) in enumerate(_TILE_LEVELS):
        tile_h, tile_w = int(height * fraction), int(width * fraction)
        for y0 in np.linspace(0, height - tile_h, count).astype(int).tolist():
            for x0 in np.linspace(0, width - tile_w, count).astype(int).tolist():
                yield x0, y0, gray[y0 : y0 + tile_h, x0 : x0 + tile_w], level > 0


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


def to_gray(image: np.ndarray) -> np.ndarray | None:
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
