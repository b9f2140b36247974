"""zxing-cpp, the fast first pass: a full HD frame with no code in it takes it about 10-20 ms, where ZBar alone
takes 30-250 ms on the same busy frame.

Reads are returned as ``RawSymbol`` (the type ZBar's layer returns) with the QR payload as raw bytes, so that
Vietnamese text goes through the same UTF-8-first decoding (``_text.qr_text``) whichever reader found it:
zxing-cpp's own text guesses a charset for byte segments without an ECI marker, as ZBar's does.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import zxingcpp

from motcua.devices.barcode._zbar import RawSymbol

# zxing-cpp format name → ZBar's (pyzbar's) symbol name, which the rest of the package speaks. Only the
# symbologies a counter meets; the others cost time and bring only false reads.
_NAMES = {
    "QRCode": "QRCODE",
    "Code128": "CODE128",
    "Code39": "CODE39",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "ITF": "I25",
}
# zxing-cpp accepts a linear read only when at least two scan lines agree (ReaderOptions.minLineCount,
# default 2): the same evidence ZBar's quality 2 gives.
LINEAR_QUALITY = 2


@cache
def _formats() -> zxingcpp.BarcodeFormats:
    # From a string: zxing-cpp 2.x combines formats with ``|``, 3.x deprecates that for a list; the string
    # form works on both.
    return zxingcpp.barcode_formats_from_str(",".join(_NAMES))


def read(gray: np.ndarray, *, downscale: bool = True, invert: bool = True) -> list[RawSymbol]:
    """Every code zxing-cpp finds in an 8-bit grey image, at any of the four right-angle orientations.

    ``downscale=False`` keeps zxing-cpp to the resolution given (a crop already sized for the code);
    ``invert=False`` skips the search for light-on-dark codes, about a quarter of the time of a frame.
    """
    if gray.ndim != 2 or min(gray.shape) < 8:
        return []
    found = zxingcpp.read_barcodes(
        np.ascontiguousarray(gray), formats=_formats(), try_downscale=downscale, try_invert=invert
    )
    out = []
    for barcode in found:
        name = _NAMES.get(barcode.format.name)
        if name is None:
            continue
        out.append(RawSymbol(name, bytes(barcode.bytes), LINEAR_QUALITY, name == "QRCODE"))
    return out
