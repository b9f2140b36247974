"""Attachments against real SQLite files: content-addressed storage, file before row, outbox in the same
transaction, reuse for the same ID number."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import cv2
import pytest

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.errors import ValidationError
from motcua.domain.sync_envelope import parse_envelope
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning_station import ScanningStation
from motcua.store import attachments as repo
from motcua.store import outbox
from motcua.store.replica import Replica

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"
QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


def _receive(ctx, id_number: str | None = None) -> object:
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    applicant = parse_cccd(QR).to_applicant()
    if id_number:
        applicant = replace(applicant, id_number=id_number)
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, applicant, comps))


@pytest.fixture
def station(ctx) -> ScanningStation:
    return ScanningStation(ctx)


@pytest.fixture(scope="module")
def frames() -> list:
    return [cv2.imread(str(FIXTURES / n)) for n in ("004_cluttered.jpg", "005_docam.jpg")]


def test_saved_pdf_is_content_addressed_with_its_outbox_item(ctx, station, frames) -> None:
    d = _receive(ctx)
    pages = [station.capture(f).page for f in frames]
    att = station.save(pages, d.code, "TP1", "bw")
    path = station.file_path(att)
    data = path.read_bytes()
    assert att.sha256 == hashlib.sha256(data).hexdigest()
    assert path == ctx.store.path.parent / "files" / att.sha256[:2] / f"{att.sha256}.pdf"
    assert (att.pages, att.mode, att.size, att.dossier_code) == (2, "bw", len(data), d.code)
    assert data.startswith(b"%PDF") and att.size / 2 < 80 * 1024
    items = [i for i in outbox.due_items(ctx.store.read(), datetime(2030, 1, 1)) if i.kind == "attachment.added"]
    assert [i.entity for i in items] == [d.code]
    event = parse_envelope(items[0].payload.decode())
    # The event names its file: the file travels first, by this hash, and the event waits for it upstream.
    assert event.documents == (att.sha256,) and event.data["component"] == "TP1"
    assert station.attachments_for(d.code) == [att]
    # Saving the same pages again is the same file and the same attachment, not a second copy.
    again = station.save(pages, d.code, "TP1", "bw")
    assert again.id == att.id
    assert len(list((ctx.store.path.parent / "files").rglob("*.pdf"))) == 1


def test_file_is_written_before_the_row(ctx, station, frames, monkeypatch) -> None:
    d = _receive(ctx)
    seen = {}
    real_add = repo.add

    def add(db, **kw):
        seen["file_there"] = (ctx.store.path.parent / kw["path"]).is_file()
        return real_add(db, **kw)

    monkeypatch.setattr(repo, "add", add)
    station.save([station.capture(frames[0]).page], d.code, "TP2", "grey")
    assert seen == {"file_there": True}


def test_a_failing_outbox_write_leaves_no_row(ctx, station, frames, monkeypatch) -> None:
    d = _receive(ctx)

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Replica, "_enqueue", broken)
    with pytest.raises(RuntimeError):
        station.save([station.capture(frames[0]).page], d.code, "TP1", "colour")
    assert ctx.store.read().execute("SELECT COUNT(*) FROM attachments").fetchone()[0] == 0


def test_wrong_component_and_empty_pages_are_refused(ctx, station, frames) -> None:
    d = _receive(ctx)
    with pytest.raises(ValidationError):
        station.save([station.capture(frames[0]).page], d.code, "TP99", "bw")
    with pytest.raises(ValidationError):
        station.save([], d.code, "TP1", "bw")


def test_reuse_offers_earlier_documents_of_the_same_id_number(ctx, station, frames) -> None:
    first = _receive(ctx)
    att = station.save([station.capture(frames[0]).page], first.code, "TP3", "bw")
    other = _receive(ctx, id_number="051084001234")
    station.save([station.capture(frames[1]).page], other.code, "TP3", "bw")
    second = _receive(ctx)
    offered = station.reuse_for(second.code)
    assert [a.id for a in offered] == [att.id]
    assert station.reuse_candidates("051084001234", exclude_dossier=None)[0].dossier_code == other.code
    reused = station.attach_reused(att.id, second.code)
    assert (reused.sha256, reused.component_code, reused.reused_from) == (att.sha256, "TP3", att.id)
    assert reused.path == att.path  # the same file, not a copy
    assert station.reuse_for(second.code) == []  # already attached: no longer offered
    with pytest.raises(ValidationError):
        station.attach_reused(att.id, other.code)  # another citizen's document


def test_pages_from_image_and_pdf_files(ctx, station, frames, tmp_path) -> None:
    pdf = tmp_path / "scan.pdf"
    d = _receive(ctx)
    att = station.save([station.capture(f).page for f in frames], d.code, "TP1", "grey")
    pdf.write_bytes(station.file_path(att).read_bytes())
    pages = station.pages_from_files([FIXTURES / "004_cluttered.jpg", pdf])
    assert len(pages) == 3
    assert pages[0].page.detected and not pages[1].page.detected  # the PDF's pages are already flat
    assert pages[1].preview.shape[1] == 640 and pages[1].warnings == ()


def test_watched_folder_hands_over_finished_files(station, tmp_path) -> None:
    (tmp_path / "old.jpg").write_bytes(b"x")
    watch = station.watch_folder(tmp_path)
    assert watch.poll() == []
    new = tmp_path / "scan-001.jpg"
    new.write_bytes((FIXTURES / "005_docam.jpg").read_bytes())
    assert watch.poll() == []  # size not yet seen twice: the scanner may still be writing
    assert watch.poll() == [new]
    assert watch.poll() == []
