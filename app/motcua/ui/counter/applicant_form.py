"""The applicant: typed by hand, filled from the ID-card QR by a USB scanner, or read from a photo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.applicant import Address, Applicant, ApplicantKind, IdKind, Sex
from motcua.domain.cccd import WedgeBuffer
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.ui.widgets.elided_label import ElidedLabel
from motcua.ui.widgets.wedge import WedgeCatcher


def _parse_date(text: str, field: str) -> date | None:
    t = text.strip()
    if not t:
        return None
    try:
        d, m, y = (int(x) for x in t.replace("-", "/").replace(".", "/").split("/"))
        return date(y, m, d)
    except ValueError:
        raise ValidationError(tr("Ngày phải có dạng ngày/tháng/năm, ví dụ 02/08/1984"), field) from None


class ApplicantForm(QWidget):
    """Signals:
    applicant_did_fill(str): the form was filled from a card (the source, for the message bar).
    scan_failed(str): the scanned text could not be used (message in the user's language).
    field_edited(str): the clerk changed a field (its name, as ValidationError.field names it).
    """

    applicant_did_fill = Signal(str)
    scan_failed = Signal(str)
    field_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wedge = WedgeBuffer()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        title = QLabel(tr("2. Người nộp hồ sơ"))
        title.setProperty("role", "section")
        self.person = QRadioButton(tr("Cá nhân"))
        self.org = QRadioButton(tr("Tổ chức"))
        self.person.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.person)
        kind.addButton(self.org)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.person)
        head.addWidget(self.org)
        self.by_other = QCheckBox(tr("Người khác nộp thay"))
        self.by_other.setToolTip(
            tr("Người đến nộp không phải chủ hồ sơ (người đại diện, được ủy quyền, nộp cho tổ chức)")
        )
        head.addWidget(self.by_other)
        lay.addLayout(head)

        self.scan = QLineEdit()
        self.scan.setPlaceholderText(tr("Quét mã QR trên thẻ căn cước vào đây (F3)"))
        self.scan.setProperty("role", "scan")
        self.scan.setMinimumWidth(120)
        self.camera = QPushButton(tr("Camera"))
        self.camera.setToolTip(tr("Quét mã QR thẻ căn cước bằng camera"))
        self.photo = QPushButton(tr("Ảnh QR…"))
        self.photo.setToolTip(tr("Đọc mã QR thẻ căn cước từ một tệp ảnh"))
        row = QHBoxLayout()
        row.addWidget(self.scan, 1)
        row.addWidget(self.camera)
        row.addWidget(self.photo)
        lay.addLayout(row)

        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(14)
        self.birth = QLineEdit()
        self.birth.setPlaceholderText("dd/mm/yyyy")
        self.sex = QComboBox()
        self.sex.addItem("", None)
        self.sex.addItem(tr("Nam"), Sex.MALE)
        self.sex.addItem(tr("Nữ"), Sex.FEMALE)
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.detail = QLineEdit()
        self.commune = QLineEdit()
        self.province = QLineEdit()
        self.district = QLineEdit()
        self.district.setPlaceholderText(tr("chỉ khi giấy tờ cũ còn ghi huyện"))
        self.id_kind = QComboBox()
        self.id_kind.setToolTip(tr("Loại giấy tờ tùy thân"))
        self._fill_id_kinds(org=False)
        self.nationality = QLineEdit()
        self.nationality.setPlaceholderText(tr("Quốc tịch"))
        self.nationality.setMaximumWidth(110)
        self.nationality.setVisible(False)
        id_cell = QWidget()
        id_row = QHBoxLayout(id_cell)
        id_row.setContentsMargins(0, 0, 0, 0)
        id_row.setSpacing(4)
        id_row.addWidget(self.id_number, 1)
        id_row.addWidget(self.nationality)
        # Two label/field columns side by side: five rows instead of ten, so that the form fits 720 pixels; a
        # label too long for a small screen (English) is shortened, its tooltip says it whole.
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        left = ((ElidedLabel(tr("Họ và tên")), self.name), (self.id_kind, id_cell),
                (ElidedLabel(tr("Ngày sinh")), self.birth), (ElidedLabel(tr("Giới tính")), self.sex),
                (ElidedLabel(tr("Điện thoại")), self.phone))  # fmt: skip
        right = ((ElidedLabel(tr("Số nhà, thôn, tổ")), self.detail), (ElidedLabel(tr("Xã/phường")), self.commune),
                 (ElidedLabel(tr("Tỉnh/thành phố")), self.province), (ElidedLabel(tr("Huyện (cũ)")), self.district),
                 (ElidedLabel(tr("Email")), self.email))  # fmt: skip
        # A label is at most as wide as the widest Vietnamese one: longer (English) labels are shortened rather
        # than squeeze the fields.
        widest = max(self.fontMetrics().horizontalAdvance(v) for v in ("Số định danh (CCCD)", "Số nhà, thôn, tổ"))
        for col, pairs in ((0, left), (2, right)):
            for r, (label, field) in enumerate(pairs):
                if isinstance(label, QLabel):
                    label.setBuddy(field)
                label.setMaximumWidth(widest + (8 if isinstance(label, QLabel) else 36))
                field.setMinimumWidth(110)
                grid.addWidget(label, r, col)
                grid.addWidget(field, r, col + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        # Who came to the counter, when not the dossier's owner: their name and paper go on the receipt.
        self.submitter_name = QLineEdit()
        self.submitter_name.setPlaceholderText(tr("Họ tên người nộp thay"))
        self.submitter_id = QLineEdit()
        self.submitter_id.setPlaceholderText(tr("Số định danh người nộp thay"))
        self.submitter_id.setMaxLength(14)
        self.submitter_row = QWidget()
        srow = QHBoxLayout(self.submitter_row)
        srow.setContentsMargins(0, 0, 0, 0)
        srow.addWidget(ElidedLabel(tr("Người nộp thay")))
        srow.addWidget(self.submitter_name, 2)
        srow.addWidget(self.submitter_id, 1)
        self.submitter_row.setVisible(False)
        lay.addWidget(self.submitter_row)
        self._fields: dict[str, QWidget] = {
            "name": self.name,
            "id_number": self.id_number,
            "birth_date": self.birth,
            "sex": self.sex,
            "phone": self.phone,
            "email": self.email,
            "address": self.detail,
            "commune": self.commune,
            "province": self.province,
            "id_kind": self.id_kind,
            "nationality": self.nationality,
            "submitter_name": self.submitter_name,
            "submitter_id_number": self.submitter_id,
        }
        for field_name, w in self._fields.items():
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _t, f=field_name: self.field_edited.emit(f))
        self.sex.activated.connect(lambda _i: self.field_edited.emit("sex"))
        # A scanner set up without Enter: the burst ends when the keys stop (as for the other fields).
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._scan_ended)
        self.scan.textChanged.connect(self._on_scan_text)
        self.scan.returnPressed.connect(lambda: self._on_scan_text(self.scan.text(), enter=True))
        self.org.toggled.connect(self._on_kind)
        self.id_kind.currentIndexChanged.connect(self._on_id_kind)
        self.by_other.toggled.connect(self.submitter_row.setVisible)

    # -- card input ------------------------------------------------------------------------------------
    def _on_scan_text(self, text: str, enter: bool = False) -> None:
        # Whole-field text, not key events: Vietnamese IMEs rewrite keystrokes on their way in.
        try:
            card = self._wedge.feed(text, enter=enter)
        except ValidationError as exc:
            self.scan_failed.emit(str(exc))
            self.scan.selectAll()
            return
        if card is not None:
            self.fill(card.to_applicant())
            self.applicant_did_fill.emit(tr("thẻ căn cước"))
        if enter and (card is not None or self._wedge.locked):
            self._scan_ended()
        elif self._wedge.locked:
            self._quiet.start(WedgeCatcher.QUIET_MS)

    def _scan_ended(self) -> None:
        """The burst is over (its Enter, or the keys stopped): leave the field clean, the phone is next."""
        self._quiet.stop()
        if not self._wedge.locked:
            return
        self.scan.blockSignals(True)
        self.scan.clear()
        self.scan.blockSignals(False)
        self._wedge.reset()
        self.phone.setFocus()

    def _fill_id_kinds(self, org: bool) -> None:
        self.id_kind.blockSignals(True)
        self.id_kind.clear()
        if org:
            self.id_kind.addItem(tr("Mã số thuế"), IdKind.TAX_CODE.value)
        else:
            self.id_kind.addItem(tr("Số định danh (CCCD)"), IdKind.CCCD.value)
            self.id_kind.addItem(tr("Hộ chiếu"), IdKind.PASSPORT.value)
            self.id_kind.addItem(tr("Giấy tờ nước ngoài"), IdKind.FOREIGN_ID.value)
        self.id_kind.blockSignals(False)

    def _on_kind(self, org: bool) -> None:
        self._fill_id_kinds(org)
        self._on_id_kind()
        for w in (self.birth, self.sex):
            w.setEnabled(not org)
        if org:  # a company never comes itself: someone submits for it
            self.by_other.setChecked(True)

    def _on_id_kind(self, _index: int = 0) -> None:
        foreign = self.id_kind.currentData() in (IdKind.PASSPORT.value, IdKind.FOREIGN_ID.value)
        self.nationality.setVisible(foreign)
        self.id_number.setMaxLength(20 if foreign else 14)
        self.field_edited.emit("id_kind")

    # -- values ----------------------------------------------------------------------------------------
    def fill(self, a: Applicant) -> None:
        self.org.setChecked(a.kind is ApplicantKind.ORGANISATION)
        self.person.setChecked(a.kind is ApplicantKind.PERSON)
        self.name.setText(a.name)
        self.id_kind.setCurrentIndex(max(0, self.id_kind.findData(a.identity.value)))
        self.nationality.setText(a.nationality)
        self.id_number.setText(a.id_number)
        self.birth.setText(a.birth_date.strftime("%d/%m/%Y") if a.birth_date else "")
        self.sex.setCurrentIndex(self.sex.findData(a.sex) if a.sex else 0)
        self.detail.setText(a.address.detail)
        self.commune.setText(a.address.commune)
        self.province.setText(a.address.province)
        self.district.setText(a.address.former_district)
        if a.phone:
            self.phone.setText(a.phone)
        if a.email:
            self.email.setText(a.email)

    def applicant(self) -> Applicant:
        """The applicant as typed (validated later by the service; only date syntax is checked here)."""
        org = self.org.isChecked()
        return Applicant(
            kind=ApplicantKind.ORGANISATION if org else ApplicantKind.PERSON,
            name=self.name.text(),
            id_number=self.id_number.text().strip(),
            id_kind=IdKind(self.id_kind.currentData() or ""),
            nationality=self.nationality.text() if self.nationality.isVisibleTo(self) else "",
            birth_date=None if org else _parse_date(self.birth.text(), "birth_date"),
            sex=None if org or not self.sex.currentData() else Sex(self.sex.currentData()),
            address=Address(self.detail.text(), self.commune.text(), self.province.text(), self.district.text()),
            phone=self.phone.text(),
            email=self.email.text(),
        )

    def submitter(self) -> Applicant | None:
        """The person who came, when "someone else submits" is ticked (validated here: its errors name its own
        fields, not the owner's)."""
        if not self.by_other.isChecked():
            return None
        person = Applicant(ApplicantKind.PERSON, self.submitter_name.text(), self.submitter_id.text().strip())
        try:
            return person.validate()
        except ValidationError as exc:
            field = {"name": "submitter_name", "id_number": "submitter_id_number"}.get(exc.field or "", exc.field)
            raise ValidationError(tr("Người nộp thay: {error}", error=str(exc)), field) from None

    def texts(self) -> dict[str, str]:
        """What is typed, as typed (kept across a language switch; nothing is validated)."""
        out = {name: w.text() for name, w in self._edits().items()}
        out["sex"] = self.sex.currentData() or ""
        out["kind"] = "org" if self.org.isChecked() else "person"
        out["id_kind"] = self.id_kind.currentData() or ""
        out["by_other"] = "1" if self.by_other.isChecked() else ""
        return out

    def set_texts(self, texts: dict[str, str]) -> None:
        (self.org if texts.get("kind") == "org" else self.person).setChecked(True)
        self.by_other.setChecked(bool(texts.get("by_other")))
        self.id_kind.setCurrentIndex(max(0, self.id_kind.findData(texts.get("id_kind", ""))))
        for name, w in self._edits().items():
            w.setText(texts.get(name, ""))
        self.sex.setCurrentIndex(max(0, self.sex.findData(Sex(texts["sex"])) if texts.get("sex") else 0))

    def _edits(self) -> dict[str, QLineEdit]:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "birth": self.birth,
            "phone": self.phone,
            "email": self.email,
            "detail": self.detail,
            "commune": self.commune,
            "province": self.province,
            "district": self.district,
            "nationality": self.nationality,
            "submitter_name": self.submitter_name,
            "submitter_id": self.submitter_id,
        }

    def is_empty(self) -> bool:
        return not any(w.text().strip() for w in self._edits().values())

    def focus_field(self, field: str | None) -> bool:
        w = self._fields.get(field or "")
        if w is None:
            return False
        w.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def clear(self) -> None:
        for w in (
            self.name,
            self.id_number,
            self.birth,
            self.phone,
            self.email,
            self.detail,
            self.commune,
            self.province,
            self.district,
            self.scan,
            self.nationality,
            self.submitter_name,
            self.submitter_id,
        ):
            w.clear()
        self.sex.setCurrentIndex(0)
        self.person.setChecked(True)
        self.id_kind.setCurrentIndex(0)
        self.by_other.setChecked(False)
        self._wedge.reset()
