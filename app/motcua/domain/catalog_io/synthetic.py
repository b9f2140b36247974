"""A deterministic, realistic-looking, full-size synthetic catalog for tests and benchmarks.

Every generated procedure passes the same checks as an imported one and carries ``extra["synthetic"] = "1"``;
the words it is made of are in :mod:`~motcua.domain.catalog_io.synthetic_words`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from motcua.domain.catalog_io.synthetic_words import COMMON_COMPONENTS, FEE_AMOUNTS, QUALIFIERS, SECTORS
from motcua.domain.catalog_io.validation import checked
from motcua.domain.procedures import Channel, Component, Fee, Level, Procedure, ProcessingTime, Territory, TimeUnit
from motcua.domain.text import nfc


def generate_synthetic_catalog(n: int = 2199, seed: int = 7, province: str = "H38") -> list[Procedure]:
    """A deterministic, realistic-looking full-size catalog for tests and benchmarks.

    Codes are unique and valid, about a third in the localised ``X.NNNNNN.000.00.00.{province}`` form; names
    are Vietnamese with diacritics, built from real verbs and objects per sector; time units mix working days,
    working hours, same-day and calendar days; 1–8 components each. Every procedure carries
    ``extra["synthetic"] = "1"`` so it can never be mistaken for a published one.

    Args:
        n: how many procedures.
        seed: the random seed; the same seed always gives the same catalog.
        province: the province suffix of localised codes (``H38`` = Lào Cai).

    Returns:
        ``n`` validated procedures.
    """
    rng = random.Random(seed)
    names = _synthetic_names(rng, n)
    codes = _synthetic_codes(rng, n, province)
    out: list[Procedure] = []
    for code, (sector_index, verb, obj, name) in zip(codes, names, strict=True):
        sector = SECTORS[sector_index]
        levels = [lv for lv, w in zip((Level.COMMUNE, Level.PROVINCE, Level.CENTRAL), sector.weights, strict=True) if w]
        level = rng.choices(levels, weights=[w for w in sector.weights if w])[0]
        statutory, local = _synthetic_times(rng)
        service_level = rng.choices((2, 3, 4), weights=(25, 35, 40))[0]
        channels = [Channel.DIRECT]
        if service_level >= 3:
            channels.append(Channel.ONLINE)
        if rng.random() < 0.6:
            channels.append(Channel.POSTAL)
        proc = Procedure(
            code=code,
            name=name,
            sector=sector.name,
            level=level,
            agency=sector.agencies[level],
            statutory_time=statutory,
            local_time=local,
            fees=_synthetic_fees(rng, verb, obj),
            components=_synthetic_components(rng, verb, obj, sector.components),
            channels=tuple(channels),
            service_level=service_level,
            territory=_territory(rng.random()),
            active=rng.random() < 0.97,
            extra={"synthetic": "1"},
        )
        out.append(checked(proc))
    return out


def _synthetic_names(rng: random.Random, n: int) -> list[tuple[int, str, str, str]]:
    combos = [
        (si, verb, obj, nfc(f"{verb} {obj} {qualifier}"))
        for si, sector in enumerate(SECTORS)
        for verb in sector.verbs
        for obj in sector.objects
        for qualifier in QUALIFIERS
    ]
    rng.shuffle(combos)
    picked = combos[:n]
    # More procedures than word combinations (only for n > ~3,000): number the repeats, still unique.
    for k in range(n - len(picked)):
        si, verb, obj, name = combos[k % len(combos)]
        picked.append((si, verb, obj, f"{name} (mẫu {k // len(combos) + 2})"))
    return picked


def _synthetic_codes(rng: random.Random, n: int, province: str) -> list[str]:
    # Real national codes start with 1., 2. or 3.; the 1.0xxxxx range is by far the largest.
    ranges = ((1, 100, 14_999, 60), (2, 100, 2_999, 35), (3, 100, 999, 5))
    capacity = sum(hi - lo + 1 for _, lo, hi, _ in ranges)
    if n > capacity:
        raise ValueError(f"at most {capacity} synthetic procedures")
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < n:
        head, lo, hi, _ = rng.choices(ranges, weights=[r[3] for r in ranges])[0]
        base = f"{head}.{rng.randint(lo, hi):06d}"
        if base in seen:
            continue
        seen.add(base)
        codes.append(f"{base}.000.00.00.{province}" if rng.random() < 0.35 else base)
    return codes


def _synthetic_times(rng: random.Random) -> tuple[ProcessingTime, ProcessingTime | None]:
    kind = rng.choices(("same", "hours", "days", "calendar"), weights=(12, 8, 70, 10))[0]
    if kind == "same":
        # Mostly the centre's default cut-off; some procedures publish their own.
        return ProcessingTime(0, TimeUnit.SAME_DAY, cutoff=rng.choice(("", "", "15:00", "16:00"))), None
    if kind == "hours":
        return ProcessingTime(float(rng.choice((2, 4, 8, 16))), TimeUnit.HOURS), None
    if kind == "calendar":
        amount = float(rng.choice((15, 30, 45, 60)))
        return ProcessingTime(amount, TimeUnit.CALENDAR_DAYS, skip_holidays=rng.random() < 0.5), None
    amount = float(rng.choice((1, 2, 3, 5, 7, 10, 12, 15, 20, 25, 30, 45)))
    statutory = ProcessingTime(amount, TimeUnit.WORKING_DAYS)
    if amount >= 3 and rng.random() < 0.35:
        # Provinces publish cuts of roughly a third (15 → 10 for construction permits in Lào Cai).
        return statutory, ProcessingTime(float(max(1, round(amount * 0.67))), TimeUnit.WORKING_DAYS)
    return statutory, None


def _synthetic_fees(rng: random.Random, verb: str, obj: str) -> tuple[Fee, ...]:
    if rng.random() < 0.45:
        return ()
    fees = [Fee(nfc(f"Lệ phí {verb.lower()} {obj}"), rng.choice(FEE_AMOUNTS))]
    if rng.random() < 0.25:
        fees.append(Fee("Phí thẩm định hồ sơ", rng.choice(FEE_AMOUNTS), "Nộp khi tiếp nhận hồ sơ"))
    return tuple(fees)


def _synthetic_components(rng: random.Random, verb: str, obj: str, own: Sequence[str]) -> tuple[Component, ...]:
    count = rng.randint(1, 8)
    first = nfc(f"Tờ khai đề nghị {verb.lower()} {obj} theo mẫu")
    pool = [*own, *COMMON_COMPONENTS]
    rng.shuffle(pool)
    names = [first, *pool[: count - 1]]
    components = []
    for i, name in enumerate(names, start=1):
        is_form = i == 1
        components.append(
            Component(
                code=f"TP{i}",
                name=name,
                originals=1 if is_form or rng.random() < 0.4 else 0,
                certified_copies=0 if is_form else rng.choice((0, 0, 1)),
                photocopies=0 if is_form else rng.choice((0, 1, 1, 2)),
                required=is_form or rng.random() < 0.7,
                must_digitize=is_form or rng.random() < 0.3,
            )
        )
    return tuple(components)


def _territory(draw: float) -> Territory:
    """One draw, as the earlier any_territory flag took (the rest of the catalog stays the same for a seed)."""
    if draw < 0.8:
        return Territory.NONE
    return Territory.LOCATION if draw < 0.9 else Territory.RESIDENCE
