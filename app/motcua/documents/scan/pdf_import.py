"""Pages of an existing PDF (a scan made elsewhere) as images, rendered by poppler's ``pdftoppm``."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr


class PdfImportError(MotcuaError):
    pass


# The same limit as motcua.devices.images.MAX_IMAGE_PIXELS (documents may not import devices): a page whose
# MediaBox says 200 inches square would render to 1.6 gigapixels at 200 dpi.
MAX_PAGE_PIXELS = 100_000_000
# A dossier's scans are tens of pages; thousands would be rendered into memory all at once.
MAX_PDF_PAGES = 500
_PAGE_SIZE = re.compile(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)


def _check_page_sizes(path: Path, dpi: int, timeout_s: float) -> None:
    """Refuse, from ``pdfinfo``'s page sizes, a PDF that would render into more pixels or pages than is sane."""
    exe = shutil.which("pdfinfo")
    if exe is None:
        return  # pdftoppm alone still renders; the check is a safeguard, not a requirement
    out = subprocess.run(
        [exe, "-f", "1", "-l", str(MAX_PDF_PAGES + 1), str(path)],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if out.returncode != 0:
        raise PdfImportError(tr("Không đọc được tệp PDF {file}", file=path.name))
    sizes = [(float(w), float(h)) for w, h in _PAGE_SIZE.findall(out.stdout)]
    if len(sizes) > MAX_PDF_PAGES:
        raise PdfImportError(tr("Tệp PDF {file} có hơn {max} trang", file=path.name, max=MAX_PDF_PAGES))
    for number, (width_pt, height_pt) in enumerate(sizes, start=1):
        pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
        if pixels > MAX_PAGE_PIXELS:
            raise PdfImportError(
                tr(
                    "Trang {page} của tệp PDF {file} quá lớn ({width}×{height} cm)",
                    page=number,
                    file=path.name,
                    width=round(width_pt / 72 * 2.54),
                    height=round(height_pt / 72 * 2.54),
                )
            )


def render_pdf_pages(path: Path, dpi: int = 200, timeout_s: float = 120.0) -> list[np.ndarray]:
    """Every page of the PDF at ``path`` as a BGR image at ``dpi``.

    Raises:
        PdfImportError: poppler is missing, the file is not a PDF it reads, or it has more pages than
            :data:`MAX_PDF_PAGES` or a page larger than :data:`MAX_PAGE_PIXELS` at ``dpi`` (checked before rendering).
    """
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfImportError(tr("Không tìm thấy chương trình pdftoppm (gói poppler-utils) để đọc tệp PDF"))
    _check_page_sizes(path, dpi, timeout_s)
    with tempfile.TemporaryDirectory(prefix="motcua-pdf-") as tmp:
        out = subprocess.run(
            [exe, "-r", str(dpi), "-png", str(path), str(Path(tmp) / "p")],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if out.returncode != 0:
            raise PdfImportError(tr("Không đọc được tệp PDF {file}", file=path.name))
        # pdftoppm numbers pages with as many digits as the page count needs: sort by the number.
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [img for f in files if (img := cv2.imread(str(f), cv2.IMREAD_COLOR)) is not None]
