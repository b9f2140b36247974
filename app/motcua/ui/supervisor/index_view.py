"""The Decision 766 service index, month by month: each indicator the centre can measure (its ratio, the points
earned against its maximum), and the parts it cannot measure with the reason, never guessed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.reports.period import month_range
from motcua.domain.reports.service_index import (
    DEFAULT_INDICATORS,
    GROUP_MAX,
    GROUP_NAMES,
    NOT_MEASURED,
    IndexMonth,
    Indicator,
    Score,
)
from motcua.i18n import tr
from motcua.services.reports import ReportService
from motcua.ui.ops import Op
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.tables import Cell, fill, make_table
from motcua.ui.widgets.message_bar import MessageBar


def _month_edit(d: date) -> QDateEdit:
    edit = QDateEdit(QDate(d.year, d.month, 1))
    edit.setDisplayFormat("MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def score_text(s: Score) -> str:
    """ "95% · 19,0/20": the ratio, then the points against the maximum."""
    if s.points is None:
        return w.NONE
    return f"{w.percent(s.ratio)} · {w.decimal(s.points)}/{w.decimal(s.indicator.max_points, 0)}"


class IndexView(QWidget):
    def __init__(self, reports: ReportService, messages: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reports = reports
        self._messages = messages
        self._computed_once = False
        self.indicators: tuple[Indicator, ...] = reports.indicators or DEFAULT_INDICATORS
        today = reports.ctx.clock().date()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Từ tháng")))
        self.start = _month_edit(date(today.year, 1, 1))
        row.addWidget(self.start)
        row.addWidget(QLabel(tr("đến tháng")))
        self.end = _month_edit(today)
        row.addWidget(self.end)
        self.by_sector = QCheckBox(tr("Tách theo lĩnh vực"))
        row.addWidget(self.by_sector)
        self.compute_button = QPushButton(tr("Tính chỉ số"))
        self.compute_button.setProperty("role", "primary")
        self.compute_button.clicked.connect(self.compute)
        row.addWidget(self.compute_button)
        row.addStretch(1)
        lay.addLayout(row)
        headers = [tr("Tháng"), tr("Phạm vi")]
        headers += [
            tr("{code} (tối đa {points})", code=i.code, points=w.decimal(i.max_points, 0)) for i in self.indicators
        ]
        headers += [tr("Điểm đo được"), tr("Trễ hạn\n(có xin lỗi)")]
        self.table = make_table(headers, 1)
        for col, i in enumerate(self.indicators, start=2):
            header = self.table.horizontalHeaderItem(col)
            if header is not None:
                header.setToolTip(f"{i.code}: {i.name}")
        # The notes under the table scroll, and the handle between moves: the months keep most of a small screen.
        notes = QWidget()
        notes_lay = QVBoxLayout(notes)
        notes_lay.setContentsMargins(0, 0, 0, 0)
        legend = QLabel(self._legend())
        legend.setWordWrap(True)
        legend.setProperty("role", "info")
        notes_lay.addWidget(legend)
        self.not_measured = QLabel(self._not_measured())
        self.not_measured.setWordWrap(True)
        self.not_measured.setProperty("role", "info")
        notes_lay.addWidget(self.not_measured)
        notes_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(notes)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)

    def _legend(self) -> str:
        names = " · ".join(f"{i.code} {i.name}" for i in self.indicators)
        groups = " · ".join(
            tr("Nhóm {g} {name}: tối đa {points}", g=g, name=tr(GROUP_NAMES[g]), points=w.decimal(GROUP_MAX[g], 0))
            for g in sorted(GROUP_MAX)
        )
        return tr("<b>Chỉ tiêu:</b> {names} (— : chưa có số liệu)<br><b>Nhóm:</b> {groups}", names=names, groups=groups)

    def _not_measured(self) -> str:
        items = "".join(f"<li><b>{code}</b>: {tr(reason)}</li>" for code, reason in NOT_MEASURED)
        return tr("<b>Chưa đo được tại trung tâm</b> (không tính vào điểm):") + f"<ul>{items}</ul>"

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)
        if not self._computed_once:  # a year of dossiers is read only when the tab is first looked at
            self._computed_once = True
            self.compute()

    def compute(self) -> None:
        s, e = self.start.date(), self.end.date()
        start = date(s.year(), s.month(), 1)
        end_month = date(e.year(), e.month(), 1)
        today = self._reports.ctx.clock().date()
        end = min(today, _last_day(end_month))
        by_sector, reports = self.by_sector.isChecked(), self._reports
        self.compute_button.setEnabled(False)

        def done(months: list[IndexMonth]) -> None:
            self.compute_button.setEnabled(True)
            self.show_months(months)

        def failed(exc: Exception) -> None:
            self.compute_button.setEnabled(True)
            self._messages.show_error(exc)

        Op(self, lambda: reports.service_index(start, end, by_sector=by_sector)).success(done).failure(failed).run()

    def show_months(self, months: list[IndexMonth]) -> None:
        rows = []
        for m in months:
            scores = {s.indicator.code: s for s in m.scores}
            earned = sum(s.points or 0.0 for s in m.scores if s.points is not None)
            measured = sum(s.indicator.max_points for s in m.scores if s.points is not None)
            cells = [
                Cell(m.month.strftime("%m/%Y"), m.month.isoformat()),
                Cell(m.scope or tr("Toàn trung tâm"), m.scope),
            ]
            for i in self.indicators:
                s = scores.get(i.code)
                tip = _tip(s) if s is not None and s.points is not None else tr("chưa có số liệu")
                cells.append(Cell(score_text(s) if s else w.NONE, number=True, tip=tip))
            cells.append(Cell(f"{w.decimal(earned)}/{w.decimal(measured, 0)}" if measured else w.NONE, number=True))
            cells.append(Cell(f"{m.late} ({m.late_with_apology})", number=True, tone="error" if m.late else ""))
            rows.append(((m.month.isoformat(), m.scope), cells))
        fill(self.table, rows)


def _tip(s: Score) -> str:
    return tr(
        "{name}: {numerator}/{denominator}; đạt điểm tối đa khi tỷ lệ từ {threshold}",
        name=s.indicator.name,
        numerator=s.numerator,
        denominator=s.denominator,
        threshold=w.percent(s.indicator.threshold),
    )


def _last_day(month: date) -> date:
    return month_range(month)[1]
