"""Printing: the A4 forms as PDF and the 80 mm thermal receipt, always after the save has committed.

Which paper a dossier may get is decided here, for the counter window and the command line alike: no receipt
(Mẫu 01) for a refused dossier, no refusal (Mẫu 03) for one that was not refused, and an apology (Mẫu 04) only
for a dossier that is late, or will be by the end of today, and whose result has not been handed back.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from motcua.devices.printer import PrinterError
from motcua.documents.forms.context import FormContext
from motcua.domain.device_health import PaperState
from motcua.domain.dossier import Dossier, Timeliness
from motcua.domain.errors import NotFoundError, ValidationError
from motcua.domain.formatting import short_datetime
from motcua.domain.status import Status
from motcua.i18n import language, tr
from motcua.services.context import AppContext
from motcua.services.payments import fee_qr
from motcua.services.reception import ReceptionService, Visit
from motcua.store import audit
from motcua.store import catalog as catalog_repo
from motcua.store import dossiers as repo
from motcua.store.atomic import write_atomic
from motcua.store.permissions import private_dir, restrict
from motcua.store.report_facts import APOLOGY_ACTION

if TYPE_CHECKING:
    from motcua.documents.forms.fee_receipt import PayBy

# The forms (reportlab) and the thermal receipt (python-escpos) are imported by the calls that make them: the
# counter window and the one-shot commands start without waiting for either.

P = ParamSpec("P")
R = TypeVar("R")

# A dossier in one of these has nothing more to promise: its result was handed back, or there will be none.
_NO_APOLOGY = (Status.NEW_ONLINE, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


def official(fn: Callable[P, R]) -> Callable[P, R]:
    """Official papers are in Vietnamese whatever language the clerk's screen is in."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with language("vi"):
            return fn(*args, **kwargs)

    return wrapper


class PrintingService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def paper_state(self) -> PaperState:
        """The receipt printer's paper, asked without printing (the counter's health report; blocking)."""
        return PaperState.NONE if self.ctx.printer is None else self.ctx.printer.paper_state()

    def _form_context(self) -> FormContext:
        return FormContext(centre=self.ctx.settings.centre, clerk=self.ctx.clerk, printed_at=self.ctx.clock())

    def _time_text(self, d: Dossier) -> str:
        try:
            return catalog_repo.get(self.ctx.store.read(), d.procedure_code).processing_time.describe()
        except NotFoundError:
            return ""

    # -- which paper a dossier may get -------------------------------------------------------------------
    def _check_receipt(self, d: Dossier) -> None:
        if d.status is Status.REFUSED:
            raise ValidationError(
                tr(
                    "Hồ sơ {code} đã bị từ chối tiếp nhận: không in Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01). "
                    "Hãy in Phiếu từ chối tiếp nhận (Mẫu 03).",
                    code=d.code,
                )
            )

    def apology_problem(self, d: Dossier) -> str | None:
        """Why Mẫu 04 cannot be issued for ``d`` now, in the clerk's words; None when it can.

        It can while a result is still to be handed over, when the dossier is late as Decision 766 judges it or
        its appointment is today.
        """
        if d.status in _NO_APOLOGY:
            return tr(
                "Không lập Phiếu xin lỗi (Mẫu 04) cho hồ sơ {code}: hồ sơ đang ở trạng thái “{status}”.",
                code=d.code,
                status=d.status.label,
            )
        if d.due_at is None:
            return tr("Không lập Phiếu xin lỗi (Mẫu 04) cho hồ sơ {code}: hồ sơ không có ngày hẹn trả.", code=d.code)
        now = self.ctx.clock()
        judged = ReceptionService(self.ctx).timeliness(d)  # the same judgement as the dossier's screen shows
        late = judged in (Timeliness.LATE, Timeliness.OVERDUE)
        due_today = judged is Timeliness.PENDING and d.due_at.date() <= now.date()
        if late or due_today:
            return None
        return tr(
            "Không lập Phiếu xin lỗi (Mẫu 04) cho hồ sơ {code}: hồ sơ chưa quá hạn (hẹn trả {due}).",
            code=d.code,
            due=short_datetime(d.due_at),
        )

    def can_apologise(self, d: Dossier) -> bool:
        """Whether the counter may offer Mẫu 04 for ``d`` (see :meth:`apology_problem` for why not)."""
        return self.apology_problem(d) is None

    def postponed_due(self, d: Dossier, working_days: int) -> datetime:
        """The new appointment an apology promises: ``working_days`` working days from now.

        From now, not from the missed appointment: counted from a date already past, the new one could be past
        too, or tomorrow for a dossier a week late.

        Raises:
            ValidationError: fewer than one working day.
        """
        if working_days < 1:
            raise ValidationError(tr("Số ngày hẹn lại phải từ 1 ngày làm việc trở lên"), "working_days")
        calendar = self.ctx.calendar
        return calendar.add_working_hours(self.ctx.clock(), calendar.hours.hours_per_day * working_days)

    # -- the papers ----------------------------------------------------------------------------------------
    @official
    def receipt_pdf(self, d: Dossier) -> bytes:
        """Mẫu 01 in two copies (Liên 1 kept, Liên 2 for the citizen); refused for a refused dossier."""
        from motcua.documents.forms.receipt import mau01_receipt

        self._check_receipt(d)
        return mau01_receipt(d, self._form_context(), self._time_text(d), copies=self.ctx.settings.printer.copies_a4)

    def _printer_profile(self) -> str:
        # The python-escpos profile of the printer ("TM-T20II"), once the settings carry one: a profile with a
        # Vietnamese code page gets a text receipt.
        return self.ctx.settings.printer.profile

    @official
    def receipt_thermal_bytes(self, d: Dossier, profile: str | None = None) -> bytes:
        """The ESC/POS job of the 80 mm receipt: text on a printer with Vietnamese, else a trimmed picture.

        Args:
            d: the dossier.
            profile: the printer's python-escpos profile name; None for the configured printer's.
        """
        from motcua.documents.thermal import receipt_job

        self._check_receipt(d)
        chosen = self._printer_profile() if profile is None else profile
        return receipt_job(d, self._form_context(), self.ctx.settings.printer.width_px, chosen)

    @official
    def print_thermal(self, d: Dossier, reprint: bool = False) -> None:
        """Send the receipt to the configured printer; raises PrinterError with a clear message."""
        self._check_receipt(d)
        printer = self.ctx.printer
        if printer is None:
            raise PrinterError(tr("Chưa cấu hình máy in biên nhận (mục [printer] trong cấu hình)"))
        printer.print_escpos(self.receipt_thermal_bytes(d))
        with self.ctx.store.write() as db:
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action="reprint_receipt" if reprint else "print_receipt",
                entity=d.code,
                at=self.ctx.clock(),
            )

    @official
    def supplement_pdf(self, d: Dossier, items: list[str], reason: str, contact: str = "") -> bytes:
        from motcua.documents.forms.supplement import mau02_supplement

        return mau02_supplement(d, self._form_context(), items, reason, contact)

    @official
    def refusal_pdf(self, d: Dossier, reason: str) -> bytes:
        """Mẫu 03, for a dossier the counter has refused (status 3)."""
        from motcua.documents.forms.refusal import mau03_refusal

        if d.status is not Status.REFUSED:
            raise ValidationError(
                tr(
                    "Hồ sơ {code} không bị từ chối tiếp nhận (trạng thái: {status}): không in Phiếu từ chối (Mẫu 03).",
                    code=d.code,
                    status=d.status.label,
                )
            )
        return mau03_refusal(d, self._form_context(), reason)

    @official
    def apology_pdf(self, d: Dossier, reason: str, new_due: datetime) -> bytes:
        """Mẫu 04; ``new_due`` from :meth:`postponed_due`.

        Raises:
            ValidationError: the dossier is not late (:meth:`apology_problem`), or ``new_due`` is not after now.
        """
        from motcua.documents.forms.apology import mau04_apology

        problem = self.apology_problem(d)
        if problem is not None:
            raise ValidationError(problem)
        if new_due <= self.ctx.clock():
            raise ValidationError(
                tr("Ngày hẹn lại ({due}) phải sau thời điểm hiện tại.", due=short_datetime(new_due)), "new_due"
            )
        pdf = mau04_apology(d, self._form_context(), reason, new_due)
        with self.ctx.store.write() as db:  # the reports count late dossiers that got their apology (766 §2)
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action=APOLOGY_ACTION,
                entity=d.code,
                at=self.ctx.clock(),
                new_due=new_due.isoformat(),
            )
        return pdf

    @official
    def control_sheet_pdf(self, d: Dossier) -> bytes:
        from motcua.documents.forms.control_sheet import mau05_control_sheet

        return mau05_control_sheet(d, self._form_context())

    @official
    def guidance_pdf(self, visit: Visit, reason: str = "", contact: str = "") -> bytes:
        """Mẫu 02 for a citizen guided without a reception (:meth:`ReceptionService.guide`)."""
        from motcua.documents.forms.supplement import mau02_guidance

        return mau02_guidance(
            visit.applicant,
            visit.procedure_name,
            visit.missing,
            reason or visit.note or tr("Hồ sơ chưa đầy đủ thành phần theo quy định"),
            self._form_context(),
            at=visit.at,
            clerk=visit.clerk,
            reference=visit.id,
            submitter=visit.submitter,
            contact=contact,
        )

    def fee_pay_by(self, d: Dossier) -> PayBy | None:
        """The centre's account and VietQR code for what the dossier still owes; None when nothing is owed or no
        account is configured (``[payment]``)."""
        from motcua.documents.forms.fee_receipt import PayBy

        qr = fee_qr(self.ctx.settings.payment, d.code, d.owed_vnd)
        if qr is None:
            return None
        return PayBy(qr.payload, qr.bank_name, qr.account, qr.account_name, qr.purpose)

    def fee_qr_png(self, pay_by: PayBy, max_px: int = 300) -> bytes:
        """The VietQR code as a PNG to show on screen (whole-pixel modules: a phone reads it off any monitor)."""
        from motcua.documents.thermal import qr_image

        out = io.BytesIO()
        qr_image(pay_by.payload, max_px).save(out, format="PNG")
        return out.getvalue()

    @official
    def fee_receipt_pdf(self, d: Dossier) -> bytes:
        """The fee paper: a receipt of what was paid, or a notice of what to pay with the VietQR code."""
        from motcua.documents.forms.fee_receipt import fee_receipt

        return fee_receipt(d, self._form_context(), self.fee_pay_by(d))

    def record_a4_print(self, d: Dossier, form: str = "receipt") -> None:
        """Log that an A4 form of the dossier went to a printer (called once the printer has taken the job)."""
        with self.ctx.store.write() as db:
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action=f"print_{form}_a4",
                entity=d.code,
                at=self.ctx.clock(),
            )

    @official
    def tracking_book_pdf(self, start: date, end: date) -> bytes:
        from motcua.documents.forms.tracking_book import mau06_tracking_book

        dossiers = repo.list_between(self.ctx.store.read(), start, end)
        return mau06_tracking_book(dossiers, start, end, self._form_context())

    def save(self, data: bytes, name: str) -> Path:
        """Write a document under the data folder's ``out/`` and return its path (for "open" and reprint)."""
        private_dir(self.ctx.out_dir)
        # write_atomic gives the umask's mode; a form names the citizen, so this account only.
        return restrict(write_atomic(self.ctx.out_dir / name, data))
