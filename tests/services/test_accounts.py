"""Clerk accounts: Argon2 verifiers, sign-in with a lockout that says nothing of which half was wrong, roles that
decide what a signed-in clerk may do, and every change recorded under the name of whoever made it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from motcua.domain.accounts import AuthError, NotAllowedError, Role
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.errors import ValidationError
from motcua.domain.fees import PaymentMethod
from motcua.domain.status import Action
from motcua.services.accounts import MAX_FAILURES, AccountService
from motcua.services.calendar_admin import CalendarAdmin
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.store import audit

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


@pytest.fixture
def accounts(ctx) -> AccountService:
    svc = AccountService(ctx)
    assert svc.needs_first_admin()
    with pytest.raises(ValidationError, match="quản trị"):
        svc.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1")  # the first account runs the centre
    svc.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
    svc.sign_in("admin", "quan-tri-123")
    svc.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1", pin="2468")
    svc.add("binh", "Lê Văn Bình", Role.CLERK, "mat-khau-2")
    svc.add("hoa", "Phạm Thị Hoa", Role.SUPERVISOR, "giam-sat-1")
    svc.sign_out()
    return svc


def test_secrets_are_stored_as_argon2_verifiers_only(ctx, accounts) -> None:
    row = ctx.store.read().execute("SELECT password_hash, pin_hash FROM accounts WHERE username = 'lan'").fetchone()
    assert row[0].startswith("$argon2id$") and row[1].startswith("$argon2id$")
    dump = "\n".join(ctx.store.read().conn.iterdump())
    assert "mat-khau-1" not in dump  # nowhere, not even the audit log
    # The PIN as a value of its own; its digits inside a timestamp, a digest or a key are no leak (and made this
    # fail once, in a time written at 10:44:57.724688).
    assert not re.search(r"(?<![\w+/.:$-])2468(?![\w+/.:$-])", dump)


def test_a_wrong_name_and_a_wrong_password_are_refused_alike_then_the_account_locks(ctx, clock, accounts) -> None:
    with pytest.raises(AuthError) as unknown:
        accounts.sign_in("khong-co", "mat-khau-1")
    with pytest.raises(AuthError) as wrong:
        accounts.sign_in("lan", "sai-mat-khau")
    assert str(unknown.value) == str(wrong.value)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            accounts.sign_in("lan", "sai-mat-khau")
    with pytest.raises(AuthError, match="tạm khóa"):
        accounts.sign_in("lan", "mat-khau-1")  # even the right password waits
    clock.now += timedelta(minutes=6)
    assert accounts.sign_in("lan", "mat-khau-1").full_name == "Nguyễn Thị Lan"
    failed = ctx.store.read().execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'").fetchone()[0]
    assert failed == MAX_FAILURES + 1


def test_a_disabled_account_cannot_sign_in_and_the_last_admin_stays(ctx, accounts) -> None:
    accounts.sign_in("admin", "quan-tri-123")
    accounts.disable("binh")
    with pytest.raises(ValidationError, match="tự khóa"):
        accounts.disable("admin")
    accounts.sign_out()
    with pytest.raises(AuthError):
        accounts.sign_in("binh", "mat-khau-2")


def test_the_signed_in_clerk_is_who_every_change_is_recorded_under(ctx, accounts) -> None:
    accounts.sign_in("lan", "mat-khau-1")
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components if c.required)
    d = svc.receive(ReceiveRequest(p.code, parse_cccd(QR).to_applicant(), comps))
    assert d.received_by == "Nguyễn Thị Lan"
    assert [e["actor"] for e in audit.history(ctx.store.read(), d.code)] == ["Nguyễn Thị Lan"]
    assert svc.act(d.code, Action.START).events[-1].clerk == "Nguyễn Thị Lan"


def test_roles_decide_what_a_clerk_may_do(ctx, clock, accounts) -> None:
    accounts.sign_in("lan", "mat-khau-1")
    with pytest.raises(NotAllowedError, match="Giám sát"):
        CalendarAdmin(ctx).set_day(clock().date() + timedelta(days=30), working=False, label="Nghỉ bù")
    with pytest.raises(NotAllowedError):
        accounts.add("moi", "Cán bộ mới", Role.CLERK, "mat-khau-9")
    with pytest.raises(NotAllowedError):
        accounts.set_password("binh", "mat-khau-moi")  # another clerk's password
    accounts.set_password("lan", "mat-khau-moi")  # one's own: yes
    # A dossier another clerk closed is theirs; a supervisor may still act on it.
    svc = ReceptionService(ctx)
    p = svc.procedure("1.004222")
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components if c.required)
    from motcua.domain.applicant import Address

    accounts.sign_out()
    accounts.sign_in("binh", "mat-khau-2")
    d = svc.receive(ReceiveRequest(p.code, parse_cccd(QR).to_applicant(), comps, place=Address("", "Xã A", "Lào Cai")))
    svc.act(d.code, Action.REFUSE, note="Không đúng thẩm quyền")
    accounts.sign_out()
    accounts.sign_in("lan", "mat-khau-moi")
    with pytest.raises(NotAllowedError):
        svc.collect_fee(d.code, PaymentMethod.CASH)
    accounts.sign_out()
    accounts.sign_in("hoa", "giam-sat-1")
    CalendarAdmin(ctx).set_day(clock().date() + timedelta(days=30), working=False, label="Nghỉ bù")
    assert svc.collect_fee(d.code, PaymentMethod.CASH).payment is not None


def test_the_quick_unlock_takes_the_pin_or_the_password_and_nothing_else(ctx, accounts) -> None:
    accounts.sign_in("lan", "mat-khau-1")
    assert accounts.unlock("2468") and accounts.unlock("mat-khau-1")
    assert not accounts.unlock("1357")
    for _ in range(MAX_FAILURES):
        accounts.unlock("0000")
    assert ctx.session is None  # too many wrong tries: a full sign-in is needed


def test_a_counter_adopts_the_accounts_its_centre_publishes(tmp_path, clock, ctx, accounts) -> None:
    from motcua.config import Settings
    from motcua.devices.printer import FakePrinter
    from motcua.services.account_docs import accounts_document, adopt_accounts
    from motcua.services.context import open_context

    body = accounts_document(accounts.accounts())
    assert "mat-khau" not in body and "$argon2id$" in body
    other = open_context(Settings(), tmp_path / "other", clock=clock, printer=FakePrinter())
    try:
        assert adopt_accounts(other, body) == 4
        there = AccountService(other)
        assert there.sign_in("lan", "mat-khau-1").full_name == "Nguyễn Thị Lan"  # the verifier came along
        assert there.unlock("2468")
        assert adopt_accounts(other, body) == 0  # nothing new
        # Lan's account is disabled at the centre: at this counter she is signed out and cannot sign in again.
        accounts.sign_in("admin", "quan-tri-123")
        accounts.disable("lan")
        assert adopt_accounts(other, accounts_document(accounts.accounts())) == 1
        assert other.session is None
        with pytest.raises(AuthError):
            there.sign_in("lan", "mat-khau-1")
        # A broken document changes nothing.
        before = there.accounts()
        with pytest.raises(ValidationError, match="không hợp lệ"):
            adopt_accounts(other, body.replace("$argon2id$", "plain-", 1))
        assert there.accounts() == before
    finally:
        other.close()
