"""The applicant: typed by hand, filled from the ID-card QR by a USB scanner, or read from a photo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from motcua.domain.applicant import Address, Applicant, ApplicantKind, Sex
from motcua.domain.cccd import WedgeBuffer
from motcua.domain.errors import ValidationError
from motcua.i18n import tr


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
    """

    applicant_did_fill = Signal(str)
    scan_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wedge = WedgeBuffer()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("2. Người nộp hồ sơ"))
        title.setProperty("role", "section")
        grid.addWidget(title, 0, 0, 1, 2)

        self.scan = QLineEdit()
        self.scan.setPlaceholderText(tr("Quét mã QR trên thẻ căn cước vào đây (F3)"))
        self.scan.setProperty("role", "scan")
        self.camera = QPushButton(tr("Quét bằng camera"))
        self.photo = QPushButton(tr("Đọc QR từ ảnh…"))
        row = QHBoxLayout()
        row.addWidget(self.scan, 1)
        row.addWidget(self.camera)
        row.addWidget(self.photo)
        grid.addLayout(row, 1, 0, 1, 2)

        self.person = QRadioButton(tr("Cá nhân"))
        self.org = QRadioButton(tr("Tổ chức"))
        self.person.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.person)
        kind.addButton(self.org)
        krow = QHBoxLayout()
        krow.addWidget(self.person)
        krow.addWidget(self.org)
        krow.addStretch(1)
        grid.addLayout(krow, 2, 0, 1, 2)

        left, right = QFormLayout(), QFormLayout()
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
        self._id_label = QLabel(tr("Số định danh (CCCD)"))
        left.addRow(tr("Họ và tên"), self.name)
        left.addRow(self._id_label, self.id_number)
        left.addRow(tr("Ngày sinh"), self.birth)
        left.addRow(tr("Giới tính"), self.sex)
        left.addRow(tr("Điện thoại"), self.phone)
        right.addRow(tr("Số nhà, thôn, tổ"), self.detail)
        right.addRow(tr("Xã/phường"), self.commune)
        right.addRow(tr("Tỉnh/thành phố"), self.province)
        right.addRow(tr("Huyện (cũ)"), self.district)
        right.addRow(tr("Email"), self.email)
        grid.addLayout(left, 3, 0)
        grid.addLayout(right, 3, 1)
        self._fields = {
            "name": self.name,
            "id_number": self.id_number,
            "birth_date": self.birth,
            "sex": self.sex,
            "phone": self.phone,
            "email": self.email,
        }
        self.scan.textChanged.connect(self._on_scan_text)
        self.scan.returnPressed.connect(lambda: self._on_scan_text(self.scan.text(), enter=True))
        self.org.toggled.connect(self._on_kind)

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
            # The scanner's Enter ends its burst (a repeated payload included): leave the field clean.
            self.scan.blockSignals(True)
            self.scan.clear()
            self.scan.blockSignals(False)
            self.phone.setFocus()

    def _on_kind(self, org: bool) -> None:
        self._id_label.setText(tr("Mã số thuế") if org else tr("Số định danh (CCCD)"))
        for w in (self.birth, self.sex):
            w.setEnabled(not org)

    # -- values ----------------------------------------------------------------------------------------
    def fill(self, a: Applicant) -> None:
        self.org.setChecked(a.kind is ApplicantKind.ORGANISATION)
        self.person.setChecked(a.kind is ApplicantKind.PERSON)
        self.name.setText(a.name)
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
            birth_date=None if org else _parse_date(self.birth.text(), "birth_date"),
            sex=None if org or not self.sex.currentData() else Sex(self.sex.currentData()),
            address=Address(self.detail.text(), self.commune.text(), self.province.text(), self.district.text()),
            phone=self.phone.text(),
            email=self.email.text(),
        )

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
        ):
            w.clear()
        self.sex.setCurrentIndex(0)
        self.person.setChecked(True)
        self._wedge.reset()
