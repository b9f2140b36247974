"""One dossier: its details and history, the status changes allowed now, and its printed forms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.dossier import Dossier
from motcua.domain.errors import NotFoundError
from motcua.domain.formatting import fee_state, money, short_datetime
from motcua.domain.status import FINAL_ACTIONS, Action, Status, allowed_actions, can_undo
from motcua.i18n import tr
from motcua.services.printing import PrintingService
from motcua.services.reception import DossierSync, ReceptionService
from motcua.services.signing import SignatureReport, SigningService, verify_document
from motcua.ui.counter.fee_dialog import FeeDialog
from motcua.ui.ops import Op
from motcua.ui.widgets import dialogs
from motcua.ui.widgets.elided_label import ElidedLabel
from motcua.ui.widgets.flow_layout import FlowLayout
from motcua.ui.widgets.message_bar import MessageBar
from motcua.ui.widgets.signing_secret import signing_secret

_NEEDS_NOTE = {
    Action.REFUSE: "Lý do từ chối tiếp nhận",
    Action.REQUEST_SUPPLEMENT: "Lý do yêu cầu bổ sung",
    Action.STOP: "Lý do dừng xử lý",
    Action.WITHDRAW: "Lý do rút hồ sơ",
}

# Decisions that leave the office are never undone, so they are asked once, naming the dossier; the counter's
# everyday steps are done at once and offered an undo instead.
FINAL = FINAL_ACTIONS


def final_question(action: Action, code: str, name: str) -> str:
    """The question before ``action`` on dossier ``code`` of ``name`` (only for :data:`FINAL` actions)."""
    if action is Action.REFUSE:
        return tr("Từ chối tiếp nhận hồ sơ {code} của {name}?", code=code, name=name)
    if action is Action.WITHDRAW:
        return tr("Rút hồ sơ {code} của {name} theo yêu cầu của công dân?", code=code, name=name)
    if action is Action.STOP:
        return tr("Dừng xử lý hồ sơ {code} của {name}?", code=code, name=name)
    return tr("Trả kết quả hồ sơ {code} cho {name}?", code=code, name=name)


class DossierView(QWidget):
    """Signals:
    dossier_did_change(object): a status change was saved (the new Dossier).
    """

    dossier_did_change = Signal(object)

    def __init__(
        self,
        reception: ReceptionService,
        printing: PrintingService,
        messages: MessageBar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reception = reception
        self._printing = printing
        self._messages = messages
        self._dossier: Dossier | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.title = ElidedLabel(max_lines=2)
        self.title.setProperty("role", "title")
        lay.addWidget(self.title)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay.addWidget(self.state)

        # Status moves and the print menu wrap onto rows: on a 1366-pixel screen they never fit in one.
        self.actions_box = QWidget()
        self.actions_row = FlowLayout(self.actions_box)
        lay.addWidget(self.actions_box)
        # A push button with a menu (a tool button's menu arrow is drawn over its text).
        self.print_button = QPushButton(tr("In giấy tờ"))
        menu = QMenu(self.print_button)
        menu.setToolTipsVisible(True)  # a form that cannot be printed now says why
        self.print_actions: dict[str, QAction] = {}
        for key, label, fn in (
            ("mau01", tr("In giấy tiếp nhận (Mẫu 01)"), self._print_receipt),
            ("thermal", tr("In lại biên nhận nhiệt"), self._reprint_thermal),
            ("mau03", tr("Phiếu từ chối (Mẫu 03)"), self._print_refusal),
            ("mau05", tr("Phiếu kiểm soát (Mẫu 05)"), self._print_control),
            ("mau04", tr("Phiếu xin lỗi (Mẫu 04)"), self._print_apology),
            ("fees", tr("Thông báo / biên nhận phí, lệ phí"), self._print_fees),
            ("sign", tr("Ký số giấy tiếp nhận (Mẫu 01)…"), self._sign_receipt),
            ("verify", tr("Kiểm tra chữ ký số của tệp PDF…"), self._verify_pdf),
        ):
            act = QAction(label, menu)
            act.triggered.connect(fn)
            menu.addAction(act)
            self.print_actions[key] = act
        self.print_button.setMenu(menu)
        self.print_menu = menu
        self.fee_button = QPushButton(tr("Thu phí…"), self.actions_box)
        self.fee_button.setToolTip(tr("Hiện mã VietQR để chuyển khoản, ghi đã thu tiền mặt hoặc chuyển khoản"))
        self.fee_button.clicked.connect(self._fees)

        self.body = QTabWidget()
        self.body.setDocumentMode(True)
        info = QWidget()
        self.info = QGridLayout(info)
        self.info.setContentsMargins(6, 6, 6, 6)
        self.info.setColumnStretch(1, 1)
        self.info.setColumnStretch(3, 1)
        self.components = QTableWidget(0, 4)
        self.components.setHorizontalHeaderLabels(
            [tr("Thành phần hồ sơ"), tr("Bản chính"), tr("Bản chứng thực"), tr("Bản photo")]
        )
        self._table_style(self.components, stretch=0)
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels([tr("Thời điểm"), tr("Việc"), tr("Cán bộ"), tr("Ghi chú")])
        self._table_style(self.history, stretch=3)
        self.body.addTab(info, tr("Thông tin hồ sơ"))
        self.body.addTab(self.components, tr("Thành phần đã nhận"))
        self.body.addTab(self.history, tr("Quá trình xử lý"))
        lay.addWidget(self.body, 1)

    @staticmethod
    def _table_style(t: QTableWidget, stretch: int) -> None:
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        t.setWordWrap(True)

    def dossier(self) -> Dossier | None:
        return self._dossier

    def show_dossier(self, d: Dossier) -> None:
        self._dossier = d
        a = d.applicant
        self.title.setText(f"{d.code} — {d.procedure_name}")
        timing = self._reception.timeliness(d)
        self.state.setText(
            tr("Trạng thái: <b>{status}</b> · Tiến độ: <b>{timing}</b>", status=d.status.label, timing=timing.label)
            + " · "
            + sync_text(self._reception.sync_state(d.code))
        )
        while self.info.count():
            item = self.info.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        rows = [
            (tr("Chủ hồ sơ") if d.submitter is not None else tr("Người nộp"), a.name),
            (tr("Số định danh / MST"), a.id_number),
            (tr("Địa chỉ"), a.address.one_line()),
            (tr("Điện thoại"), a.phone),
            (tr("Ngày nhận"), short_datetime(d.received_at)),
            (tr("Hẹn trả"), short_datetime(d.due_at)),
            (tr("Phí, lệ phí"), fee_state(d) if d.fee_vnd else tr("Không")),
            (tr("Cán bộ tiếp nhận"), d.received_by),
        ]
        if d.submitter is not None:
            rows.append((tr("Người nộp thay"), f"{d.submitter.name} · {d.submitter.id_number}".strip(" ·")))
        if d.place is not None:
            rows.append((d.territory.label, d.place.one_line()))
        for i, (k, v) in enumerate(rows):
            key = QLabel(k)
            key.setProperty("role", "key")
            value = QLabel(v)
            value.setWordWrap(True)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.info.addWidget(key, i // 2, (i % 2) * 2)
            self.info.addWidget(value, i // 2, (i % 2) * 2 + 1)
        self.info.setRowStretch(len(rows) // 2, 1)
        self.components.setRowCount(len(d.components))
        for r, c in enumerate(d.components):
            for col, v in enumerate((c.name, str(c.originals), str(c.certified_copies), str(c.photocopies))):
                self.components.setItem(r, col, QTableWidgetItem(v))
        self.history.setRowCount(len(d.events))
        for r, e in enumerate(d.events):
            note = e.note or (e.agency and tr("Chuyển đến: {agency}", agency=e.agency)) or ""
            for col, v in enumerate((short_datetime(e.at), e.action.label, e.clerk, note)):
                self.history.setItem(r, col, QTableWidgetItem(v))
        self.body.setTabText(1, tr("Thành phần đã nhận ({n})", n=len(d.components)))
        self.body.setTabText(2, tr("Quá trình xử lý ({n})", n=len(d.events)))
        self.components.resizeRowsToContents()
        self.history.resizeRowsToContents()
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None and w not in (self.print_button, self.fee_button):
                w.deleteLater()
        for action in allowed_actions(d.status):
            b = QPushButton(action.label)
            if action in FINAL:
                b.setProperty("role", "final")
            b.clicked.connect(lambda _c=False, a=action: self.apply(a))
            self.actions_row.addWidget(b)
        self.fee_button.setVisible(d.owed_vnd > 0)  # kept (not remade): out of the row, it must not show
        if d.owed_vnd:
            self.actions_row.addWidget(self.fee_button)
        self.actions_row.addWidget(self.print_button)
        self._update_print_menu(d)

    def _update_print_menu(self, d: Dossier) -> None:
        refused = d.status is Status.REFUSED
        self.print_actions["mau01"].setEnabled(not refused)
        self.print_actions["thermal"].setEnabled(not refused)
        self.print_actions["mau03"].setVisible(refused)
        problem = self._printing.apology_problem(d)
        apology = self.print_actions["mau04"]
        apology.setEnabled(problem is None)
        apology.setToolTip(problem or tr("Hồ sơ trễ hạn hoặc đến hạn hôm nay: lập phiếu xin lỗi và hẹn lại"))
        self.print_actions["fees"].setVisible(d.fee_vnd > 0)
        sign = self.print_actions["sign"]
        sign.setEnabled(not refused and SigningService(self._printing.ctx).configured())
        sign.setToolTip(
            "" if sign.isEnabled() else tr("Chưa cấu hình chữ ký số (mục [signing]: token USB hoặc tệp .p12)")
        )

    # -- status changes ----------------------------------------------------------------------------------
    def apply(
        self, action: Action, note: str | None = None, agency: str | None = None, items: list[str] | None = None
    ) -> None:
        d = self._dossier
        if d is None:
            return
        asked = False
        if action is Action.REQUEST_SUPPLEMENT and items is None:
            suggested = "\n".join(self._reception.supplement_suggestions(d))
            text, ok = QInputDialog.getMultiLineText(
                self, action.label, tr("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một loại)"), suggested
            )
            if not ok:
                return
            items = [line.strip() for line in text.splitlines() if line.strip()]
            if not items:
                self._messages.show_message(tr("Hãy ghi ít nhất một giấy tờ cần bổ sung"), "error")
                return
        if action in _NEEDS_NOTE and note is None:
            label = tr(_NEEDS_NOTE[action])
            if action in FINAL:  # the reason's dialog is the one question
                label = "\n".join(
                    (final_question(action, d.code, d.applicant.name), tr("Việc này không hoàn tác được."), "", label)
                )
            note, ok = QInputDialog.getMultiLineText(self, action.label, label)
            if not ok:
                return
            asked = True
        if action in FINAL and not asked:
            question = final_question(action, d.code, d.applicant.name)
            if not dialogs.confirm(self, action.label, question, tr("Việc này không hoàn tác được.")):
                return
        if action is Action.TRANSFER and agency is None:
            default = ""
            try:
                default = self._reception.procedure(d.procedure_code).agency
            except NotFoundError:  # the procedure may have left the catalog; the clerk types the agency
                default = ""
            agency, ok = QInputDialog.getText(self, action.label, tr("Cơ quan giải quyết"), text=default)
            if not ok:
                return
        code = d.code
        reason = note or ""
        # The history keeps what was asked for, not only why.
        recorded = reason + "".join(f"\n- {i}" for i in items) if items else reason
        Op(self, lambda: self._reception.act(code, action, note=recorded, agency=agency or "")).success(
            lambda nd: self._after_change(nd, action, reason, items or [])
        ).failure(lambda e: self._messages.show_error(e)).run()

    def _after_change(self, d: Dossier, action: Action, note: str, items: list[str]) -> None:
        self.show_dossier(d)
        self.dossier_did_change.emit(d)
        text = tr("Hồ sơ {code}: {status}", code=d.code, status=d.status.label)
        make: Callable[[], bytes] | None = None
        if action is Action.REQUEST_SUPPLEMENT:
            make, name = (lambda: self._printing.supplement_pdf(d, items, note)), f"{d.code}-mau02.pdf"
        elif action is Action.REFUSE:
            make, name = (lambda: self._printing.refusal_pdf(d, note)), f"{d.code}-mau03.pdf"
        if make is None:
            self._say_done(d, action, text)
            return
        # One message once the form is made: the form opens and the undo stays offered (a second message would
        # replace the first, and the clerk's click would land on a button that has just changed).
        Op(self, lambda: self._printing.save(make(), name)).success(
            lambda path: (QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))),
                          self._say_done(d, action, text + " · " + tr("Đã tạo {file}", file=path.name)))
        ).failure(lambda e: self._messages.show_error(e)).run()  # fmt: skip

    def _say_done(self, d: Dossier, action: Action, text: str) -> None:
        if can_undo(action):
            self._messages.offer_undo(text, lambda: self._undo(d.code, action))
        else:
            self._messages.show_message(text, "ok")

    def _said(self, text: str) -> None:
        self._messages.show_message(text, "ok")

    def _undo(self, code: str, action: Action) -> None:
        Op(self, lambda: self._reception.undo_last_action(code, action)).success(self._undone).failure(
            lambda e: self._messages.show_error(e)
        ).run()

    def _undone(self, d: Dossier) -> None:
        self.show_dossier(d)
        self.dossier_did_change.emit(d)
        self._messages.show_message(tr("Đã hoàn tác. Hồ sơ {code}: {status}", code=d.code, status=d.status.label), "ok")

    # -- printing --------------------------------------------------------------------------------------
    def _print(self, make: Callable[[], bytes], name: str) -> None:
        Op(self, lambda: self._printing.save(make(), name)).success(self._opened).failure(
            lambda e: self._messages.show_error(e)
        ).run()

    def _opened(self, path: Path) -> None:
        self._messages.show_message(tr("Đã tạo {file}", file=str(path)), "ok")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _print_receipt(self) -> None:
        if (d := self._dossier) is not None:
            self._print(lambda: self._printing.receipt_pdf(d), f"{d.code}-mau01.pdf")

    def _print_control(self) -> None:
        if (d := self._dossier) is not None:
            self._print(lambda: self._printing.control_sheet_pdf(d), f"{d.code}-mau05.pdf")

    def _print_apology(self) -> None:
        d = self._dossier
        if d is None:
            return
        problem = self._printing.apology_problem(d)
        if problem is not None:
            self._messages.show_message(problem, "error")
            return
        reason, ok = QInputDialog.getMultiLineText(self, tr("Phiếu xin lỗi"), tr("Lý do chậm trả kết quả"))
        if not ok:
            return
        days, ok = QInputDialog.getInt(self, tr("Phiếu xin lỗi"), tr("Hẹn lại sau bao nhiêu ngày làm việc?"), 3, 1, 60)
        if not ok:
            return
        new_due = self._printing.postponed_due(d, days)
        self._print(lambda: self._printing.apology_pdf(d, reason, new_due), f"{d.code}-mau04.pdf")

    def _print_refusal(self) -> None:
        d = self._dossier
        if d is None:
            return
        reason = next((e.note for e in reversed(d.events) if e.action is Action.REFUSE), "")
        self._print(lambda: self._printing.refusal_pdf(d, reason), f"{d.code}-mau03.pdf")

    def _sign_receipt(self) -> None:
        """Mẫu 01 signed by the receiving officer (PAdES): the PIN is asked here, on the screen, before the work
        starts on its thread."""
        d = self._dossier
        if d is None:
            return
        ctx = self._printing.ctx
        secret = signing_secret(self, ctx.settings.signing)
        if secret is None:
            return
        signer = SigningService(ctx, ask_secret=lambda _question: secret)
        self._print(lambda: signer.sign_receipt(d.code), f"{d.code}-mau01-ky-so.pdf")

    def _verify_pdf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp PDF cần kiểm tra chữ ký"), "", "PDF (*.pdf)")
        if not path:
            return
        settings = self._printing.ctx.settings.signing
        Op(self, lambda: verify_document(settings, Path(path).read_bytes())).success(
            lambda reports: self._show_signatures(Path(path).name, reports)
        ).failure(lambda e: self._messages.show_error(e)).run()

    def _show_signatures(self, name: str, reports: list[SignatureReport]) -> None:
        if not reports:
            self._messages.show_message(tr("Tệp {file} không có chữ ký số", file=name), "error")
            return
        lines = []
        for r in reports:
            if r.intact and r.valid and r.trusted and r.changes_allowed:
                state = tr("hợp lệ")
            elif not (r.intact and r.valid) or not r.changes_allowed:
                state = tr("KHÔNG hợp lệ: tệp đã bị sửa sau khi ký")
            else:
                state = tr("chữ ký đúng nhưng chứng thư không thuộc tổ chức tin cậy")
            lines.append(tr("{signer}: {state}", signer=r.signer_name or r.signer, state=state))
        ok = all(r.intact and r.valid and r.trusted and r.changes_allowed for r in reports)
        self._messages.show_message(f"{name}: " + "; ".join(lines), "ok" if ok else "error")

    def _print_fees(self) -> None:
        if (d := self._dossier) is not None:
            self._print(lambda: self._printing.fee_receipt_pdf(d), f"{d.code}-phi.pdf")

    def _fees(self) -> None:
        d = self._dossier
        if d is None:
            return
        dialog = FeeDialog(d, self._printing, self)
        if dialog.exec() != FeeDialog.DialogCode.Accepted:
            return
        if dialog.wants_print:
            self._print_fees()
            return
        chosen = dialog.chosen()
        if chosen is None:
            return
        method, reference = chosen
        Op(self, lambda: self._reception.collect_fee(d.code, method, reference=reference)).success(
            self._fee_collected
        ).failure(lambda e: self._messages.show_error(e)).run()

    def _fee_collected(self, d: Dossier) -> None:
        self.show_dossier(d)
        self.dossier_did_change.emit(d)
        paid = d.paid_vnd
        self._messages.show_message(
            tr("Hồ sơ {code}: đã thu {paid}", code=d.code, paid=money(paid)),
            "ok",
            {tr("In biên nhận phí"): self._print_fees},
        )

    def _reprint_thermal(self) -> None:
        if (d := self._dossier) is not None:
            Op(self, lambda: self._printing.print_thermal(d, reprint=True)).success(
                lambda _r: self._said(tr("Đã in lại biên nhận {code}", code=d.code))
            ).failure(lambda e: self._messages.show_error(e)).run()


def sync_text(s: DossierSync) -> str:
    """Where the dossier's changes are, in a clerk's words (shown beside its status)."""
    if s.parked:
        text = tr("Đồng bộ: <b>{n} thay đổi bị tạm dừng</b>, cần giám sát xem", n=s.parked)
    elif s.waiting_here:
        text = tr("Đồng bộ: còn {n} thay đổi chưa gửi đi", n=s.waiting_here)
    elif not s.at_province:
        text = tr("Đồng bộ: đã gửi, chưa lên hệ thống tỉnh")
    else:
        text = tr("Đồng bộ: đã lên hệ thống tỉnh")
    if s.conflicts:
        text += " · " + tr("<b>{n} xung đột</b> chờ giám sát xử lý", n=s.conflicts)
    return text
