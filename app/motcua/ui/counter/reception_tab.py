"""Receiving a dossier: procedure, applicant, components, the appointment date computed live, save and print."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.dossier import Dossier
from motcua.domain.errors import ValidationError
from motcua.domain.formatting import due_phrase
from motcua.domain.procedures import Procedure
from motcua.i18n import tr
from motcua.services.catalog import CatalogService
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning import applicant_from_camera, applicant_from_image_file, open_counter_camera
from motcua.ui.counter.applicant_form import ApplicantForm
from motcua.ui.counter.components_table import ComponentsTable
from motcua.ui.counter.procedure_picker import ProcedurePicker
from motcua.ui.ops import Op
from motcua.ui.widgets.message_bar import MessageBar


class ReceptionTab(QWidget):
    """Signals:
    dossier_did_save(object, bool): the saved Dossier, and whether the clerk asked to print it.
    """

    dossier_did_save = Signal(object, bool)

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

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.applicant)
        ctitle = QLabel(tr("3. Thành phần hồ sơ đã nhận"))
        ctitle.setProperty("role", "section")
        tick_all = QPushButton(tr("Nhận đủ tất cả"))
        crow = QHBoxLayout()
        crow.addWidget(ctitle, 1)
        crow.addWidget(tick_all)
        rlay.addLayout(crow)
        rlay.addWidget(self.components, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("Số bộ")))
        self.sets = QSpinBox()
        self.sets.setRange(1, 50)
        bottom.addWidget(self.sets)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Ghi chú"))
        bottom.addWidget(self.note, 1)
        rlay.addLayout(bottom)

        self.due = QLabel()
        self.due.setProperty("role", "due")
        self.due.setWordWrap(True)
        rlay.addWidget(self.due)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton(tr("Làm mới (Ctrl+N)"))
        self.save_button = QPushButton(tr("Lưu (Ctrl+S)"))
        self.save_print_button = QPushButton(tr("Lưu và in giấy hẹn (Ctrl+P)"))
        self.save_print_button.setProperty("role", "primary")
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.save_print_button)
        rlay.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.picker)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.addWidget(split)

        self.picker.procedure_did_change.connect(self._on_procedure)
        tick_all.clicked.connect(self.components.tick_all)
        self.applicant.photo.clicked.connect(self._read_photo)
        self.applicant.camera.clicked.connect(self._read_camera)
        self.applicant.applicant_did_fill.connect(
            lambda src: messages.show_message(tr("Đã điền thông tin từ {source}", source=src), "ok")
        )
        self.applicant.scan_failed.connect(lambda msg: messages.show_message(msg, "error"))
        self.save_button.clicked.connect(lambda: self.save(print_after=False))
        self.save_print_button.clicked.connect(lambda: self.save(print_after=True))
        self.clear_button.clicked.connect(self.clear)
        for keys, slot in (
            ("Ctrl+S", lambda: self.save(False)),
            ("Ctrl+P", lambda: self.save(True)),
            ("Ctrl+N", self.clear),
            ("F3", self.applicant.scan.setFocus),
            ("Ctrl+L", self.picker.query.setFocus),
        ):
            # Shortcuts work wherever the focus is inside this tab, even before the window is activated.
            QShortcut(QKeySequence(keys), self, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_due)
        self._tick.start(30_000)  # the promised date moves as the clock passes the cut-off or closing time
        self._update_due()

    # -- live appointment date ---------------------------------------------------------------------------
    def _on_procedure(self, p: Procedure | None) -> None:
        self.components.set_procedure(p)
        self._update_due()

    def _update_due(self) -> None:
        p = self.picker.current()
        if p is None:
            self.due.setText(tr("Chọn thủ tục để xem ngày hẹn trả kết quả"))
            return
        due = self._reception.preview_due(p)
        self.due.setText(
            tr("Hẹn trả kết quả: <b>{due}</b> ({time})", due=due_phrase(due), time=p.processing_time.describe())
        )

    # -- actions ---------------------------------------------------------------------------------------
    def _read_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Chọn ảnh chụp mã QR thẻ căn cước"), "", tr("Ảnh (*.png *.jpg *.jpeg *.bmp)")
        )
        if not path:
            return
        from pathlib import Path

        Op(self, lambda: applicant_from_image_file(Path(path))).success(
            lambda a: (self.applicant.fill(a), self.applicant.applicant_did_fill.emit(tr("ảnh QR")))
        ).failure(lambda e: self._messages.show_error(e)).run()

    def _read_camera(self) -> None:
        settings = self._reception.ctx.settings.camera
        self.applicant.camera.setEnabled(False)
        self._messages.show_message(tr("Đưa mặt sau thẻ căn cước (có mã QR) vào trước camera…"), "info")

        def done() -> None:
            self.applicant.camera.setEnabled(True)

        Op(self, lambda: applicant_from_camera(open_counter_camera(settings))).success(
            lambda a: (done(), self.applicant.fill(a), self.applicant.applicant_did_fill.emit(tr("camera")))
        ).failure(lambda e: (done(), self._messages.show_error(e))).run()

    def save(self, print_after: bool) -> None:
        if self._saving:
            return  # a double press must not save twice
        p = self.picker.current()
        if p is None:
            self._messages.show_message(tr("Chưa chọn thủ tục"), "error")
            self.picker.query.setFocus()
            return
        try:
            req = ReceiveRequest(
                procedure_code=p.code,
                applicant=self.applicant.applicant(),
                components=self.components.received(),
                sets=self.sets.value(),
                note=self.note.text(),
            )
        except ValidationError as exc:
            self._show_error(exc)
            return
        self._set_saving(True)
        Op(self, lambda: self._reception.receive(req)).success(lambda d: self._saved(d, print_after)).failure(
            self._failed
        ).run()

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
        self._messages.show_error(exc)
        field = getattr(exc, "field", None)
        if field == "components":
            self.components.setFocus()
        else:
            self.applicant.focus_field(field)

    def clear(self, keep_procedure: bool = False) -> None:
        self.applicant.clear()
        self.note.clear()
        self.sets.setValue(1)
        self.components.set_procedure(self.picker.current() if keep_procedure else None)
        if not keep_procedure:
            self.picker.query.clear()
            self.picker.results.clearSelection()
        self.applicant.scan.setFocus()
        self._update_due()
