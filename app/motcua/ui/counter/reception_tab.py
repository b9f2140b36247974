"""Receiving a dossier: procedure, applicant, components, the appointment date computed live, save and print.

The keys (Ctrl+S, Ctrl+P, Ctrl+N, F3, Ctrl+L) belong to the window, so they work wherever the focus is; this tab
offers the actions. The focus goes where the clerk's next key belongs: the procedure search on a new reception,
the card field once a procedure is chosen, the phone once a card is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.dossier import Dossier
from motcua.domain.errors import ValidationError
from motcua.domain.formatting import due_phrase
from motcua.domain.procedures import Procedure, Territory
from motcua.i18n import tr
from motcua.services.catalog import CatalogService
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.ui.counter.applicant_form import ApplicantForm
from motcua.ui.counter.components_table import ComponentsTable, Tick
from motcua.ui.counter.dossier_extras import DossierExtras
from motcua.ui.counter.procedure_picker import ProcedurePicker
from motcua.ui.ops import Op
from motcua.ui.widgets.elided_label import ElidedLabel
from motcua.ui.widgets.message_bar import MessageBar


@dataclass(frozen=True, slots=True)
class ReceptionState:
    """A reception in progress, as typed (carried across a language switch, which rebuilds the window)."""

    query: str = ""
    sector: str = ""
    procedure: Procedure | None = None
    applicant: dict[str, str] = field(default_factory=dict)
    ticks: dict[str, Tick] = field(default_factory=dict)
    sets: int = 1
    note: str = ""
    extras: dict[str, str] = field(default_factory=dict)


class ReceptionTab(QWidget):
    """Signals:
    dossier_did_save(object, bool): the saved Dossier, and whether the clerk asked to print it.
    visit_guided(object): the Visit recorded for a citizen guided without a reception (Mẫu 02 to print).
    """

    dossier_did_save = Signal(object, bool)
    visit_guided = Signal(object)

    def __init__(
        self, reception: ReceptionService, catalog: CatalogService, messages: MessageBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._reception = reception
        self._messages = messages
        self._saving = False
        self.picker = ProcedurePicker(catalog)
        self.applicant = ApplicantForm()
        self.components = ComponentsTable()
        self.extras = DossierExtras()

        left = QWidget()
        llay = QVBoxLayout(left)
        llay.setContentsMargins(0, 0, 0, 0)
        llay.addWidget(self.picker, 1)
        self.due = QLabel()
        self.due.setProperty("role", "due")
        self.due.setWordWrap(True)
        self.due.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        llay.addWidget(self.due)
        llay.addWidget(self.extras)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.setSpacing(4)
        rlay.addWidget(self.applicant)
        ctitle = ElidedLabel(tr("3. Thành phần hồ sơ đã nhận"))  # shortened with "…" on a narrow window
        ctitle.setProperty("role", "section")
        ctitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.tick_required = QPushButton(tr("Nhận đủ"))
        self.tick_required.setToolTip(
            tr("Đánh dấu đã nhận mọi thành phần bắt buộc (thành phần «nếu có» để cán bộ tự đánh dấu)")
        )
        crow = QHBoxLayout()
        # Beside the papers: when they are not complete, the citizen is guided instead of received.
        self.guide_button = QPushButton(tr("Hướng dẫn (Mẫu 02)"))
        self.guide_button.setToolTip(
            tr("Hồ sơ chưa đủ: không tiếp nhận, in Phiếu hướng dẫn hoàn thiện hồ sơ (lượt vẫn được thống kê)")
        )
        crow.addWidget(ctitle, 1)
        crow.addWidget(self.guide_button)
        crow.addWidget(self.tick_required)
        rlay.addLayout(crow)
        self.components.setMinimumHeight(110)
        rlay.addWidget(self.components, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("Số bộ")))
        self.sets = QSpinBox()
        self.sets.setRange(1, 50)
        bottom.addWidget(self.sets)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Ghi chú"))
        self.note.setMinimumWidth(80)
        bottom.addWidget(self.note, 1)
        self.save_button = QPushButton(tr("Lưu (Ctrl+S)"))
        self.save_button.setToolTip(tr("Lưu hồ sơ, không in"))
        self.save_print_button = QPushButton(tr("Lưu và in (Ctrl+P)"))
        self.save_print_button.setToolTip(tr("Lưu hồ sơ, in giấy tiếp nhận A4 và biên nhận"))
        self.save_print_button.setProperty("role", "primary")
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.save_print_button)
        rlay.addLayout(bottom)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.split = split
        self._split_by_hand = False
        split.splitterMoved.connect(lambda *_: setattr(self, "_split_by_hand", True))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)

        self.picker.procedure_did_change.connect(self._on_procedure)
        self.picker.procedure_chosen.connect(self._on_chosen)
        self.tick_required.clicked.connect(self.components.tick_required)
        self.components.components_did_change.connect(self._on_components)
        self.applicant.photo.clicked.connect(self._read_photo)
        self.applicant.camera.clicked.connect(self._read_camera)
        self.applicant.applicant_did_fill.connect(
            lambda src: messages.show_message(tr("Đã điền thông tin từ {source}", source=src), "ok")
        )
        self.applicant.scan_failed.connect(lambda msg: messages.show_message(msg, "error", topic="card"))
        self.applicant.scan.textEdited.connect(lambda _t: messages.clear(topic="card"))
        self.applicant.field_edited.connect(lambda f: messages.clear(topic=f))
        self.sets.valueChanged.connect(lambda _v: messages.clear(topic="sets"))
        self.extras.field_edited.connect(lambda f: messages.clear(topic=f))
        self.extras.wants_applicant_address.connect(self._place_from_applicant)
        self.save_button.clicked.connect(lambda: self.save(print_after=False))
        self.guide_button.clicked.connect(self.guide)
        self.save_print_button.clicked.connect(lambda: self.save(print_after=True))
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_due)
        self._tick.start(30_000)  # the promised date moves as the clock passes the cut-off or closing time
        self._update_due()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        super().resizeEvent(event)
        if not self._split_by_hand:
            # About a third for the procedures (their names are long; the splitter alone would give them only what
            # is left after the form's wish), less on a small screen where the form needs its room.
            total = self.split.width()
            right = self.split.widget(1)
            form = min(right.sizeHint().width() if right is not None else total, total * 70 // 100)
            left = max(total * 25 // 100, min(total * 36 // 100, total - form))
            self.split.setSizes([left, total - left])

    # -- live appointment date ---------------------------------------------------------------------------
    def _on_procedure(self, p: Procedure | None) -> None:
        self.components.set_procedure(p)
        self.extras.set_procedure(p)
        if p is not None:
            self._messages.clear(topic="procedure")
        self._update_due()

    def _on_chosen(self, _p: Procedure) -> None:
        if self.applicant.is_empty():
            self.applicant.scan.setFocus(Qt.FocusReason.OtherFocusReason)
        else:  # the card came first: the papers are next
            self.components.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.components.rowCount():
                self.components.setCurrentCell(0, 1)

    def _on_components(self) -> None:
        if not self.components.missing_required():
            self._messages.clear(topic="components")

    def _update_due(self) -> None:
        p = self.picker.current()
        if p is None:
            self.due.setText(tr("Chọn thủ tục để xem ngày hẹn trả kết quả"))
            return
        due = self._reception.preview_due(p)
        self.due.setText(
            tr("Hẹn trả kết quả: <b>{due}</b> ({time})", due=due_phrase(due), time=p.processing_time.describe())
        )

    def _place_from_applicant(self) -> None:
        try:
            self.extras.set_place(self.applicant.applicant().address)
        except ValidationError as exc:  # a bad birth date: the address is still there to copy
            self._messages.show_error(exc, topic=exc.field or "form")

    # -- actions ---------------------------------------------------------------------------------------
    def focus_card(self) -> None:
        self.applicant.scan.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_procedure(self) -> None:
        self.picker.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.picker.query.selectAll()

    def _read_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Chọn ảnh chụp mã QR thẻ căn cước"), "", tr("Ảnh (*.png *.jpg *.jpeg *.bmp)")
        )
        if not path:
            return
        from motcua.services.scanning import applicant_from_image_file  # OpenCV and the code readers: on first use

        Op(self, lambda: applicant_from_image_file(Path(path))).success(
            lambda a: (self.applicant.fill(a), self.applicant.applicant_did_fill.emit(tr("ảnh QR")))
        ).failure(lambda e: self._messages.show_error(e, topic="card")).run()

    def _read_camera(self) -> None:
        from motcua.services.scanning import applicant_from_camera, open_counter_camera  # as in _read_photo

        settings = self._reception.ctx.settings.camera
        self.applicant.camera.setEnabled(False)
        self._messages.show_message(tr("Đưa mặt sau thẻ căn cước (có mã QR) vào trước camera…"), "info")

        def done() -> None:
            self.applicant.camera.setEnabled(True)

        Op(self, lambda: applicant_from_camera(open_counter_camera(settings))).success(
            lambda a: (done(), self.applicant.fill(a), self.applicant.applicant_did_fill.emit(tr("camera")))
        ).failure(lambda e: (done(), self._messages.show_error(e, topic="card"))).run()

    def save(self, print_after: bool) -> None:
        if self._saving:
            return  # a double press must not save twice
        p = self._procedure_or_say()
        if p is None:
            return
        try:
            applicant = self.applicant.applicant()
            place = self.extras.place()
            if place is None and p.territory is Territory.APPLICANT_RESIDENCE:
                place = applicant.address  # where the law looks at the applicant's own residence
            req = ReceiveRequest(
                procedure_code=p.code,
                applicant=applicant,
                components=self.components.received(),
                sets=self.sets.value(),
                note=self.note.text(),
                place=place,
                submitter=self.applicant.submitter(),
                copies=self.extras.copies.value(),
                pages=self.extras.pages.value(),
                payment=self.extras.payment(),
            )
        except ValidationError as exc:
            self._show_error(exc)
            return
        self._set_saving(True)
        Op(self, lambda: self._reception.receive(req)).success(lambda d: self._saved(d, print_after)).failure(
            self._failed
        ).run()

    def _procedure_or_say(self) -> Procedure | None:
        """The chosen procedure; without one, say so and put the clerk in the search."""
        p = self.picker.current()
        if p is None:
            self._messages.show_message(tr("Chưa chọn thủ tục"), "error", topic="procedure")
            self.picker.query.setFocus()
        return p

    def guide(self) -> None:
        """The papers are not complete: record the visit and give Mẫu 02 instead of receiving the dossier."""
        p = self._procedure_or_say()
        if p is None:
            return
        try:
            applicant = self.applicant.applicant()
            submitter = self.applicant.submitter()
        except ValidationError as exc:
            self._show_error(exc)
            return
        text, ok = QInputDialog.getMultiLineText(
            self,
            tr("Hướng dẫn hoàn thiện hồ sơ"),
            tr("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một loại)"),
            "\n".join(self.components.missing_required()),
        )
        if not ok:
            return
        missing = [line for line in text.splitlines() if line.strip()]
        note = self.note.text()
        Op(self, lambda: self._reception.guide(p.code, applicant, missing, note=note, submitter=submitter)).success(
            self._guided
        ).failure(self._show_error).run()

    def _guided(self, visit: object) -> None:
        self.visit_guided.emit(visit)
        self.clear(keep_procedure=True)

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        for b in (self.save_button, self.save_print_button):
            b.setEnabled(not on)

    def _saved(self, d: Dossier, print_after: bool) -> None:
        self._set_saving(False)
        self.dossier_did_save.emit(d, print_after)
        self.clear(keep_procedure=True)

    def _failed(self, exc: Exception) -> None:
        self._set_saving(False)
        self._show_error(exc)

    def _show_error(self, exc: Exception) -> None:
        field_name = getattr(exc, "field", None)
        self._messages.show_error(exc, topic=field_name or "form")
        if field_name == "components":
            self.components.setFocus()
        elif field_name == "procedure":
            self.picker.query.setFocus()
        elif self.extras.focus_field(field_name):
            pass
        else:
            self.applicant.focus_field(field_name)

    def clear(self, keep_procedure: bool = False) -> None:
        """Ready for the next citizen; with ``keep_procedure`` the same procedure stays chosen (a queue of
        citizens for one procedure), else the search starts over."""
        self.applicant.clear()
        self.extras.clear()
        self.note.clear()
        self.sets.setValue(1)
        self.components.set_procedure(self.picker.current() if keep_procedure else None)
        if keep_procedure and self.picker.current() is not None:
            self.applicant.scan.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.picker.query.clear()
            self.picker.results.clearSelection()
            self.picker.results.setCurrentRow(-1)
            self.picker.query.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_due()

    # -- kept across a language switch ------------------------------------------------------------------
    def state(self) -> ReceptionState:
        return ReceptionState(
            query=self.picker.query.text(),
            sector=self.picker.sector.currentData() or "",
            procedure=self.picker.current(),
            applicant=self.applicant.texts(),
            ticks=self.components.ticks(),
            sets=self.sets.value(),
            note=self.note.text(),
            extras=self.extras.texts(),
        )

    def restore(self, s: ReceptionState) -> None:
        self.picker.restore(s.query, s.sector, s.procedure)  # sets the components' rows, unticked
        self.components.set_ticks(s.ticks)
        self.applicant.set_texts(s.applicant)
        self.sets.setValue(s.sets)
        self.note.setText(s.note)
        self.extras.set_texts(s.extras)
        self._update_due()
