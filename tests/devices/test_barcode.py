"""The barcode/QR decoder: fixture accuracy, Vietnamese QR text, rotated linear codes, blank frames."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytest
from reportlab.graphics.barcode.code128 import Code128

from motcua.devices.barcode import Symbol, decode_file, decode_image
from motcua.devices.barcode._text import qr_text
from motcua.domain.errors import ValidationError

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "barcodes"
CCCD = "025304822943|953784502|Sùng Thanh Dũng|24042004|Nữ|Tổ 5, phường Cốc Lếu, tỉnh Lào Cai|12082023||||"
DOSSIER = "000.25.38.H38-261120-0361"


def _qr_image(text: str, module: int = 6) -> np.ndarray:
    """A QR code (UTF-8 byte mode) drawn with OpenCV's encoder, quiet zone included, grey."""
    matrix = cv2.QRCodeEncoder.create().encode(text)
    image = cv2.resize(matrix, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(image, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255)


def _code128_image(text: str, module: int = 3, height: int = 90) -> np.ndarray:
    """Code 128 as reportlab encodes it; its ``decomposed`` string is bars (A-D) and spaces (a-d)."""
    barcode = Code128(text)
    barcode.validate()
    barcode.encode()
    barcode.decompose()
    row: list[int] = []
    for element in barcode.decomposed:
        width = (ord(element.lower()) - ord("a") + 1) * module
        row.extend([0 if element.isupper() else 255] * width)
    image = np.repeat(np.array(row, np.uint8)[None, :], height, axis=0)
    return cv2.copyMakeBorder(image, 40, 40, 60, 60, cv2.BORDER_CONSTANT, value=255)


def _rotated(image: np.ndarray, angle: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (int(height * sin + width * cos), int(height * cos + width * sin))
    matrix[:, 2] += (size[0] - width) / 2, (size[1] - height) / 2
    return cv2.warpAffine(image, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255)


@pytest.mark.slow
def test_fixture_set_is_read_exactly_at_least_nine_times_in_ten() -> None:
    truth = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    exact = [label["text"] in {s.text for s in decode_file(FIXTURES / name)} for name, label in truth.items()]
    assert sum(exact) / len(exact) >= 0.90


def test_vietnamese_qr_round_trips_exactly_with_its_diacritics() -> None:
    symbols = decode_image(_qr_image(CCCD))
    assert symbols == [Symbol("QRCODE", CCCD)]
    assert unicodedata.is_normalized("NFC", symbols[0].text)


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_grey_bgr_and_bgra_frames_are_accepted(channels: int) -> None:
    grey = _rotated(_qr_image(CCCD, module=4), 20)
    frame = grey if channels == 1 else cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR if channels == 3 else cv2.COLOR_GRAY2BGRA)
    assert [s.text for s in decode_image(frame)] == [CCCD]


def test_blurred_noisy_tilted_qr_is_still_read() -> None:
    image = _rotated(_qr_image(CCCD, module=3), 33).astype(np.float32)
    image = cv2.GaussianBlur(image * 0.45 + 110, (0, 0), 1.6)  # low contrast, blur of half a module
    image += np.random.default_rng(7).normal(0, 9, image.shape)
    frame = np.clip(image, 0, 255).astype(np.uint8)
    assert CCCD in [s.text for s in decode_image(frame)]


@pytest.mark.parametrize(("text", "guessed"), [(CCCD, "latin-1"), ("Đặng Văn Tú|Nữ", "shift_jis")])
def test_mojibake_from_a_wrong_charset_guess_is_reversed(text: str, guessed: str) -> None:
    # Without binary mode ZBar re-encodes the payload from the charset it guessed into UTF-8.
    from_zbar = text.encode("utf-8").decode(guessed).encode("utf-8")
    assert qr_text(from_zbar, binary=False) == text


def test_code128_rotated_37_degrees_is_read() -> None:
    frame = _rotated(_code128_image(DOSSIER), 37)
    assert Symbol("CODE128", DOSSIER) in decode_image(frame)


def test_blurred_code128_needs_the_model_based_decoder_and_is_read() -> None:
    image = _rotated(_code128_image(DOSSIER, module=3), -21).astype(np.float32)
    image = cv2.GaussianBlur(image * 0.6 + 60, (0, 0), 2.2)  # blur wider than a module
    image += np.random.default_rng(3).normal(0, 6, image.shape)
    frame = np.clip(image, 0, 255).astype(np.uint8)
    assert Symbol("CODE128", DOSSIER) in decode_image(frame)


@pytest.mark.parametrize(
    "frame",
    [
        np.full((480, 640, 3), 255, np.uint8),
        np.zeros((240, 320), np.uint8),
        np.random.default_rng(1).normal(128, 20, (300, 400)).clip(0, 255).astype(np.uint8),
        np.zeros((0, 0), np.uint8),
    ],
    ids=["white", "black", "noise", "empty"],
)
def test_frames_without_a_code_give_nothing(frame: np.ndarray) -> None:
    assert decode_image(frame) == []


def test_files_with_vietnamese_names_are_read(tmp_path: Path) -> None:
    path = tmp_path / "ảnh mã hồ sơ.png"
    ok, data = cv2.imencode(".png", _code128_image(DOSSIER))
    assert ok
    data.tofile(str(path))
    assert [s.text for s in decode_file(path)] == [DOSSIER]


def test_unreadable_files_raise_a_validation_error(tmp_path: Path) -> None:
    broken = tmp_path / "hỏng.jpg"
    broken.write_bytes(b"not an image")
    with pytest.raises(ValidationError, match=r"hỏng\.jpg"):
        decode_file(broken)
    with pytest.raises(ValidationError):
        decode_file(tmp_path / "không có.png")
