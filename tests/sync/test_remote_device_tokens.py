"""An administrator at a counter PC manages the centre's device tokens over the LAN, with their signature on each
request; the counter's token alone (a stolen PC) enrols nothing. A centre server on loopback, its counters syncing
over HTTP, the devices screen's service on a counter PC whose queue is the centre's."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

import pytest

from motcua.domain.accounts import NotAllowedError
from motcua.domain.errors import ValidationError
from motcua.services.account_keys import unseal
from motcua.services.accounts import AccountService
from motcua.services.admin_proof import NotAnAdministrator, sign_request
from motcua.services.device_accounts import DeviceAccounts
from motcua.store import audit_chain
from motcua.sync.queue_client import HttpQueueClient


def _get(url: str, token: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.fixture
def lan(staffed_centre: Any) -> Any:
    """Counter 1 with its administrator signed in, counter 2 with Lan, a clerk, signed in."""
    centre_lan = staffed_centre
    ctx1, ctx2 = centre_lan.ctx
    AccountService(ctx2).sign_in("lan", "mat-khau-1")
    centre_lan.tokens = (ctx1.settings.sync.centre_token, ctx2.settings.sync.centre_token)
    clients = [HttpQueueClient(centre_lan.server.url, t) for t in centre_lan.tokens]
    centre_lan.clients = clients
    yield centre_lan
    for c in clients:
        c.close()


def test_an_administrator_at_a_counter_pc_enrols_and_revokes_a_device(lan: Any) -> None:
    ctx1 = lan.ctx[0]
    devices = DeviceAccounts.for_queue(ctx1, lan.clients[0])
    assert devices.available
    e = devices.add("KIOSK-9", "kiosk")
    assert e.token and e.centre_url == lan.server.url and f'token = "{e.token}"' in e.settings_text()
    assert _get(f"{lan.server.url}/api/v1/kiosk", e.token) == 200  # the new kiosk is let in
    assert [(d.name, d.role, d.active) for d in devices.devices() if d.name == "KIOSK-9"] == [
        ("KIOSK-9", "kiosk", True)
    ]
    with pytest.raises(ValidationError, match="KIOSK-9"):
        devices.add("KIOSK-9", "kiosk")  # one live token per device, said by the centre
    # The centre's own audit chain says who made it, from which PC, and never holds the token.
    with lan.node.db.read() as sql:
        made = [e for _row, e in audit_chain.entries(sql, "device:KIOSK-9") if e is not None]
    assert [(x.action, x.actor) for x in made] == [("device_token_add", "Trần Văn Quản")]
    assert json.loads(made[0].detail)["from"] == "Q01" and e.token not in made[0].detail
    devices.revoke("KIOSK-9")
    deadline = time.monotonic() + 10  # the centre caches a token's lookup a few seconds
    while _get(f"{lan.server.url}/api/v1/kiosk", e.token) != 401 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _get(f"{lan.server.url}/api/v1/kiosk", e.token) == 401
    with pytest.raises(ValidationError):
        devices.revoke("KIOSK-9")  # nothing live to revoke: 404, said


def test_a_counter_token_without_an_administrators_signature_enrols_nothing(lan: Any) -> None:
    ctx1, ctx2 = lan.ctx
    url = f"{lan.server.url}/api/v1/devices"
    # The clerk's PC: refused here, by the account's role ...
    with pytest.raises(NotAllowedError):
        DeviceAccounts.for_queue(ctx2, lan.clients[1]).add("KIOSK-8", "kiosk")
    # ... and at the centre when the PC's code is bypassed: no signature, the clerk's own key in the
    # administrator's name, or nobody signed in at all (a thief with the PC and its token).
    assert _get(url, lan.tokens[1]) == 403
    lan_key = unseal(
        next(a for a in AccountService(ctx2).accounts() if a.username == "lan").sealed_key, "mat-khau-1", "lan"
    )
    assert lan_key is not None
    forged = sign_request(ctx2.session, "GET", "/api/v1/devices", b"", datetime.now().astimezone())
    assert _get(url, lan.tokens[1], {**forged, "X-Motcua-Admin": "admin"}) == 403
    assert _get(url, lan.tokens[1], forged) == 403  # signed by a clerk
    ctx2.session = None
    with pytest.raises(NotAnAdministrator):
        DeviceAccounts(ctx2, None, remote=lan.clients[1]).add("KIOSK-8", "kiosk")
    # The administrator's genuine request, captured and sent again, or signed for another request.
    good = sign_request(ctx1.session, "GET", "/api/v1/devices", b"", datetime.now().astimezone())
    assert _get(url, lan.tokens[1], good) == 200
    assert _get(url, lan.tokens[1], good) == 403  # a replay
    other = sign_request(ctx1.session, "GET", "/api/v1/devices/x", b"", datetime.now().astimezone())
    assert _get(url, lan.tokens[1], other) == 403
    # A PC whose clock is off by more than the allowed minutes is told so.
    late = sign_request(ctx1.session, "GET", "/api/v1/devices", b"", datetime.now().astimezone() - timedelta(minutes=9))
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {lan.tokens[0]}", **late})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403 and "giờ" in json.loads(refused.value.read())["detail"].lower()
    # A kiosk's token is refused whatever it carries.
    kiosk = DeviceAccounts.for_queue(ctx1, lan.clients[0]).add("KIOSK-7", "kiosk")
    fresh = sign_request(ctx1.session, "GET", "/api/v1/devices", b"", datetime.now().astimezone())
    assert _get(url, kiosk.token, fresh) == 403


def test_a_signature_used_at_one_process_of_the_centre_is_refused_at_another(lan: Any) -> None:
    """A centre served by several processes (``--workers``), or restarted: the replay is refused all the same."""
    from motcua.domain.queue_config import parse_queue_config
    from motcua.server.app import create_app
    from motcua.server.run import ServerThread
    from motcua.services.leases import EmbeddedCentreLeases
    from motcua.services.queue.service import QueueService, open_queue_store
    from motcua.services.sync_setup import centre_node

    store = open_queue_store(lan.store.path)  # its own connections, as another process has
    node = centre_node(store, lan.AGENCY, lan.tmp / "centre")
    queue = QueueService(store, parse_queue_config({"centre_id": lan.AGENCY}))
    app = create_app(queue, EmbeddedCentreLeases(store), sync=node, agency_id=lan.AGENCY, shared=True)
    other = ServerThread(app, name="second-worker").start()
    try:
        good = sign_request(lan.ctx[0].session, "GET", "/api/v1/devices", b"", datetime.now().astimezone())
        assert _get(f"{lan.server.url}/api/v1/devices", lan.tokens[0], good) == 200
        assert _get(f"{other.url}/api/v1/devices", lan.tokens[0], good) == 403  # seen by the first process
        fresh = sign_request(lan.ctx[0].session, "GET", "/api/v1/devices", b"", datetime.now().astimezone())
        assert _get(f"{other.url}/api/v1/devices", lan.tokens[0], fresh) == 200  # a new one is welcome at either
    finally:
        other.stop()
        store.close()
