"""A thin ctypes layer over libzbar (through pyzbar's bindings) that returns QR payloads as raw bytes.

``pyzbar.decode`` lets ZBar guess the character set of QR byte segments. Chip-ID QR codes carry UTF-8
without an ECI marker, and ZBar sometimes guesses Shift-JIS or Latin-1 and hands back mojibake. ZBar
0.23+ has ``ZBAR_CFG_BINARY``, which skips the guessing; we enable it and decode the bytes ourselves.
"""

from __future__ import annotations

from ctypes import c_void_p, cast, string_at
from dataclasses import dataclass
from functools import cache

import numpy as np
from pyzbar import wrapper as zw

# zbar.h: enum zbar_config_e { ENABLE, ADD_CHECK, EMIT_CHECK, ASCII, BINARY, ... }; pyzbar's enum stops
# before BINARY, so the value is spelled out here.
_CFG_BINARY = 4
# zbar.h fourcc('Y','8','0','0'): one byte per pixel, grey.
_FOURCC_Y800 = 0x30303859
# Symbologies a counter never sees; ZBar's DataBar decoder also prints assertion noise on some frames.
_DISABLED = (zw.ZBarSymbol.DATABAR, zw.ZBarSymbol.DATABAR_EXP, zw.ZBarSymbol.COMPOSITE, zw.ZBarSymbol.SQCODE)


@dataclass(frozen=True, slots=True)
class RawSymbol:
    type: str  # pyzbar's symbol name, e.g. "QRCODE", "CODE128"
    data: bytes
    quality: int  # for linear codes: how many scan lines agreed
    binary: bool  # True when QR bytes are untouched by ZBar's charset guessing


class _Scanner:
    """A ZBar image scanner, created per scan.

    Reusing one would be cheaper, but ZBar's QR finder uses a random generator (RANSAC) seeded when
    the scanner is created, so a reused scanner gives results that depend on earlier images.
    """

    def __init__(self, qr: bool = True) -> None:
        self.handle = zw.zbar_image_scanner_create()
        if not self.handle:
            raise RuntimeError("zbar_image_scanner_create failed")
        status = zw.zbar_image_scanner_set_config(self.handle, zw.ZBarSymbol.QRCODE, _CFG_BINARY, 1)
        self.binary = status == 0
        for symbology in (*_DISABLED, *(() if qr else (zw.ZBarSymbol.QRCODE,))):
            zw.zbar_image_scanner_set_config(self.handle, symbology, zw.ZBarConfig.CFG_ENABLE, 0)

    def __enter__(self) -> _Scanner:
        return self

    def __exit__(self, *_: object) -> None:
        zw.zbar_image_scanner_destroy(self.handle)


@cache
def binary_mode_supported() -> bool:
    """Whether this libzbar returns QR bytes verbatim (``ZBAR_CFG_BINARY``)."""
    with _Scanner() as scanner:
        return scanner.binary


def scan(gray: np.ndarray, qr: bool = True) -> list[RawSymbol]:
    """Run ZBar over an 8-bit single-channel image; returns every symbol it decoded.

    ``qr=False`` skips ZBar's QR finder, the slow part on busy images, when only bars can be there.
    """
    if gray.ndim != 2 or gray.shape[0] < 2 or gray.shape[1] < 2:
        return []
    pixels = np.ascontiguousarray(gray, dtype=np.uint8).tobytes()
    height, width = gray.shape
    with _Scanner(qr) as scanner:
        return _scan_with(scanner, pixels, width, height)


def _scan_with(scanner: _Scanner, pixels: bytes, width: int, height: int) -> list[RawSymbol]:
    image = zw.zbar_image_create()
    if not image:
        raise RuntimeError("zbar_image_create failed")
    try:
        zw.zbar_image_set_format(image, _FOURCC_Y800)
        zw.zbar_image_set_size(image, width, height)
        # ``pixels`` stays referenced until zbar_image_destroy, so no cleanup handler is needed.
        zw.zbar_image_set_data(image, cast(pixels, c_void_p), len(pixels), None)
        if zw.zbar_scan_image(scanner.handle, image) <= 0:
            return []
        return list(_symbols(image, scanner.binary))
    finally:
        zw.zbar_image_destroy(image)


def _symbols(image: object, binary: bool) -> list[RawSymbol]:
    out: list[RawSymbol] = []
    symbol = zw.zbar_image_first_symbol(image)
    while symbol:
        data = string_at(zw.zbar_symbol_get_data(symbol), zw.zbar_symbol_get_data_length(symbol))
        try:
            name = zw.ZBarSymbol(symbol.contents.type).name
        except ValueError:
            name = f"UNKNOWN{symbol.contents.type}"
        quality = int(zw.zbar_symbol_get_quality(symbol))
        out.append(RawSymbol(name, data, quality, binary and name == "QRCODE"))
        symbol = zw.zbar_symbol_next(symbol)
    return out
