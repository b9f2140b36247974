"""Every counter now: the clerk signed in, what it does and for how long, what it served today; and the
supervisor's two moves on a counter: pause or resume it, give it other services for today."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.reports.daily import CounterRow
from motcua.domain.reports.facts import CounterActivity
from motcua.domain.reports.figures import share
from motcua.i18n import tr
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.tables import Cell, fill, make_table, selected_key


class CountersView(QWidget):
    """The counters' table with its buttons (acting on the selected counter).

    Args:
        can_act: a queue is there to act on (without one the buttons stay off).

    Signals:
        pause_wanted(int, bool): pause (True) or resume (False) counter n.
        services_wanted(int): choose counter n's services for today.
    """

    pause_wanted = Signal(int, bool)
    services_wanted = Signal(int)

    def __init__(self, can_act: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._can_act = can_act
        self._rows: dict[int, CounterRow] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # The title shares its row with the buttons: on a 768-pixel screen every line of the table counts.
        buttons = QHBoxLayout()
        title = QLabel(tr("Quầy (thời gian tính bằng phút)"))
        title.setProperty("role", "section")
        buttons.addWidget(title)
        buttons.addStretch(1)
        self.pause_button = QPushButton(tr("Tạm dừng quầy"))
        self.pause_button.clicked.connect(self._toggle_pause)
        self.services_button = QPushButton(tr("Phân công dịch vụ…"))
        self.services_button.setToolTip(tr("Chọn các dịch vụ quầy này nhận trong hôm nay"))
        self.services_button.clicked.connect(self._choose_services)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.services_button)
        lay.addLayout(buttons)
        headers = (
            tr("Quầy"),
            tr("Cán bộ"),
            tr("Trạng thái"),
            tr("Bao\nlâu"),
            tr("Đã\nxong"),
            tr("Phục vụ\nTB · 90%"),
            tr("Hài\nlòng"),
        )
        self.table = make_table(headers, 1, sortable=True)
        self.table.itemSelectionChanged.connect(self._enable)
        lay.addWidget(self.table, 1)
        self._enable()

    def show_rows(self, counters: tuple[CounterRow, ...], now: datetime) -> None:
        self._rows = {c.number: c for c in counters}
        fill(self.table, [(c.number, _cells(c, now)) for c in counters])
        self._enable()

    def selected(self) -> CounterRow | None:
        key = selected_key(self.table)
        return self._rows.get(key) if key is not None else None

    def _enable(self) -> None:
        c = self.selected()
        self.pause_button.setEnabled(self._can_act and c is not None)
        self.services_button.setEnabled(self._can_act and c is not None)
        paused = c is not None and c.activity is CounterActivity.PAUSED
        self.pause_button.setText(tr("Cho quầy nhận số lại") if paused else tr("Tạm dừng quầy"))

    def _toggle_pause(self) -> None:
        c = self.selected()
        if c is not None:
            self.pause_wanted.emit(c.number, c.activity is not CounterActivity.PAUSED)

    def _choose_services(self) -> None:
        c = self.selected()
        if c is not None:
            self.services_wanted.emit(c.number)


def _cells(c: CounterRow, now: datetime) -> list[Cell]:
    tone = w.activity_tone(c.activity)
    since = max((now - c.since).total_seconds(), 0.0) if c.since else None
    rated = share(c.satisfied, c.ratings)
    return [
        Cell(c.name or str(c.number), c.number, tip=c.name),
        Cell(c.clerk or w.NONE, c.clerk, tip=c.clerk),
        Cell(w.activity(c.activity, c.ticket), c.activity.value, tone=tone),
        Cell(w.in_minutes(since), since if since is not None else -1.0, number=True),
        Cell(w.number(c.served), c.served, number=True),
        Cell(w.spread_minutes(c.service), c.service.mean_s or 0.0, number=True),
        Cell(
            w.percent(rated),
            rated if rated is not None else -1.0,
            number=True,
            tip=tr("{satisfied}/{n} lượt hài lòng", satisfied=c.satisfied, n=c.ratings),
        ),
    ]
