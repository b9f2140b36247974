"""An estimate of the parts of the Decision 766 service index a centre can measure from its own data.

Formulas and maxima from the reference (``domain-vn.md`` §6): ``score = max_points × min(1, ratio / threshold)``.
Some maxima of single indicators are not published in a primary text ([U]/[S] there): they are defaults a
province changes in ``centre.toml`` ``[service_index]``; the report prints the maximum it used beside every score.
Parts that need data the centre does not hold (publication of procedures, feedback handling on the national
portal, electronic results) are listed with the reason, never guessed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from motcua.domain.dossier import Timeliness
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Channel
from motcua.domain.reports.facts import DossierFact, Outcome, RatingFact
from motcua.domain.reports.period import month_range
from motcua.i18n import tr


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: its code (as in the decision), group, maximum points and the ratio giving full marks."""

    code: str
    group: int
    max_points: float
    threshold: float

    @property
    def name(self) -> str:
        return tr(_NAMES[self.code])


_NAMES = {
    "2.1": "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
    "3.3": "Tỷ lệ hồ sơ nộp trực tuyến",
    "4.2": "Tỷ lệ hồ sơ thực hiện số hóa",
    "4.3": "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa",
    "5.4": "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
}

# Group maxima (provincial level, total 100) and the indicators measured here with their default weights.
GROUP_MAX = {1: 18.0, 2: 20.0, 3: 22.0, 4: 22.0, 5: 18.0}
GROUP_NAMES = {
    1: "Công khai, minh bạch",
    2: "Tiến độ, kết quả giải quyết",
    3: "Cung cấp dịch vụ trực tuyến",
    4: "Số hóa hồ sơ",
    5: "Mức độ hài lòng",
}
DEFAULT_INDICATORS = (
    Indicator("2.1", 2, 20.0, 1.0),
    Indicator("3.3", 3, 6.0, 0.5),
    Indicator("4.2", 4, 4.0, 0.8),
    Indicator("4.3", 4, 2.0, 0.8),
    Indicator("5.4", 5, 6.0, 0.9),
)

# What the centre cannot measure, and why (said on screen and in the report).
NOT_MEASURED = (
    ("1.1–1.4", "Công bố, công khai thủ tục và đồng bộ hồ sơ lên Cổng DVCQG: dữ liệu của tỉnh và Cổng quốc gia"),
    ("3.1, 3.2, 3.5, 3.6", "Danh mục dịch vụ công trực tuyến, thanh toán trực tuyến: dữ liệu của Cổng DVCQG"),
    ("4.1, 4.4, 4.5", "Kết quả điện tử, kho dữ liệu cá nhân trên DVCQG, xác thực VNeID: chưa ghi nhận tại quầy"),
    ("5.1–5.3", "Phản ánh, kiến nghị (PAKN) trên Cổng DVCQG: trung tâm không nắm số liệu"),
)


@dataclass(frozen=True, slots=True)
class Score:
    indicator: Indicator
    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def points(self) -> float | None:
        r = self.ratio
        if r is None:
            return None
        return self.indicator.max_points * min(1.0, r / self.indicator.threshold)


@dataclass(frozen=True, slots=True)
class IndexMonth:
    """The measured indicators of one month for one scope (the centre, or one sector)."""

    month: date
    scope: str
    scores: tuple[Score, ...]
    late: int
    late_with_apology: int

    def group_points(self, group: int) -> tuple[float, float] | None:
        """Points earned and points measured in ``group`` (None: nothing measured there this month)."""
        got = [s for s in self.scores if s.indicator.group == group and s.points is not None]
        if not got:
            return None
        return sum(s.points or 0.0 for s in got), sum(s.indicator.max_points for s in got)


def index_month(
    month: date,
    dossiers: Iterable[DossierFact],
    ratings: Iterable[RatingFact],
    *,
    scope: str = "",
    indicators: tuple[Indicator, ...] = DEFAULT_INDICATORS,
    now: datetime | None = None,
) -> IndexMonth:
    """The indicators of the month holding ``month``, over the dossiers received or ended in it."""
    first, last = month_range(month)
    begin, finish = datetime.combine(first, time.min), datetime.combine(last, time.max)
    if now is not None:
        finish = min(finish, now)
    received = []
    resolved = []
    ended_or_open = 0
    overdue = 0
    for d in dossiers:
        if begin <= d.received_at <= finish and d.was_received_by(finish):
            received.append(d)
        ended = d.ended(finish)
        if ended is not None and begin <= ended[1] <= finish and ended[0] is Outcome.RESOLVED:
            resolved.append(d)
        if ended is not None and begin <= ended[1] <= finish:
            ended_or_open += 1
            overdue += d.judged(finish) is Timeliness.LATE
        elif ended is None and d.was_received_by(finish) and d.received_at <= finish:
            judged = d.judged(finish)
            if d.received_at >= begin or judged in (Timeliness.OVERDUE, Timeliness.LATE):
                ended_or_open += 1
                overdue += judged in (Timeliness.OVERDUE, Timeliness.LATE)
    judged_resolved = [d.judged(finish) for d in resolved]
    late = [d for d, j in zip(resolved, judged_resolved, strict=True) if j is Timeliness.LATE]
    rated = [r for r in ratings if begin <= r.at <= finish]
    disliked = sum(1 for r in rated if not r.level.satisfied)
    counts: Mapping[str, tuple[int, int]] = {
        "2.1": (len(resolved) - len(late), len(resolved)),
        "3.3": (sum(1 for d in received if d.channel is Channel.ONLINE), len(received)),
        "4.2": (sum(1 for d in received if d.digitized), len(received)),
        "4.3": (sum(1 for d in received if d.reused), sum(1 for d in received if d.digitized)),
        # 100 % − (overdue share + "not satisfied" share): as numerator/denominator over the dossiers handled,
        # with the dislikes scaled to them by the share of ratings.
        "5.4": _satisfaction(ended_or_open, overdue, len(rated), disliked),
    }
    scores = tuple(Score(i, *counts[i.code]) for i in indicators if i.code in counts)
    return IndexMonth(first, scope, scores, len(late), sum(1 for d in late if d.apology))


def _satisfaction(handled: int, overdue: int, rated: int, disliked: int) -> tuple[int, int]:
    """5.4 as a fraction in parts per 10,000: 1 − overdue/handled − disliked/rated (never below 0)."""
    if not handled and not rated:
        return 0, 0
    bad = (overdue / handled if handled else 0.0) + (disliked / rated if rated else 0.0)
    return round(max(0.0, 1.0 - bad) * 10_000), 10_000


def indicators_from(overrides: Mapping[str, Mapping[str, float]]) -> tuple[Indicator, ...]:
    """The default indicators with a province's maxima and thresholds (``{"3.3": {"max_points": 4}}``)."""
    known = {i.code for i in DEFAULT_INDICATORS}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValidationError(
            tr("Chỉ số không đo được tại trung tâm: {codes} (có: {known})", codes=", ".join(unknown),
               known=", ".join(sorted(known))),
            "index",
        )  # fmt: skip
    out = []
    for i in DEFAULT_INDICATORS:
        o = overrides.get(i.code, {})
        out.append(
            Indicator(i.code, i.group, float(o.get("max_points", i.max_points)), float(o.get("threshold", i.threshold)))
        )
    return tuple(out)


def months_between(start: date, end: date) -> list[date]:
    out = []
    m = start.replace(day=1)
    while m <= end:
        out.append(m)
        m = month_range(m)[1] + (date(2000, 1, 2) - date(2000, 1, 1))
    return out


def index_by_month(
    start: date,
    end: date,
    dossiers: list[DossierFact],
    ratings: list[RatingFact],
    *,
    by_sector: bool = False,
    indicators: tuple[Indicator, ...] = DEFAULT_INDICATORS,
    now: datetime | None = None,
) -> list[IndexMonth]:
    """Each month of the range for the centre, then (``by_sector``) for each sector; a sector's ratings are those
    naming one of its dossiers."""
    out = []
    sector_of = {d.code: d.sector for d in dossiers} if by_sector else {}
    # In order of reception, with when each ended: a month's dossiers are a prefix of the list, filtered by a
    # comparison (not a method call on every dossier of the year for every month).
    ordered = sorted(dossiers, key=lambda d: d.received_at)
    received = [d.received_at for d in ordered]
    closed = [d.closed_at for d in ordered]
    for m in months_between(start, end):
        first, last = month_range(m)
        begin, finish = datetime.combine(first, time.min), datetime.combine(last, time.max)
        upto = bisect_right(received, finish)
        mine = [d for d, c in zip(ordered[:upto], closed[:upto], strict=True) if c is None or c >= begin]
        rated = [r for r in ratings if begin <= r.at <= finish]
        out.append(index_month(m, mine, rated, scope="", indicators=indicators, now=now))
        if not by_sector:
            continue
        sectors: dict[str, list[DossierFact]] = {}
        for d in mine:
            sectors.setdefault(d.sector, []).append(d)
        sector_ratings: dict[str, list[RatingFact]] = {}
        for r in rated:
            for sector in {sector_of[c] for c in r.dossiers if c in sector_of}:
                sector_ratings.setdefault(sector, []).append(r)
        for sector in sorted(sectors):
            out.append(
                index_month(
                    m, sectors[sector], sector_ratings.get(sector, []), scope=sector, indicators=indicators, now=now
                )
            )
    return out
