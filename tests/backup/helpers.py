"""What the backup tests share: a data folder with real dossiers and documents, and checks of a restored one."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path

from motcua.config import Settings
from motcua.domain.applicant import Applicant, ApplicantKind
from motcua.domain.dossier import ReceivedComponent
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning_station import ScanningStation

BIRTH = "1.001193"


def fill(data: Path, names: list[str], clock: object | None = None) -> list[str]:
    """Receive one dossier per name (a document on each) into ``data``; returns their codes."""
    kwargs = {"clock": clock} if clock is not None else {}
    ctx = open_context(Settings(), data, **kwargs)  # type: ignore[arg-type]
    try:
        CatalogService(ctx).ensure_sample()
        svc = ReceptionService(ctx)
        p = svc.procedure(BIRTH)
        components = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
        codes = []
        for name in names:
            d = svc.receive(ReceiveRequest(BIRTH, Applicant(ApplicantKind.PERSON, name, ""), components))
            pdf = b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n"
            ScanningStation(ctx).attach_pdf(pdf, d.code, components[0].code, 1, "bw")
            codes.append(d.code)
        return codes
    finally:
        ctx.close()


def check_consistent(data: Path) -> None:
    """Every database whole (integrity, foreign keys) and every attachment's file there with its hash."""
    for db in ("workstation.sqlite", "centre.sqlite"):
        conn = sqlite3.connect(data / db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            if db == "workstation.sqlite":
                for sha, rel in conn.execute("SELECT sha256, path FROM attachments"):
                    assert hashlib.sha256((data / rel).read_bytes()).hexdigest() == sha
        finally:
            conn.close()


def codes_in(data: Path) -> set[str]:
    ctx = open_context(Settings(), data)
    try:
        svc = ReceptionService(ctx)
        found = {r[0] for r in ctx.store.read().execute("SELECT code FROM dossiers").fetchall()}
        for code in list(found)[:5]:
            assert svc.get(code).code == code  # readable through the service
        return found
    finally:
        ctx.close()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
