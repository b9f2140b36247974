"""Benchmark of the scan pipeline on the ``scan_scenes`` fixtures: time per page from camera frame to PDF
page (detect, rectify, deskew, mode, encode) and bytes per A4 page in each mode at 200 dpi.

The detector's accuracy (Jaccard) is ``scan-detect``'s business. Run ``python -m motcua.bench.scan_bench``.
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
from motcua.documents.scan.detect import detect_page
from motcua.documents.scan.modes import Mode, to_mode
from motcua.documents.scan.pages import MIN_DPI, full_frame
from motcua.documents.scan.pdf import build_pdf
from motcua.documents.scan.session import ScannedPage, rectified

DEFAULT_FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "scan_scenes"


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "mean": round(float(np.mean(values)), 1),
        "max": round(float(np.max(values)), 1),
    }


def run(quick: bool = False, fixtures_dir: Path | str | None = None) -> dict[str, Any]:
    """Every fixture frame through the whole pipeline in every mode; ``quick`` takes three frames."""
    folder = Path(fixtures_dir) if fixtures_dir is not None else fixtures_folder(DEFAULT_FIXTURES)
    files = sorted(folder.glob("*.jpg"))[: 3 if quick else None]
    ms: dict[str, list[float]] = {m.value: [] for m in Mode}
    sizes: dict[str, list[float]] = {m.value: [] for m in Mode}
    detect_ms: list[float] = []
    for f in files:
        frame = cv2.imread(str(f), cv2.IMREAD_COLOR)
        if frame is None:
            continue
        for mode in Mode:
            started = time.perf_counter()
            corners = detect_page(frame)
            found = time.perf_counter()
            page = ScannedPage(frame, corners or full_frame(frame), detected=corners is not None)
            data = build_pdf([to_mode(rectified(page, MIN_DPI), mode)], mode, MIN_DPI)
            ms[mode.value].append((time.perf_counter() - started) * 1000.0)
            detect_ms.append((found - started) * 1000.0)
            # One-page PDFs: the file's own overhead (under 1 KB) is counted in, as a clerk would see it.
            sizes[mode.value].append(len(data) / 1024.0)
    return {
        "fixtures": str(folder),
        "frames": len(files),
        "dpi": MIN_DPI,
        "ms_per_page": {m: _stats(v) for m, v in ms.items()},
        "ms_detect": _stats(detect_ms),
        "kb_per_a4_page": {m: {"mean": _stats(v).get("mean"), "max": _stats(v).get("max")} for m, v in sizes.items()},
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
