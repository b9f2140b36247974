"""Dossier search: a name matches names only (the exact name first), a procedure's words find its dossiers when no
name holds them, and databases from before the split index get it rebuilt."""

from __future__ import annotations

from motcua.domain.applicant import Applicant, ApplicantKind
from motcua.domain.dossier import Dossier, ReceivedComponent
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.store import dossiers
from motcua.store.db import Store
from motcua.store.schema import migrate_workstation

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh
WILL = "2.001019"  # Chứng thực di chúc
COPY = "2.000815"  # Chứng thực bản sao từ bản chính …


def _receive(svc: ReceptionService, name: str, procedure: str, id_number: str = "") -> Dossier:
    p = svc.procedure(procedure)
    components = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(procedure, Applicant(ApplicantKind.PERSON, name, id_number), components))


def _codes(found: list[Dossier]) -> list[str]:
    return [d.code for d in found]


def test_a_name_matches_names_only_not_the_words_of_procedures(ctx) -> None:
    svc = ReceptionService(ctx)
    khai = _receive(svc, "Nguyễn Văn Khải", WILL)
    births = [_receive(svc, "Trần Thị Bình", BIRTH), _receive(svc, "Lò Thị Mai", BIRTH)]
    sinh = _receive(svc, "Phạm Văn Sinh", COPY)
    # "khai" is Mr Khải, not every "Đăng ký khai sinh" around him; "sinh" is Mr Sinh.
    assert _codes(svc.search("khai")) == [khai.code]
    assert _codes(svc.search("Khải")) == [khai.code]
    assert _codes(svc.search("sinh")) == [sinh.code]
    # Words no name holds are a procedure: its dossiers, newest first, and not Mr Khải (his is a will).
    assert _codes(svc.search("khai sinh")) == [b.code for b in reversed(births)]
    assert _codes(svc.search("chung thuc di chuc")) == [khai.code]
    # A name and a procedure together still narrow down.
    assert _codes(svc.search("binh khai sinh")) == [births[0].code]


def test_the_exact_name_comes_first_then_the_words_in_order_then_any_order_then_beginnings(ctx) -> None:
    svc = ReceptionService(ctx)
    exact = _receive(svc, "Nguyễn Văn An", BIRTH)  # the oldest
    longer = _receive(svc, "Nguyễn Văn An Khang", BIRTH)
    other_order = _receive(svc, "An Văn Nguyễn", BIRTH)
    prefix = _receive(svc, "Nguyễn Văn Anh", BIRTH)  # the newest
    _receive(svc, "Nguyễn Thị Bình", BIRTH)
    found = _codes(svc.search("Nguyễn Văn An"))
    assert found == [exact.code, longer.code, other_order.code, prefix.code]
    assert _codes(svc.search("nguyen van an")) == found
    # Beginnings of each word, as a clerk types them.
    assert set(_codes(svc.search("ng v an"))) == {exact.code, longer.code, other_order.code, prefix.code}


def test_codes_ids_and_phones_still_go_straight_to_their_dossier(ctx) -> None:
    svc = ReceptionService(ctx)
    d = _receive(svc, "Đặng Hồng Bảo", BIRTH, id_number="051084009698")
    assert _codes(svc.search(d.code)) == [d.code]
    assert _codes(svc.search("051084009698")) == [d.code]
    assert _codes(svc.search(d.code.split("-", 1)[1])) == [d.code]  # its day and number: "261123-0001"
    assert svc.search("   ") == []
    assert svc.search("!!!") == []


def test_saved_dossiers_get_their_names_indexed_by_the_migration(ctx) -> None:
    """Migration 0007 indexes the names of the dossiers already saved (a database from before it has none)."""
    svc = ReceptionService(ctx)
    khai = _receive(svc, "Nguyễn Văn Khải", WILL)
    birth = _receive(svc, "Trần Thị Bình", BIRTH)
    path = ctx.store.path
    ctx.store.close()
    legacy = Store(path)
    with legacy.write() as w:  # as an older build left it
        w.execute("DROP TABLE dossier_name_fts")
        w.execute("DROP TABLE catalog_revision")
        for event in ("insert", "update", "delete"):
            w.execute(f"DROP TRIGGER procedures_revision_{event}")
        w.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_search_indexes'")
    legacy.close()
    reopened = Store(path, migrate_workstation)
    try:
        r = reopened.read()
        assert [d.code for d in dossiers.search(r, "khai")] == [khai.code]
        assert [d.code for d in dossiers.search(r, "khai sinh")] == [birth.code]
        assert [d.code for d in dossiers.search(r, "nguyenvankhai")] == [khai.code]  # typed without spaces
        assert r.execute("SELECT name, whole FROM dossier_name_fts WHERE rowid = 1").fetchone() == (
            "nguyen van khai",
            "nguyenvankhai",
        )
        assert r.execute("SELECT revision FROM catalog_revision").fetchone()[0] == 0
    finally:
        reopened.close()
