"""Choosing a report's period: a month, a quarter, a year, or any range of days."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from motcua.domain.reports.period import month_range, quarter_range, year_range
from motcua.i18n import tr

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PeriodPicker(QWidget):
    """The kind of period, then only the fields that kind needs (the others are hidden)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.kind = QComboBox()
        for key, label in (
            (MONTH, tr("Tháng")),
            (QUARTER, tr("Quý")),
            (YEAR, tr("Năm")),
            (RANGE, tr("Khoảng ngày tùy chọn")),
        ):
            self.kind.addItem(label, key)
        form.addRow(tr("Kỳ báo cáo"), self.kind)
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(tr("Tháng {m}", m=m), m)
        self.month.setCurrentIndex(today.month - 1)
        self.quarter = QComboBox()
        for q in range(1, 5):
            self.quarter.addItem(tr("Quý {q}", q=q), q)
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.year = QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setValue(today.year)
        self.start = QDateEdit(_qdate(today.replace(day=1)))
        self.end = QDateEdit(_qdate(today))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.when = QWidget()
        row = QHBoxLayout(self.when)
        row.setContentsMargins(0, 0, 0, 0)
        self.to_label = QLabel(tr("đến"))
        for widget in (self.month, self.quarter, self.year, self.start, self.to_label, self.end):
            row.addWidget(widget)
        row.addStretch(1)
        form.addRow(tr("Thời gian"), self.when)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_fields())
        self._show_fields()

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def _show_fields(self) -> None:
        kind = self.kind.currentData()
        self.month.setVisible(kind == MONTH)
        self.quarter.setVisible(kind == QUARTER)
        self.year.setVisible(kind in (MONTH, QUARTER, YEAR))
        for widget in (self.start, self.to_label, self.end):
            widget.setVisible(kind == RANGE)

    def period(self) -> tuple[date, date]:
        """The first and last day (the report checks the order and the length)."""
        kind = self.kind.currentData()
        year = self.year.value()
        if kind == MONTH:
            return month_range(date(year, int(self.month.currentData()), 1))
        if kind == QUARTER:
            return quarter_range(date(year, 3 * int(self.quarter.currentData()) - 2, 1))
        if kind == YEAR:
            return year_range(date(year, 1, 1))
        return _pydate(self.start.date()), _pydate(self.end.date())
