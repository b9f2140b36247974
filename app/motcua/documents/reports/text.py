"""Figures written the way a Vietnamese report writes them: durations, shares, counts, points, channels."""

from __future__ import annotations

from motcua.domain.procedures import Channel
from motcua.i18n import tr

# Printed where a figure does not apply (a share of nothing, a wait nobody had): never a misleading 0.
DASH = "–"


def duration(seconds: float | None) -> str:
    """``"7:05"`` (minutes:seconds) under an hour, ``"1h05"`` (hours, minutes) from an hour up.

    From an hour up the shape "h:mm" would read as minutes:seconds beside the shorter waits of the same column;
    the "h" ("7h30") is how Vietnamese writes hours and minutes.
    """
    if seconds is None:
        return DASH
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}"


def decimal(value: float, digits: int = 1) -> str:
    """``"15,2"``: a decimal comma, as Vietnamese writes numbers."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(fraction: float | None, digits: int = 1) -> str:
    """``"99,4 %"`` for 0.994; the dash when there is nothing to divide."""
    if fraction is None:
        return DASH
    return f"{decimal(100 * fraction, digits)} %"


def count(n: int) -> str:
    """``"1.234"``: thousands grouped with dots."""
    return f"{n:,}".replace(",", ".")


def points(value: float) -> str:
    """Index points with at most two decimals and no trailing zeros: ``"20"``, ``"15,2"``, ``"3,75"``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def channel_label(channel: Channel) -> str:
    return {
        Channel.DIRECT: tr("Trực tiếp"),
        Channel.ONLINE: tr("Trực tuyến"),
        Channel.POSTAL: tr("Bưu chính"),
    }[channel]
