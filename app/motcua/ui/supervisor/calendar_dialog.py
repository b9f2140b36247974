"""The centre's calendar adjustments for a year: extra days off and Saturdays worked in exchange, on top of the law.

Appointment dates are counted in working days, so a day added or removed here moves every appointment made after
it; the table shows the whole year's exceptions (public holidays included) so that the supervisor sees the result.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.formatting import short_date, weekday
from motcua.i18n import tr
from motcua.services.calendar_admin import CalendarAdmin, CalendarDay
from motcua.ui.ops import Op
from motcua.ui.supervisor.tables import Cell, fill, make_table, selected_key
from motcua.ui.widgets.message_bar import MessageBar


class CalendarDialog(QDialog):
    def __init__(self, admin: CalendarAdmin, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Lịch làm việc: ngày nghỉ và ngày làm bù"))
        self._admin = admin
        lay = QVBoxLayout(self)
        self.messages = MessageBar()
        lay.addWidget(self.messages)
        top = QHBoxLayout()
        self.year = QSpinBox()
        self.year.setRange(today.year - 5, today.year + 5)
        self.year.setValue(today.year)
        self.year.setPrefix(tr("Năm "))
        self.year.valueChanged.connect(lambda _y: self.refresh())
        top.addWidget(self.year)
        top.addStretch(1)
        lay.addLayout(top)
        self.table = make_table((tr("Ngày"), tr("Thứ"), tr("Loại"), tr("Ghi chú")), 3)
        lay.addWidget(self.table, 1)

        add = QHBoxLayout()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.kind = QComboBox()
        self.kind.addItem(tr("Ngày nghỉ"), False)
        self.kind.addItem(tr("Ngày làm việc (làm bù)"), True)
        self.label = QLineEdit()
        self.label.setPlaceholderText(tr("Lý do, ví dụ: Nghỉ bù Tết"))
        self.add_button = QPushButton(tr("Thêm"))
        self.add_button.clicked.connect(self._add)
        for widget in (self.day, self.kind):
            add.addWidget(widget)
        add.addWidget(self.label, 1)
        add.addWidget(self.add_button)
        lay.addLayout(add)
        row = QHBoxLayout()
        self.remove_button = QPushButton(tr("Bỏ điều chỉnh ngày đã chọn"))
        self.remove_button.setToolTip(tr("Ngày trở lại như luật định (ngày lễ theo luật không bỏ được)"))
        self.remove_button.clicked.connect(self._remove)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        lay.addLayout(row)
        self.resize(760, 560)
        self.refresh()

    def refresh(self) -> None:
        admin, year = self._admin, self.year.value()
        Op(self, lambda: admin.year(year)).success(self._show).failure(self.messages.show_error).run()

    def _show(self, days: list[CalendarDay]) -> None:
        fill(
            self.table,
            [
                (
                    d.day.isoformat(),
                    [
                        Cell(short_date(d.day), d.day.isoformat()),
                        Cell(weekday(d.day)),
                        Cell(tr("Làm việc") if d.working else tr("Nghỉ"), tone="ok" if d.working else "warn"),
                        Cell(d.label, tip=d.label),
                    ],
                )
                for d in days
            ],
        )

    def _add(self) -> None:
        q = self.day.date()
        day, working, label = date(q.year(), q.month(), q.day()), bool(self.kind.currentData()), self.label.text()
        admin = self._admin

        def done(_r: object) -> None:
            self.label.clear()
            text = tr("Đã đặt {day} là ngày làm việc", day=short_date(day))
            if not working:
                text = tr("Đã đặt {day} là ngày nghỉ", day=short_date(day))
            self.messages.show_message(text, "ok")
            if self.year.value() != day.year:
                self.year.setValue(day.year)  # refreshes
            else:
                self.refresh()

        Op(self, lambda: admin.set_day(day, working, label)).success(done).failure(self.messages.show_error).run()

    def _remove(self) -> None:
        key = selected_key(self.table)
        if key is None:
            self.messages.show_message(tr("Hãy chọn một ngày trong danh sách"), "warn")
            return
        day = date.fromisoformat(str(key))
        admin = self._admin

        def done(_r: object) -> None:
            self.messages.show_message(tr("Đã bỏ điều chỉnh ngày {day}", day=short_date(day)), "ok")
            self.refresh()

        Op(self, lambda: admin.clear_day(day)).success(done).failure(self.messages.show_error).run()
