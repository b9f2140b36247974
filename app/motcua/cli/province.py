"""``motcua province``: administer the province server's data (on its database, PostgreSQL or SQLite).

- ``motcua province centre add 000.25.38.H38 --name "…" [--agency 000.00.25.H38 …]``: register a centre and print
  its credential (once); ``centre list``; ``centre revoke ID``.
- ``motcua province catalog publish FILE``: the procedure catalog every centre and counter will receive.
- ``motcua province calendar publish FILE``: the government's announced days off and working days, likewise.
- ``motcua province act CODE ACTION [--note …] [--agency …]``: a decision of the provincial system (processing,
  resolved, supplement requested …) that flows back down to the counter that received the dossier.
- ``motcua province status --json``: counts of dossiers, events, documents and unsettled conflicts.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from motcua.cli.common import base_dir, print_json, settings_from
from motcua.domain.status import Action
from motcua.i18n import tr

if TYPE_CHECKING:
    from motcua.services.sync_node import SyncNode

# The province's database code (and PostgreSQL's driver) is imported by the command, not by ``motcua``'s parser.


def _node(args: argparse.Namespace) -> SyncNode:
    from motcua.services.sync_setup import province_node

    base = base_dir(args, settings_from(args))
    return province_node(args.database or str(base / "province.sqlite"), args.province_id, base)


def cmd_province(args: argparse.Namespace) -> int:
    from motcua.domain.catalog_io.files import load_catalog_file
    from motcua.domain.catalog_io.json_format import dump_catalog_json
    from motcua.services.calendar_announcements import parse_announcements

    node = _node(args)
    try:
        if args.group == "centre":
            return _centre(node, args)
        if args.group == "calendar":
            body = Path(args.target).read_text(encoding="utf-8")
            days = parse_announcements(body)  # a bad file is refused here, not at every counter
            etag = node.publish("calendar", body)
            print(tr("Đã công bố lịch {n} ngày nghỉ, ngày làm bù (ETag {etag})", n=len(days), etag=etag[:12]))
            return 0
        if args.group == "catalog":
            procedures = load_catalog_file(Path(args.target))
            etag = node.publish_catalog(dump_catalog_json(procedures))
            print(tr("Đã công bố danh mục {n} thủ tục (ETag {etag})", n=len(procedures), etag=etag[:12]))
            return 0
        if args.group == "act":
            env = node.act(args.target, Action(args.action), args.actor, note=args.note or "", agency=args.agency or "")
            print(tr("Đã ghi {action} cho hồ sơ {code} (sự kiện {key})", action=args.action, code=args.target,
                     key=env.key))  # fmt: skip
            return 0
        print_json(node.summary())
        return 0
    finally:
        node.close()


def _centre(node: SyncNode, args: argparse.Namespace) -> int:
    from motcua.store import replica_peers

    now = datetime.now().replace(microsecond=0)
    with node.db.write() as sql:
        if args.action == "add":
            token = replica_peers.add_peer(sql, args.target, args.name or "", args.agency or [], now)
            print(token)
        elif args.action == "revoke":
            replica_peers.revoke_peer(sql, args.target, now)
        else:
            for p in replica_peers.list_peers(sql):
                state = tr("đã thu hồi {at}", at=p.revoked_at) if p.revoked_at else tr("đang dùng")
                print(f"{p.peer}\t{p.name}\t{','.join(p.agencies)}\t{p.created_at}\t{state}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``province`` to the ``motcua`` command."""
    p = sub.add_parser("province", help=tr("quản trị máy chủ tỉnh: trung tâm, danh mục, quyết định hồ sơ"))
    p.add_argument("--database", help=tr("postgresql://… hoặc tệp SQLite (mặc định province.sqlite)"))
    p.add_argument("--province-id", default="H38", help=tr("mã tỉnh (mặc định H38)"))
    gsub = p.add_subparsers(dest="group", required=True, metavar="GROUP")
    c = gsub.add_parser("centre", help=tr("trung tâm cấp dưới và mã truy cập của nó"))
    c.add_argument("action", choices=["add", "list", "revoke"])
    c.add_argument("target", nargs="?", default="", help=tr("mã định danh của trung tâm"))
    c.add_argument("--name", help=tr("tên trung tâm"))
    c.add_argument("--agency", action="append", help=tr("cơ quan khác mà trung tâm giải quyết hồ sơ (lặp lại được)"))
    cat = gsub.add_parser("catalog", help=tr("công bố danh mục thủ tục"))
    cat.add_argument("action", choices=["publish"])
    cat.add_argument("target", help=tr("tệp .json/.csv"))
    cal = gsub.add_parser("calendar", help=tr("công bố ngày nghỉ, ngày làm bù cho mọi trung tâm"))
    cal.add_argument("action", choices=["publish"])
    cal.add_argument("target", help=tr("tệp .json dạng resources/calendar/announcements.json"))
    act = gsub.add_parser("act", help=tr("quyết định của hệ thống tỉnh về một hồ sơ"))
    act.add_argument("target", help=tr("mã hồ sơ"))
    act.add_argument("action", choices=[a.value for a in Action if a is not Action.RECEIVE])
    act.add_argument("--note")
    act.add_argument("--agency")
    act.add_argument("--actor", default="Hệ thống tỉnh")
    gsub.add_parser("status", help=tr("số hồ sơ, sự kiện, tệp, xung đột"))
    p.set_defaults(func=cmd_province)
