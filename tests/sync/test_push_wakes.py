"""A workstation hears its centre announce a change (Server-Sent Events) and pulls at once, without waiting for its
next round: a dossier saved at one counter shows up at the next counter within moments."""

from __future__ import annotations

import time

from motcua.services.catalog import CatalogService
from motcua.services.reception import ReceptionService


def test_a_dossier_saved_at_one_counter_reaches_the_next_without_waiting_for_a_round(centre_lan) -> None:
    from test_outbox_atomic import _receive

    contexts = []
    for station in ("Q01", "Q02"):
        ctx, link = centre_lan.counter(station)
        CatalogService(ctx).ensure_sample()
        ctx.sync_link = link.start()
        contexts.append(ctx)
    time.sleep(1.0)  # both have done their first round and now wait an hour for the next
    code = _receive(ReceptionService(contexts[0]))  # Q01's save wakes Q01's sync; the centre announces it
    deadline = time.monotonic() + 15
    found = []
    while not found and time.monotonic() < deadline:
        found = ReceptionService(contexts[1]).search(code)
        time.sleep(0.1)
    assert [d.code for d in found] == [code], "Q02 did not hear of the new dossier"
