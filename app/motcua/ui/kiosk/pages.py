"""The kiosk's screens: choose a service, see your number, or read why there is none (the rating step's are in
:mod:`motcua.ui.kiosk.rating_pages`).

Each page is made in one language (``lang``) and rebuilt when the citizen switches; configured names (services,
priority groups) go through ``tr`` too, so a province can give them English names in its catalog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from motcua.domain.queue_views import IssuedTicket, KioskView
from motcua.i18n import tr
from motcua.ui.kiosk.widgets import ServiceButton, WrapButton


def service_columns(count: int, landscape: bool) -> int:
    """Side by side on a landscape screen (three services fill a 1366x768 kiosk in one row), stacked upright."""
    if landscape:
        return count if count <= 3 else 2 if count == 4 else 3
    return 1 if count <= 3 else 2


def _label(text: str, name: str, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(wrap)
    return label


class StartPage(QWidget):
    """Services as big buttons, the priority toggle with its groups, the language switch, and "Đánh giá sự hài lòng"
    when the centre takes ratings at its kiosks.

    Signals:
        service_chosen(str, object): a service code and the priority group code (None: regular ticket).
        language_wanted(): the citizen touched the language button.
        rating_wanted(): the citizen touched "Đánh giá sự hài lòng".
    """

    service_chosen = Signal(str, object)
    language_wanted = Signal()
    rating_wanted = Signal()

    def __init__(self, lang: str, demo: bool) -> None:
        super().__init__()
        self.lang = lang
        self.landscape = True
        self.buttons: dict[str, ServiceButton] = {}
        self.group_buttons: dict[str, WrapButton] = {}
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 12)
        root.setSpacing(10)
        header = QWidget()
        header.setObjectName("kioskHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        hl = QHBoxLayout(header)
        hl.setContentsMargins(28, 10, 28, 10)
        self.centre = QLabel()
        self.centre.setObjectName("centreName")
        self.centre.setWordWrap(True)
        hl.addWidget(self.centre, 1)
        self.rating_button = QPushButton(tr("Đánh giá sự hài lòng", lang=lang))
        self.rating_button.setObjectName("ratingButton")
        self.rating_button.clicked.connect(self.rating_wanted)
        self.rating_button.hide()  # until the centre says it takes ratings here
        hl.addWidget(self.rating_button)
        self.lang_button = QPushButton("English" if lang == "vi" else "Tiếng Việt")
        self.lang_button.setObjectName("langButton")
        self.lang_button.clicked.connect(self.language_wanted)
        hl.addWidget(self.lang_button)
        root.addWidget(header)
        root.addWidget(_label(tr("Mời chọn lĩnh vực để lấy số thứ tự", lang=lang), "prompt"))
        body = QVBoxLayout()
        body.setContentsMargins(28, 0, 28, 0)
        body.setSpacing(10)
        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        body.addLayout(self.grid, 1)
        self.priority = QPushButton(tr("Ưu tiên (người cao tuổi, người khuyết tật, …)", lang=lang))
        self.priority.setObjectName("priorityToggle")
        self.priority.setCheckable(True)
        self.priority.toggled.connect(self._priority_toggled)
        body.addWidget(self.priority)
        self.groups_box = QWidget()
        self.groups = QGridLayout(self.groups_box)  # two columns: four groups fit a portrait kiosk
        self.groups.setContentsMargins(0, 0, 0, 0)
        self.groups.setSpacing(10)
        self.groups_box.hide()
        body.addWidget(self.groups_box)
        self.hint = _label(tr("Xin chọn nhóm ưu tiên của bạn, rồi chọn lĩnh vực", lang=lang), "priorityHint")
        self.hint.hide()
        body.addWidget(self.hint)
        root.addLayout(body, 1)
        self.offline = _label(tr("Mất kết nối với máy chủ trung tâm — đang tự kết nối lại…", lang=lang), "offline")
        self.offline.hide()
        root.addWidget(self.offline)
        if demo:
            banner = _label(tr("Chế độ không có máy in: phiếu không được in ra giấy", lang=lang), "banner")
            root.addWidget(banner)
        self.loading = _label(tr("Đang kết nối máy chủ trung tâm…", lang=lang), "resultLine")
        self.grid.addWidget(self.loading, 0, 0)

    def show_view(self, view: KioskView) -> None:
        lang = self.lang
        self.centre.setText(view.centre_name)
        self.rating_button.setVisible(view.rating)
        if self.loading is not None:
            self.loading.hide()  # at once: it is deleted later, and must not lie on a service button meanwhile
            self.grid.removeWidget(self.loading)
            self.loading.deleteLater()
            self.loading = None
        if set(self.group_buttons) != {code for code, _ in view.priority_groups}:
            self._make_groups(view)
        self.priority.setVisible(bool(view.priority_groups))
        wanted = [s.code for s in view.services]
        if list(self.buttons) != wanted:
            for b in self.buttons.values():
                self.grid.removeWidget(b)
                b.hide()
                b.deleteLater()
            self.buttons = {}
            for s in view.services:
                b = ServiceButton(tr(s.name, lang=lang), "")
                b.clicked.connect(lambda _=False, code=s.code: self._chosen(code))
                self.buttons[s.code] = b
            self._grid_buttons()
        for s in view.services:
            b = self.buttons[s.code]
            if not s.open:
                detail = tr("Ngoài giờ tiếp nhận", lang=lang)
            elif s.waiting:
                detail = tr("Đang chờ: {n} người", lang=lang, n=s.waiting)
            else:
                detail = tr("Không có người chờ", lang=lang)
            b.set_state(detail, s.open)

    def set_landscape(self, landscape: bool) -> None:
        if landscape != self.landscape:
            self.landscape = landscape
            self._grid_buttons()

    def _grid_buttons(self) -> None:
        buttons = list(self.buttons.values())
        columns = service_columns(len(buttons), self.landscape)
        for b in buttons:
            self.grid.removeWidget(b)
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        for i, b in enumerate(buttons):
            self.grid.addWidget(b, i // columns, i % columns)
        for i in range(columns):
            self.grid.setColumnStretch(i, 1)

    def _make_groups(self, view: KioskView) -> None:
        for b in self.group_buttons.values():
            b.deleteLater()
        self.group_buttons = {}
        for i, (code, label) in enumerate(view.priority_groups):
            b = WrapButton(tr(label, lang=self.lang))
            b.clicked.connect(lambda checked, c=code: self._group_clicked(c, checked))
            self.groups.addWidget(b, i // 2, i % 2)
            self.group_buttons[code] = b

    def _priority_toggled(self, on: bool) -> None:
        self.groups_box.setVisible(on)
        if not on:
            for b in self.group_buttons.values():
                b.setChecked(False)
            self.hint.hide()

    def _group_clicked(self, code: str, checked: bool) -> None:
        # One group at a time; touching the chosen one again un-chooses it.
        for other, b in self.group_buttons.items():
            if other != code:
                b.setChecked(False)
        if checked:
            self.hint.hide()

    def chosen_group(self) -> str | None:
        return next((code for code, b in self.group_buttons.items() if b.isChecked()), None)

    def _chosen(self, service: str) -> None:
        group = self.chosen_group()
        if self.priority.isChecked() and group is None:
            self.hint.show()  # priority asked for but no group named: do not silently issue a regular ticket
            return
        self.service_chosen.emit(service, group)

    def set_offline(self, offline: bool) -> None:
        self.offline.setVisible(offline)

    def reset(self) -> None:
        self.priority.setChecked(False)

    @property
    def dirty(self) -> bool:
        """Left by a citizen as the next one should not find it (the priority groups open)."""
        return self.priority.isChecked()


class ResultPage(QWidget):
    """The number, big, with the people ahead and the estimated wait; returns by itself.

    Signals:
        done(): the citizen touched "Xong" (or the countdown ran out, see the window).
    """

    done = Signal()

    def __init__(self, lang: str, demo: bool) -> None:
        super().__init__()
        self.lang = lang
        self.demo = demo
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 30, 40, 30)
        lay.addStretch(1)
        lay.addWidget(_label(tr("Số thứ tự của bạn", lang=lang), "bigCaption"))
        self.number = _label("", "bigNumber", wrap=False)
        lay.addWidget(self.number)
        self.priority = _label(tr("ƯU TIÊN", lang=lang), "priorityMark")
        lay.addWidget(self.priority)
        self.service = _label("", "resultLine")
        self.ahead = _label("", "resultLine")
        self.wait = _label("", "resultLine")
        self.take = _label("", "bigCaption")
        for w in (self.service, self.ahead, self.wait, self.take):
            lay.addWidget(w)
        lay.addStretch(1)
        button = QPushButton(tr("Xong", lang=lang))
        button.setObjectName("doneButton")
        button.clicked.connect(self.done)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.countdown = _label("", "countdown")
        lay.addWidget(self.countdown)
        self._left_ms = 0
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._count)

    def show_ticket(self, issued: IssuedTicket) -> None:
        lang = self.lang
        t = issued.ticket
        self.number.setText(t.display)
        self.priority.setVisible(t.priority)
        self.service.setText(tr(issued.service_name, lang=lang))
        if issued.people_ahead:
            self.ahead.setText(tr("Trước bạn còn {n} người", lang=lang, n=issued.people_ahead))
            self.wait.setText(tr("Thời gian chờ dự kiến: khoảng {m} phút", lang=lang, m=issued.estimated_wait_min))
        else:
            self.ahead.setText(tr("Bạn là người tiếp theo", lang=lang))
            self.wait.setText("")
        self.wait.setVisible(bool(issued.people_ahead))
        self.take.setText(
            tr("Chế độ không có máy in: xin ghi nhớ số của bạn", lang=lang)
            if self.demo
            else tr("Mời nhận phiếu ở khe máy in bên dưới", lang=lang)
        )

    def start_countdown(self, ms: int) -> None:
        self._left_ms = ms
        self._count(step=False)
        self._tick.start(1000)

    def stop_countdown(self) -> None:
        self._tick.stop()

    def _count(self, step: bool = True) -> None:
        if step:
            self._left_ms -= 1000
        seconds = max(0, self._left_ms // 1000)
        self.countdown.setText(tr("Màn hình tự trở về sau {s} giây", lang=self.lang, s=seconds))
        if seconds == 0:
            self._tick.stop()


class MessagePage(QWidget):
    """A refusal in big, plain words, with what it means for the citizen.

    Signals:
        done(): the citizen touched "Quay lại".
    """

    done = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(60, 40, 60, 40)
        lay.addStretch(1)
        self.title = _label("", "errorTitle")
        self.detail = _label("", "errorText")
        self.consequence = _label("", "bigCaption")
        for w in (self.title, self.detail, self.consequence):
            lay.addWidget(w)
            lay.addSpacing(16)
        lay.addStretch(1)
        button = QPushButton(tr("Quay lại", lang=lang))
        button.setObjectName("doneButton")
        button.clicked.connect(self.done)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_message(self, title: str, detail: str, consequence: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.consequence.setText(consequence)
