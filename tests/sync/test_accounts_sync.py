"""Accounts come down from the centre: any clerk signs in at any counter, offline too (the verifiers are cached
there), and an account changed at one counter (an administrator's work, a clerk's own password) reaches the others
through the centre. Two counters and a centre server on loopback, over HTTP."""

from __future__ import annotations

import pytest

from motcua.domain.accounts import AuthError, Role
from motcua.services.accounts import AccountService


def test_accounts_travel_through_the_centre_and_work_offline(centre_lan) -> None:
    (ctx1, link1), (ctx2, link2) = centre_lan.counter("Q01"), centre_lan.counter("Q02")
    contexts, links = [ctx1, ctx2], [link1, link2]
    one, two = (AccountService(c) for c in contexts)

    def sync(*which: int) -> None:
        for i in which:
            links[i].engine.run_once()

    one.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
    one.sign_in("admin", "quan-tri-123")
    one.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1", pin="2468")
    one.add("binh", "Lê Văn Bình", Role.CLERK, "mat-khau-2")
    sync(0, 1)
    # Lan signs in at the other counter: the verifier came with the centre's document.
    assert two.sign_in("lan", "mat-khau-1").full_name == "Nguyễn Thị Lan" and two.unlock("2468")
    # She changes her password there; the first counter learns it through the centre.
    two.set_password("lan", "mat-khau-moi")
    sync(1, 0)
    one.sign_out()
    with pytest.raises(AuthError):
        one.sign_in("lan", "mat-khau-1")
    assert one.sign_in("lan", "mat-khau-moi").username == "lan"
    one.sign_out()
    # The administrator disables her at the first counter: at the second she is signed out and stays out.
    one.sign_in("admin", "quan-tri-123")
    one.disable("lan")
    sync(0, 1)
    assert contexts[1].session is None
    with pytest.raises(AuthError):
        two.sign_in("lan", "mat-khau-moi")
    # With the centre gone, Bình still signs in at the second counter (the verifiers are cached there).
    centre_lan.server.stop()
    assert two.sign_in("binh", "mat-khau-2").full_name == "Lê Văn Bình"
    # What the centre holds and sends is verifiers only.
    published = centre_lan.node.published("accounts")
    assert published is not None and "mat-khau" not in published[1] and "$argon2id$" in published[1]
