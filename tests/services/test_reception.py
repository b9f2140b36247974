"""Receiving dossiers end to end against real SQLite files: numbering, validation, history, outbox, search."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import datetime, timedelta

import pytest

from motcua.domain.applicant import Applicant, ApplicantKind
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent, Timeliness
from motcua.domain.errors import TransitionError, ValidationError
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import parse_envelope
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.store import outbox
from motcua.store.code_blocks import NoCodeBlockError

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


def _all_components(svc: ReceptionService, code: str) -> tuple[ReceivedComponent, ...]:
    p = svc.procedure(code)
    return tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)


def _receive(svc: ReceptionService, code: str = "1.001193", name: str | None = None) -> object:
    applicant = parse_cccd(QR).to_applicant()
    if name:
        from dataclasses import replace

        applicant = replace(applicant, name=name, id_number="", birth_date=None, sex=None)
    return svc.receive(ReceiveRequest(code, applicant, _all_components(svc, code)))


def test_receive_numbers_and_saves_with_history_audit_and_outbox(ctx) -> None:
    svc = ReceptionService(ctx)
    d1 = _receive(svc)
    d2 = _receive(svc)
    assert d1.code == "000.25.38.H38-261123-0001"
    assert d2.code == "000.25.38.H38-261123-0002"
    saved = svc.get(d1.code)
    assert saved.applicant.name == "Đặng Hồng Bảo"
    assert saved.status is Status.RECEIVED
    assert [e.action for e in saved.events] == [Action.RECEIVE]
    assert saved.due_at is not None and saved.due_at > saved.received_at
    db = ctx.store.read()
    items = outbox.due_items(db, datetime(2030, 1, 1))
    assert [(i.kind, i.entity) for i in items] == [("dossier.received", d1.code), ("dossier.received", d2.code)]
    envelopes = [parse_envelope(i.payload.decode()) for i in items]
    assert [(e.key, e.origin, e.origin_seq) for e in envelopes] == [
        (items[0].key, "000.25.38.H38/Q01", 1),
        (items[1].key, "000.25.38.H38/Q01", 2),
    ]
    assert envelopes[0].data["applicant"]["name"] == "Đặng Hồng Bảo"
    assert "status_label" not in envelopes[0].data  # the bytes sent upstream never depend on the screen language
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'receive'").fetchone()[0] == 2


def test_same_day_procedure_after_cutoff_is_due_next_working_day(ctx, clock) -> None:
    svc = ReceptionService(ctx)
    clock.set("2026-11-23 15:30")  # Monday after the 15:00 cut-off
    d = _receive(svc)
    assert d.due_at.date().isoformat() == "2026-11-25"  # 24/11 is Ngày Văn hóa Việt Nam (holidays ≥ 0.109)


def test_missing_required_component_is_refused_and_nothing_saved(ctx) -> None:
    svc = ReceptionService(ctx)
    applicant = parse_cccd(QR).to_applicant()
    with pytest.raises(ValidationError, match="Mẫu 02") as err:
        svc.receive(ReceiveRequest("1.001193", applicant, ()))
    assert err.value.field == "components"
    assert svc.search("dang hong bao") == []


def test_invalid_applicant_gives_field_and_vietnamese_message(ctx) -> None:
    svc = ReceptionService(ctx)
    bad = Applicant(ApplicantKind.PERSON, "Lê Văn Tám", "123")
    with pytest.raises(ValidationError, match="12 chữ số") as err:
        svc.receive(ReceiveRequest("1.001193", bad, _all_components(svc, "1.001193")))
    assert err.value.field == "id_number"


def test_search_by_folded_name_code_id_and_phone(ctx) -> None:
    svc = ReceptionService(ctx)
    d = _receive(svc)
    from dataclasses import replace

    other = replace(
        parse_cccd(QR).to_applicant(),
        name="Nguyễn Thị Ánh Tuyết",
        id_number="",
        birth_date=None,
        sex=None,
        phone="+84 912 345 678",
    )
    d2 = svc.receive(ReceiveRequest("1.001193", other, _all_components(svc, "1.001193")))
    assert [x.code for x in svc.search("dang hong bao")] == [d.code]
    assert [x.code for x in svc.search("ĐẶNG HỒNG")] == [d.code]
    assert [x.code for x in svc.search("anh tuyet")] == [d2.code]
    assert [x.code for x in svc.search(d.code)] == [d.code]
    assert [x.code for x in svc.search("051084009698")] == [d.code]
    assert [x.code for x in svc.search("0912345678")] == [d2.code]
    assert [x.code for x in svc.search("khai sinh")] == [d2.code, d.code]
    assert svc.search("   ") == []


def test_status_flow_with_supplement_pause_moves_due_date(ctx, clock) -> None:
    svc = ReceptionService(ctx)
    d = _receive(svc, "2.000815")  # any procedure of the sample with components
    first_due = d.due_at
    clock.set("2026-11-23 10:00")
    svc.act(d.code, Action.TRANSFER, agency="UBND xã Bảo Thắng")
    with pytest.raises(ValidationError, match="lý do"):
        svc.act(d.code, Action.REQUEST_SUPPLEMENT)
    svc.act(d.code, Action.REQUEST_SUPPLEMENT, note="Thiếu bản sao giấy chứng sinh")
    clock.set("2026-11-26 10:00")  # Thursday; Tuesday 24/11 is a holiday, so one working day paused (Wed)
    d2 = svc.act(d.code, Action.SUPPLY)
    assert d2.status is Status.PROCESSING
    assert d2.due_at is not None and first_due is not None and d2.due_at > first_due
    clock.set("2026-11-26 11:00")
    svc.act(d.code, Action.RESOLVE)
    with pytest.raises(TransitionError):
        svc.act(d.code, Action.SUPPLY)
    returned = svc.return_by_scan(f"*{d.code}*")
    assert returned.status is Status.RETURNED
    assert [e.action for e in returned.events][-1] is Action.RETURN_RESULT
    assert svc.timeliness(svc.get(d.code)) in (Timeliness.EARLY, Timeliness.ON_TIME)
    items = [i for i in outbox.due_items(ctx.store.read(), datetime(2030, 1, 1), 100) if i.entity == d.code]
    chain = [parse_envelope(i.payload.decode()) for i in items]
    assert [e.data.get("action", "receive") for e in chain] == [
        "receive", "transfer", "request_supplement", "supply", "resolve", "return_result",
    ]  # fmt: skip
    # Each names the one before it: the order every node will apply them in.
    assert [e.prev for e in chain] == [None, *(e.key for e in chain[:-1])]


def test_return_by_scan_refuses_unresolved_and_non_codes(ctx) -> None:
    svc = ReceptionService(ctx)
    d = _receive(svc)
    with pytest.raises(ValidationError, match="chưa có kết quả"):
        svc.return_by_scan(d.code)
    with pytest.raises(ValidationError, match="không phải mã hồ sơ"):
        svc.return_by_scan("hello")
    # A QR carrying the tracking URL finds the dossier too.
    svc.act(d.code, Action.RESOLVE)
    assert svc.return_by_scan(f"https://dichvucong.laocai.gov.vn/tra-cuu?mahs={d.code}").status is Status.RETURNED


def test_a_stale_screen_cannot_move_a_dossier_another_clerk_already_moved(ctx) -> None:
    svc = ReceptionService(ctx)
    d = _receive(svc)
    svc.act(d.code, Action.RESOLVE)  # another counter, a moment ago
    with pytest.raises(TransitionError, match="Đã xử lý xong"):
        svc.act(d.code, Action.START)  # this screen still shows "received"
    assert svc.get(d.code).status is Status.RESOLVED


def test_offline_workstation_uses_leased_blocks_then_says_clearly(tmp_path, clock) -> None:
    from motcua.config import CounterSettings, Settings
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context
    from motcua.services.leases import UnreachableCentre

    settings = Settings(counter=CounterSettings(code_block_size=2))
    online = open_context(settings, tmp_path / "w", clock=clock)
    CatalogService(online).ensure_sample()
    svc = ReceptionService(online)
    svc.ensure_code_blocks(0)  # one block of 2 numbers for today, leased while online
    online.close()
    offline = open_context(settings, tmp_path / "w", clock=clock, leases=UnreachableCentre())
    try:
        svc = ReceptionService(offline)
        assert svc.ensure_code_blocks(0) == 0  # unreachable is not an error
        codes = [_receive(svc).code for _ in range(2)]
        assert codes == ["000.25.38.H38-261123-0001", "000.25.38.H38-261123-0002"]
        with pytest.raises(NoCodeBlockError, match="hết số"):
            _receive(svc)
        assert len(svc.search("dang hong bao")) == 2  # the failed attempt lost nothing
    finally:
        offline.close()


def test_two_workstations_never_issue_the_same_code(tmp_path, clock) -> None:
    from motcua.config import CounterSettings, Settings
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context
    from motcua.services.leases import EmbeddedCentreLeases
    from motcua.store.db import Store
    from motcua.store.schema import migrate_centre

    centre = Store(tmp_path / "centre.sqlite", migrate_centre)
    leases = EmbeddedCentreLeases(centre)
    stations = []
    for sid in ("Q01", "Q02"):
        s = Settings(counter=CounterSettings(station_id=sid, code_block_size=3))
        c = open_context(s, tmp_path / sid, clock=clock, leases=leases)
        CatalogService(c).ensure_sample()
        stations.append(ReceptionService(c))
    try:
        codes = [_receive(stations[i % 2]).code for i in range(14)]
        assert len(set(codes)) == 14
        rows = centre.read().execute("SELECT first, last, station_id FROM code_leases ORDER BY first").fetchall()
        spans = [(a, b) for a, b, _ in rows]
        assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    finally:
        for s in stations:
            s.ctx.close()
        centre.close()


def test_code_is_unique_by_constraint_even_if_a_block_were_handed_out_twice(ctx) -> None:
    from motcua.store import code_blocks

    svc = ReceptionService(ctx)
    d = _receive(svc)
    seq = int(d.code[-4:])
    with ctx.store.write() as db:  # simulate a corrupted lease: the same number again
        db.execute("DELETE FROM code_blocks")
        code_blocks.add_block(db, ctx.agency_id, d.received_at.date(), seq, seq, d.received_at)
    with pytest.raises(sqlite3.IntegrityError):
        _receive(svc)
    assert len(svc.search(d.code)) == 1


def test_outbox_same_key_different_content_is_refused(ctx) -> None:
    now = datetime(2026, 11, 23, 9)
    with ctx.store.write() as db:
        outbox.enqueue(db, "k1", "t", "e", {"a": 1}, now)
        outbox.enqueue(db, "k1", "t", "e", {"a": 1}, now)  # a retry: same bytes, no-op
        with pytest.raises(ValueError, match="different content"):
            outbox.enqueue(db, "k1", "t", "e", {"a": 2}, now)
    items = outbox.due_items(ctx.store.read(), now)
    assert len(items) == 1


def test_outbox_failures_back_off_then_park_without_blocking_others(ctx) -> None:
    now = datetime(2026, 11, 23, 9)
    with ctx.store.write() as db:
        outbox.enqueue(db, "a", "t", "e", {"n": 1}, now)
        outbox.enqueue(db, "b", "t", "e", {"n": 2}, now)
        first = outbox.due_items(db, now)[0]
        for _ in range(outbox.MAX_ATTEMPTS_BEFORE_PARKING):
            outbox.mark_failed(db, first.id, "HTTP 500", now)
    db = ctx.store.read()
    assert [i.key for i in outbox.due_items(db, now + timedelta(days=1))] == ["b"]
    assert outbox.counts(db) == {"pending": 1, "parked": 1, "sent": 0, "confirmed": 0}


def test_reception_is_not_territorial_and_the_place_that_decides_the_agency_is_recorded(ctx) -> None:
    from dataclasses import replace

    from motcua.domain.applicant import Address

    svc = ReceptionService(ctx)
    residence = svc.procedure("1.004222")  # Đăng ký thường trú: the competent police is the new residence's
    assert residence.territory.value == "residence"
    comps = _all_components(svc, residence.code)
    visitor = replace(parse_cccd(QR).to_applicant(), address=Address(commune="Phường Ba Đình", province="Hà Nội"))
    # The citizen's card says Hà Nội: that is no reason to refuse; what is missing is where they will live.
    with pytest.raises(ValidationError, match="nơi cư trú") as err:
        svc.receive(ReceiveRequest(residence.code, visitor, comps))
    assert err.value.field == "place"
    new_home = Address(detail="Thôn Tân Tiến", commune="Xã Bảo Thắng", province="Lào Cai")
    d = svc.receive(ReceiveRequest(residence.code, visitor, comps, place=new_home))
    saved = svc.get(d.code)
    assert saved.place is not None and saved.territory.value == "residence"
    assert (saved.place.detail, saved.place.commune, saved.place.province) == (
        "Thôn Tân Tiến",
        "Xã Bảo Thắng",
        "Lào Cai",
    )
    assert saved.place.commune_code == 2905  # placed in today's units, with its national code
    # A procedure where no place matters takes anyone, with nothing more asked.
    assert svc.receive(ReceiveRequest("1.001193", visitor, _all_components(svc, "1.001193"))).place is None


def test_fees_are_counted_per_page_and_copy_and_a_payment_is_kept(ctx) -> None:
    from motcua.domain.fees import Payment, PaymentMethod

    svc = ReceptionService(ctx)
    comps = _all_components(svc, "2.000815")  # chứng thực bản sao: 2.000 đ a page, 1.000 đ from page 3
    applicant = parse_cccd(QR).to_applicant()
    d = svc.receive(
        ReceiveRequest("2.000815", applicant, comps, copies=2, pages=5,
                       payment=Payment(PaymentMethod.CASH, 14_000, "BL-0001"))
    )  # fmt: skip
    saved = svc.get(d.code)
    assert saved.fee_vnd == 2 * (2 * 2_000 + 3 * 1_000)
    assert [(f.quantity, f.amount_vnd) for f in saved.fees] == [(5, 14_000)]
    assert saved.payment == Payment(PaymentMethod.CASH, 14_000, "BL-0001")
    with pytest.raises(ValidationError, match="không quá") as err:
        svc.receive(
            ReceiveRequest("2.000815", applicant, comps, pages=1, payment=Payment(PaymentMethod.TRANSFER, 5_000))
        )
    assert err.value.field == "payment"
    svc.receive(
        ReceiveRequest("2.000815", applicant, comps, pages=1, payment=Payment(PaymentMethod.TRANSFER, 2_000, "FT26"))
    )
    svc.receive(ReceiveRequest("2.000815", applicant, comps, pages=2))  # not paid yet
    day = svc.fees_on(saved.received_at.date())
    assert (day.dossiers, day.charged_vnd, day.cash_vnd, day.transfer_vnd) == (3, 14_000 + 2_000 + 4_000, 14_000, 2_000)
    assert day.unpaid_vnd == 4_000
    assert svc.fees_on(saved.received_at.date(), station_id="another PC").dossiers == 0


def test_fees_paid_after_the_reception_are_an_event_every_node_replays(ctx) -> None:
    from motcua.domain.fees import Payment, PaymentMethod

    svc = ReceptionService(ctx)
    comps = _all_components(svc, "2.000815")
    applicant = parse_cccd(QR).to_applicant()
    d = svc.receive(ReceiveRequest("2.000815", applicant, comps, pages=2))  # 4.000 đ, not paid at once
    assert d.payment is None
    part = svc.collect_fee(d.code, PaymentMethod.CASH, 1_000, "BL-7")
    assert part.payment == Payment(PaymentMethod.CASH, 1_000, "BL-7")
    with pytest.raises(ValidationError, match="không quá") as err:
        svc.collect_fee(d.code, PaymentMethod.TRANSFER, 5_000)
    assert err.value.field == "payment"
    paid = svc.collect_fee(d.code, PaymentMethod.TRANSFER, reference="FT99")  # the rest
    assert paid.payment == Payment(PaymentMethod.TRANSFER, 4_000, "FT99")
    with pytest.raises(ValidationError, match="không còn"):
        svc.collect_fee(d.code, PaymentMethod.CASH)
    # The payment travels as an event of its own: what the outbox sends is a valid envelope.
    items = [i for i in outbox.due_items(ctx.store.read(), datetime(2030, 1, 1), 100) if i.entity == d.code]
    sent = [parse_envelope(i.payload.decode()) for i in items]
    assert [e.data["amount_vnd"] for e in sent if e.kind == "fee.paid"] == [1_000, 3_000]
    # Rebuilding the dossier's rows from its events alone gives the same payment (as on the centre's server).
    from motcua.store.sql import SqliteSql

    with ctx.store.write() as db:
        db.execute("UPDATE dossiers SET details = '{}' WHERE code = ?", [d.code])
        ctx.replica._refresh(SqliteSql(db), d.code, ctx.clock(), force=True)
    assert svc.get(d.code).payment == Payment(PaymentMethod.TRANSFER, 4_000, "FT99")
    # Money is counted on the day it was taken, for the workstation that took it.
    day = svc.fees_on(d.received_at.date(), station_id=ctx.station_id)
    assert (day.charged_vnd, day.cash_vnd, day.transfer_vnd, day.unpaid_vnd) == (4_000, 1_000, 3_000, 0)
    assert svc.fees_on(d.received_at.date(), station_id="another PC").cash_vnd == 0


def test_the_last_everyday_step_can_be_undone_but_not_a_refusal_nor_an_older_step(ctx) -> None:
    svc = ReceptionService(ctx)
    d = _receive(svc)
    started = svc.act(d.code, Action.START)
    svc.act(d.code, Action.REQUEST_SUPPLEMENT, note="Thiếu giấy ủy quyền")
    with pytest.raises(ValidationError, match="không còn là"):
        svc.undo_last_action(d.code, Action.START)  # no longer the last step
    back = svc.undo_last_action(d.code, Action.REQUEST_SUPPLEMENT)
    assert back.status is Status.PROCESSING and back.due_at == started.due_at
    assert [e.action for e in back.events][-2:] == [Action.REQUEST_SUPPLEMENT, Action.UNDO]
    assert svc.undo_last_action(d.code, Action.START).status is Status.RECEIVED  # one more step back
    # The undo travels as an event like any other: the outbox holds a valid envelope naming the step.
    items = [i for i in outbox.due_items(ctx.store.read(), datetime(2030, 1, 1), 100) if i.entity == d.code]
    undos = [parse_envelope(i.payload.decode()).data for i in items]
    assert [u["status_after"] for u in undos if u.get("action") == "undo"] == [
        int(Status.PROCESSING),
        int(Status.RECEIVED),
    ]
    refused = _receive(svc)
    svc.act(refused.code, Action.REFUSE, note="Giả mạo")
    with pytest.raises(ValidationError, match="Không hoàn tác được"):
        svc.undo_last_action(refused.code, Action.REFUSE)
    assert svc.get(refused.code).status is Status.REFUSED


def test_the_person_who_submits_is_kept_apart_from_the_owner(ctx) -> None:
    from motcua.domain.applicant import Address, Applicant, ApplicantKind

    svc = ReceptionService(ctx)
    company = Applicant(ApplicantKind.ORGANISATION, "Công ty TNHH Xây dựng Bảo Thắng", "5300123456")
    employee = parse_cccd(QR).to_applicant()
    works = Address(commune="Xã Bảo Thắng", province="Lào Cai")
    comps = _all_components(svc, "1.013225")  # a building permit: the works' location decides the agency
    d = svc.receive(ReceiveRequest("1.013225", company, comps, submitter=employee, place=works))
    saved = svc.get(d.code)
    assert saved.applicant.name == "Công ty TNHH Xây dựng Bảo Thắng"
    assert saved.submitter is not None and saved.submitter.name == "Đặng Hồng Bảo"


def test_an_incomplete_dossier_is_guided_not_received_and_the_visit_counts(ctx, clock) -> None:
    from motcua.domain.sync_envelope import parse_envelope

    svc = ReceptionService(ctx)
    applicant = parse_cccd(QR).to_applicant()
    with pytest.raises(ValidationError, match="ít nhất một") as err:
        svc.guide("1.001193", applicant, ["  "])
    assert err.value.field == "missing"
    visit = svc.guide("1.001193", applicant, ["Giấy chứng sinh (bản chính)"], note="Chưa có giấy chứng sinh")
    assert visit.missing == ("Giấy chứng sinh (bản chính)",) and "khai sinh" in visit.procedure_name
    assert svc.search("dang hong bao") == []  # nothing was received
    assert svc.visits_on(clock().date()) == 1
    [item] = [i for i in outbox.due_items(ctx.store.read(), datetime(2030, 1, 1)) if i.entity == visit.id]
    event = parse_envelope(item.payload.decode())  # it travels up for the centre's statistics
    assert event.kind == "visit.guided" and event.data["missing"] == ["Giấy chứng sinh (bản chính)"]
