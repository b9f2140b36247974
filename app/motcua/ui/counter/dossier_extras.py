"""What a dossier may need beyond the applicant and the papers: the place that decides the competent agency, the
fees (per copy or page) and how they were paid.

Each row shows only for a procedure that needs it, so that the common case (no place, no fee) costs no screen.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from motcua.domain.applicant import Address
from motcua.domain.fees import Payment, PaymentMethod, fee_lines, total
from motcua.domain.formatting import money
from motcua.domain.procedures import FeeBasis, Procedure, Territory
from motcua.i18n import tr
from motcua.ui.widgets.elided_label import ElidedLabel

_UNPAID = ""


class DossierExtras(QWidget):
    """Signals:
    wants_applicant_address(): the clerk asked to copy the applicant's address into the place.
    field_edited(str): a field changed ("place", "copies", "payment"), to clear its message.
    """

    wants_applicant_address = Signal()
    field_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._procedure: Procedure | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)

        self.place_label = ElidedLabel("")
        self.place_commune = QLineEdit()
        self.place_commune.setPlaceholderText(tr("Xã/phường"))
        self.place_province = QLineEdit()
        self.place_province.setPlaceholderText(tr("Tỉnh/thành phố"))
        self.place_detail = QLineEdit()
        self.place_detail.setPlaceholderText(tr("Số nhà, thôn, thửa đất…"))
        self.same_address = QPushButton(tr("Như địa chỉ"))
        self.same_address.setToolTip(tr("Lấy địa chỉ của người nộp hồ sơ"))
        # Under the procedure list (both are about the procedure): a narrow column, so the rows stack.
        grid.addWidget(self.place_label, 0, 0, 1, 3)
        grid.addWidget(self.place_detail, 1, 0, 1, 3)
        grid.addWidget(self.place_commune, 2, 0)
        grid.addWidget(self.place_province, 2, 1)
        grid.addWidget(self.same_address, 2, 2)

        self.fee_label = QLabel()
        self.fee_label.setProperty("role", "fee")
        self.copies = QSpinBox()
        self.copies.setRange(1, 500)
        self.copies.setSuffix(tr(" bản"))
        self.copies.setToolTip(tr("Số bản yêu cầu (phí tính theo bản)"))
        self.pages = QSpinBox()
        self.pages.setRange(1, 2000)
        self.pages.setSuffix(tr(" trang"))
        self.pages.setToolTip(tr("Số trang mỗi bản (phí chứng thực tính theo trang)"))
        self.method = QComboBox()
        self.method.addItem(tr("Chưa thu phí"), _UNPAID)
        self.method.addItem(tr("Thu tiền mặt"), PaymentMethod.CASH.value)
        self.method.addItem(tr("Đã nhận chuyển khoản"), PaymentMethod.TRANSFER.value)
        self.method.setToolTip(
            tr("Chuyển khoản bằng mã VietQR: lưu với «Chưa thu phí», mở hồ sơ, «Thu phí» hiện mã QR, rồi ghi đã thu")
        )
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(tr("Số biên lai / mã giao dịch"))
        grid.addWidget(self.fee_label, 3, 0, 1, 3)
        grid.addWidget(self.copies, 4, 0)
        grid.addWidget(self.pages, 4, 1)
        grid.addWidget(self.method, 4, 2)
        grid.addWidget(self.reference, 5, 0, 1, 3)
        for col, stretch in ((0, 2), (1, 2), (2, 3)):
            grid.setColumnStretch(col, stretch)
        # The column is as wide as the procedure list wants, not as these fields would: they share what it has.
        for w in (self.place_label, self.place_detail, self.place_commune, self.place_province, self.same_address,
                  self.fee_label, self.copies, self.pages, self.method, self.reference):  # fmt: skip
            w.setSizePolicy(QSizePolicy.Policy.Ignored, w.sizePolicy().verticalPolicy())

        self.same_address.clicked.connect(self.wants_applicant_address)
        for edit in (self.place_commune, self.place_province, self.place_detail):
            edit.textEdited.connect(lambda _t: self.field_edited.emit("place"))
        for spin in (self.copies, self.pages):
            spin.valueChanged.connect(lambda _v: (self._update_fee(), self.field_edited.emit("copies")))
        self.method.currentIndexChanged.connect(lambda _i: (self._update_method(), self.field_edited.emit("payment")))
        self.set_procedure(None)

    # -- procedure ---------------------------------------------------------------------------------------
    def set_procedure(self, p: Procedure | None) -> None:
        self._procedure = p
        needs_place = p is not None and p.territory is not Territory.NONE
        for w in (self.place_label, self.place_detail, self.place_commune, self.place_province, self.same_address):
            w.setVisible(needs_place)
        if needs_place and p is not None:
            self.place_label.setText(p.territory.label + ":")
            self.place_label.setToolTip(
                tr("Nơi quyết định cơ quan có thẩm quyền giải quyết (tiếp nhận không phụ thuộc địa giới hành chính)")
            )
        bases = {f.per for f in p.fees} if p is not None else set()
        has_fee = p is not None and any(f.amount_vnd for f in p.fees)
        self.copies.setVisible(bool(bases & {FeeBasis.COPY, FeeBasis.PAGE}))
        self.pages.setVisible(FeeBasis.PAGE in bases)
        for w in (self.fee_label, self.method):
            w.setVisible(has_fee)
        self.setVisible(needs_place or has_fee)
        self._update_fee()
        self._update_method()

    def _update_fee(self) -> None:
        p = self._procedure
        if p is None:
            self.fee_label.setText("")
            return
        self.fee_label.setText(tr("Phí, lệ phí: <b>{amount}</b>", amount=money(self.fee_vnd())))

    def _update_method(self) -> None:
        # The receipt number or the transfer's reference, only once money was taken.
        self.reference.setVisible(bool(self.method.currentData()) and self.method.isVisibleTo(self))

    def fee_vnd(self) -> int:
        p = self._procedure
        return total(fee_lines(p, self.copies.value(), self.pages.value())) if p is not None else 0

    # -- values ------------------------------------------------------------------------------------------
    def place(self) -> Address | None:
        """The place typed, for a procedure whose competent agency depends on one (else None)."""
        if self._procedure is None or self._procedure.territory is Territory.NONE:
            return None
        texts = (self.place_detail.text(), self.place_commune.text(), self.place_province.text())
        if not any(t.strip() for t in texts):
            return None
        return Address(*texts)

    def set_place(self, a: Address) -> None:
        self.place_detail.setText(a.detail)
        self.place_commune.setText(a.commune)
        self.place_province.setText(a.province)
        self.field_edited.emit("place")

    def payment(self) -> Payment | None:
        method = self.method.currentData()
        amount = self.fee_vnd()
        if not method or amount <= 0:
            return None
        return Payment(PaymentMethod(method), amount, self.reference.text())

    def texts(self) -> dict[str, str]:
        return {
            "place_detail": self.place_detail.text(),
            "place_commune": self.place_commune.text(),
            "place_province": self.place_province.text(),
            "copies": str(self.copies.value()),
            "pages": str(self.pages.value()),
            "method": self.method.currentData() or "",
            "reference": self.reference.text(),
        }

    def set_texts(self, t: dict[str, str]) -> None:
        self.place_detail.setText(t.get("place_detail", ""))
        self.place_commune.setText(t.get("place_commune", ""))
        self.place_province.setText(t.get("place_province", ""))
        self.copies.setValue(int(t.get("copies") or 1))
        self.pages.setValue(int(t.get("pages") or 1))
        self.method.setCurrentIndex(max(0, self.method.findData(t.get("method", ""))))
        self.reference.setText(t.get("reference", ""))

    def focus_field(self, field: str | None) -> bool:
        target = {"place": self.place_commune, "copies": self.copies, "payment": self.method}.get(field or "")
        if target is None:
            return False
        target.setFocus()
        return True

    def clear(self) -> None:
        self.set_texts({})
