"""Reading barcodes and QR codes from camera frames and image files (no Qt here).

The counter reads the QR on chip citizen-ID cards (UTF-8 Vietnamese, pipe-separated) and dossier codes
such as ``000.25.38.H38-261120-0361`` printed as Code 128, Code 39 or QR, often photographed at an angle,
blurred or noisy. ``decode_image`` combines ZBar (through pyzbar's ctypes bindings, in binary mode so
that Vietnamese text is never mis-decoded), OpenCV's QR decoders, a structure-tensor locator and
rectification of rotated / skewed linear codes, behind a fast first pass with zxing-cpp. ``LiveDecoder`` reads a
camera stream within a per-frame time budget.

    >>> from motcua.devices.barcode import decode_file
    >>> [s.text for s in decode_file("the-card.jpg") if s.type == "QRCODE"]  # doctest: +SKIP
"""

from __future__ import annotations

from motcua.devices.barcode._decode import Symbol, decode_file, decode_image
from motcua.devices.barcode._live import LIVE_BUDGET_MS, LiveDecoder

__all__ = ["LIVE_BUDGET_MS", "LiveDecoder", "Symbol", "decode_file", "decode_image"]
