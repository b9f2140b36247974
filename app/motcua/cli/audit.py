"""``motcua audit``: check and read the tamper-evident audit log (of this workstation, ``--role center`` of this
centre, ``--role province`` of the province's database).

- ``motcua audit verify [--json]``: walk every origin's hash chain; one line per entry edited, removed, inserted
  or reordered, with its origin and number; exit status 1 when anything is wrong, 0 when the log is intact.
- ``motcua audit list [--entity CODE] [--limit N] [--json]``: the entries, oldest first.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from motcua.cli.common import base_dir, print_json, settings_from
from motcua.domain.codes import check_agency_id
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

if TYPE_CHECKING:  # the command imports what it needs when it runs: every `motcua` command starts quicker
    from motcua.store.sql import Database


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise MotcuaError(tr("Không có cơ sở dữ liệu {file}", file=str(path)))
    return path


def open_log(args: argparse.Namespace) -> Database:
    """The database whose audit log the command reads: this workstation's, this centre's or the province's."""
    from motcua.services.queue.service import open_queue_store
    from motcua.services.sync_setup import centre_node, province_node
    from motcua.store.db import Store
    from motcua.store.schema import migrate_workstation
    from motcua.store.sql import SqliteDatabase

    settings = settings_from(args)
    base = base_dir(args, settings)
    if args.role == "province":
        target = args.database or str(_existing(base / "province.sqlite"))
        return province_node(target, args.province_id, base).db
    if args.role == "center":
        store = open_queue_store(_existing(base / "centre.sqlite"))
        return centre_node(store, check_agency_id(settings.centre.agency_id), base).db
    return SqliteDatabase(Store(_existing(base / "workstation.sqlite"), migrate_workstation))


def cmd_audit(args: argparse.Namespace) -> int:
    db = open_log(args)
    try:
        return _verify(db, args) if args.action == "verify" else _list(db, args)
    finally:
        db.close()


def _verify(db: Database, args: argparse.Namespace) -> int:
    from motcua.services import audit_trail

    result = audit_trail.verify(db)
    if args.json:
        print_json({
            "intact": result.intact,
            "origins": result.origins,
            "entries": result.entries,
            "problems": [p.to_json() for p in result.problems],
        })  # fmt: skip
    else:
        for p in result.problems:
            print(p.message)
        if result.intact:
            print(tr("Nhật ký nguyên vẹn: {origins} nguồn, {entries} mục", origins=result.origins,
                     entries=result.entries))  # fmt: skip
        else:
            print(tr("Nhật ký có {n} chỗ sai ({origins} nguồn, {entries} mục)", n=len(result.problems),
                     origins=result.origins, entries=result.entries))  # fmt: skip
    return 0 if result.intact else 1


def _list(db: Database, args: argparse.Namespace) -> int:
    from motcua.store import audit_chain

    with db.read() as sql:
        rows = audit_chain.entries(sql, args.entity, args.limit)
    out: list[dict[str, Any]] = []
    for row, e in rows:
        if e is None:
            out.append({"row": row, "chained": False})
            continue
        try:
            detail: Any = json.loads(e.detail)
        except ValueError:
            detail = e.detail
        out.append({"row": row, "origin": e.origin, "seq": e.seq, "at": e.at, "actor": e.actor,
                    "station": e.station, "action": e.action, "entity": e.entity, "detail": detail})  # fmt: skip
    if args.json:
        print_json(out)
        return 0
    for item in out:
        if not item.get("chained", True):
            print(tr("dòng {row}: không thuộc chuỗi", row=item["row"]))
            continue
        print("\t".join(str(item[k]) for k in ("origin", "seq", "at", "actor", "station", "action", "entity")))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit`` to the ``motcua`` command."""
    p = sub.add_parser("audit", help=tr("nhật ký thao tác: kiểm tra chuỗi mã băm, xem các mục"))
    p.add_argument("action", choices=["verify", "list"])
    p.add_argument("--role", choices=["workstation", "center", "province"], default="workstation",
                   help=tr("máy trạm (mặc định), máy chủ trung tâm hoặc máy chủ tỉnh"))  # fmt: skip
    p.add_argument("--database", help=tr("máy chủ tỉnh: postgresql://… hoặc tệp SQLite (mặc định province.sqlite)"))
    p.add_argument("--province-id", default="H38", help=tr("mã tỉnh (mặc định H38)"))
    p.add_argument("--entity", help=tr("chỉ các mục của hồ sơ hoặc bản ghi này (list)"))
    p.add_argument("--limit", type=int, default=1000, help=tr("số mục tối đa, mới nhất (list; mặc định 1000)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit)
