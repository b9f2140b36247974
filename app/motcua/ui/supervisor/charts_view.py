"""The charts tab: the four charts of today and the dossiers received per sector and channel."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from motcua.domain.reports.daily import DailySummary, SectorRow
from motcua.i18n import tr
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.charts import HourChart, OnTimeChart, RatingChart, WaitChart
from motcua.ui.supervisor.tables import Cell, fill, make_table


class SectorsTable(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("Hồ sơ tiếp nhận hôm nay theo lĩnh vực"))
        title.setProperty("role", "section")
        title.setWordWrap(True)
        lay.addWidget(title)
        headers = (tr("Lĩnh vực"), tr("Trực\ntiếp"), tr("Trực\ntuyến"), tr("Bưu\nchính"), tr("Tổng"))
        self.table = make_table(headers, 0)
        lay.addWidget(self.table, 1)

    def show_rows(self, sectors: tuple[SectorRow, ...]) -> None:
        total = SectorRow(
            tr("Tổng cộng"),
            sum(r.direct for r in sectors),
            sum(r.online for r in sectors),
            sum(r.postal for r in sectors),
        )
        rows = [(r.sector, _cells(r)) for r in sectors]
        if sectors:
            cells = _cells(total)
            for c in cells:
                font = c.font()
                font.setBold(True)
                c.setFont(font)
            rows.append(("", cells))
        fill(self.table, rows)


def _cells(r: SectorRow) -> list[Cell]:
    return [
        Cell(r.sector, tip=r.sector),
        *(Cell(w.number(n), n, number=True) for n in (r.direct, r.online, r.postal, r.total)),
    ]


class ChartsView(QWidget):
    """Hours across the top (they need the width), with the sectors beside; the three smaller charts below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(8)
        self.hours = HourChart()
        self.sectors = SectorsTable()
        self.wait = WaitChart()
        self.on_time = OnTimeChart()
        self.ratings = RatingChart()
        grid.addWidget(self.hours, 0, 0, 1, 2)
        grid.addWidget(self.sectors, 0, 2)
        grid.addWidget(self.wait, 1, 0)
        grid.addWidget(self.on_time, 1, 1)
        grid.addWidget(self.ratings, 1, 2)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

    def show_summary(self, s: DailySummary) -> None:
        self.hours.show_hours(s.by_hour)
        self.sectors.show_rows(s.received_by_sector)
        self.wait.show_services(s.services)
        self.on_time.show_summary(s)
        self.ratings.show_ratings(s.ratings)
