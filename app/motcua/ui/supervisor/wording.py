"""How the supervisor's figures are written: durations, shares, counts, a counter's state, a dossier's channel."""

from __future__ import annotations

from motcua.domain.procedures import Channel
from motcua.domain.reports.facts import CounterActivity
from motcua.domain.reports.figures import Spread
from motcua.i18n import get_language, tr

NONE = "—"  # nothing to measure yet (no ticket served, nobody rated)


def number(n: int) -> str:
    """Thousands grouped as the reader groups them: 1.234 in Vietnamese, 1,234 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if get_language() == "vi" else text


def decimal(x: float, places: int = 1) -> str:
    text = f"{x:.{places}f}"
    return text.replace(".", ",") if get_language() == "vi" else text


def duration(seconds: float | None) -> str:
    """Seconds under a minute and a half, then whole minutes, then hours and minutes: a wait is read at a glance."""
    if seconds is None:
        return NONE
    s = round(seconds)
    if s < 90:
        return tr("{s} giây", s=s)
    m = round(s / 60)
    if m < 90:
        return tr("{m} phút", m=m)
    return tr("{h} giờ {m:02d} phút", h=m // 60, m=m % 60)


def minutes(seconds: float | None) -> float:
    return 0.0 if seconds is None else seconds / 60


def in_minutes(seconds: float | None) -> str:
    """A duration in a table column headed "(phút)": one decimal under ten minutes, whole minutes above."""
    if seconds is None:
        return NONE
    m = seconds / 60
    return decimal(m) if m < 10 else str(round(m))


def spread_minutes(s: Spread) -> str:
    """The mean and the 90th percentile in minutes, "4,5 · 9", under a header that names the unit."""
    return NONE if not s.count else f"{in_minutes(s.mean_s)} · {in_minutes(s.p90_s)}"


def percent(share: float | None) -> str:
    return NONE if share is None else f"{decimal(share * 100, 0)}%"


def activity(a: CounterActivity, ticket: str | None = None) -> str:
    if a is CounterActivity.SERVING:
        return tr("Phục vụ {ticket}", ticket=ticket) if ticket else tr("Đang phục vụ")
    if a is CounterActivity.PAUSED:
        return tr("Tạm dừng")
    if a is CounterActivity.IDLE:
        return tr("Đang trống")
    return tr("Đã đóng")


def activity_tone(a: CounterActivity) -> str:
    return {CounterActivity.SERVING: "ok", CounterActivity.PAUSED: "warn", CounterActivity.CLOSED: "off"}.get(a, "")


def channel(c: Channel) -> str:
    if c is Channel.DIRECT:
        return tr("Trực tiếp")
    if c is Channel.ONLINE:
        return tr("Trực tuyến")
    return tr("Bưu chính")
