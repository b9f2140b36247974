"""Today's charts (pyqtgraph): tickets and dossiers by hour, the average wait per service, resolved on time or
late, and the three levels of satisfaction.

Each chart is a plain bar chart on white, with large tick labels, a Vietnamese (or English) axis title, the count
written over each bar, and no mouse panning or zooming: a supervisor reads it, never explores it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from motcua.domain.reports.daily import DailySummary, HourRow, RatingSummary, ServiceRow
from motcua.i18n import tr
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.look import BLUE, GREEN, GREY, LIGHT_GREEN, NAVY, RED

NAME_CHARS = 18  # a service's name on the wait chart's axis, beyond which it is shortened
WAIT_BARS = 10  # the services with the longest waits: more would not be readable on a laptop's screen


Series = tuple[Sequence[float], str | Sequence[str]]


def _font(delta: int = 0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(8, font.pointSize() + delta))
    font.setBold(bold)
    return font


class BarChart(pg.PlotWidget):
    """A titled bar chart; ``bars`` holds what it draws (one list of values per series), for tests."""

    def __init__(self, title: str, value_axis: str, *, horizontal: bool = False, tick_delta: int = -1) -> None:
        super().__init__(background="w")
        self.horizontal = horizontal
        self.headroom = 1.18
        self.bars: list[list[float]] = []
        self.labels: list[str] = []
        self._title = title
        item = self.getPlotItem()
        item.hideButtons()
        item.layout.setContentsMargins(4, 4, 10, 8)  # the tick labels clear the widget's edges
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=horizontal, y=not horizontal, alpha=0.25)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(GREY))
            axis.setTextPen(pg.mkPen(GREY))
            axis.setTickFont(_font(tick_delta))
        value_name = "bottom" if horizontal else "left"
        item.getAxis(value_name).setLabel(value_axis, color=GREY, **{"font-size": f"{_font(-1).pointSize()}pt"})
        self.set_title(title)
        self.setMinimumSize(260, 200)

    def set_title(self, text: str) -> None:
        self.title_text = text
        self.getPlotItem().setTitle(text, color=NAVY, size=f"{_font(0).pointSize()}pt", bold=True)

    def draw(self, labels: Sequence[str], series: Sequence[Series], *, whole: bool = True) -> None:
        """Bars for each label, one per series side by side, the value over each bar.

        Args:
            series: each a list of values (one per label) and its colour, or one colour per bar.
        """
        item = self.getPlotItem()
        item.clear()
        self.labels = list(labels)
        self.bars = [list(values) for values, _colour in series]
        n = max(len(series), 1)
        width = 0.8 / n
        top = 0.0
        for i, (values, colour) in enumerate(series):
            positions = [k - 0.4 + width * (i + 0.5) for k in range(len(labels))]
            paint = {"brush": colour} if isinstance(colour, str) else {"brushes": list(colour)}
            if self.horizontal:
                bar = pg.BarGraphItem(x0=0, y=positions, height=width * 0.9, width=list(values), pen=None, **paint)
            else:
                bar = pg.BarGraphItem(x=positions, height=list(values), width=width * 0.9, pen=None, **paint)
            item.addItem(bar)
            for p, v in zip(positions, values, strict=True):
                if v > 0:
                    self._value_label(p, v, w.number(int(v)) if whole else w.decimal(v) if v < 10 else str(round(v)))
            top = max([top, *values])
        ticks = [(k, text) for k, text in enumerate(labels)]
        span = (-0.6, len(labels) - 0.4)
        reach = (0, max(top * self.headroom, 1.0))  # room over the tallest bar for its value
        if self.horizontal:
            item.getAxis("left").setTicks([ticks])
            item.setYRange(*span, padding=0)
            item.setXRange(*reach, padding=0)
            item.getViewBox().invertY(True)  # the first service on top, as in the table
        else:
            item.getAxis("bottom").setTicks([ticks])
            item.setXRange(*span, padding=0)
            item.setYRange(*reach, padding=0)

    def _value_label(self, position: float, value: float, text: str) -> None:
        label = pg.TextItem(text, color=GREY, anchor=(0, 0.5) if self.horizontal else (0.5, 1))
        label.setFont(_font(-2))
        label.setPos(value, position) if self.horizontal else label.setPos(position, value)
        self.getPlotItem().addItem(label)


class HourChart(BarChart):
    def __init__(self) -> None:
        super().__init__(tr("Số phát và hồ sơ tiếp nhận theo giờ"), tr("Số lượng"))
        self.headroom = 1.35
        # Two entries side by side at the top, over the headroom draw() leaves above the tallest bar.
        self.legend = self.getPlotItem().addLegend(
            offset=(-6, 4), labelTextColor=GREY, brush=pg.mkBrush("#ffffffd0"), colCount=2
        )

    def show_hours(self, hours: tuple[HourRow, ...]) -> None:
        self.draw(
            [f"{h.hour}:00" for h in hours],
            [([h.tickets for h in hours], BLUE), ([h.dossiers for h in hours], LIGHT_GREEN)],
        )
        self.legend.clear()
        items = [i for i in self.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
        for bar, name in zip(items, (tr("Số thứ tự đã phát"), tr("Hồ sơ tiếp nhận")), strict=False):
            self.legend.addItem(bar, name)


class WaitChart(BarChart):
    """The longest average waits first (the services a supervisor has to look at), at most ``WAIT_BARS``."""

    def __init__(self) -> None:
        super().__init__(tr("Chờ trung bình theo dịch vụ"), tr("phút"), horizontal=True, tick_delta=-3)

    def show_services(self, services: tuple[ServiceRow, ...]) -> None:
        waited = sorted((r for r in services if r.wait.count), key=lambda r: -(r.wait.mean_s or 0.0))[:WAIT_BARS]
        names = [r.name if len(r.name) <= NAME_CHARS else r.name[: NAME_CHARS - 1] + "…" for r in waited]
        self.draw(names, [([round(w.minutes(r.wait.mean_s), 1) for r in waited], BLUE)], whole=False)


class OnTimeChart(BarChart):
    def __init__(self) -> None:
        super().__init__(tr("Hồ sơ có kết quả hôm nay"), tr("Hồ sơ"))

    def show_summary(self, s: DailySummary) -> None:
        self.set_title(tr("Giải quyết đúng hạn: {share}", share=w.percent(s.on_time_share)))
        labels = [tr("Trước hạn"), tr("Đúng hạn"), tr("Trễ hạn")]
        self.draw(labels, [([s.resolved_early, s.resolved_on_time, s.resolved_late], [GREEN, BLUE, RED])])


class RatingChart(BarChart):
    def __init__(self) -> None:
        super().__init__(tr("Mức độ hài lòng hôm nay"), tr("Lượt đánh giá"))

    def show_ratings(self, r: RatingSummary) -> None:
        self.set_title(tr("Hài lòng: {share} ({n} lượt)", share=w.percent(r.satisfied_share), n=w.number(r.total)))
        labels = [tr("Rất hài lòng"), tr("Hài lòng"), tr("Không hài lòng")]
        self.draw(labels, [([r.very_satisfied, r.satisfied, r.dissatisfied], [GREEN, LIGHT_GREEN, RED])])
