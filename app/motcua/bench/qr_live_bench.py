"""Reading codes from a live camera (``motcua bench qr-live``): speed per frame, frames per second of the camera
loop, and what is read from synthetic camera frames (``camera_frames``), beside zxing-cpp alone in the same run.

Figures:
- per-frame ms (p50, p95) of the live decoder on frames with no code at 1280×720 and 1920×1080, beside zxing-cpp
  alone and the still-image path (``decode_image`` with every stage) on the same frames;
- frames/s the decoding worker keeps up, fed by a fake camera delivering 30 frames a second;
- the decode rate of ``decode_image`` on the ``barcodes`` fixtures (``motcua bench decode``);
- on the camera frames, per class (a small code at 720p, 1080p, 4000×3000; no code): the share read exactly by
  the still path, by the live decoder within 30 frames of the code in view (two seconds at 15 frames/s), and by
  zxing-cpp alone; false reads on frames with no code.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import zxingcpp

from motcua.bench import decode_bench
from motcua.bench.camera_frames import CameraFrame, code_frames, empty_frames
from motcua.bench.fixtures import fixtures_folder
from motcua.bench.stats import comparison, percentile
from motcua.devices.barcode import LiveDecoder, decode_image
from motcua.devices.scan_worker import ScanWorker

CAMERA_FPS = 30.0
HELD_FRAMES = 30  # a code counts as read live if it is read within this many frames of coming into view
GOAL_MS = 1000.0 / 15  # 15 frames/s


def run(quick: bool = False) -> dict[str, Any]:
    """Every figure of the module docstring; ``quick`` uses a handful of frames and half a second of camera."""
    fixtures = fixtures_folder(decode_bench.DEFAULT_FIXTURES)
    truth: dict[str, dict[str, Any]] = json.loads((fixtures / "truth.json").read_text(encoding="utf-8"))
    names = sorted(truth)
    result: dict[str, Any] = {"fixtures": str(fixtures), "comparisons": []}
    comparisons: list[dict[str, object]] = result["comparisons"]
    for size in ("720p", "1080p"):
        empty = list(empty_frames(size, 2 if quick else 12, seed=31))
        timing = _frame_times(empty, rounds=1 if quick else 3, still=not quick)
        result[f"no_code_{size}_ms"] = timing
        for p in ("p50", "p95"):
            comparisons.append(
                comparison(
                    f"live frame {p} {size}", timing["live"][p], f"zxing-cpp alone {p}", timing["zxing"][p], "ms",
                    f"≤ {GOAL_MS:.0f} ms" if p == "p95" else "",
                )
            )  # fmt: skip
        if not quick:
            comparisons.append(
                comparison(f"live frame p95 {size}", timing["live"]["p95"], "still path p95", timing["still"]["p95"])
            )
        fps = _worker_fps(empty, seconds=0.5 if quick else 5.0)
        result[f"worker_{size}"] = fps
        comparisons.append(
            comparison(f"worker frames/s {size}", fps["fps"], "camera frames/s", CAMERA_FPS, "fps", "≥ 15")
        )
    decode = decode_bench.run(fixtures, quick=quick)
    result["fixture_decode_rate"] = decode["accuracy"]
    result["fixture_decode_images"] = decode["images"]
    comparisons.append(comparison("fixture decode rate", decode["accuracy"], "goal", 0.98, "", "≥ 0.98"))
    result["camera_frames"] = _camera_frame_rates(fixtures, names[:1] if quick else names, quick)
    for size, figures in result["camera_frames"].items():
        if size == "no_code":
            continue
        comparisons.append(
            comparison(f"read rate {size} (still)", figures["still"], "zxing-cpp alone", figures["zxing"], "")
        )
    return result


def _frame_times(frames: list[CameraFrame], rounds: int, still: bool) -> dict[str, dict[str, float]]:
    """ms per frame of the live decoder, zxing-cpp alone and (``still``) the still path, on the same frames."""
    live = LiveDecoder()
    times: dict[str, list[float]] = {"live": [], "zxing": [], "still": []}
    for _ in range(rounds):
        for frame in frames:
            times["live"].append(_ms(live.decode, frame.image))
            times["zxing"].append(_ms(zxingcpp.read_barcodes, frame.image))
    if still:
        for frame in frames:
            times["still"].append(_ms(decode_image, frame.image))
    return {name: _summary(values) for name, values in times.items() if values}


def _worker_fps(frames: list[CameraFrame], seconds: float) -> dict[str, float]:
    """Frames decoded per second by the worker while a fake camera delivers ``CAMERA_FPS`` frames a second."""
    camera = _PacedCamera([f.image for f in frames], CAMERA_FPS, seconds)
    started = time.perf_counter()
    worker = ScanWorker(camera).start()
    camera.ended.wait(seconds + 5.0)
    decoded = worker.frames_decoded
    elapsed = time.perf_counter() - started
    worker.stop()
    return {
        "fps": round(decoded / elapsed, 1),
        "frames_read": worker.frames_read,
        "frames_decoded": worker.frames_decoded,
        "frames_dropped": worker.frames_dropped,
    }


def _camera_frame_rates(fixtures: Path, names: list[str], quick: bool) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for size in ("720p", "1080p", "4000"):
        counts = {"still": 0, "live": 0, "zxing": 0}
        still_ms: list[float] = []
        misses: list[str] = []
        frames = list(code_frames(fixtures, size, names))
        for frame in frames:
            t0 = time.perf_counter()
            still = frame.text in {s.text for s in decode_image(frame.image)}
            still_ms.append((time.perf_counter() - t0) * 1000.0)
            counts["still"] += still
            counts["live"] += _read_live(frame, 3 if quick else HELD_FRAMES)
            counts["zxing"] += frame.text in _zxing_texts(frame.image)
            if not still:
                misses.append(frame.name)
        out[size] = {
            "frames": len(frames),
            **{name: _ratio(count, len(frames)) for name, count in counts.items()},
            "still_ms_p50": round(statistics.median(still_ms), 1) if still_ms else 0.0,
            "misses": misses,
        }
    false_reads = {"still": 0, "live": 0, "zxing": 0}
    empty = [f for size in ("720p", "1080p", "4000") for f in empty_frames(size, 1 if quick else 8, seed=47)]
    for frame in empty:
        false_reads["still"] += bool(decode_image(frame.image))
        false_reads["live"] += bool(LiveDecoder().decode(frame.image))
        false_reads["zxing"] += bool(_zxing_texts(frame.image))
    out["no_code"] = {"frames": len(empty), "false_reads": false_reads}
    return out


def _read_live(frame: CameraFrame, held: int) -> bool:
    """Whether the live decoder reads the code within ``held`` frames of the code held still in view."""
    decoder = LiveDecoder()
    return any(frame.text in {s.text for s in decoder.decode(frame.image)} for _ in range(held))


def _zxing_texts(image: np.ndarray) -> set[str]:
    return {barcode.bytes.decode("utf-8", errors="replace") for barcode in zxingcpp.read_barcodes(image)}


class _PacedCamera:
    """Frames in a loop, each delivered on its tick of a ``fps`` clock, for ``seconds``: a webcam's pace."""

    def __init__(self, frames: list[np.ndarray], fps: float, seconds: float) -> None:
        self._frames = frames
        self._period = 1.0 / fps
        self._count = max(1, round(seconds * fps))
        self._started: float | None = None
        self._served = 0
        self.ended = threading.Event()

    def read(self) -> np.ndarray | None:
        if self._served >= self._count:
            self.ended.set()
            return None
        if self._started is None:
            self._started = time.perf_counter()
        delay = self._started + self._served * self._period - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        frame = self._frames[self._served % len(self._frames)]
        self._served += 1
        return frame

    def close(self) -> None:
        self.ended.set()


def _ms(fn: Callable[[np.ndarray], object], image: np.ndarray) -> float:
    started = time.perf_counter()
    fn(image)
    return (time.perf_counter() - started) * 1000.0


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 95), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
