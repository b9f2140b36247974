"""Dossiers received the way the counter receives them, for the personal-data tests."""

from __future__ import annotations

from dataclasses import replace

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import Dossier, ReceivedComponent
from motcua.services.reception import ReceiveRequest, ReceptionService

ID_NUMBER = "051084009698"
NAME = "Đặng Hồng Bảo"
PHONE = "0912345678"
EMAIL = "dang.hong.bao@example.vn"
QR = f"{ID_NUMBER}|212163684|{NAME}|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


def receive(ctx: object, code: str = "1.001193", **applicant: object) -> Dossier:
    svc = ReceptionService(ctx)  # type: ignore[arg-type]
    p = svc.procedure(code)
    person = replace(parse_cccd(QR).to_applicant(), phone=PHONE, email=EMAIL)
    if applicant:
        person = replace(person, **applicant)  # type: ignore[arg-type]
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, person, comps))


def sync_with_centre(ctx: object, rounds: int = 2) -> None:
    """Push the workstation's outbox to a centre run in this process and pull its changes back (a one-PC commune's
    sync, one round at a time)."""
    from motcua.cli.sync_link import WorkstationSync, workstation_upstream
    from motcua.services.queue.service import open_queue_store
    from motcua.services.sync_setup import centre_node

    base = ctx.files_dir  # type: ignore[attr-defined]
    store = open_queue_store(base / "centre.sqlite")
    try:
        centre = centre_node(store, ctx.agency_id, base, clock=ctx.clock)  # type: ignore[attr-defined]
        link = WorkstationSync(ctx, workstation_upstream(ctx, "", "", centre))  # type: ignore[arg-type]
        try:
            for _ in range(rounds):
                link.engine.run_once()
        finally:
            link.upstream.close()
    finally:
        store.close()
