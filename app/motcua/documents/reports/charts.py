"""Charts drawn with reportlab's own graphics: vector Drawings that print sharp and keep their text searchable.

Every piece of text in a chart is set in the report's embedded serif face: a label left at reportlab's default
would pull in an unembedded Helvetica.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from motcua.documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from motcua.documents.reports.text import count, percent
from motcua.i18n import tr

# Colours that stay apart when a colour report is photocopied in grey: each is a step lighter than the one before.
PALETTE = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#e09a3e"),
    colors.HexColor("#9dc3e6"),
    colors.HexColor("#7f7f7f"),
)
TITLE_PT = 10
LABEL_PT = 8


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    # The renderer starts every drawing by selecting its initial font: reportlab's is Helvetica, unembedded.
    d.initialFontName = SERIF
    return d


def _centred(d: Drawing, x: float, y: float, text: str, font: str = SERIF_BOLD, size: float = TITLE_PT) -> None:
    d.add(String(x, y, text, fontName=font, fontSize=size, textAnchor="middle"))


def _frame(width: float, height: float, title: str) -> Drawing:
    d = _drawing(width, height)
    _centred(d, width / 2, height - TITLE_PT, title)
    return d


def _no_data(d: Drawing, x: float | None = None) -> Drawing:
    """ "Không có" where the chart would be: an empty chart says so rather than vanish."""
    _centred(d, d.width / 2 if x is None else x, d.height / 2 - 10, tr("Không có"), SERIF_ITALIC, 10)
    return d


def _dress(chart: VerticalBarChart | HorizontalBarChart, step: float, top: float, bar_label_pt: float) -> None:
    """The serif face on every label, light gridlines, a value axis from 0 to ``top`` by ``step``, one colour."""
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = SERIF
        axis.labels.fontSize = LABEL_PT
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barLabels.fontName = SERIF
    chart.barLabels.fontSize = bar_label_pt
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeWidth = 0


def _scale(top: float) -> tuple[float, float]:
    """A round step for a value axis reaching ``top`` (about five gridlines, never a fraction of one unit) and
    the axis's end, a whole number of steps."""
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000) if top / s <= 6), 10_000)
    return step, step * max(1, math.ceil(top / step))


def _legend(
    pairs: Sequence[tuple[colors.Color, str]], x: float, y: float, *, anchor: str = "w", columns: int = 1
) -> Legend:
    legend = Legend()
    legend.colorNamePairs = list(pairs)
    legend.fontName = SERIF
    legend.fontSize = LABEL_PT
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.boxAnchor = anchor
    legend.columnMaximum = max(1, -(-len(pairs) // columns))
    legend.dx = legend.dy = 8  # the swatch's size
    legend.deltax = 12
    legend.deltay = 11
    legend.dxTextSpace = 4
    legend.strokeWidth = 0
    return legend


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    width: float,
    height: float,
    title: str,
) -> Drawing:
    """Vertical bars, one group per category and one bar per series, the legend at the top right."""
    d = _frame(width, height, title)
    if not any(v for _, values in series for v in values):
        return _no_data(d)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 40, height - 22 - 2 * TITLE_PT - 14
    chart.data = [list(values) for _, values in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.dy = -2
    _dress(chart, *_scale(max(v for _, values in series for v in values)), bar_label_pt=6.5)
    chart.barLabels.nudge = 5
    chart.barLabelFormat = lambda v: str(int(v)) if v else ""
    chart.groupSpacing, chart.barSpacing = 6, 1
    d.add(chart)
    pairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _) in enumerate(series)]
    d.add(_legend(pairs, width - 10, height - TITLE_PT - 6, anchor="ne", columns=len(series)))
    return d


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[float],
    width: float,
    title: str,
    *,
    unit: float = 1.0,
    value_text: Callable[[float], str] = str,
    label_width: float = 150,
) -> Drawing:
    """One horizontal bar per label, top to bottom in the order given, each with its value written at its end.

    Args:
        unit: the axis counts ``value / unit`` (60: seconds drawn in minutes).
        value_text: how a bar's value is written at its end (in the values' own unit).
    """
    row = 14.0
    height = 2 * TITLE_PT + 26 + row * max(len(labels), 1)
    d = _frame(width, height, title)
    if not labels:
        return _no_data(d)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 20
    chart.width, chart.height = width - label_width - 40, row * len(labels)
    scaled = [v / unit for v in values]
    # reportlab draws the first category at the bottom: reverse, so the list reads top to bottom as given.
    chart.data = [list(reversed(scaled))]
    chart.categoryAxis.categoryNames = [_fit(t, label_width - 8) for t in reversed(labels)]
    _dress(chart, *_scale(max(scaled) or 1.0), bar_label_pt=7)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabelFormat = lambda v: value_text(v * unit)
    chart.barWidth = row * 0.6
    d.add(chart)
    return d


def _fit(text: str, width: float) -> str:
    """``text`` cut with "…" to fit ``width`` at the label size (a chart label cannot wrap)."""
    if stringWidth(text, SERIF, LABEL_PT) <= width:
        return text
    while text and stringWidth(text + "…", SERIF, LABEL_PT) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def pies(charts: Sequence[tuple[str, Sequence[tuple[str, int]]]], width: float, height: float) -> Drawing:
    """Pies side by side, each with its title above and a legend of counts and shares beside it."""
    d = _drawing(width, height)
    cell = width / len(charts)
    for n, (title, slices) in enumerate(charts):
        left = n * cell
        _centred(d, left + cell / 2, height - TITLE_PT, title)
        total = sum(v for _, v in slices)
        if not total:
            _no_data(d, left + cell / 2)
            continue
        size = min(cell * 0.42, height - 2 * TITLE_PT - 16)
        pie = Pie()
        pie.x, pie.y = left + 6, (height - TITLE_PT - 8 - size) / 2
        pie.width = pie.height = size
        # A slice of nothing is left out of the pie (it would draw a stray line); the legend still lists it.
        shown = [(i, v) for i, (_, v) in enumerate(slices) if v]
        pie.data = [v for _, v in shown]
        pie.labels = None
        pie.startAngle, pie.direction = 90, "clockwise"
        pie.slices.strokeColor, pie.slices.strokeWidth = colors.white, 0.8
        pie.slices.fontName = SERIF
        for k, (i, _) in enumerate(shown):
            pie.slices[k].fillColor = PALETTE[i % len(PALETTE)]
        d.add(pie)
        pairs = [
            (PALETTE[i % len(PALETTE)], f"{name}: {count(v)} ({percent(v / total)})")
            for i, (name, v) in enumerate(slices)
        ]
        d.add(_legend(pairs, left + size + 14, pie.y + size / 2))
    return d


def share_bars(
    labels: Sequence[str], fractions: Sequence[float | None], width: float, height: float, title: str
) -> Drawing:
    """One bar per label on a 0–100 % axis, its share written above it ("–" where there was nothing to judge)."""
    d = _frame(width, height, title)
    if all(f is None for f in fractions):
        return _no_data(d)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 20
    chart.width, chart.height = width - 44, height - 20 - 2 * TITLE_PT - 8
    chart.data = [[100 * (f or 0.0) for f in fractions]]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.dy = -2
    _dress(chart, 20, 100, bar_label_pt=7)
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.barLabels.nudge = 5
    chart.barLabelArray = [[percent(f, 1) for f in fractions]]
    chart.barLabelFormat = "values"
    d.add(chart)
    return d
