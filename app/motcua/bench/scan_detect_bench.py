"""Benchmark of the page detector: SmartDoc Jaccard and time per frame on the ``scan_scenes`` fixtures; per-class
Jaccard on the hold-out desk scenes (``desk_scenes``: white and light-grey desks, desks brighter than the paper,
pale-yellow paper, pages partly outside the frame); and the live view's outline (``LiveTracker``: a small copy,
the page followed from frame to frame) timed at 1280×720 and 1920×1080 beside the full detector and a plain
contour detector on the same frames.

Run ``python -m motcua.bench.scan_detect_bench [fixtures_dir]``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from motcua.bench import desk_scenes
from motcua.bench.fixtures import fixtures_folder
from motcua.bench.stats import comparison, percentile
from motcua.documents.scan import detect_page, jaccard_in_page_frame
from motcua.documents.scan.framing import locate_page
from motcua.documents.scan.live import LiveTracker

DEFAULT_FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "scan_scenes"


def _corner_order_is_right(truth: np.ndarray, found: tuple[tuple[float, float], ...] | None) -> bool:
    # The Jaccard index ignores the order of the corners; reading order matters to the dewarping after it.
    if found is None:
        return False
    distances = np.linalg.norm(truth[:, None, :] - np.asarray(found)[None, :, :], axis=2)
    return bool(np.all(np.argmin(distances, axis=0) == np.arange(4)))


def run(quick: bool = False, fixtures_dir: Path | str | None = None) -> dict[str, Any]:
    """Fixture accuracy and time, hold-out desk accuracy, live outline time; ``quick`` takes a few frames of each."""
    result = _fixtures(fixtures_dir, limit=3 if quick else None)
    desks = _desks(
        desk_scenes.HOLDOUT_SEEDS[:1] if quick else desk_scenes.HOLDOUT_SEEDS,
        ("white", "out10") if quick else desk_scenes.CLASSES,
    )
    live = {size: _live_timing(size, quick) for size in ((1280, 720), (1920, 1080))}
    cut = _live_cut_timing(quick)
    result["desks_holdout"] = desks
    result["desks_calibration"] = _desks(
        desk_scenes.CALIBRATION_SEEDS[:1] if quick else desk_scenes.CALIBRATION_SEEDS,
        ("out10",) if quick else desk_scenes.CLASSES,
    )
    result["live"] = {f"{w}x{h}": figures for (w, h), figures in live.items()}
    result["live_cut"] = cut
    rows = []
    for (w, h), figures in live.items():
        label = f"{w}×{h}"
        rows.append(
            comparison(f"live outline p50 {label}", figures["live_ms_p50"], "full detector p50", figures["full_ms_p50"])
        )
        rows.append(
            comparison(f"live outline p95 {label}", figures["live_ms_p95"], "full detector p95", figures["full_ms_p95"])
        )
        rows.append(
            comparison(
                f"live outline p50 {label}", figures["live_ms_p50"], "plain contour p50", figures["contour_ms_p50"]
            )
        )
        rows.append(
            comparison(
                f"live frames/s {label}",
                figures["live_fps"],
                "full detector frames/s",
                figures["full_fps"],
                unit="frames/s",
                goal="≥ 15 frames/s at 1280×720",
            )
        )
        rows.append(
            comparison(
                f"live outline Jaccard {label}",
                figures["live_jaccard"],
                "plain contour Jaccard",
                figures["contour_jaccard"],
                unit="",
            )
        )
    rows.append(
        comparison(
            "live frames/s 1280×720, page partly outside",
            cut["live_fps"],
            "searched afresh every frame",
            cut["search_fps"],
            unit="frames/s",
            goal="≥ 15 frames/s at 1280×720",
        )
    )
    rows.append(
        comparison(
            "live outline Jaccard 1280×720, page partly outside",
            cut["live_jaccard"],
            "searched afresh every frame",
            cut["search_jaccard"],
            unit="",
        )
    )
    for cls, figures in desks["per_class"].items():
        rows.append(
            comparison(
                f"desk {cls} mean Jaccard", figures["full"], "fixture mean Jaccard", result["mean_jaccard"], unit=""
            )
        )
    rows.append(
        comparison(
            "desk hold-out mean Jaccard, live search",
            desks["mean_live"],
            "full detector",
            desks["mean_full"],
            unit="",
        )
    )
    result["comparisons"] = rows
    return result


def _fixtures(fixtures_dir: Path | str | None, limit: int | None) -> dict[str, Any]:
    """Detect the page in every fixture; mean, per-class and worst Jaccard, corner order, ms per frame."""
    folder = Path(fixtures_dir) if fixtures_dir is not None else fixtures_folder(DEFAULT_FIXTURES)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    truth = dict(sorted(truth.items())[:limit])
    scores: dict[str, float] = {}
    by_class: dict[str, list[float]] = {}
    timings_ms: list[float] = []
    ordered_right = 0
    for name, entry in sorted(truth.items()):
        image = cv2.imread(str(folder / name), cv2.IMREAD_COLOR)
        started = time.perf_counter()
        found = detect_page(image) if image is not None else None
        timings_ms.append((time.perf_counter() - started) * 1000.0)
        corners = np.asarray(entry["corners"], dtype=np.float64)
        score = jaccard_in_page_frame(corners, found, tuple(entry.get("page_mm", (210, 297))))
        scores[name] = score
        by_class.setdefault(entry.get("class", "all"), []).append(score)
        ordered_right += _corner_order_is_right(corners, found)
    values = list(scores.values())
    worst = min(scores, key=scores.__getitem__) if scores else None
    return {
        "fixtures": str(folder),
        "frames": len(values),
        "mean_jaccard": float(np.mean(values)) if values else 0.0,
        "per_class": {name: float(np.mean(v)) for name, v in sorted(by_class.items())},
        "min_jaccard": float(min(values)) if values else 0.0,
        "worst_frame": worst,
        "corner_order_right": ordered_right,
        "ms_p50": float(percentile(timings_ms, 50)) if timings_ms else 0.0,
        "ms_p95": float(percentile(timings_ms, 95)) if timings_ms else 0.0,
        "per_frame": scores,
    }


def _corners_of(found: Any) -> Any:
    return None if found is None else found.corners


def _desks(seeds: range, classes: tuple[str, ...]) -> dict[str, Any]:
    """Mean Jaccard per desk class, the full detector (``locate_page``, as a capture) and the live view's
    search (``LiveTracker`` on a first frame: the small copy)."""
    per_class: dict[str, dict[str, float]] = {}
    full_all: list[float] = []
    live_all: list[float] = []
    for cls in classes:
        full, live = [], []
        for seed in seeds:
            scene = desk_scenes.scene(cls, seed)
            full.append(jaccard_in_page_frame(scene.corners, _corners_of(locate_page(scene.frame))))
            live.append(jaccard_in_page_frame(scene.corners, _corners_of(LiveTracker().update(scene.frame))))
        per_class[cls] = {"full": float(np.mean(full)), "live": float(np.mean(live)), "scenes": len(full)}
        full_all += full
        live_all += live
    return {
        "seeds": [seeds.start, seeds.stop - 1],
        "per_class": per_class,
        "mean_full": float(np.mean(full_all)),
        "mean_live": float(np.mean(live_all)),
    }


def plain_contour(frame: np.ndarray) -> np.ndarray | None:
    """The yardstick: Canny edges, the largest contour that simplifies to four corners (the textbook detector)."""
    gray = cv2.GaussianBlur(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(gray, 50, 150), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        poly = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(poly) == 4 and cv2.contourArea(poly) > 0.05 * frame.shape[0] * frame.shape[1]:
            return poly.reshape(4, 2).astype(np.float64)
    return None


def _live_timing(size: tuple[int, int], quick: bool) -> dict[str, float]:
    """A page slid across the desk, 6 px right and 3 px down a frame (at 1280 wide), on each desk class in turn:
    the live outline timed on every frame, the full detector and the plain contour on the same frames."""
    classes = ("white",) if quick else desk_scenes.CLASSES[:5]
    steps = 3 if quick else 12
    frames = [
        desk_scenes.scene(cls, desk_scenes.HOLDOUT_SEEDS[0], size, (6.0 * i, 3.0 * i))
        for cls in classes
        for i in range(steps)
    ]
    live_ms, contour_ms, full_ms = [], [], []
    live_j, contour_j = [], []
    tracker = LiveTracker()
    for scene in frames:
        started = time.perf_counter()
        found = tracker.update(scene.frame)
        live_ms.append((time.perf_counter() - started) * 1000.0)
        live_j.append(jaccard_in_page_frame(scene.corners, _corners_of(found)))
        started = time.perf_counter()
        quad = plain_contour(scene.frame)
        contour_ms.append((time.perf_counter() - started) * 1000.0)
        contour_j.append(jaccard_in_page_frame(scene.corners, quad))
    # The full detector is slow: every third frame is enough for its timing.
    for scene in frames[::3]:
        started = time.perf_counter()
        locate_page(scene.frame)
        full_ms.append((time.perf_counter() - started) * 1000.0)
    return {
        "frames": len(frames),
        "live_redetections": tracker.redetections,
        "live_ms_p50": percentile(live_ms, 50),
        "live_ms_p95": percentile(live_ms, 95),
        "live_fps": 1000.0 / float(np.mean(live_ms)),
        "live_jaccard": float(np.mean(live_j)),
        "full_ms_p50": percentile(full_ms, 50),
        "full_ms_p95": percentile(full_ms, 95),
        "full_fps": 1000.0 / float(np.mean(full_ms)),
        "contour_ms_p50": percentile(contour_ms, 50),
        "contour_jaccard": float(np.mean(contour_j)),
    }


def _live_cut_timing(quick: bool) -> dict[str, float]:
    """Pages partly outside the frame (``out10``, ``out25``) slid 3 px right and 1.5 px down a frame at 1280×720:
    the live outline (the page followed from frame to frame) beside the live view's search run on every frame,
    time, how many frames were searched, and how far the outline jumps between frames (mean corner movement
    beyond the page's own, pixels)."""
    seeds = desk_scenes.HOLDOUT_SEEDS[:1] if quick else desk_scenes.HOLDOUT_SEEDS[:4]
    steps = 3 if quick else 10
    sequences = [
        [desk_scenes.scene(cls, seed, shift=(3.0 * i, 1.5 * i)) for i in range(steps)]
        for cls in ("out10", "out25")
        for seed in seeds
    ]
    live_ms, search_ms, live_j, search_j, live_jitter, search_jitter = [], [], [], [], [], []
    redetections = 0
    for frames in sequences:
        tracker = LiveTracker()
        previous: dict[str, Any] = {}
        for scene in frames:
            started = time.perf_counter()
            found = tracker.update(scene.frame)
            live_ms.append((time.perf_counter() - started) * 1000.0)
            started = time.perf_counter()
            searched = locate_page(scene.frame, LiveTracker().long_side)
            search_ms.append((time.perf_counter() - started) * 1000.0)
            for key, outline, scores, jitter in (
                ("live", found, live_j, live_jitter),
                ("search", searched, search_j, search_jitter),
            ):
                corners = _corners_of(outline)
                scores.append(jaccard_in_page_frame(scene.corners, corners))
                if corners is not None and previous.get(key) is not None:
                    then, truth_then = previous[key]
                    moved = np.asarray(corners) - np.asarray(then) - (scene.corners - truth_then)
                    jitter.append(float(np.linalg.norm(moved, axis=1).mean()))
                previous[key] = (corners, scene.corners)
        redetections += tracker.redetections
    return {
        "frames": len(live_ms),
        "live_redetections": redetections,
        "live_ms_p50": percentile(live_ms, 50),
        "live_ms_p95": percentile(live_ms, 95),
        "live_fps": 1000.0 / float(np.mean(live_ms)),
        "live_jaccard": float(np.mean(live_j)),
        "live_jitter_px": float(np.mean(live_jitter)) if live_jitter else 0.0,
        "search_ms_p50": percentile(search_ms, 50),
        "search_fps": 1000.0 / float(np.mean(search_ms)),
        "search_jaccard": float(np.mean(search_j)),
        "search_jitter_px": float(np.mean(search_jitter)) if search_jitter else 0.0,
    }


if __name__ == "__main__":
    result = run(fixtures_dir=sys.argv[1] if len(sys.argv) > 1 else None)
    result.pop("per_frame")
    print(json.dumps(result, indent=2, ensure_ascii=False))
