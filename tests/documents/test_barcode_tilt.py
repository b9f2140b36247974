"""The A4 receipt's barcode reads with a general reader when the page is scanned tilted, blurred and compressed.

The page is rendered at 200 dpi (pdftoppm), turned by up to 8° either way (OpenCV), blurred and saved as a JPEG
of quality 70, as an office scanner or a phone camera would hand it over; zxing-cpp, a reader the app does not
use itself, must find the Code 128 symbol at every angle, and so must the app's own reader.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from reportlab.graphics.barcode.code128 import Code128

from motcua.devices.barcode import decode_file
from motcua.documents.forms import mau01_receipt, mau05_control_sheet
from motcua.documents.forms.codes import MIN_HEIGHT_RATIO, QUIET_MODULES, code128_flowable, code128_modules

zxingcpp = pytest.importorskip("zxingcpp")

from test_forms import CTX, DOSSIER  # noqa: E402  # after the skip: the forms' sample dossier

ANGLES = (-8, -4, 0, 4, 8)


def render_200dpi(pdf: bytes, tmp_path: Path, page: int = 1) -> np.ndarray:
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm is not installed (poppler-utils)")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        [tool, "-r", "200", "-gray", "-png", "-f", str(page), "-l", str(page), str(path), str(prefix)], check=True
    )
    (png,) = tmp_path.glob(f"page{page}*.png")
    image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    return image


def scanned(page: np.ndarray, angle: float) -> np.ndarray:
    """The page turned by ``angle`` degrees, blurred and through a JPEG of quality 70."""
    height, width = page.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(page, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    blurred = cv2.GaussianBlur(turned, (5, 5), 0)
    ok, jpeg = cv2.imencode(".jpg", blurred, [cv2.IMWRITE_JPEG_QUALITY, 70])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)


def code128_texts(image: np.ndarray) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)]


@pytest.fixture(scope="module")
def receipt_page(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    pdf = mau01_receipt(DOSSIER, CTX, "05 ngày làm việc")
    return render_200dpi(pdf, tmp_path_factory.mktemp("tilt"))


@pytest.mark.parametrize("angle", ANGLES)
def test_receipt_barcode_reads_tilted_blurred_and_compressed(
    receipt_page: np.ndarray, angle: float, tmp_path: Path
) -> None:
    image = scanned(receipt_page, angle)
    assert code128_texts(image) == [DOSSIER.code], angle
    jpeg = tmp_path / f"scan{angle}.jpg"
    cv2.imwrite(str(jpeg), image)
    assert DOSSIER.code in [s.text for s in decode_file(jpeg)], angle


def test_bars_are_at_least_fifteen_percent_of_the_symbol_length() -> None:
    module = 1.2
    symbol = code128_flowable(DOSSIER.code, module)
    assert isinstance(symbol, Code128)
    length = (len(code128_modules(DOSSIER.code)) + 2 * QUIET_MODULES) * module
    assert symbol.barHeight >= MIN_HEIGHT_RATIO * length - 1e-6
    assert symbol.lquiet == symbol.rquiet == QUIET_MODULES * module  # quiet zones kept


@pytest.mark.parametrize("angle", ANGLES)
def test_footer_barcode_reads_tilted_too(angle: float, tmp_path: Path) -> None:
    # Mẫu 05 carries the code only in its footer.
    page = render_200dpi(mau05_control_sheet(DOSSIER, CTX), tmp_path)
    assert code128_texts(scanned(page, angle)) == [DOSSIER.code], angle
