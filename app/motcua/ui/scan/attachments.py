"""A dossier's digitized documents, opened with one click, and the offer to reuse a citizen's earlier ones."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.attachment import Attachment
from motcua.domain.formatting import short_datetime
from motcua.i18n import tr
from motcua.services.scanning_station import ScanningStation
from motcua.services.signing import SigningService
from motcua.ui.ops import Op
from motcua.ui.widgets.message_bar import MessageBar
from motcua.ui.widgets.signing_secret import signing_secret

_ID = Qt.ItemDataRole.UserRole
_MODE_LABELS = {"bw": "Đen trắng", "grey": "Xám", "colour": "Màu"}


def describe(a: Attachment) -> str:
    return tr(
        "{component} · {pages} trang · {mode} · {size} KB · {at}",
        component=f"{a.component_name} ({a.component_code})" if a.component_name else a.component_code,
        pages=a.pages,
        mode=tr(_MODE_LABELS.get(a.mode, a.mode)),
        size=max(1, a.size // 1024),
        at=short_datetime(a.created_at),
    )


class AttachmentsList(QWidget):
    """The documents attached to one dossier; a click opens the PDF. When the same citizen (ID number) has
    documents digitized in earlier dossiers, a prompt offers to attach them again.

    Signals:
        attachment_did_add(object): a reused document was attached (the new Attachment).
    """

    attachment_did_add = Signal(object)

    def __init__(
        self, station: ScanningStation, messages: MessageBar | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._station = station
        self._code: str | None = None
        self._by_id: dict[int, Attachment] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.messages = messages or MessageBar()
        if messages is None:
            lay.addWidget(self.messages)
        lay.addWidget(QLabel(tr("Tài liệu đã số hóa (bấm để mở)")))
        self.list = QListWidget()
        self.list.itemClicked.connect(self._open)
        lay.addWidget(self.list, 1)
        # The one-stop officer's digital signature gives a digitized copy its value (a signed copy is attached
        # beside the scan, which stays as it was received).
        self.sign_button = QPushButton(tr("Ký số tài liệu đang chọn"))
        self.sign_button.setEnabled(False)
        self.sign_button.clicked.connect(self.sign_current)
        self.list.currentItemChanged.connect(lambda *_: self._update_sign())
        lay.addWidget(self.sign_button)
        self.reuse_box = QWidget()
        rlay = QVBoxLayout(self.reuse_box)
        rlay.setContentsMargins(0, 6, 0, 0)
        self.reuse_label = QLabel()
        self.reuse_label.setWordWrap(True)
        rlay.addWidget(self.reuse_label)
        self.reuse_list = QListWidget()
        self.reuse_list.setMaximumHeight(120)
        rlay.addWidget(self.reuse_list)
        row = QHBoxLayout()
        self.reuse_button = QPushButton(tr("Dùng lại các tài liệu đã chọn"))
        self.reuse_button.clicked.connect(self.reuse_checked)
        row.addWidget(self.reuse_button)
        row.addStretch(1)
        rlay.addLayout(row)
        lay.addWidget(self.reuse_box)
        self.reuse_box.hide()

    def show_dossier(self, code: str | None) -> None:
        """List the dossier's documents and look for reusable ones (both off the GUI thread)."""
        self._code = code
        self.list.clear()
        self.reuse_box.hide()
        if not code:
            return
        station = self._station
        Op(self, lambda: (station.attachments_for(code), station.reuse_for(code))).success(
            lambda found: self._fill(code, *found)
        ).failure(self.messages.show_error).run()

    def refresh(self) -> None:
        self.show_dossier(self._code)

    def _fill(self, code: str, mine: list[Attachment], reusable: list[Attachment]) -> None:
        if code != self._code:
            return  # another dossier was opened meanwhile
        self.list.clear()
        self._by_id = {a.id: a for a in (*mine, *reusable)}
        for a in mine:
            item = QListWidgetItem(describe(a))
            item.setData(_ID, a.id)
            item.setToolTip(str(self._station.file_path(a)))
            self.list.addItem(item)
        if not mine:
            self.list.addItem(QListWidgetItem(tr("(chưa có tài liệu nào)")))
        self.reuse_list.clear()
        for a in reusable:
            item = QListWidgetItem(tr("{what} — từ hồ sơ {code}", what=describe(a), code=a.dossier_code))
            item.setData(_ID, a.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.reuse_list.addItem(item)
        self.reuse_label.setText(
            tr(
                "Người nộp này đã có {n} tài liệu số hóa ở hồ sơ trước. Dùng lại thay vì chụp lại?",
                n=len(reusable),
            )
        )
        self.reuse_box.setVisible(bool(reusable))

    def _update_sign(self) -> None:
        item = self.list.currentItem()
        chosen = item is not None and item.data(_ID) is not None
        configured = SigningService(self._station.ctx).configured()
        self.sign_button.setEnabled(chosen and configured)
        self.sign_button.setToolTip(
            "" if configured else tr("Chưa cấu hình chữ ký số (mục [signing]: token USB hoặc tệp .p12)")
        )

    def sign_current(self) -> None:
        item = self.list.currentItem()
        if item is None or item.data(_ID) is None:
            return
        attachment_id = int(item.data(_ID))
        ctx = self._station.ctx
        secret = signing_secret(self, ctx.settings.signing)  # asked here, before the work goes to its thread
        if secret is None:
            return
        signer = SigningService(ctx, ask_secret=lambda _question: secret)
        Op(self, lambda: signer.sign_attachment(attachment_id)).success(self._signed).failure(
            self.messages.show_error
        ).run()

    def _signed(self, a: Attachment) -> None:
        self.messages.show_message(tr("Đã ký số: {what} (bản đã ký được lưu kèm hồ sơ)", what=describe(a)), "ok")
        self.attachment_did_add.emit(a)
        self.refresh()

    def _open(self, item: QListWidgetItem) -> None:
        a = self._by_id.get(item.data(_ID)) if item.data(_ID) is not None else None
        if a is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._station.file_path(a))))

    def reuse_checked(self) -> None:
        code = self._code
        ids = [
            int(self.reuse_list.item(i).data(_ID))
            for i in range(self.reuse_list.count())
            if self.reuse_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        if not code or not ids:
            return
        station = self._station
        Op(self, lambda: [station.attach_reused(i, code) for i in ids]).success(self._reused).failure(
            self.messages.show_error
        ).run()

    def _reused(self, added: list[Attachment]) -> None:
        self.messages.show_message(tr("Đã dùng lại {n} tài liệu", n=len(added)), "ok")
        for a in added:
            self.attachment_did_add.emit(a)
        self.refresh()
