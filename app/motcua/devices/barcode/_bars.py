"""Model-based decoding of blurred Code 128 / Code 39 profiles (analysis by synthesis).

When blur is close to a module wide, one-module bars and spaces never cross any threshold and every
edge-based decoder (ZBar's included) gives up. The profile still holds the information: for each
character position we *draw* every possible character, blurred like the image (a Gaussian, drawn in
closed form with the error function), and keep the one that matches best. Module width, blur and the
position are tracked along the code so that perspective (module width drifting along the code) does
not throw the grid off. Results are validated by the symbology: Code 128's mod-103 check character,
and for Code 39 the start/stop characters plus a clear margin for every character.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motcua.devices.barcode._linear import extrema
from motcua.devices.barcode._symbologies import Symbology, symbol_text, symbologies

_BLUR_RATIOS = (0.35, 0.5, 0.65, 0.8, 0.95)  # Gaussian sigma as a fraction of the module (narrow) width
_INK_SPREADS = (-0.3, 0.0, 0.3)  # bars printed/photographed wider (+) or thinner (-), in modules
_SCALES = 1.0 + 0.025 * np.arange(-6, 7)  # module width drift tracked along the code (perspective)
_PHASES = 8  # sub-pixel positions at which character templates are pre-drawn
_SHIFTS = np.linspace(-0.4, 0.4, 5)  # resynchronisation per character, in modules
_ANCHOR_SHIFTS = np.linspace(-1.5, 1.5, 16)  # where the first/last character may start, in modules
_DECODES = 6  # geometry guesses (ranked by how well the end characters fit) that are fully decoded
_BEAM = 3
_MAX_CHAR_COST = 0.06  # mean squared darkness error a character may not exceed (0 paper … 1 ink)
_MAX_MEAN_COST = 0.035
_MIN_ELEMENTS = 19  # bars and spaces of the shortest Code 128 (start, check, stop)
_MIN_MARGIN_C39 = 1.3  # runner-up cost / best cost every Code 39 character must reach (no check digit)


@dataclass(frozen=True, slots=True)
class _Geometry:
    module: float  # pixels
    sigma: float  # pixels
    spread: float  # modules added to every bar's width


class _Templates:
    """Characters drawn for one geometry at ``_PHASES`` sub-pixel offsets."""

    def __init__(self, symbology: Symbology, geometry: _Geometry, values: np.ndarray | None = None) -> None:
        values = np.arange(len(symbology.width)) if values is None else values
        self.row = np.full(len(symbology.width), -1)
        self.row[values] = np.arange(len(values))
        module = geometry.module
        width = symbology.width[values] * module
        self.length = int(np.ceil(width.max())) + 2
        xs = np.arange(self.length)[None, None, None, :] - (np.arange(_PHASES) / _PHASES)[:, None, None, None]
        blur = np.sqrt(geometry.sigma**2 + 1 / 12)  # pixel integration adds a box blur
        a = (symbology.starts[values] - geometry.spread / 2)[None, :, :, None] * module
        b = (symbology.ends[values] + geometry.spread / 2)[None, :, :, None] * module
        empty = (symbology.starts[values] == symbology.ends[values])[None, :, :, None]  # padding bars
        drawn = np.where(empty, 0.0, _phi((xs - a) / blur) - _phi((xs - b) / blur)).sum(axis=2)
        # The next character starts with a bar at least one module wide; its blur reaches back into
        # this one. Nothing follows the stop character but the quiet zone.
        follows = (values != symbology.last)[None, :, None]
        next_a = (symbology.width[values] - geometry.spread / 2)[None, :, None] * module
        next_b = next_a + (1 + geometry.spread) * module
        x2 = xs[:, :, 0, :]
        drawn += np.where(follows, _phi((x2 - next_a) / blur) - _phi((x2 - next_b) / blur), 0.0)
        self.drawn = drawn  # (phase, P, L)
        self.inside = x2[:, 0, :][:, None, :] < width[None, :, None]
        self.counts = np.maximum(self.inside.sum(axis=2), 1)
        self.module = module
        self.blur = blur
        self.ink_spread = geometry.spread

    def costs(
        self, darkness: np.ndarray, starts: np.ndarray, allowed: np.ndarray, previous: np.ndarray | None = None
    ) -> np.ndarray:
        """Mean squared error of each allowed character drawn from each start: ``(starts, allowed)``.

        ``previous`` holds the pixel spans ``(B, 2)`` of the bars just before, whose blur spills over.
        """
        ticks = np.round(np.asarray(starts) * _PHASES).astype(np.int64)
        base, phase = ticks // _PHASES, ticks % _PHASES
        valid = (base >= 0) & (base + self.length <= len(darkness))
        index = np.clip(base, 0, max(0, len(darkness) - self.length))[:, None] + np.arange(self.length)[None, :]
        observed = darkness[np.clip(index, 0, len(darkness) - 1)]  # (S, L)
        if previous is not None and len(previous):
            x = index[:, None, :].astype(np.float64)
            spill = _phi((x - previous[None, :, :1]) / self.blur) - _phi((x - previous[None, :, 1:]) / self.blur)
            observed = observed - spill.sum(axis=1)
        rows = self.row[allowed]
        drawn = self.drawn[phase][:, rows]  # (S, A, L)
        inside = self.inside[phase][:, rows]
        error = ((observed[:, None, :] - drawn) ** 2 * inside).sum(axis=2) / self.counts[phase][:, rows]
        return np.where(valid[:, None], error, np.inf)


@dataclass(frozen=True, slots=True)
class _Hypothesis:
    cost: float
    position: float  # pixel where the next character starts
    scale: int  # index into _SCALES
    values: tuple[int, ...]
    worst_margin: float
    worst_cost: float
    bars: np.ndarray | None = None  # pixel spans (B, 2) of the last character's bars


@dataclass(frozen=True, slots=True)
class _Profile:
    darkness: np.ndarray  # 0 paper … 1 ink
    first: int  # first sample of ink
    last: int  # one past the last sample of ink
    elements: int  # local extrema between them: about one per bar and per space


def decode_profile(profile: np.ndarray) -> list[tuple[str, str]]:
    """``(symbology, text)`` reads from a bars-vertical intensity profile (either direction)."""
    signals = [_prepare(np.asarray(signal, np.float64)) for signal in (profile, profile[::-1])]
    guesses: list[tuple[float, Symbology, _Profile, _Geometry]] = []
    for signal in signals:
        if signal is None:
            continue
        for symbology in symbologies():
            guesses.extend((cost, symbology, signal, geometry) for cost, geometry in _guesses(signal, symbology))
    # Both end characters must already fit about as well as every character of an accepted read must.
    guesses = sorted((g for g in guesses if g[0] <= 2 * _MAX_CHAR_COST), key=lambda item: item[0])
    for _, symbology, signal, geometry in guesses[:_DECODES]:
        values = _beam_decode(signal, symbology, geometry)
        text = None if values is None else symbol_text(symbology, values)
        if text:
            return [(symbology.name, text)]
    return []


def _prepare(profile: np.ndarray) -> _Profile | None:
    """Darkness 0 (paper) … 1 (ink) and where the ink starts and ends; None without contrast."""
    edge = max(3, len(profile) // 25)
    paper = float(np.median(np.r_[profile[:edge], profile[-edge:]]))
    ink = float(np.percentile(profile, 2))
    if paper - ink < 8:
        return None
    darkness = (paper - profile) / (paper - ink)
    inked = np.flatnonzero(darkness > 0.35)
    if len(inked) < 2 or inked[-1] - inked[0] < 20:
        return None
    first, last = int(inked[0]), int(inked[-1]) + 1
    elements = len(extrema(darkness[first:last], 0.1))
    if elements < _MIN_ELEMENTS:  # a rule or a smudge, not a code
        return None
    return _Profile(darkness, first, last, elements)


def _guesses(signal: _Profile, symbology: Symbology) -> list[tuple[float, _Geometry]]:
    """Module widths (one per plausible character count) scored by how well start and stop fit.

    The code's length is known, so each character count implies a module width. Noise rarely invents
    extrema (the profile is averaged) while blur can merge up to half the thin elements, so the number of
    local extrema brackets the counts. Blur and ink spread are then chosen for the best module widths.
    """
    advance = float(np.median(symbology.width))  # all characters of these symbologies are equally wide
    estimate = signal.elements / symbology.elements_per_char
    coarse: list[tuple[float, float]] = []
    for count in range(max(3, int(estimate * 0.8) - 1), int(estimate * 2.0) + 3):
        module = (signal.last - signal.first) / ((count - 1) * advance + symbology.stop_ink)
        if 0.8 <= module <= 14:
            coarse.append((_anchor_cost(signal, symbology, _Geometry(module, 0.6 * module, 0.0)), module))
    coarse.sort()
    out: list[tuple[float, _Geometry]] = []
    for _, module in coarse[:2]:
        geometries = [_Geometry(module, r * module, spread) for r in _BLUR_RATIOS for spread in _INK_SPREADS]
        out.append(min(((_anchor_cost(signal, symbology, g), g) for g in geometries), key=lambda item: item[0]))
    return out


def _anchor_cost(signal: _Profile, symbology: Symbology, geometry: _Geometry) -> float:
    """How well the start character fits at the first ink and the stop character at the last."""
    anchors = np.array([*symbology.first, symbology.last])
    templates = _Templates(symbology, geometry, anchors)
    shifts = _ANCHOR_SHIFTS * geometry.module
    head = templates.costs(signal.darkness, signal.first + shifts, anchors[:-1]).min()
    tail_start = signal.last - symbology.stop_ink * geometry.module
    tail = templates.costs(signal.darkness, tail_start + shifts, anchors[-1:]).min()
    return float(head + tail)


def _beam_decode(signal: _Profile, symbology: Symbology, geometry: _Geometry) -> tuple[int, ...] | None:
    """Decode characters left to right until the stop character ends where the ink ends."""
    templates = [
        _Templates(symbology, _Geometry(geometry.module * scale, geometry.sigma, geometry.spread)) for scale in _SCALES
    ]
    # Any character but a start may follow; that includes the stop (Code 39's stop equals its start).
    middle = np.union1d(np.setdiff1d(np.arange(len(symbology.width)), symbology.first), [symbology.last])
    centre = len(_SCALES) // 2
    beam = _extend(
        signal,
        templates,
        symbology,
        _Hypothesis(0.0, signal.first, centre, (), np.inf, 0.0),
        np.array(symbology.first),
        _ANCHOR_SHIFTS,
        (centre,),
    )
    finished: list[_Hypothesis] = []
    # The module may shrink along the code by up to the smallest scale: allow that many more characters.
    span_chars = (signal.last - signal.first) / (geometry.module * float(np.median(symbology.width)))
    limit = int(span_chars / _SCALES[0]) + 4
    for _ in range(limit):
        extended: list[_Hypothesis] = []
        for hypothesis in beam:
            scales = tuple(
                s for s in (hypothesis.scale - 1, hypothesis.scale, hypothesis.scale + 1) if 0 <= s < len(_SCALES)
            )
            extended.extend(_extend(signal, templates, symbology, hypothesis, middle, _SHIFTS, scales))
        extended.sort(key=lambda h: h.cost)
        beam = []
        for hypothesis in extended:
            if hypothesis.values[-1] != symbology.last:
                if len(beam) < _BEAM:
                    beam.append(hypothesis)
            elif abs(_ink_end(hypothesis, symbology, templates) - signal.last) < 1.5 * geometry.module:
                finished.append(hypothesis)
        if not beam:
            break
    valid = [h for h in finished if _acceptable(h, symbology)]
    if not valid:
        return None
    return min(valid, key=lambda h: h.cost / len(h.values)).values


def _ink_end(hypothesis: _Hypothesis, symbology: Symbology, templates: list[_Templates]) -> float:
    """Pixel where the stop character's last bar ends."""
    module = templates[hypothesis.scale].module
    return hypothesis.position - (symbology.width[symbology.last] - symbology.stop_ink) * module


def _acceptable(hypothesis: _Hypothesis, symbology: Symbology) -> bool:
    if len(hypothesis.values) < 3:
        return False
    if hypothesis.worst_cost > _MAX_CHAR_COST or hypothesis.cost / len(hypothesis.values) > _MAX_MEAN_COST:
        return False
    return not symbology.needs_margin or hypothesis.worst_margin >= _MIN_MARGIN_C39


def _extend(
    signal: _Profile,
    templates: list[_Templates],
    symbology: Symbology,
    hypothesis: _Hypothesis,
    allowed: np.ndarray,
    shifts: np.ndarray,
    scales: tuple[int, ...],
) -> list[_Hypothesis]:
    """The best continuations of one partial read by one character (searching position and scale)."""
    tables = np.stack(
        [
            templates[s].costs(
                signal.darkness, hypothesis.position + shifts * templates[s].module, allowed, hypothesis.bars
            )
            for s in scales
        ]
    )  # (scales, shifts, allowed)
    flat = tables.reshape(-1, len(allowed))
    best_cost = flat.min(axis=0)
    best_where = flat.argmin(axis=0)
    order = np.argsort(best_cost)
    runner_up = float(best_cost[order[1]]) if len(order) > 1 else np.inf
    out: list[_Hypothesis] = []
    for rank, column in enumerate(order[:_BEAM]):
        cost = float(best_cost[column])
        if not cost <= _MAX_CHAR_COST:  # such a read would be rejected anyway (also catches inf)
            break
        scale_index, shift_index = divmod(int(best_where[column]), len(shifts))
        scale = scales[scale_index]
        module = templates[scale].module
        value = int(allowed[column])
        start = hypothesis.position + shifts[shift_index] * module
        margin = runner_up / max(cost, 1e-9) if rank == 0 else 1.0
        real = symbology.starts[value] != symbology.ends[value]
        spill = templates[scale].ink_spread / 2
        bars = (
            start
            + np.column_stack([symbology.starts[value][real] - spill, symbology.ends[value][real] + spill]) * module
        )
        out.append(
            _Hypothesis(
                cost=hypothesis.cost + cost,
                position=start + symbology.width[value] * module,
                scale=scale,
                values=(*hypothesis.values, value),
                worst_margin=min(hypothesis.worst_margin, margin) if len(allowed) > 1 else hypothesis.worst_margin,
                worst_cost=max(hypothesis.worst_cost, cost),
                bars=bars,
            )
        )
    return out


def _phi(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF via Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7), vectorised."""
    x = np.abs(z) / np.sqrt(2)
    t = 1 / (1 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1 - poly * np.exp(-x * x)
    return 0.5 * (1 + np.sign(z) * erf)
