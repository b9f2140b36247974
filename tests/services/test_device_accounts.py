"""The administrator's device accounts: tokens made, shown once, found by the centre; refusals write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.domain.accounts import NotAllowedError, Role, Session
from motcua.domain.errors import MotcuaError, ValidationError
from motcua.domain.tls_pin import fingerprint
from motcua.services.device_accounts import DeviceAccounts
from motcua.services.queue.service import open_queue_store
from motcua.store import device_tokens
from motcua.store.db import Store

ADMIN = Session("admin", "Trần Văn Quản", Role.ADMIN)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Store]:
    store = open_queue_store(tmp_path / "centre" / "centre.sqlite")
    yield store
    store.close()


@pytest.fixture
def devices(ctx, centre: Store) -> DeviceAccounts:
    ctx.session = ADMIN
    return DeviceAccounts(ctx, centre)


def _audit(ctx) -> list[tuple[str, str, str, str]]:
    rows = ctx.store.read().execute(
        "SELECT actor, action, entity, detail FROM audit_log WHERE action LIKE 'device_token%' ORDER BY seq"
    )
    return [tuple(r) for r in rows.fetchall()]


def _tokens(centre: Store) -> list[tuple[object, ...]]:
    return [tuple(r) for r in centre.read().execute("SELECT * FROM device_tokens").fetchall()]


def test_a_new_token_is_found_by_the_centre_with_its_role_and_counter(devices, centre, ctx) -> None:
    e = devices.add(" Q02 ", "counter", 2)
    assert e.name == "Q02" and len(e.token) >= 32
    assert device_tokens.lookup(centre.read(), e.token) == device_tokens.Device("Q02", "counter", 2)
    pad = devices.add("R-Q02", "rating", 2)
    assert device_tokens.lookup(centre.read(), pad.token) == device_tokens.Device("R-Q02", "rating", 2)
    kiosk = devices.add("KIOSK-1", "kiosk")
    assert device_tokens.lookup(centre.read(), kiosk.token) == device_tokens.Device("KIOSK-1", "kiosk", None)
    rows = devices.devices()
    assert [(r.name, r.role, r.counter, r.active) for r in rows] == [
        ("KIOSK-1", "kiosk", None, True),
        ("Q02", "counter", 2, True),
        ("R-Q02", "rating", 2, True),
    ]
    assert rows[0].created == ctx.clock()
    # The token is nowhere in the database, only its digest.
    dump = json.dumps(_tokens(centre) + _audit(ctx), default=str)
    assert e.token not in dump and device_tokens.digest(e.token) in dump
    assert 'token = "' + e.token + '"' in e.settings_text() and 'station_id = "Q02"' in e.settings_text()


def test_every_add_and_revoke_is_audited_under_the_administrator_without_the_token(devices, centre, ctx) -> None:
    e = devices.add("D1", "display")
    devices.revoke("D1")
    assert device_tokens.lookup(centre.read(), e.token) is None
    log = _audit(ctx)
    assert [(a, act, ent) for a, act, ent, _d in log] == [
        ("Trần Văn Quản", "device_token_add", "device:D1"),
        ("Trần Văn Quản", "device_token_revoke", "device:D1"),
    ]
    assert json.loads(log[0][3]) == {"role": "display", "counter": None}
    assert e.token not in json.dumps(log)
    row = devices.devices()[0]
    assert not row.active and row.revoked == ctx.clock()
    # A revoked name may be given a new token; the old one stays dead.
    again = devices.add("D1", "display")
    assert device_tokens.lookup(centre.read(), again.token) is not None
    assert device_tokens.lookup(centre.read(), e.token) is None


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_only_an_administrator_manages_devices(devices, centre, ctx, role: Role) -> None:
    devices.add("K1", "kiosk")
    ctx.session = Session("lan", "Nguyễn Thị Lan", role)
    for act in (lambda: devices.add("K2", "kiosk"), lambda: devices.revoke("K1"), devices.devices):
        with pytest.raises(NotAllowedError, match="Quản trị"):
            act()
    rows = centre.read().execute("SELECT device, revoked_at FROM device_tokens").fetchall()
    assert [tuple(r) for r in rows] == [("K1", None)]
    assert len(_audit(ctx)) == 1


@pytest.mark.parametrize(
    ("name", "role", "counter", "said"),
    [
        ("", "kiosk", None, "Tên thiết bị"),
        ("Quầy 2", "counter", 2, "Tên thiết bị"),
        ("x" * 65, "kiosk", None, "Tên thiết bị"),
        ("-Q1", "kiosk", None, "Tên thiết bị"),
        ("Q1", "clerk", None, "Loại thiết bị không hợp lệ"),
        ("Q1", "supervisor", None, "Loại thiết bị không hợp lệ"),
        ("R1", "rating", None, "Máy đánh giá phải gắn với một quầy"),
        ("Q1", "counter", 0, "Số quầy phải từ 1"),
        ("Q1", "counter", 1000, "Số quầy phải từ 1"),
        ("K1", "kiosk", 3, "Chỉ máy quầy và máy đánh giá"),
    ],
)
def test_a_bad_name_role_or_counter_is_refused_in_vietnamese_and_nothing_is_written(
    devices, centre, ctx, name: str, role: str, counter: int | None, said: str
) -> None:
    with pytest.raises(ValidationError, match=said):
        devices.add(name, role, counter)
    assert _tokens(centre) == [] and _audit(ctx) == []


def test_a_device_with_a_token_in_use_is_not_silently_given_another(devices, centre) -> None:
    first = devices.add("Q01", "counter", 1)
    with pytest.raises(ValidationError, match="đã có mã đang dùng"):
        devices.add("Q01", "kiosk")
    assert device_tokens.lookup(centre.read(), first.token) == device_tokens.Device("Q01", "counter", 1)


def test_revoking_an_unknown_device_is_said(devices) -> None:
    with pytest.raises(ValidationError, match="Không có thiết bị Q9"):
        devices.revoke("Q9")


def test_the_fingerprint_is_the_centre_certificates_as_devices_pin_it(devices, centre, tmp_path) -> None:
    pytest.importorskip("cryptography")
    from motcua.server import tls_cert

    assert devices.add("K1", "kiosk").fingerprint == ""
    cert, _key, _made = tls_cert.ensure_self_signed(centre.path.parent)
    e = devices.add("K2", "kiosk")
    assert e.fingerprint == tls_cert.sha256_of(cert) == fingerprint(cert.read_bytes())
    assert e.centre_url.startswith("https://") and e.centre_url_guessed
    assert f'centre_tls_pin_sha256 = "{e.fingerprint}"' in e.settings_text()


def test_a_remote_queue_manages_devices_through_the_centre_and_no_queue_says_where(ctx) -> None:
    """A counter PC's queue client reaches the centre's device routes (tests/sync/test_remote_device_tokens.py
    drives them against a real centre); this one answers nothing, which is said. Without a queue at all the screen
    says where devices are managed."""
    from dataclasses import replace

    from motcua.services.account_keys import new_key
    from motcua.sync.queue_client import HttpQueueClient

    ctx.session = ADMIN  # signed in without a key (it did not open): nothing to sign the request with
    client = HttpQueueClient("http://127.0.0.1:9", "t", retries=0)
    try:
        remote = DeviceAccounts.for_queue(ctx, client)
        assert remote.available and remote.remote is client
        with pytest.raises(MotcuaError, match="quản trị đăng nhập tại máy này"):
            remote.add("K1", "kiosk")
        ctx.session = replace(ADMIN, signing_key=new_key().private_key)
        with pytest.raises(MotcuaError, match="Không kết nối được máy chủ trung tâm"):
            remote.add("K1", "kiosk")
    finally:
        client.close()
    nowhere = DeviceAccounts.for_queue(ctx, None)
    assert not nowhere.available
    with pytest.raises(MotcuaError, match="máy chủ trung tâm"):
        nowhere.add("K1", "kiosk")
