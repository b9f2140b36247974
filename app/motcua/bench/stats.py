"""One way to summarise timings across every benchmark, so their figures compare."""

from __future__ import annotations

from collections.abc import Sequence


def percentile(values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile, no interpolation (with 60 samples p95 is the 57th smallest); 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, round(percent / 100 * len(ordered))))
    return float(ordered[rank - 1])
