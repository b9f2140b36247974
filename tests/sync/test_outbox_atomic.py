"""A change and its outbox item commit together, or neither does.

Watched two ways: the SQL the workstation's writer connection runs (every change statement and its outbox insert
must sit between the same BEGIN IMMEDIATE and COMMIT), and a process killed with SIGKILL in the middle of a burst
of receptions (afterwards every dossier has its event and outbox item, and no outbox item lacks its dossier).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.status import Action
from motcua.services.reception import ReceiveRequest, ReceptionService

QR = "051084009698|051084000000|Đặng Hồng Bảo|15081984|Nam|Thôn 1, Xã Bảo Thắng, Tỉnh Lào Cai|01012022"
CHANGES = ("INSERT INTO DOSSIERS", "INSERT INTO DOSSIER_EVENTS", "INSERT INTO ATTACHMENTS", "INSERT INTO REP_EVENTS")


def _transactions(statements: list[str]) -> tuple[list[list[str]], list[str]]:
    """Statements grouped by transaction, and the change statements run outside any transaction."""
    groups: list[list[str]] = []
    outside: list[str] = []
    current: list[str] | None = None
    for s in statements:
        head = " ".join(s.split()).upper()
        if head.startswith("BEGIN"):
            current = []
        elif head.startswith(("COMMIT", "ROLLBACK")):
            if current is not None:
                groups.append(current)
            current = None
        elif current is not None:
            current.append(head)
        elif head.startswith(("INSERT", "UPDATE", "DELETE")):
            outside.append(head)
    return groups, outside


def _receive(svc: ReceptionService) -> str:
    p = svc.procedure("1.001193")
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, parse_cccd(QR).to_applicant(), comps)).code


def test_every_change_and_its_outbox_item_are_in_one_transaction(ctx) -> None:
    from motcua.services.scanning_station import ScanningStation

    svc = ReceptionService(ctx)
    svc.ensure_code_blocks()
    statements: list[str] = []
    conn = ctx.store._writer.conn
    conn.set_trace_callback(statements.append)
    try:
        code = _receive(svc)
        svc.act(code, Action.START)
        ScanningStation(ctx).attach_pdf(b"%PDF-1.4 test scan", code, "TP1", 1, "bw")
    finally:
        conn.set_trace_callback(None)
    groups, outside = _transactions(statements)
    assert outside == [], f"written outside a transaction: {outside[:3]}"
    saves = [g for g in groups if any(s.startswith("INSERT INTO OUTBOX") for s in g)]
    assert len(saves) == 3, "one outbox item per change: reception, status move, attachment"
    for g in saves:
        assert any(s.startswith(CHANGES) for s in g), "an outbox item committed without its change"
    for g in groups:
        if any(s.startswith(CHANGES) for s in g):
            assert g in saves, "a change committed without its outbox item"


def test_a_killed_workstation_leaves_no_dossier_without_its_outbox_item(tmp_path: Path) -> None:
    script = tmp_path / "burst.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from motcua.config import Settings\n"
        "from motcua.services.catalog import CatalogService\n"
        "from motcua.services.context import open_context\n"
        "from motcua.services.reception import ReceptionService\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_outbox_atomic import _receive\n"
        "ctx = open_context(Settings(), Path(sys.argv[1]))\n"
        "CatalogService(ctx).ensure_sample()\n"
        "svc = ReceptionService(ctx)\n"
        "svc.ensure_code_blocks(0)\n"
        "print('READY', flush=True)\n"
        "while True:\n"
        "    _receive(svc)\n",
        encoding="utf-8",
    )
    data = tmp_path / "ws"
    proc = subprocess.Popen([sys.executable, str(script), str(data)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)  # mid-transaction, most likely
    proc.wait(10)
    proc.stdout.close()
    import sqlite3

    db = sqlite3.connect(data / "workstation.sqlite")
    try:
        dossiers = {r[0] for r in db.execute("SELECT code FROM dossiers")}
        queued = {r[0] for r in db.execute("SELECT entity FROM outbox WHERE kind = 'dossier.received'")}
        events = {r[0] for r in db.execute("SELECT dossier FROM rep_events WHERE kind = 'dossier.received'")}
    finally:
        db.close()
    assert len(dossiers) > 20, "the burst did not get going"
    assert dossiers == queued == events
