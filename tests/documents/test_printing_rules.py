"""Which paper a dossier may get, decided by the printing service for the counter window and the command line."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from motcua.devices.printer import FakePrinter, decode_raster
from motcua.documents.thermal import render_receipt_image
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import Dossier, ReceivedComponent
from motcua.domain.errors import ValidationError
from motcua.domain.status import Action, Status
from motcua.services.printing import PrintingService
from motcua.services.reception import ReceiveRequest, ReceptionService

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"
FIVE_DAYS = "1.004884"  # đăng ký lại khai sinh: 5 working days


def receive(ctx: object, procedure: str = FIVE_DAYS) -> Dossier:
    svc = ReceptionService(ctx)  # type: ignore[arg-type]
    parts = tuple(ReceivedComponent(c.code, c.name, 1) for c in svc.procedure(procedure).components)
    return svc.receive(ReceiveRequest(procedure, parse_cccd(QR).to_applicant(), parts))


# ---------------------------------------------------------------------------------------------- Mẫu 04


def later_working_day(ctx: object, day: date, days: int) -> date:
    for _ in range(days):
        day = ctx.calendar.next_working_day(day)  # type: ignore[attr-defined]
    return day


def test_apology_only_once_the_dossier_is_late_or_due_today(ctx, clock) -> None:
    printing = PrintingService(ctx)
    d = receive(ctx)  # Monday 23/11/2026 9:30, due five working days later
    assert d.due_at is not None and d.due_at.date() > clock().date()
    assert not printing.can_apologise(d)
    assert "chưa quá hạn" in (printing.apology_problem(d) or "")
    with pytest.raises(ValidationError, match="chưa quá hạn"):
        printing.apology_pdf(d, "Chờ xác minh.", d.due_at + timedelta(days=3))
    clock.now = datetime.combine(d.due_at.date(), time(7, 30))  # due later today: it will be late
    assert printing.can_apologise(d)
    clock.now = datetime.combine(later_working_day(ctx, d.due_at.date(), 2), time(10, 0))  # two days late
    assert printing.can_apologise(d)
    assert printing.apology_pdf(d, "Chờ xác minh.", printing.postponed_due(d, 3)).startswith(b"%PDF")


def test_new_appointment_counts_from_today_not_from_the_missed_one(ctx, clock) -> None:
    printing = PrintingService(ctx)
    d = receive(ctx)
    assert d.due_at is not None
    today = later_working_day(ctx, d.due_at.date(), 2)
    clock.now = datetime.combine(today, time(10, 0))
    new_due = printing.postponed_due(d, 3)
    assert new_due == datetime.combine(later_working_day(ctx, today, 3), time(10, 0))  # three days from today
    assert new_due > clock()
    with pytest.raises(ValidationError, match="phải sau thời điểm hiện tại"):
        printing.apology_pdf(d, "Chờ xác minh.", d.due_at + timedelta(days=1))  # a date already past
    with pytest.raises(ValidationError):
        printing.postponed_due(d, 0)


def test_no_apology_once_the_result_is_handed_back_or_ready_on_time(ctx, clock) -> None:
    printing = PrintingService(ctx)
    svc = ReceptionService(ctx)
    on_time = receive(ctx)
    on_time = svc.act(on_time.code, Action.RESOLVE)  # resolved the day it came in, not yet collected
    returned = receive(ctx)
    svc.act(returned.code, Action.RESOLVE)
    assert returned.due_at is not None
    clock.now = datetime.combine(later_working_day(ctx, returned.due_at.date(), 2), time(10, 0))
    returned = svc.act(returned.code, Action.RETURN_RESULT)
    assert not printing.can_apologise(on_time)  # the result waits for the citizen: nothing to apologise for
    assert not printing.can_apologise(returned)
    with pytest.raises(ValidationError, match="Đã trả kết quả"):
        printing.apology_pdf(returned, "Chậm.", clock() + timedelta(days=3))


# ---------------------------------------------------------------------------------------------- Mẫu 01 / 03


def test_a_refused_dossier_gets_the_refusal_not_the_receipt(ctx) -> None:
    printing = PrintingService(ctx)
    d = receive(ctx)
    with pytest.raises(ValidationError, match="Mẫu 03"):
        printing.refusal_pdf(d, "Không thuộc thẩm quyền.")
    refused = ReceptionService(ctx).act(d.code, Action.REFUSE, note="Không thuộc thẩm quyền.")
    assert refused.status is Status.REFUSED
    for attempt in (printing.receipt_pdf, printing.receipt_thermal_bytes, printing.print_thermal):
        with pytest.raises(ValidationError, match=r"từ chối tiếp nhận.*Mẫu 01.*Mẫu 03"):
            attempt(refused)
    assert printing.refusal_pdf(refused, "Không thuộc thẩm quyền.").startswith(b"%PDF")
    assert ctx.printer.jobs == []  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------- thermal


class JobRecorder(FakePrinter):
    """A printer that takes ready ESC/POS jobs, as the receipt printers will."""

    def __init__(self) -> None:
        super().__init__()
        self.escpos: list[bytes] = []

    def print_escpos(self, data: bytes) -> None:
        self.escpos.append(data)


def test_a_printer_that_takes_jobs_gets_the_compact_one(ctx) -> None:
    d = receive(ctx)
    printing = PrintingService(ctx)
    ctx.printer = JobRecorder()
    printing.print_thermal(d)
    (job,) = ctx.printer.escpos
    assert job == printing.receipt_thermal_bytes(d)
    assert ctx.printer.jobs == []
    assert decode_raster(job)  # the picture, in bands: the text receipt needs a printer profile with Vietnamese


def test_the_fake_printer_keeps_the_picture_the_job_draws(ctx) -> None:
    d = receive(ctx)
    printing = PrintingService(ctx)
    printing.print_thermal(d)
    ((image, data),) = ctx.printer.jobs
    assert data == printing.receipt_thermal_bytes(d)
    full = render_receipt_image(d, printing._form_context(), 576).convert("1")
    # The trimmed bands put back together are the whole receipt, dot for dot.
    assert image.size[0] == 576 and image.crop((0, 0, *full.size)).tobytes() == full.tobytes()


def test_tracking_book_still_prints(ctx) -> None:
    receive(ctx)
    assert PrintingService(ctx).tracking_book_pdf(date(2026, 11, 1), date(2026, 11, 30)).startswith(b"%PDF")
