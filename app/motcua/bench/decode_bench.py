"""Accuracy and speed of the barcode/QR decoder on the ``barcodes`` fixtures (``motcua bench decode``).

The folder holds JPEGs and a ``truth.json``: ``{file: {"kind": "qr"|"code128"|"code39", "text", "hard"}}``.
An image counts as read *exactly* when one of the decoded symbols has exactly the true text.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from motcua.bench.fixtures import fixtures_folder
from motcua.bench.stats import comparison, percentile
from motcua.devices.barcode import decode_file

DEFAULT_FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "barcodes"


def run(fixtures_dir: Path | str | None = None, quick: bool = False) -> dict[str, Any]:
    """Decode every image listed in ``truth.json``; ``quick`` takes every fifth image only.

    Returns:
        ``{"fixtures", "images", "exact", "accuracy", "by_kind": {kind: {"images", "exact", "accuracy"}},
        "hard_accuracy", "seconds_total", "ms_per_image_p50", "ms_per_image_p95", "misses": [file, …]}``;
        an empty result with ``"missing"`` set when the folder has no ``truth.json``.
    """
    folder = Path(fixtures_dir) if fixtures_dir is not None else fixtures_folder(DEFAULT_FIXTURES)
    truth_file = folder / "truth.json"
    if not truth_file.is_file():
        return {"images": 0, "exact": 0, "accuracy": 0.0, "missing": str(truth_file)}
    truth: dict[str, dict[str, Any]] = json.loads(truth_file.read_text(encoding="utf-8"))
    names = sorted(truth)[:: 5 if quick else 1]
    timings: list[float] = []
    kinds: dict[str, list[int]] = {}  # kind → [images, exact]
    hard = [0, 0]
    misses: list[str] = []
    started = time.perf_counter()
    for name in names:
        label = truth[name]
        t0 = time.perf_counter()
        texts = {symbol.text for symbol in decode_file(folder / name)}
        timings.append((time.perf_counter() - t0) * 1000.0)
        ok = label["text"] in texts
        if not ok:
            misses.append(name)
        counts = kinds.setdefault(label["kind"], [0, 0])
        counts[0] += 1
        counts[1] += ok
        if label.get("hard"):
            hard[0] += 1
            hard[1] += ok
    exact = len(names) - len(misses)
    return {
        "fixtures": str(folder),
        "images": len(names),
        "exact": exact,
        "accuracy": _ratio(exact, len(names)),
        "by_kind": {
            kind: {"images": n, "exact": k, "accuracy": _ratio(k, n)} for kind, (n, k) in sorted(kinds.items())
        },
        "hard_accuracy": _ratio(hard[1], hard[0]) if hard[0] else None,
        "seconds_total": round(time.perf_counter() - started, 2),
        "ms_per_image_p50": round(statistics.median(timings), 1) if timings else 0.0,
        "ms_per_image_p95": round(percentile(timings, 95), 1),
        "misses": misses,
        "comparisons": [
            comparison("read exactly", _ratio(exact, len(names)), "goal", 0.98, unit="share", goal="≥ 0.98"),
            comparison(
                "ms per image p95", percentile(timings, 95), "p50", statistics.median(timings) if timings else 0
            ),
        ],
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
