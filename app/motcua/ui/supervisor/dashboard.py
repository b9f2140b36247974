"""The dashboard tab: the day's tiles over the counters and, beside them, the queue per service or the devices (a
tab whose title turns red with the number of devices that need someone to go and look)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.ui.supervisor.counters_view import CountersView
from motcua.ui.supervisor.devices_view import DevicesView
from motcua.ui.supervisor.figures_view import FiguresStrip, ServicesTable
from motcua.ui.supervisor.live import LiveState
from motcua.ui.supervisor.look import RED
from motcua.ui.supervisor.tables import natural_width


class DashboardTab(QWidget):
    def __init__(self, can_act: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)  # every pixel of width goes to the two tables on a 1366 screen
        self.queue_note = QLabel()
        self.queue_note.setProperty("role", "due")  # the amber notice box of the counter's style
        self.queue_note.setWordWrap(True)
        self.queue_note.hide()
        lay.addWidget(self.queue_note)
        self.figures = FiguresStrip()
        lay.addWidget(self.figures)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(6)
        self.counters = CountersView(can_act)
        self.services = ServicesTable()
        self.services.title.hide()  # the tab says it
        self.devices = DevicesView()
        self.side = QTabWidget()
        self.side.setObjectName("dashboardSide")
        self.side.addTab(self.services, tr("Hàng đợi theo dịch vụ (phút)"))
        self.side.addTab(self.devices, tr("Thiết bị"))
        split.addWidget(self.counters)
        split.addWidget(self.side)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        self.split = split
        self._balanced = False

    def show_state(self, state: LiveState) -> None:
        self.figures.show_state(state)
        self.counters.show_rows(state.summary.counters, state.summary.as_of)
        self.services.show_rows(state.summary.services)
        self.show_devices(state)
        # Neither table may be squeezed into a horizontal scroll: each keeps the width its columns need.
        widths = [natural_width(t) for t in (self.counters.table, self.services.table)]
        self.devices.table.setMinimumWidth(natural_width(self.devices.table, stretched=90))
        for table, width in zip((self.counters.table, self.services.table), widths, strict=True):
            table.setMinimumWidth(width)
        if not self._balanced:  # once, so that a handle the supervisor moved stays where they put it
            self._balanced = True
            self.split.setSizes(widths)  # the room beyond both shared in proportion to what each needs
        self.queue_note.setVisible(state.queue_error is not None)
        if state.queue_error is not None:
            self.queue_note.setText(
                tr("Không đọc được hàng đợi của trung tâm ({error}): số liệu về số thứ tự và quầy chưa có.",
                   error=state.queue_error)
            )  # fmt: skip

    def show_devices(self, state: LiveState) -> None:
        """The devices' list, and its tab's title: how many need attention, in red."""
        problems = self.devices.show_devices(state.devices, state.devices_error)
        index = self.side.indexOf(self.devices)
        self.side.setTabText(index, tr("Thiết bị ({n} cần xem)", n=problems) if problems else tr("Thiết bị"))
        bar = self.side.tabBar()
        bar.setTabTextColor(index, QColor(RED) if problems else bar.tabTextColor(self.side.indexOf(self.services)))
