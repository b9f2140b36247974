"""Receiving dossiers at the counter and moving them through their statuses."""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime

from motcua.domain.accounts import Permission, require
from motcua.domain.applicant import Address, Applicant
from motcua.domain.codes import check_agency_id, format_dossier_code, looks_like_dossier_code, parse_dossier_code
from motcua.domain.dossier import Dossier, Event, ReceivedComponent, Timeliness, effective_events, timeliness
from motcua.domain.errors import NotFoundError, ValidationError
from motcua.domain.fees import DayFees, Payment, PaymentMethod, fee_lines, total
from motcua.domain.formatting import money
from motcua.domain.numbers import ascii_digits
from motcua.domain.procedures import Channel, Procedure, Territory
from motcua.domain.status import Action, Status, can_undo, next_status
from motcua.domain.sync_envelope import ACTION, PAID, RECEIVED, VISIT
from motcua.domain.text import nfc
from motcua.i18n import tr
from motcua.services import addresses
from motcua.services.context import AppContext
from motcua.store import audit, code_blocks, day_totals
from motcua.store import catalog as catalog_repo
from motcua.store import dossiers as repo
from motcua.store.clock import from_iso
from motcua.store.serialize import applicant_to_dict, event_to_dict, received_payload
from motcua.store.sql import SqliteSql

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReceiveRequest:
    procedure_code: str
    applicant: Applicant
    components: tuple[ReceivedComponent, ...] = ()
    sets: int = 1
    channel: Channel = Channel.DIRECT
    note: str = ""
    result_delivery: str = ""
    received_at: datetime | None = None  # default: now
    handling_agency_id: str = ""  # another unit's agency that will handle it (non-territorial reception)
    place: Address | None = None  # where the matter is (new residence, land, works), when the procedure needs it
    submitter: Applicant | None = None  # who came to the counter, when not the owner (a representative …)
    copies: int = 1  # copies asked for (fees per copy)
    pages: int = 1  # pages of each copy (fees per page: chứng thực)
    payment: Payment | None = None  # fees taken at the counter


@dataclass(frozen=True, slots=True)
class DossierSync:
    """A dossier's changes on their way: ``waiting_here`` not yet sent from this PC, ``parked`` refused for good
    (shown to the supervisor), ``not_at_province`` not yet confirmed by the province, ``conflicts`` unsettled."""

    waiting_here: int
    parked: int
    not_at_province: int
    conflicts: int

    @property
    def at_province(self) -> bool:
        return self.not_at_province == 0


@dataclass(frozen=True, slots=True)
class Visit:
    """A citizen guided at the counter: the dossier was incomplete, so it was not received; they left with Mẫu 02
    saying what to bring. Counted for the centre's statistics (it travels up like any change)."""

    id: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    missing: tuple[str, ...]
    note: str
    at: datetime
    clerk: str
    submitter: Applicant | None = None


CLOSED = (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN)


class ReceptionService:
    """The counter's use cases. Every change is one transaction with its event, audit entry and outbox item."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- reading ---------------------------------------------------------------------------------------
    def procedure(self, code: str) -> Procedure:
        return catalog_repo.get(self.ctx.store.read(), code)

    def get(self, code: str) -> Dossier:
        return repo.get(self.ctx.store.read(), ascii_digits(code).strip().strip("*").strip().upper())

    def search(self, text: str, limit: int = 50) -> list[Dossier]:
        return repo.search(self.ctx.store.read(), text, limit)

    def find_scanned(self, scanned: str) -> Dossier:
        """The dossier whose code a barcode or QR carries (a QR may hold the tracking URL ending in the code)."""
        text = ascii_digits(scanned).strip()  # a scanner behind a full-width keyboard layout types ０-９
        candidates = [text, *text.replace("=", " ").replace("/", " ").split()]
        for c in reversed(candidates):
            if looks_like_dossier_code(c):
                return self.get(str(parse_dossier_code(c)))
        raise ValidationError(tr("Mã vừa quét không phải mã hồ sơ: {value}", value=text[:60]), "code")

    def sync_state(self, code: str) -> DossierSync:
        """Where the dossier's changes are: still on this PC, at the centre, or at the province."""
        db = self.ctx.store.read()
        sql = SqliteSql(db)
        waiting = db.execute("SELECT COUNT(*) FROM outbox WHERE entity = ? AND sent_at IS NULL", [code]).fetchone()[0]
        parked = db.execute("SELECT COUNT(*) FROM outbox WHERE entity = ? AND parked <> 0", [code]).fetchone()[0]
        conflicts = db.execute(
            "SELECT COUNT(*) FROM rep_events WHERE dossier = ? AND verdict = 'conflict' AND settled_by IS NULL", [code]
        ).fetchone()[0]
        return DossierSync(
            waiting_here=int(waiting),
            parked=int(parked),
            not_at_province=self.ctx.replica.not_at_root(sql, code),
            conflicts=int(conflicts),
        )

    def timeliness(self, d: Dossier) -> Timeliness:
        original = from_iso(repo.original_due(self.ctx.store.read(), d.code))
        return timeliness(original, d.events, self.ctx.clock(), self._payment_pauses(d.procedure_code))

    def _payment_pauses(self, procedure_code: str) -> bool:
        try:
            return self.procedure(procedure_code).payment_pauses_clock
        except NotFoundError:
            return False

    def supplement_suggestions(self, d: Dossier) -> list[str]:
        """What Mẫu 02 should probably ask for: the procedure's components not handed over with the dossier."""
        try:
            procedure = self.procedure(d.procedure_code)
        except NotFoundError:
            return []
        received = {c.code for c in d.components if c.received}
        return [c.name for c in procedure.components if c.code not in received]

    def preview_due(self, procedure: Procedure, at: datetime | None = None) -> datetime:
        return self.ctx.calendar.due_date(at or self.ctx.clock(), procedure.processing_time)

    # -- number blocks ---------------------------------------------------------------------------------
    def ensure_code_blocks(self, days_ahead: int | None = None) -> int:
        """Lease number blocks for today and the next working days while the centre is reachable.

        Returns:
            How many blocks were leased now. An unreachable centre is not an error here: the
            workstation goes on with what it already holds.
        """
        s = self.ctx.settings.counter
        ahead = s.lease_days_ahead if days_ahead is None else days_ahead
        day = self.ctx.clock().date()
        days = [day]
        for _ in range(ahead):
            day = self.ctx.calendar.next_working_day(day)
            days.append(day)
        leased = 0
        for d in days:
            if self._remaining(d) >= max(1, s.code_block_size // 4):
                continue
            try:
                self._lease(d)
                leased += 1
            except (OSError, ConnectionError) as exc:
                log.info("centre unreachable while leasing numbers for %s: %s", d, exc)
                break
        return leased

    def _remaining(self, day: date) -> int:
        return code_blocks.remaining(self.ctx.store.read(), self.ctx.agency_id, day)

    def _lease(self, day: date) -> None:
        now = self.ctx.clock()
        first, last = self.ctx.leases.lease(
            self.ctx.agency_id, day, self.ctx.station_id, self.ctx.settings.counter.code_block_size, now
        )
        with self.ctx.store.write() as db:
            code_blocks.add_block(db, self.ctx.agency_id, day, first, last, now)

    # -- writing ---------------------------------------------------------------------------------------
    def receive(self, req: ReceiveRequest, clerk: str | None = None) -> Dossier:
        """Validate, number and save a dossier; returns it as saved (print only after this returns)."""
        clerk = nfc(clerk or self.ctx.clerk)
        procedure = self.procedure(req.procedure_code)
        if not procedure.active:
            raise ValidationError(tr("Thủ tục {code} đã ngừng áp dụng", code=procedure.code), "procedure")
        applicant = req.applicant.validate()
        applicant = replace(applicant, address=addresses.resolve(applicant.address))
        submitter = req.submitter.validate() if req.submitter is not None else None
        place = self._check_place(procedure, req.place)
        if place is not None:
            place = addresses.resolve(place)
        components = self._check_components(procedure, req.components)
        if req.sets < 1:
            raise ValidationError(tr("Số lượng hồ sơ phải từ 1 bộ trở lên"), "sets")
        fees = fee_lines(procedure, req.copies, req.pages)
        payment = self._check_payment(req.payment, total(fees))
        now = self.ctx.clock()
        received_at = (req.received_at or now).replace(microsecond=0)
        day = received_at.date()
        due = self.ctx.calendar.due_date(received_at, procedure.processing_time)
        if self._remaining(day) == 0:
            # Offline: take_next below says clearly when nothing is left.
            with contextlib.suppress(OSError, ConnectionError):
                self._lease(day)
        event = Event(Action.RECEIVE, Status.RECEIVED, received_at, clerk, due_after=due)
        handling = check_agency_id(req.handling_agency_id) if req.handling_agency_id else ""
        if handling == self.ctx.agency_id:
            handling = ""
        with self.ctx.store.write() as db:
            seq = code_blocks.take_next(db, self.ctx.agency_id, day)
            code = format_dossier_code(self.ctx.agency_id, day, seq)
            dossier = Dossier(
                code=code,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                applicant=applicant,
                received_at=received_at,
                due_at=due,
                status=Status.RECEIVED,
                received_by=clerk,
                agency_id=self.ctx.agency_id,
                channel=req.channel,
                sets=req.sets,
                components=components,
                fee_vnd=total(fees),
                note=nfc(req.note),
                result_delivery=nfc(req.result_delivery) or tr("Bộ phận tiếp nhận và trả kết quả"),
                events=(event,),
                place=place,
                territory=procedure.territory,
                submitter=submitter,
                fees=fees,
                payment=payment,
            )
            # The event is the record; the projection writes the dossier's rows from it in this transaction, and
            # the replica puts it in the outbox in this same transaction.
            self.ctx.replica.record_local(
                SqliteSql(db),
                kind=RECEIVED,
                dossier=code,
                data=received_payload(dossier, handling),
                now=now,
                at=received_at,
            )
            audit.record(db, actor=clerk, station_id=self.ctx.station_id, action="receive", entity=code, at=now)
            saved = repo.get(db, code)
        self.ctx.changed()
        return saved

    def guide(
        self,
        procedure_code: str,
        applicant: Applicant,
        missing: list[str],
        note: str = "",
        clerk: str | None = None,
        submitter: Applicant | None = None,
    ) -> Visit:
        """Record a visit that ends with guidance instead of a reception (print Mẫu 02 for it afterwards)."""
        procedure = self.procedure(procedure_code)
        items = tuple(nfc(m).strip() for m in missing if m.strip())
        if not items:
            raise ValidationError(tr("Hãy ghi ít nhất một giấy tờ cần bổ sung"), "missing")
        who = applicant.validate() if applicant.name or applicant.id_number else applicant
        now = self.ctx.clock()
        visit = Visit(
            id="VISIT-" + uuid.uuid4().hex[:12].upper(),
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            applicant=who,
            missing=items,
            note=nfc(note),
            at=now,
            clerk=nfc(clerk or self.ctx.clerk),
            submitter=submitter.validate() if submitter is not None else None,
        )
        data = {
            "procedure_code": procedure.code,
            "procedure_name": procedure.name,
            "applicant": applicant_to_dict(who),
            "missing": list(items),
            "note": visit.note,
            "clerk": visit.clerk,
            "agency_id": self.ctx.agency_id,
        }
        with self.ctx.store.write() as db:
            self.ctx.replica.record_local(SqliteSql(db), kind=VISIT, dossier=visit.id, data=data, now=now)
            audit.record(db, actor=visit.clerk, station_id=self.ctx.station_id, action="guide", entity=visit.id, at=now)
        self.ctx.changed()
        return visit

    def visits_on(self, day: date) -> int:
        """How many citizens were guided without a reception that day (the counter's statistics)."""
        return day_totals.visits_on(self.ctx.store.read(), day)

    def fees_on(self, day: date, station_id: str | None = None) -> DayFees:
        """The day's fees at this centre (or one workstation): charged, and collected in cash or by transfer."""
        return day_totals.fees_on(self.ctx.store.read(), day, station_id)

    def _check_place(self, procedure: Procedure, place: Address | None) -> Address | None:
        """Reception is not territorial (since 2025): the citizen's home address never refuses anyone. Where the
        procedure's competent agency depends on a place (the new residence, the land), the clerk records it."""
        if procedure.territory is Territory.NONE:
            return place.normalised() if place is not None else None
        if place is None or not nfc(place.commune) or not nfc(place.province):
            raise ValidationError(
                tr(
                    "Thủ tục {code} cần ghi {what} (xã/phường và tỉnh) để xác định cơ quan giải quyết",
                    code=procedure.code,
                    what=procedure.territory.label.lower(),
                ),
                "place",
            )
        return place.normalised()

    @staticmethod
    def _check_payment(payment: Payment | None, due: int) -> Payment | None:
        if payment is None:
            return None
        if payment.amount_vnd <= 0 or payment.amount_vnd > due:
            raise ValidationError(
                tr("Số tiền thu ({paid}) phải lớn hơn 0 và không quá số phải nộp ({due})",
                   paid=money(payment.amount_vnd), due=money(due)),
                "payment",
            )  # fmt: skip
        return Payment(payment.method, payment.amount_vnd, nfc(payment.reference))

    def _check_components(
        self, procedure: Procedure, given: tuple[ReceivedComponent, ...]
    ) -> tuple[ReceivedComponent, ...]:
        by_code = {c.code: c for c in given}
        unknown = set(by_code) - {c.code for c in procedure.components}
        if unknown:
            raise ValidationError(
                tr("Thành phần hồ sơ không thuộc thủ tục: {codes}", codes=", ".join(sorted(unknown))), "components"
            )
        for c in given:
            if min(c.originals, c.certified_copies, c.photocopies) < 0:
                raise ValidationError(tr("Số bản không được âm ({name})", name=c.name), "components")
        missing = [
            c.name for c in procedure.components if c.required and not (c.code in by_code and by_code[c.code].received)
        ]
        if missing:
            raise ValidationError(
                tr(
                    "Hồ sơ còn thiếu thành phần bắt buộc: {names}. Hãy lập Phiếu yêu cầu bổ sung (Mẫu 02).",
                    names="; ".join(missing),
                ),
                "components",
            )
        return tuple(by_code[c.code] for c in procedure.components if c.code in by_code and by_code[c.code].received)

    def act(self, code: str, action: Action, clerk: str | None = None, note: str = "", agency: str = "") -> Dossier:
        """Apply a status change; the due date moves on when a supplement arrives (the clock was paused)."""
        clerk = nfc(clerk or self.ctx.clerk)
        note = nfc(note)
        if action in (Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.STOP, Action.WITHDRAW) and not note:
            raise ValidationError(tr("Hãy ghi lý do"), "note")
        if action is Action.TRANSFER and not nfc(agency):
            raise ValidationError(tr("Hãy chọn cơ quan giải quyết"), "agency")
        now = self.ctx.clock()
        with self.ctx.store.write() as db:
            d = repo.get(db, code)
            self._check_may_change(d)
            target = next_status(d.status, action)
            due = d.due_at
            if action is Action.SUPPLY and due is not None:
                steps = effective_events(d.events)
                requested = next((e.at for e in reversed(steps) if e.action is Action.REQUEST_SUPPLEMENT), None)
                if requested is not None:
                    due = self.ctx.calendar.resume_after_pause(due, requested, now)
            if action is Action.PAY and due is not None and self._payment_pauses(d.procedure_code):
                steps = effective_events(d.events)
                asked = next((e.at for e in reversed(steps) if e.action is Action.REQUEST_PAYMENT), None)
                if asked is not None:
                    due = self.ctx.calendar.resume_after_pause(due, asked, now)
            event = Event(action, target, now, clerk, note=note, agency=nfc(agency), due_after=due)
            data = event_to_dict(event)
            data.pop("at")  # the envelope's own time
            self.ctx.replica.record_local(SqliteSql(db), kind=ACTION, dossier=code, data=data, now=now)
            audit.record(
                db, actor=clerk, station_id=self.ctx.station_id, action=action.value, entity=code, at=now, note=note
            )
            saved = repo.get(db, code)
        self.ctx.changed()
        return saved

    def undo_last_action(self, code: str, action: Action, clerk: str | None = None) -> Dossier:
        """Take back the dossier's last step (the counter's everyday steps only: never a refusal, a withdrawal, a
        stop or a result handed over). The status and due date before it come back; both steps stay in the
        history.

        Raises:
            ValidationError: ``action`` is final, or it is no longer the dossier's last step (someone moved it on).
        """
        clerk = nfc(clerk or self.ctx.clerk)
        if not can_undo(action):
            raise ValidationError(tr("Không hoàn tác được «{action}»", action=action.label))
        now = self.ctx.clock()
        with self.ctx.store.write() as db:
            sql = SqliteSql(db)
            sql.lock(f"dossier:{code}")
            self._check_may_change(repo.get(db, code))
            step = self.ctx.replica.view(sql, code).last_step
            if step is None or step.action != action.value:
                raise ValidationError(
                    tr("Không hoàn tác được: bước cuối của hồ sơ {code} không còn là «{action}»",
                       code=code, action=action.label)
                )  # fmt: skip
            data: dict[str, object] = {
                "action": Action.UNDO.value,
                "status_after": int(step.status_before),
                "clerk": clerk,
                "note": tr("Hoàn tác: {action}", action=action.label),
                "undoes": step.key,
            }
            if step.due_before is not None:
                data["due_after"] = step.due_before
            self.ctx.replica.record_local(sql, kind=ACTION, dossier=code, data=data, now=now)
            audit.record(
                db, actor=clerk, station_id=self.ctx.station_id, action="undo", entity=code, at=now,
                note=action.value,
            )  # fmt: skip
            saved = repo.get(db, code)
        self.ctx.changed()
        return saved

    def collect_fee(
        self,
        code: str,
        method: PaymentMethod,
        amount_vnd: int | None = None,
        reference: str = "",
        clerk: str | None = None,
    ) -> Dossier:
        """Record fees paid after the reception (cash at the counter, or a transfer the clerk saw arrive).

        Args:
            amount_vnd: what was paid; None for everything still owed.

        Raises:
            ValidationError: nothing is owed, or the amount is not between 1 and what is owed.
        """
        clerk = nfc(clerk or self.ctx.clerk)
        now = self.ctx.clock()
        with self.ctx.store.write() as db:
            d = repo.get(db, code)
            self._check_may_change(d)
            owed = d.owed_vnd
            if owed <= 0:
                raise ValidationError(tr("Hồ sơ {code} không còn phí, lệ phí phải nộp", code=code), "payment")
            payment = self._check_payment(Payment(method, owed if amount_vnd is None else amount_vnd, reference), owed)
            assert payment is not None
            data = {
                "method": payment.method.value,
                "amount_vnd": payment.amount_vnd,
                "reference": payment.reference,
                "clerk": clerk,
            }
            self.ctx.replica.record_local(SqliteSql(db), kind=PAID, dossier=code, data=data, now=now)
            audit.record(
                db, actor=clerk, station_id=self.ctx.station_id, action="collect_fee", entity=code, at=now,
                note=f"{payment.method.value} {payment.amount_vnd}",
            )  # fmt: skip
            saved = repo.get(db, code)
        self.ctx.changed()
        return saved

    def _check_may_change(self, d: Dossier) -> None:
        """A closed dossier (returned, refused, withdrawn) is changed only by the clerk who received it
        or by a supervisor: its paper trail has left the office."""
        if d.status in CLOSED and nfc(d.received_by) != nfc(self.ctx.clerk):
            require(self.ctx.role, Permission.EDIT_CLOSED_OF_OTHERS)

    def return_by_scan(self, scanned: str, clerk: str | None = None) -> Dossier:
        """Hand the result back: scan the receipt's barcode; a resolved dossier becomes "returned"."""
        d = self.find_scanned(scanned)
        if d.status is Status.RETURNED:
            raise ValidationError(tr("Hồ sơ {code} đã trả kết quả trước đó", code=d.code))
        if d.status not in (Status.RESOLVED, Status.STOPPED):
            raise ValidationError(
                tr("Hồ sơ {code} chưa có kết quả (trạng thái: {status})", code=d.code, status=d.status.label)
            )
        return self.act(d.code, Action.RETURN_RESULT, clerk)
