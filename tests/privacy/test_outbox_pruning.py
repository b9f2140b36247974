"""Once the centre holds an event, its personal data leaves the outbox; the row, its key and hash stay."""

from __future__ import annotations

from datetime import datetime

from motcua.domain.sync_envelope import parse_envelope, sha256_text
from motcua.store import outbox
from motcua.store.sql import SqliteSql
from privacy.helpers import EMAIL, ID_NUMBER, NAME, PHONE, receive, sync_with_centre


def _table_text(ctx) -> str:
    rows = ctx.store.read().execute("SELECT * FROM outbox").fetchall()
    return " ".join(str(v) for r in rows for v in r)


def test_a_confirmed_item_keeps_no_personal_data(ctx) -> None:
    d = receive(ctx)
    text = _table_text(ctx)
    assert NAME in text and ID_NUMBER in text  # waiting to go: the bytes are needed
    sync_with_centre(ctx)
    rows = ctx.store.read().execute("SELECT key, sha256, payload, confirmed_at FROM outbox").fetchall()
    assert len(rows) == 1
    key, sha, payload, confirmed_at = rows[0]
    assert confirmed_at is not None and payload == ""
    text = _table_text(ctx)
    for personal in (NAME, ID_NUMBER, PHONE, EMAIL, "Tân Tiến"):
        assert personal not in text
    # The hash still names the bytes the centre holds: a duplicate check against it still works.
    (envelope,) = ctx.store.read().execute("SELECT envelope FROM rep_events WHERE key = ?", [key]).fetchone()
    assert sha256_text(envelope) == sha and parse_envelope(envelope).dossier == d.code
    assert outbox.counts(ctx.store.read())["confirmed"] == 1


def test_an_item_the_centre_lost_goes_again_with_its_bytes(ctx) -> None:
    receive(ctx)
    sync_with_centre(ctx)
    with ctx.store.write() as db:
        (key,) = db.execute("SELECT key FROM outbox").fetchone()
        outbox.unconfirm(SqliteSql(db), key)
    (item,) = outbox.due_items(ctx.store.read(), datetime(2030, 1, 1))
    assert parse_envelope(item.payload.decode()).key == key
    assert sha256_text(item.payload.decode()) == item.sha256


def test_a_pruned_item_sent_again_still_reads_its_bytes(ctx) -> None:
    receive(ctx)
    sync_with_centre(ctx)
    with ctx.store.write() as db:
        (key,) = db.execute("SELECT key FROM outbox").fetchone()
        assert outbox.resend(db, [key]) == 1  # the engine's "lost upstream" path, which does not unconfirm
    (item,) = outbox.due_items(ctx.store.read(), datetime(2030, 1, 1))
    assert sha256_text(item.payload.decode()) == item.sha256
