"""Pages of an existing PDF (a scan made elsewhere) as images, rendered by poppler's ``pdftoppm``."""

from __future__ import annotations

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


def render_pdf_pages(path: Path, dpi: int = 200, timeout_s: float = 120.0) -> list[np.ndarray]:
    """Every page of the PDF at ``path`` as a BGR image at ``dpi``."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfImportError(tr("Không tìm thấy chương trình pdftoppm (gói poppler-utils) để đọc tệp PDF"))
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
