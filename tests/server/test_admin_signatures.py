"""The centre's memory of administrators' request signatures: shared by every connection, forgotten once expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from motcua.services.queue.service import open_queue_store
from motcua.store import admin_signatures


def test_a_signature_is_accepted_once_across_connections_and_forgotten_when_expired(tmp_path: Path) -> None:
    one, two = open_queue_store(tmp_path / "c.sqlite"), open_queue_store(tmp_path / "c.sqlite")
    now = datetime(2026, 12, 2, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    try:
        with one.write() as db:
            assert admin_signatures.first_use(db, "sig-a", now + timedelta(minutes=5), now)
        with two.write() as db:
            assert not admin_signatures.first_use(db, "sig-a", now + timedelta(minutes=5), now)
            # The same instant written in another zone is the same instant.
            later = (now + timedelta(minutes=4)).astimezone(UTC)
            assert not admin_signatures.first_use(db, "sig-a", later + timedelta(minutes=5), later)
            assert admin_signatures.first_use(db, "sig-b", now + timedelta(minutes=5), now)
        with one.write() as db:  # past its time it is no longer kept (nor accepted: the clock check refuses it)
            after = now + timedelta(minutes=6)
            assert admin_signatures.first_use(db, "sig-c", after + timedelta(minutes=5), after)
            kept = [r[0] for r in db.execute("SELECT signature FROM admin_signatures ORDER BY signature")]
        assert kept == ["sig-c"]
    finally:
        one.close()
        two.close()
