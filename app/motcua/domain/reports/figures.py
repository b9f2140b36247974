"""Small shared pieces of the reports: spreads of durations, shares, JSON for ``--json``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any


@dataclass(frozen=True, slots=True)
class Spread:
    """How long something took over ``count`` cases: the mean and the 90th percentile (nearest rank), in seconds."""

    count: int = 0
    mean_s: float | None = None
    p90_s: float | None = None

    @classmethod
    def of(cls, seconds: Iterable[float | None]) -> Spread:
        values = sorted(s for s in seconds if s is not None)
        if not values:
            return cls()
        rank = max(math.ceil(0.9 * len(values)), 1)
        return cls(len(values), sum(values) / len(values), values[rank - 1])


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a fraction (0–1), or None when there is nothing to divide."""
    return part / whole if whole else None


def to_jsonable(value: Any) -> Any:
    """A report's dataclasses as JSON values: dates in ISO 8601, enums by value, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
