"""Benchmark of the page detector on the ``scan_scenes`` fixtures: SmartDoc Jaccard and time per frame.

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

from motcua.bench.fixtures import fixtures_folder
from motcua.bench.stats import percentile
from motcua.documents.scan import detect_page, jaccard_in_page_frame

DEFAULT_FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "scan_scenes"


def _corner_order_is_right(truth: np.ndarray, found: tuple[tuple[float, float], ...] | None) -> bool:
    # The Jaccard index ignores the order of the corners; reading order matters to the dewarping after it.
    if found is None:
        return False
    distances = np.linalg.norm(truth[:, None, :] - np.asarray(found)[None, :, :], axis=2)
    return bool(np.all(np.argmin(distances, axis=0) == np.arange(4)))


def run(fixtures_dir: Path | str | None = None) -> dict[str, Any]:
    """Detect the page in every fixture; mean, per-class and worst Jaccard, corner order, ms per frame."""
    folder = Path(fixtures_dir) if fixtures_dir is not None else fixtures_folder(DEFAULT_FIXTURES)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
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


if __name__ == "__main__":
    result = run(sys.argv[1] if len(sys.argv) > 1 else None)
    result.pop("per_frame")
    print(json.dumps(result, indent=2, ensure_ascii=False))
