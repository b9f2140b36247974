"""The retention rule on a workstation: closed dossiers' citizens erased after their period (row, history notes,
search indexes, replica events, printed copies), digitized files deleted after a longer one, counts in the audit."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from motcua.config import ConfigError, RetentionSettings, Settings
from motcua.domain.anonymise import ANONYMISED
from motcua.domain.applicant import Applicant, ApplicantKind
from motcua.domain.status import Action, Status
from motcua.domain.text import fold
from motcua.services.printing import PrintingService
from motcua.services.reception import ReceptionService
from motcua.services.retention import RetentionService
from motcua.services.scanning_station import ScanningStation
from motcua.store import audit
from privacy.helpers import receive, sync_with_centre

T0 = datetime(2026, 11, 23, 9, 30)


def person(n: int) -> dict[str, object]:
    return {
        "name": f"Lê Thị Thử{chr(0x41 + n)}",
        "id_number": f"0011901234{n:02d}",
        "phone": f"09870000{n:02d}",
        "email": f"thu{n}@example.vn",
        "birth_date": None,
        "sex": None,
        "old_id_number": "",
    }


def _raw(ctx) -> bytes:
    base = ctx.store.path
    return b"".join(p.read_bytes() for p in (base, base.with_name(base.name + "-wal")) if p.exists())


@pytest.fixture
def world(ctx, clock):
    """A: returned, with two scans (one also on C) and a printed receipt; B: refused; C: still open; a visit."""
    svc = ReceptionService(ctx)
    clock.now = T0
    a = receive(ctx, **person(1))
    b = receive(ctx, **person(2))
    c = receive(ctx, **person(3))
    station = ScanningStation(ctx)
    printing = PrintingService(ctx)
    shared = printing.receipt_pdf(c)
    station.attach_pdf(shared, a.code, "TP1", 1, "colour")
    station.attach_pdf(shared, c.code, "TP1", 1, "colour")
    own = station.attach_pdf(printing.receipt_pdf(a), a.code, "TP2", 1, "colour")
    printing.save(printing.receipt_pdf(a), f"{a.code}-mau01.pdf")
    printing.save(printing.receipt_pdf(b), f"{b.code}-mau01.pdf")
    p4 = person(4)
    visit = svc.guide(
        "1.001193",
        Applicant(ApplicantKind.PERSON, str(p4["name"]), id_number=str(p4["id_number"]), phone=str(p4["phone"])),
        ["Giấy chứng sinh"],
    )
    printing.save(printing.guidance_pdf(visit), f"{visit.id}-mau02.pdf")
    clock.now = T0 + timedelta(hours=2)
    svc.act(b.code, Action.REFUSE, note=f"{person(2)['name']} không mang giấy tờ")
    for action in (Action.START, Action.RESOLVE, Action.RETURN_RESULT):
        clock.now += timedelta(hours=1)
        svc.act(a.code, action)
    sync_with_centre(ctx)
    return {"a": a, "b": b, "c": c, "visit": visit, "own": own, "svc": svc}


def test_a_refused_dossier_is_anonymised_after_its_period_everywhere_on_this_pc(ctx, clock, world) -> None:
    b, svc = world["b"], world["svc"]
    p2 = person(2)
    key_sha = ctx.store.read().execute("SELECT key, sha256 FROM rep_events WHERE dossier = ?", [b.code]).fetchall()
    clock.now = T0 + timedelta(days=100)
    report = RetentionService(ctx).run()
    assert report.anonymised == {"refused": 0, "returned": 0, "stopped": 0, "withdrawn": 0} and report.visits == 1
    clock.now = T0 + timedelta(days=181)
    report = RetentionService(ctx).run()
    assert report.anonymised["refused"] == 1 and report.anonymised["returned"] == 0
    assert report.out_files == 1  # B's receipt copy
    got = svc.get(b.code)
    assert got.applicant.name == ANONYMISED and got.status is Status.REFUSED
    assert (got.applicant.id_number, got.applicant.phone, got.applicant.email) == ("", "", "")
    assert got.applicant.birth_date is None and got.applicant.address.detail == ""
    assert got.procedure_code == b.procedure_code and got.received_at == b.received_at  # statistics still hold
    assert all(e.note == "" for e in got.events)
    for text in (str(p2["id_number"]), str(p2["phone"]), str(p2["name"]), fold(str(p2["name"]))):
        assert [d.code for d in svc.search(text)] == [], text
    db = ctx.store.read()
    dossier_id = db.execute("SELECT id FROM dossiers WHERE code = ?", [b.code]).fetchone()[0]
    fts = db.execute("SELECT text FROM dossier_fts WHERE rowid = ?", [dossier_id]).fetchone()[0]
    assert str(p2["id_number"]) not in fts and fold(str(p2["name"])) not in fts and b.code.lower() in fts
    assert db.execute("SELECT name FROM dossier_name_fts WHERE rowid = ?", [dossier_id]).fetchone()[0] == ""
    envelopes = " ".join(r[0] for r in db.execute("SELECT envelope FROM rep_events WHERE dossier = ?", [b.code]))
    for personal in p2.values():
        assert not personal or str(personal) not in envelopes
    # The hashes the centre knows stay: the events are still "already held" there.
    assert db.execute("SELECT key, sha256 FROM rep_events WHERE dossier = ?", [b.code]).fetchall() == key_sha
    # Not only unreachable: gone from the database file and its WAL.
    raw = _raw(ctx)
    for personal in (str(p2["id_number"]), str(p2["phone"]), str(p2["email"])):
        assert personal.encode() not in raw, personal
    # A, C and their people are untouched.
    assert svc.get(world["a"].code).applicant.name == person(1)["name"]
    assert [d.code for d in svc.search(str(person(3)["id_number"]))] == [world["c"].code]


def test_each_run_is_audited_with_counts_only_and_a_dry_run_changes_nothing(ctx, clock, world) -> None:
    b = world["b"]
    clock.now = T0 + timedelta(days=400)
    dry = RetentionService(ctx).run(dry_run=True)
    assert dry.dry_run and dry.anonymised["refused"] == 1 and dry.anonymised["returned"] == 1 and dry.visits == 1
    assert ReceptionService(ctx).get(b.code).applicant.name == person(2)["name"]
    assert (ctx.out_dir / f"{b.code}-mau01.pdf").exists()
    db = ctx.store.read()
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'retention'").fetchone()[0] == 0
    done = RetentionService(ctx).run()
    assert replace(done, dry_run=True) == dry
    (entry,) = [e for e in audit.history(db, "retention") if e["action"] == "retention"]
    assert entry["detail"]["anonymised"]["refused"] == 1 and entry["detail"]["visits"] == 1
    text = json.dumps(entry, ensure_ascii=False)
    for n in (1, 2, 4):
        for personal in person(n).values():
            assert not personal or str(personal) not in text
    assert not list(ctx.out_dir.glob(f"{b.code}*")) and not list(ctx.out_dir.glob(f"{world['visit'].id}*"))
    again = RetentionService(ctx).run()
    assert sum(again.anonymised.values()) == 0 and again.visits == 0  # already done


def test_digitized_files_go_after_the_longer_limit_unless_an_open_dossier_uses_them(ctx, clock, world) -> None:
    base = ctx.files_dir
    shared = (
        ctx.store.read()
        .execute(
            "SELECT path FROM attachments a JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = ?", [world["c"].code]
        )
        .fetchone()[0]
    )
    own = world["own"].path
    clock.now = T0 + timedelta(days=400)
    assert RetentionService(ctx).run().documents == 0
    assert (base / own).exists()
    clock.now = T0 + timedelta(days=731)
    report = RetentionService(ctx).run()
    assert report.documents == 1 and report.document_bytes > 0
    assert not (base / own).exists() and (base / shared).exists()


def test_a_dossier_not_yet_at_the_centre_is_kept(ctx, clock, world) -> None:
    clock.now = T0 + timedelta(days=1)
    late = receive(ctx, **person(5))
    ReceptionService(ctx).act(late.code, Action.REFUSE, note="thiếu giấy tờ")
    clock.now = T0 + timedelta(days=400)
    report = RetentionService(ctx).run()
    assert report.waiting == 1 and report.anonymised["refused"] == 1
    assert ReceptionService(ctx).get(late.code).applicant.name == person(5)["name"]


def test_the_centre_sending_an_anonymised_dossier_again_changes_nothing(ctx, clock, world) -> None:
    from motcua.services.queue.service import open_queue_store
    from motcua.services.sync_setup import centre_node
    from motcua.store.sql import SqliteSql

    b = world["b"]
    clock.now = T0 + timedelta(days=200)
    RetentionService(ctx).run()
    store = open_queue_store(ctx.files_dir / "centre.sqlite")
    try:
        node = centre_node(store, ctx.agency_id, ctx.files_dir, clock=ctx.clock)
        with node.db.read() as sql:
            snap = node.replica.snapshot(sql, b.code)
    finally:
        store.close()
    assert snap is not None and person(2)["name"] in json.dumps(snap, ensure_ascii=False)
    with ctx.store.write() as db:
        applied = ctx.replica.apply_snapshots(SqliteSql(db), [snap], clock.now)
    assert applied.errors == () and applied.new_events == 0
    assert ReceptionService(ctx).get(b.code).applicant.name == ANONYMISED
    sync_with_centre(ctx)  # and the sync goes on as before
    counts = ctx.store.read().execute("SELECT COUNT(*), SUM(parked) FROM outbox WHERE sent_at IS NULL").fetchone()
    assert counts[0] == 0


def test_the_rule_is_checked_when_the_settings_load(tmp_path: Path) -> None:
    from motcua.config import load_settings

    path = tmp_path / "centre.toml"
    path.write_text("[retention.anonymise_after_days]\nreturned = 30\n", encoding="utf-8")
    assert load_settings(path).retention == RetentionSettings(anonymise_after_days={"returned": 30})
    path.write_text("[retention.anonymise_after_days]\nresolved = 30\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="resolved"):
        load_settings(path)
    with pytest.raises(ConfigError, match="documents_after_days"):
        Settings(retention=RetentionSettings(documents_after_days=-1))


def test_cli_dry_run_prints_counts(ctx, capsys) -> None:
    from motcua.cli import main

    receive(ctx, **person(6))
    assert main(["--data-dir", str(ctx.files_dir), "data", "retention", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dry_run"] is True and set(out["anonymised"]) == {"returned", "refused", "withdrawn", "stopped"}
    assert main(["--data-dir", str(ctx.files_dir), "data", "retention"]) == 0
    text = capsys.readouterr().out
    assert "ẩn danh" in text and str(person(6)["id_number"]) not in text


def test_cli_on_a_one_pc_centre_looks_at_the_centre_copy_too(ctx, clock, world, capsys) -> None:
    from motcua.cli import main

    assert (ctx.files_dir / "centre.sqlite").is_file()  # the world synced with the centre beside it
    assert main(["--data-dir", str(ctx.files_dir), "data", "retention", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # No province link in this centre: it is the record's only keeper and erases nothing (tests/sync cover the rest).
    assert out["centre"]["skipped"] == "no-province-link" and out["centre"]["dry_run"] is True
