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


def comparison(
    figure: str, value: float, against: str, against_value: float, unit: str = "ms", goal: str = ""
) -> dict[str, object]:
    """One figure beside what it is compared with in the same run, and their ratio (``value / against``).

    Benchmarks put these rows under ``"comparisons"``; ``motcua bench`` prints them as a table, so a figure is
    never read without the yardstick measured on the same machine at the same moment.
    """
    ratio = value / against_value if against_value else float("inf")
    row: dict[str, object] = {
        "figure": figure,
        "value": round(value, 3),
        "against": against,
        "against_value": round(against_value, 3),
        "unit": unit,
        "ratio": round(ratio, 3),
    }
    if goal:
        row["goal"] = goal
    return row
