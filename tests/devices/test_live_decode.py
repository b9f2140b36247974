"""Codes in camera frames: the zxing-cpp fast pass, the time budget, and the live decoder that resumes the slow
recovery stages frame after frame. No timing is asserted: a fake clock decides how far each frame gets."""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from motcua.bench.camera_frames import CameraFrame, code_frames, empty_frames
from motcua.devices.barcode import LiveDecoder, Symbol, decode_image
from motcua.devices.barcode._decode import Tally, _long_bars, _tiles, fast_pass, to_gray, zxing_region
from motcua.devices.barcode._locate import locate
from motcua.devices.barcode._zbar import RawSymbol

DATA = Path(__file__).resolve().parents[1] / "data"
FRAMES = DATA / "camera_frames"
TRUTH: dict[str, dict[str, str]] = json.loads((FRAMES / "truth.json").read_text(encoding="utf-8"))
WITH_CODE = sorted(name for name, label in TRUTH.items() if label["kind"] != "none")
WITHOUT_CODE = sorted(name for name, label in TRUTH.items() if label["kind"] == "none")
CCCD = "025304822943|953784502|Sùng Thanh Dũng|24042004|Nữ|Tổ 5, phường Cốc Lếu, tỉnh Lào Cai|12082023||||"
HELD_FRAMES = 60  # frames a citizen holds the card in view, for the live decoder


def _frame(name: str) -> np.ndarray:
    image = cv2.imread(str(FRAMES / name), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def _ticking(step_ms: float) -> Callable[[], float]:
    """A fake clock that moves ``step_ms`` on every look: each decode call then makes a fixed number of steps."""
    ticks = itertools.count(0.0, step_ms / 1000.0)
    return lambda: next(ticks)


def _qr(text: str, module: int = 5) -> np.ndarray:
    matrix = cv2.QRCodeEncoder.create().encode(text)
    image = cv2.resize(matrix, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(image, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=255)


@pytest.mark.parametrize("name", WITH_CODE)
def test_every_code_of_the_camera_sample_is_read_exactly(name: str) -> None:
    assert TRUTH[name]["text"] in {s.text for s in decode_image(_frame(name))}


@pytest.mark.parametrize("name", WITHOUT_CODE)
def test_frames_with_no_code_give_no_read(name: str) -> None:
    assert decode_image(_frame(name)) == []


@pytest.mark.parametrize("name", WITH_CODE)
def test_the_live_decoder_reads_every_sample_code_while_it_is_held_in_view(name: str) -> None:
    decoder = LiveDecoder(budget_ms=30, clock=_ticking(5))
    frame = _frame(name)
    reads = (decoder.decode(frame) for _ in range(HELD_FRAMES))
    assert TRUTH[name]["text"] in {s.text for s in next((r for r in reads if r), [])}


@pytest.mark.parametrize("name", WITHOUT_CODE)
def test_the_live_decoder_reads_nothing_from_frames_with_no_code(name: str) -> None:
    decoder = LiveDecoder(budget_ms=30, clock=_ticking(5))
    frame = _frame(name)
    for _ in range(HELD_FRAMES * 5):
        assert decoder.decode(frame) == []
        if decoder.recovery_runs:
            break
    assert decoder.recovery_runs == 1  # the slow stages did run to their end, a frame at a time


def test_the_fast_pass_reads_a_citizen_id_qr_with_its_vietnamese_diacritics_in_nfc() -> None:
    # Written decomposed (NFD), as some producers do: the read comes back composed, like every stored text.
    image = _qr(unicodedata.normalize("NFD", CCCD))
    symbols = fast_pass(image)
    assert symbols == [Symbol("QRCODE", CCCD)]
    assert unicodedata.is_normalized("NFC", symbols[0].text)


def test_a_zero_budget_stops_after_the_fast_pass() -> None:
    frame = _frame("720p_000_cccd_qr.jpg")  # zxing-cpp alone cannot read it
    gray = to_gray(frame)
    assert gray is not None and fast_pass(gray) == []
    assert decode_image(frame, budget_ms=0) == []
    assert TRUTH["720p_000_cccd_qr.jpg"]["text"] in {s.text for s in decode_image(frame)}


def test_a_cut_short_recovery_resumes_on_later_frames() -> None:
    decoder = LiveDecoder(budget_ms=30, clock=_ticking(10))  # two steps a frame
    hard = _frame("720p_000_cccd_qr.jpg")
    blank = np.full_like(hard, 200)
    assert decoder.decode(hard) == []
    # The card has gone, but the run started on its frame goes on and reads it.
    later = [decoder.decode(blank) for _ in range(HELD_FRAMES)]
    assert TRUTH["720p_000_cccd_qr.jpg"]["text"] in {s.text for r in later for s in r}


def test_a_fast_read_drops_the_pending_recovery_run() -> None:
    decoder = LiveDecoder(budget_ms=30, clock=_ticking(10))
    assert decoder.decode(_frame("720p_000_cccd_qr.jpg")) == []
    assert decoder.decode(cv2.cvtColor(_qr(CCCD), cv2.COLOR_GRAY2BGR)) == [Symbol("QRCODE", CCCD)]
    blank = np.full((720, 1280, 3), 200, np.uint8)
    assert not any(decoder.decode(blank) for _ in range(HELD_FRAMES))


@pytest.mark.slow
def test_a_small_qr_in_a_4000_by_3000_photo_is_read_at_full_resolution() -> None:
    frame = next(code_frames(DATA / "barcodes", "4000", ["000_cccd_qr.jpg"]))
    gray = to_gray(frame.image)
    assert gray is not None
    assert frame.text in {s.text for s in fast_pass(gray)}
    assert frame.text in {s.text for s in decode_image(frame.image)}


def _fixture_frame(size: str, name: str) -> CameraFrame:
    """The bench's frame of one fixture of the committed copy, seeded by its index in the full sorted list."""
    return next(code_frames(DATA / "barcodes", size, [name], indices=[int(name[:3])]))


def test_a_small_qr_in_a_720p_frame_is_located_whole() -> None:
    # The locator's threshold cut the edges off this 80-pixel code (x 265-343, y 77-141 by zxing-cpp's corners),
    # finder patterns included; the blob grown back by half the averaging window holds the whole code.
    frame = _fixture_frame("720p", "011_dossier_qr_hard.jpg")
    gray = to_gray(frame.image)
    assert gray is not None
    boxes = [region.bounds(0.0, gray.shape) for region in locate(gray) if not region.is_linear]
    assert any(x0 <= 265 and y0 <= 77 and x1 >= 343 and y1 >= 141 and x1 - x0 < 160 for x0, y0, x1, y1 in boxes)
    assert frame.text in {s.text for s in decode_image(frame.image)}


def test_a_blurred_qr_region_of_two_pixels_a_module_is_read_at_twice_its_size() -> None:
    # The crop the recovery stage cut around a located QR code in a 720p frame (fixture 015, seed index 15).
    crop = cv2.imread(str(FRAMES / "720p_015_qr_region.png"), cv2.IMREAD_GRAYSCALE)
    assert crop is not None
    views = [_accepted_texts(raws) for raws in zxing_region(crop, linear=False)]
    assert views[0] == set()  # as it is: nothing
    assert "000.35.33.H38-261127-6837" in views[-1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["049_dossier_code128_hard.jpg", "021_dossier_code128_hard.jpg"])
def test_a_faint_dossier_barcode_in_a_12_megapixel_photo_is_found_a_sixteenth_at_a_time(name: str) -> None:
    frame = _fixture_frame("4000", name)
    assert frame.text in {s.text for s in decode_image(frame.image)}


@pytest.mark.slow
def test_wood_grain_in_a_sixteenth_of_a_photo_is_not_taken_for_a_barcode() -> None:
    desk = next(f for f in empty_frames("4000", 2, seed=47) if f.source == "desk")
    gray = to_gray(desk.image)
    assert gray is not None
    coherent = passed = 0
    for _, _, tile, fine in _tiles(gray):
        if fine:
            regions = locate(tile)
            coherent += sum(region.coherence >= 0.6 for region in regions)
            passed += sum(_long_bars(region, max(tile.shape)) for region in regions)
    assert coherent >= 10  # grain as coherent as bars …
    assert passed == 0  # … but in short, squat patches


def _accepted_texts(raws: list[RawSymbol]) -> set[str]:
    tally = Tally()
    tally.add_zbar(raws)
    return {symbol.text for symbol in tally.accepted()}
