"""Account changes are signed by whoever made them, and the centre takes only those its accounts allow.

The attacker here holds a counter's device token and its data folder (a stolen PC): every account verifier and
sealed key, but no password. A centre server on loopback, counters syncing with it over HTTP, and the attacker
talking to the same server with the stolen token.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.domain.accounts import Account, AuthError, Role
from motcua.domain.errors import ValidationError
from motcua.services.account_docs import ACCOUNTS, SIGNED_ACCOUNTS, account_json, parse_accounts_document, parse_sent
from motcua.services.account_keys import new_key, seal, sign, unseal, verify
from motcua.services.accounts import AccountService
from motcua.services.admin_proof import AdminProofs, NotAnAdministrator
from motcua.store import accounts as repo
from motcua.store import audit


class _Answer(NamedTuple):
    status_code: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _put(lan: Any, ctx: Any, a: Account, proof: str = "") -> _Answer:
    """What the thief sends, with the stolen token, straight to the centre."""
    request = urllib.request.Request(
        f"{lan.server.url}/api/v1/sync/accounts/{a.username}",
        data=account_json(a, proof).encode("utf-8"),
        headers={"Authorization": f"Bearer {ctx.settings.sync.centre_token}", "Content-Type": "application/json"},
        method="PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return _Answer(r.status, r.read())
    except urllib.error.HTTPError as exc:
        return _Answer(exc.code, exc.read())


def _published(lan: Any) -> dict[str, Account]:
    found = lan.node.published(SIGNED_ACCOUNTS)
    return {a.username: a for a in parse_accounts_document(found[1])} if found else {}


def _forged(a: Account, key: bytes, signer: str, **fields: Any) -> Account:
    changed = replace(a, **fields, revision=a.revision + 1, signed_by=signer, signature="")
    return replace(changed, signature=sign(changed, key))


@pytest.fixture
def centre(staffed_centre: Any) -> Any:
    return staffed_centre


def test_a_stolen_counter_token_cannot_make_or_raise_an_account(centre: Any) -> None:
    ctx2 = centre.ctx[1]
    held = _published(centre)
    stolen = {a.username: a for a in repo.all_accounts(ctx2.store.read())}  # what the thief's data folder holds
    assert stolen["admin"].sealed_key and stolen["admin"].password_hash  # no password, no key
    assert unseal(stolen["admin"].sealed_key, "doan-mo-123", "admin") is None
    mine = new_key()
    evil = Account("evil", "Kẻ Gian", Role.ADMIN, password_hash=held["lan"].password_hash, public_key=mine.public_key,
                   sealed_key=seal(mine.private_key, "x" * 8, "evil"))  # fmt: skip

    # An unsigned account, as a counter of an older version would send: answered, not taken.
    r = _put(centre, ctx2, replace(evil, revision=1))
    assert r.status_code == 200 and r.json()["applied"] is False
    # Signed with the thief's own key: by the new account itself (only an empty centre's first administrator
    # vouches for itself), or in the administrator's name.
    for signer in ("evil", "admin"):
        assert _put(centre, ctx2, _forged(evil, mine.private_key, signer)).status_code == 403
    # Lan (who knows her own password) raises her role, or renames herself: her key may change her password only.
    lan_key = unseal(held["lan"].sealed_key, "mat-khau-1", "lan")
    assert lan_key is not None
    assert _put(centre, ctx2, _forged(held["lan"], lan_key, "lan", role=Role.ADMIN)).status_code == 403
    assert _put(centre, ctx2, _forged(held["lan"], lan_key, "lan", full_name="Lan Giám Đốc")).status_code == 403
    # Someone else's password changed with Lan's key in the administrator's name.
    assert _put(centre, ctx2, _forged(held["admin"], lan_key, "admin", password_hash="$argon2id$x")).status_code == 403
    # A genuine signature, one field changed after signing.
    good = _forged(held["lan"], lan_key, "lan", pin_hash=held["admin"].password_hash)
    assert _put(centre, ctx2, replace(good, role=Role.ADMIN)).status_code == 403
    assert _published(centre) == held  # nothing of that reached the document every counter adopts
    assert "evil" not in centre.node.published(ACCOUNTS)[1]
    # The genuine one is taken.
    assert _put(centre, ctx2, good).status_code == 200
    assert _published(centre)["lan"].revision == held["lan"].revision + 1


def test_an_old_signed_change_replayed_is_refused(centre: Any) -> None:
    ctx1, ctx2 = centre.ctx
    lan_before = _published(centre)["lan"]  # an administrator's signed change, captured on the wire
    one = AccountService(ctx1)
    one.disable("lan")
    centre.links[0].engine.run_once()
    assert not _published(centre)["lan"].active
    r = _put(centre, ctx2, lan_before)  # enabled again by replaying the earlier revision
    assert r.status_code == 409 and not _published(centre)["lan"].active
    # A disabled administrator's key signs nothing any more.
    admin_key = unseal(_published(centre)["admin"].sealed_key, "quan-tri-123", "admin")
    assert admin_key is not None
    one.add("boss", "Phạm Văn Trưởng", Role.ADMIN, "truong-123")
    one.sign_out()
    boss = AccountService(ctx1)
    boss.sign_in("boss", "truong-123")
    boss.disable("admin")
    centre.links[0].engine.run_once()
    lan = _published(centre)["lan"]
    assert _put(centre, ctx2, _forged(lan, admin_key, "admin", active=True)).status_code == 403


def test_a_refused_change_is_undone_at_the_counter_and_audited(centre: Any) -> None:
    """A counter whose change the centre refuses (here: made by a command on the PC, unsigned) gives it up: the
    next accounts document brings the centre's version back, and the audit says what happened."""
    ctx2 = centre.ctx[1]
    ctx2.session = None  # a command run on the PC, nobody signed in
    AccountService(ctx2).set_password("lan", "doan-mo-moi-1")
    centre.links[1].engine.run_once()
    assert repo.dirty(ctx2.store.read()) == []
    there = AccountService(ctx2)
    with pytest.raises(AuthError):
        there.sign_in("lan", "doan-mo-moi-1")
    assert there.sign_in("lan", "mat-khau-1").username == "lan"
    rows = [r for r in audit.history(ctx2.store.read(), "user:lan") if r["action"] == "account_change_refused"]
    assert len(rows) == 1 and "ký" in rows[0]["detail"]["reason"]


def test_an_account_made_before_signing_introduces_its_key_with_its_password(centre_lan: Any) -> None:
    """The upgrade: a centre holding accounts in the first format (no keys). Each owner's first sign-in on an
    upgraded counter makes a key, which the centre takes on the proof of the password it already verifies."""
    from argon2 import PasswordHasher

    from motcua.services.account_docs import legacy_document

    h = PasswordHasher()
    legacy = [Account("admin", "Trần Văn Quản", Role.ADMIN, password_hash=h.hash("quan-tri-123")),
              Account("lan", "Nguyễn Thị Lan", Role.CLERK, password_hash=h.hash("mat-khau-1"))]  # fmt: skip
    centre_lan.node.publish(ACCOUNTS, legacy_document(legacy))
    (ctx1, link1), (ctx2, _link2) = centre_lan.counter("Q01"), centre_lan.counter("Q02")
    link1.engine.run_once()
    one = AccountService(ctx1)
    assert one.sign_in("admin", "quan-tri-123").signing_key
    # The thief's attempt first: Lan's account, a key of their own, a wrong password as the proof.
    mine = new_key()
    lan = legacy[1]
    theirs = replace(lan, public_key=mine.public_key, sealed_key=seal(mine.private_key, "x" * 8, "lan"))
    theirs = _forged(theirs, mine.private_key, "lan")
    assert _put(centre_lan, ctx2, theirs, proof="doan-bua-1").status_code == 403
    assert _put(centre_lan, ctx2, theirs).status_code == 403
    # The administrator's key goes up with the password as its proof (kept in memory only until then) ...
    assert ctx1.account_proofs == {"admin": "quan-tri-123"}
    link1.engine.run_once()
    assert ctx1.account_proofs == {}
    held = _published(centre_lan)
    assert held["admin"].public_key and verify(held["admin"], held["admin"].public_key)
    assert not held["lan"].public_key  # Lan has not signed in on an upgraded counter yet
    # ... and from then on the administrator's signature is what the centre asks for.
    one.add("binh", "Lê Văn Bình", Role.CLERK, "mat-khau-2")
    link1.engine.run_once()
    assert "binh" in _published(centre_lan)
    # The older counters still read the first format.
    first_format = json.loads(centre_lan.node.published(ACCOUNTS)[1])
    assert first_format["version"] == 1 and {a["username"] for a in first_format["accounts"]} == {
        "admin",
        "binh",
        "lan",
    }
    assert all(
        set(a) == {"username", "full_name", "role", "active", "password_hash", "pin_hash"}
        for a in first_format["accounts"]
    )


def test_a_counter_of_this_version_reads_a_centre_of_the_older_one(centre_lan: Any) -> None:
    """Before its centre is upgraded, a counter adopts the first format (no keys), and signs in with it."""
    from argon2 import PasswordHasher

    from motcua.services.account_docs import legacy_document

    h = PasswordHasher()
    centre_lan.node.publish(
        ACCOUNTS, legacy_document([Account("lan", "Nguyễn Thị Lan", Role.CLERK, password_hash=h.hash("mat-khau-1"))])
    )
    ctx, link = centre_lan.counter("Q01")
    link.engine.run_once()
    assert AccountService(ctx).sign_in("lan", "mat-khau-1").full_name == "Nguyễn Thị Lan"


def test_the_signature_covers_every_published_field() -> None:
    pair = new_key()
    a = Account("lan", "Nguyễn Thị Lan", Role.CLERK, True, "$argon2id$a", "$argon2id$b", public_key=pair.public_key,
                sealed_key=seal(pair.private_key, "mat-khau-1", "lan"), revision=3, signed_by="lan")  # fmt: skip
    a = replace(a, signature=sign(a, pair.private_key))
    assert verify(a, pair.public_key)
    assert not verify(a, new_key().public_key)
    changes: dict[str, Any] = {"username": "lam", "full_name": "Nguyễn Thị Lân", "role": Role.ADMIN,
                               "active": False, "password_hash": "$argon2id$c", "pin_hash": "", "public_key": "",
                               "sealed_key": "", "revision": 4, "signed_by": "admin"}  # fmt: skip
    for name, value in changes.items():
        assert not verify(replace(a, **{name: value}), pair.public_key), name
    # The sign-in counters are each PC's own: not signed, so a lockout at one counter breaks nothing.
    assert verify(replace(a, failed=3, locked_until="2026-12-02 10:00:00"), pair.public_key)
    # The sealed key opens with its password and for its account only.
    assert unseal(a.sealed_key, "mat-khau-1", "lan") == pair.private_key
    assert unseal(a.sealed_key, "mat-khau-2", "lan") is None
    assert unseal(a.sealed_key, "mat-khau-1", "admin") is None
    assert unseal("not base64!", "mat-khau-1", "lan") is None


def test_a_password_reset_elsewhere_signs_the_clerk_out_and_her_new_key_works(centre: Any) -> None:
    ctx1, ctx2 = centre.ctx
    AccountService(ctx2).sign_in("lan", "mat-khau-1")
    AccountService(ctx1).set_password("lan", "dat-lai-123")  # the administrator, at the other counter
    centre.links[0].engine.run_once()
    centre.links[1].engine.run_once()
    assert ctx2.session is None  # signed out: the password she signed in with is no longer hers
    there = AccountService(ctx2)
    with pytest.raises(AuthError):
        there.sign_in("lan", "mat-khau-1")
    there.sign_in("lan", "dat-lai-123")  # the key the administrator made for her opens with it
    there.set_pin("lan", "1357")
    centre.links[1].engine.run_once()
    held = _published(centre)["lan"]
    assert held.signed_by == "lan" and held.pin_hash and verify(held, held.public_key)


# -- every parser of what arrives over the network, fed junk ----------------------------------------------------
_JSON_ACCOUNT = st.fixed_dictionaries(
    {},
    optional={
        k: st.one_of(st.text(max_size=120), st.integers(), st.booleans(), st.none())
        for k in ("username", "full_name", "role", "active", "password_hash", "pin_hash", "public_key",
                  "sealed_key", "revision", "signed_by", "signature", "password_proof", "extra")
    },
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(body=st.one_of(st.text(max_size=300), _JSON_ACCOUNT.map(json.dumps)))
def test_a_sent_account_is_an_account_or_a_clear_refusal(body: str) -> None:
    try:
        account, _proof = parse_sent(body)
    except ValidationError as exc:
        assert "không hợp lệ" in str(exc) or "Tên đăng nhập" in str(exc) or "Họ tên" in str(exc)
    else:
        assert account.password_hash.startswith("$argon2")


@settings(max_examples=150, deadline=None)
@given(
    headers=st.dictionaries(
        st.sampled_from(["X-Motcua-Admin", "X-Motcua-Signed-At", "X-Motcua-Nonce", "X-Motcua-Signature"]),
        st.text(max_size=120),
    ),
    body=st.binary(max_size=64),
)
def test_an_administrators_proof_is_checked_or_refused_never_crashes(headers: dict[str, str], body: bytes) -> None:
    pair = new_key()
    admin = Account("admin", "Trần Văn Quản", Role.ADMIN, password_hash="$argon2id$x", public_key=pair.public_key)
    proofs = AdminProofs(lambda: {"admin": admin}, lambda: datetime.now().astimezone())
    with pytest.raises(NotAnAdministrator):
        proofs.check({**headers, "X-Motcua-Admin": headers.get("X-Motcua-Admin", "admin")}, "POST", "/x", body)
