"""The camera decoding worker (newest frame only, clean stop) and the ID-card read from a camera built on it."""

from __future__ import annotations

import itertools
import threading

import cv2
import numpy as np
import pytest

from motcua.devices.barcode import Symbol
from motcua.devices.camera import CameraError, FakeCamera
from motcua.devices.mailbox import Mailbox
from motcua.devices.scan_worker import ScanWorker
from motcua.domain.errors import ValidationError
from motcua.services.scanning import applicant_from_camera

CCCD = "025304822943|953784502|Sùng Thanh Dũng|24042004|Nữ|Tổ 5, phường Cốc Lếu, tỉnh Lào Cai|12082023||||"
WAIT_S = 10.0  # generous: only a hung thread gets near it


def _numbered(index: int) -> np.ndarray:
    """A tiny frame that carries its own number, so a decoder can tell which one it got."""
    return np.full((4, 4), index, np.uint8)


def _qr_frame(text: str) -> np.ndarray:
    matrix = cv2.QRCodeEncoder.create().encode(text)
    image = cv2.resize(matrix, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)
    return cv2.cvtColor(cv2.copyMakeBorder(image, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255), cv2.COLOR_GRAY2BGR)


class _BurstCamera(FakeCamera):
    """Frame 0, then, once the decoder is busy with it, all the others at once; says when they have run out."""

    def __init__(self, frames: list[np.ndarray]) -> None:
        super().__init__(frames)
        self.decoding = threading.Event()
        self.exhausted = threading.Event()
        self._first = True

    def read(self) -> np.ndarray | None:
        if not self._first:
            assert self.decoding.wait(WAIT_S)
        self._first = False
        frame = super().read()
        if frame is None:
            self.exhausted.set()
        return frame


class _EndlessCamera:
    """Blank frames for ever, at about 200 a second, like a camera nobody holds a card to."""

    def __init__(self) -> None:
        self.closed = False
        self._stop = threading.Event()

    def read(self) -> np.ndarray | None:
        self._stop.wait(0.005)
        return np.full((120, 160, 3), 255, np.uint8)

    def close(self) -> None:
        self.closed = True


def test_the_decoder_skips_stale_frames_and_always_gets_the_newest() -> None:
    camera = _BurstCamera([_numbered(i) for i in range(10)])
    decoded: list[int] = []

    def slow_decode(frame: np.ndarray) -> list[Symbol]:
        decoded.append(int(frame[0, 0]))
        camera.decoding.set()
        if len(decoded) == 1:  # still busy with frame 0 while the camera delivers the other nine
            assert camera.exhausted.wait(WAIT_S)
        return [Symbol("QRCODE", f"frame {int(frame[0, 0])}")]

    worker = ScanWorker(camera, decode=slow_decode).start()
    results = list(iter(lambda: worker.results.get(timeout=WAIT_S), None))
    assert worker.stop()
    assert decoded == [0, 9]  # frames 1-8 came while the decoder was busy: dropped, never decoded
    assert [r.index for r in results] == [0, 9]
    assert worker.frames_read == 10 and worker.frames_dropped == 8 and worker.frames_decoded == 2
    assert not camera.closed  # the owner closes it


def test_stop_ends_both_threads_and_marks_the_end_of_results() -> None:
    camera = _EndlessCamera()
    seen = threading.Event()

    def decode(frame: np.ndarray) -> list[Symbol]:
        seen.set()
        return []

    worker = ScanWorker(camera, decode=decode).start()
    assert seen.wait(WAIT_S)
    assert worker.stop()
    assert worker.results.get(timeout=WAIT_S) is None
    assert worker.error is None and not camera.closed
    assert {t.name for t in threading.enumerate()}.isdisjoint({"camera-reader", "code-decoder"})


def test_results_also_go_to_the_callback_on_the_decoding_thread() -> None:
    got: list[tuple[int, str]] = []
    worker = ScanWorker(
        FakeCamera([_numbered(1)]),
        decode=lambda frame: [Symbol("CODE128", "X")],
        on_result=lambda r: got.append((r.index, threading.current_thread().name)),
    ).start()
    assert worker.results.get(timeout=WAIT_S) is not None
    assert worker.results.get(timeout=WAIT_S) is None
    assert worker.stop()
    assert got == [(0, "code-decoder")]


def test_mailbox_keeps_only_the_newest_item_and_counts_the_dropped() -> None:
    box: Mailbox[int] = Mailbox()
    for i in range(5):
        box.put(i)
    assert box.take(timeout=0) == 4 and box.dropped == 4
    assert box.take(timeout=0) is None
    box.put(7)
    box.close()
    box.put(8)  # after close: ignored
    assert box.take() == 7 and box.take() is None


def test_applicant_is_read_from_the_fake_camera_which_is_then_closed() -> None:
    blank = np.full((240, 320, 3), 255, np.uint8)
    camera = FakeCamera([blank, blank, _qr_frame(CCCD)])
    applicant = applicant_from_camera(camera, timeout_s=WAIT_S)
    assert applicant.name == "Sùng Thanh Dũng"
    assert camera.closed


def test_a_camera_showing_no_code_times_out_with_a_clear_message() -> None:
    camera = _EndlessCamera()
    clock = itertools.count(0.0, 0.5)  # a fake clock: half a second passes each time it is looked at
    with pytest.raises(ValidationError, match="Không đọc được mã QR căn cước từ camera"):
        applicant_from_camera(camera, timeout_s=2.0, clock=lambda: next(clock))
    assert camera.closed


def test_a_source_that_ends_without_a_card_gives_the_same_message() -> None:
    camera = FakeCamera([np.full((240, 320, 3), 255, np.uint8)] * 3)
    with pytest.raises(ValidationError, match="Không đọc được mã QR căn cước từ camera"):
        applicant_from_camera(camera, timeout_s=WAIT_S)
    assert camera.closed


def test_a_camera_failing_mid_read_is_reported_not_swallowed() -> None:
    class Unplugged(FakeCamera):
        def read(self) -> np.ndarray | None:
            raise CameraError("camera 1 đã bị rút ra")

    camera = Unplugged([])
    with pytest.raises(CameraError, match="rút ra"):
        applicant_from_camera(camera, timeout_s=WAIT_S)
    assert camera.closed
