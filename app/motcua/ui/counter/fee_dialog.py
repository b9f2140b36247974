"""A dossier's fees at the counter: what it owes, the VietQR code to pay by transfer, and the money recorded.

The citizen scans the code with a banking app; once the clerk sees the transfer arrive (or takes the cash) they
record it, and the fee receipt is printed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.dossier import Dossier
from motcua.domain.fees import PaymentMethod
from motcua.domain.formatting import money
from motcua.i18n import tr
from motcua.services.printing import PrintingService


class FeeDialog(QDialog):
    """Shows the fees of ``d``; ``chosen()`` after ``exec()`` says what the clerk recorded (None: nothing), with
    the reference typed; ``wants_print`` whether they asked for the fee paper."""

    def __init__(self, d: Dossier, printing: PrintingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Phí, lệ phí — hồ sơ {code}", code=d.code))
        self._chosen: PaymentMethod | None = None
        self.wants_print = False
        lay = QVBoxLayout(self)
        lines = QGridLayout()
        for r, f in enumerate(d.fees):
            lines.addWidget(QLabel(f.name), r, 0)
            lines.addWidget(QLabel(f.basis_text()), r, 1)
            amount = QLabel(money(f.amount_vnd) if f.amount_vnd else tr("Miễn"))
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            lines.addWidget(amount, r, 2)
        lines.setColumnStretch(0, 1)
        lay.addLayout(lines)
        owed = d.owed_vnd
        paid = d.paid_vnd
        summary = tr("Tổng cộng: <b>{total}</b>", total=money(d.fee_vnd))
        if paid:
            summary += " · " + tr("Đã thu: {paid} ({method})", paid=money(paid), method=d.payment.method.label)  # type: ignore[union-attr]
        if owed:
            summary += " · " + tr("Còn phải nộp: <b>{owed}</b>", owed=money(owed))
        self.summary = QLabel(summary)
        lay.addWidget(self.summary)

        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.account = QLabel()
        self.account.setWordWrap(True)
        pay_by = printing.fee_pay_by(d) if owed else None
        if pay_by is not None:
            pixmap = QPixmap()
            pixmap.loadFromData(printing.fee_qr_png(pay_by, 300))
            self.qr.setPixmap(pixmap)
            self.account.setText(
                tr(
                    "Quét mã VietQR bằng ứng dụng ngân hàng · {bank} · Số tài khoản {account} ({name}) · "
                    "Nội dung: <b>{purpose}</b>",
                    bank=pay_by.bank_name,
                    account=pay_by.account,
                    name=pay_by.account_name,
                    purpose=pay_by.purpose,
                )
            )
        elif owed:
            self.account.setText(tr("Chưa cấu hình tài khoản nhận chuyển khoản (mục [payment]): chỉ thu tiền mặt."))
        lay.addWidget(self.qr)
        lay.addWidget(self.account)

        self.reference = QLineEdit()
        self.reference.setPlaceholderText(tr("Số biên lai / mã giao dịch"))
        self.cash = QPushButton(tr("Đã thu tiền mặt"))
        self.transfer = QPushButton(tr("Đã nhận chuyển khoản"))
        self.transfer.setEnabled(pay_by is not None)
        row = QHBoxLayout()
        row.addWidget(self.reference, 1)
        row.addWidget(self.cash)
        row.addWidget(self.transfer)
        if owed:
            lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(
            tr("In biên nhận phí") if not owed else tr("In thông báo nộp phí"), QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.cash.clicked.connect(lambda: self._record(PaymentMethod.CASH))
        self.transfer.clicked.connect(lambda: self._record(PaymentMethod.TRANSFER))
        self.print_button.clicked.connect(self._print)

    def _record(self, method: PaymentMethod) -> None:
        self._chosen = method
        self.accept()

    def _print(self) -> None:
        self.wants_print = True
        self.accept()

    def chosen(self) -> tuple[PaymentMethod, str] | None:
        return (self._chosen, self.reference.text()) if self._chosen is not None else None
