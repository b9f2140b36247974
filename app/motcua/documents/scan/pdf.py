"""A small PDF writer for scanned pages: one image per page, at the page's real size.

reportlab cannot embed CCITT Group 4, which is what keeps a black & white page small (tens of kilobytes),
so the file is written here directly: B&W pages as ``/CCITTFaxDecode`` (K −1) streams cut out of a one-strip
G4 TIFF that Pillow encodes, grey and colour pages as JPEG (``/DCTDecode``). The writer keeps byte offsets
for a correct cross-reference table, so ``qpdf --check`` finds nothing to repair.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image

from motcua.documents.scan.modes import Mode, parse_mode
from motcua.documents.scan.pages import MIN_DPI

# JPEG quality of grey and colour pages: text edges stay clean, paper flattened to white costs nearly nothing.
JPEG_QUALITY = {Mode.GREY: 70, Mode.COLOUR: 70}

_TIFF_STRIP_OFFSETS = 273
_TIFF_STRIP_BYTE_COUNTS = 279


def g4_encode(bw: np.ndarray) -> bytes:
    """The CCITT Group 4 data of a black (0) and white (255) image, as one stream for ``/CCITTFaxDecode``."""
    # libtiff's fax coder codes 1 bits as black runs: ink goes in as 1, so the stream means what it says
    # and decodes with the default /BlackIs1 false (black runs → 0 → black in DeviceGray).
    image = Image.fromarray(np.where(bw > 127, 0, 255).astype(np.uint8)).convert("1")
    buf = io.BytesIO()
    # One strip for the whole page: each TIFF strip is a separate G4 stream, a PDF image holds exactly one.
    image.save(buf, format="TIFF", compression="group4", strip_size=1 << 30)
    with Image.open(io.BytesIO(buf.getvalue())) as tiff:
        offsets = tiff.tag_v2[_TIFF_STRIP_OFFSETS]
        counts = tiff.tag_v2[_TIFF_STRIP_BYTE_COUNTS]
    if len(offsets) != 1:
        raise RuntimeError("G4 TIFF came out in several strips")
    data = buf.getvalue()
    return data[offsets[0] : offsets[0] + counts[0]]


def jpeg_encode(image: np.ndarray, quality: int) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return encoded.tobytes()


def _image_object(page: np.ndarray, mode: Mode) -> tuple[bytes, bytes]:
    """(dictionary, stream) of the page's image XObject."""
    h, w = page.shape[:2]
    if mode is Mode.BW:
        data = g4_encode(page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY))
        head = (
            f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 1 "
            f"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {w} /Rows {h} /BlackIs1 false >>"
        )
    else:
        space = "/DeviceGray" if page.ndim == 2 else "/DeviceRGB"
        if mode is Mode.GREY and page.ndim == 3:
            page, space = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), "/DeviceGray"
        data = jpeg_encode(page, JPEG_QUALITY[mode])
        head = (
            f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {space} /BitsPerComponent 8 "
            "/Filter /DCTDecode"
        )
    return f"<< {head} /Length {len(data)} >>".encode(), data


def build_pdf(pages: Sequence[np.ndarray], mode: str | Mode, dpi: int = MIN_DPI, title: str = "") -> bytes:
    """A multi-page PDF of page images already in ``mode`` (see ``to_mode``), each page sized at ``dpi``.

    Args:
        pages: page images, uint8, 0/255 grey for bw, grey for grey, BGR for colour.
        mode: "bw", "grey" or "colour".
        dpi: the resolution the images were made at; the page size in points follows from it.
        title: the document title stored in the PDF's info dictionary.

    Returns:
        The PDF file's bytes.
    """
    m = parse_mode(mode)
    if not pages:
        raise ValueError("a PDF needs at least one page")
    if dpi < MIN_DPI:
        raise ValueError(f"scans are kept at {MIN_DPI} dpi or more")
    writer = _Writer()
    catalog, pages_ref = writer.reserve(), writer.reserve()
    kids = []
    for page in pages:
        h, w = page.shape[:2]
        width_pt, height_pt = w * 72.0 / dpi, h * 72.0 / dpi
        head, data = _image_object(page, m)
        image_ref = writer.add(head, data)
        content = f"q {width_pt:.4f} 0 0 {height_pt:.4f} 0 0 cm /Im0 Do Q".encode()
        content_ref = writer.add(f"<< /Length {len(content)} >>".encode(), content)
        kids.append(
            writer.add(
                (
                    f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {width_pt:.4f} {height_pt:.4f}] "
                    f"/Resources << /XObject << /Im0 {image_ref} 0 R >> >> /Contents {content_ref} 0 R >>"
                ).encode()
            )
        )
    kid_refs = " ".join(f"{k} 0 R" for k in kids)
    writer.set(pages_ref, f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>".encode())
    writer.set(catalog, f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode())
    info = writer.add(f"<< /Producer (MotCua Desk) /Title {_pdf_text(title)} >>".encode())
    return writer.finish(catalog, info)


def _pdf_text(text: str) -> str:
    """A PDF text string; UTF-16BE with a byte-order mark, so Vietnamese titles survive."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Writer:
    """Objects numbered from 1, written in number order, with their byte offsets for the xref table."""

    def __init__(self) -> None:
        self._objects: list[bytes | None] = []

    def reserve(self) -> int:
        self._objects.append(None)
        return len(self._objects)

    def set(self, ref: int, head: bytes, stream: bytes | None = None) -> None:
        body = head if stream is None else head + b"\nstream\n" + stream + b"\nendstream"
        self._objects[ref - 1] = body

    def add(self, head: bytes, stream: bytes | None = None) -> int:
        ref = self.reserve()
        self.set(ref, head, stream)
        return ref

    def finish(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self._objects, start=1):
            if body is None:
                raise RuntimeError(f"PDF object {number} reserved but never written")
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(offsets) + 1}\n".encode() + b"0000000000 65535 f \n"
        for offset in offsets:
            out += f"{offset:010d} 00000 n \n".encode()
        out += (
            f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ).encode()
        return bytes(out)
