"""``motcua data``: the personal data this workstation keeps (``data retention`` applies ``[retention]``)."""

from __future__ import annotations

import argparse
from typing import Any

from motcua.cli.common import context_from, print_json
from motcua.i18n import tr


def cmd_retention(args: argparse.Namespace) -> int:
    from motcua.services.retention import RetentionService

    ctx = context_from(args, seed_catalog=False)
    try:
        report = RetentionService(ctx).run(dry_run=args.dry_run)
        centre = _centre_retention(ctx, args.dry_run)
    finally:
        ctx.close()
    if args.json:
        print_json({**report.to_json(), **({"centre": centre.to_json()} if centre is not None else {})})
        return 0
    anonymised = sum(report.anonymised.values())
    head = tr("Chạy thử, chưa thay đổi gì:") if report.dry_run else tr("Đã áp dụng thời hạn lưu trữ:")
    print(head)
    print(tr("  hồ sơ được ẩn danh người nộp: {n}", n=anonymised))
    print(tr("  lượt hướng dẫn (Mẫu 02) được ẩn danh: {n}", n=report.visits))
    print(tr("  tệp số hóa bị xóa: {n} ({mb:.1f} MB)", n=report.documents, mb=report.document_bytes / 2**20))
    print(tr("  bản in lưu trong thư mục out bị xóa: {n}", n=report.out_files))
    if report.waiting:
        print(tr("  giữ lại vì chưa gửi xong lên trung tâm: {n}", n=report.waiting))
    if centre is not None and not centre.skipped:
        line = tr("  bản sao ở trung tâm: {n} hồ sơ, {v} lượt hướng dẫn được ẩn danh; {w} chờ gửi lên tỉnh",
                  n=sum(centre.anonymised.values()), v=centre.visits, w=centre.waiting)  # fmt: skip
        print(line)
    return 0


def _centre_retention(ctx: Any, dry_run: bool) -> Any:
    """On a one-PC centre, the rule applies to the centre's copy beside the workstation's too (None: no such copy)."""
    path = ctx.files_dir / "centre.sqlite"
    if not path.is_file() or ctx.settings.centre.agency_id == "":
        return None
    from motcua.services.node_retention import NodeRetention
    from motcua.services.queue.service import open_queue_store
    from motcua.services.sync_setup import centre_node

    store = open_queue_store(path)
    try:
        node = centre_node(store, ctx.agency_id, ctx.files_dir, clock=ctx.clock)
        has_uplink = bool(ctx.settings.sync.province_url)
        return NodeRetention(node, ctx.settings.retention, has_uplink=has_uplink).run(dry_run=dry_run)
    finally:
        store.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``data retention`` to the ``motcua`` command."""
    data = sub.add_parser("data", help=tr("dữ liệu cá nhân lưu trên máy này"))
    dsub = data.add_subparsers(dest="action", required=True, metavar="ACTION")
    ret = dsub.add_parser(
        "retention",
        help=tr("ẩn danh hồ sơ đã kết thúc và xóa tệp số hóa quá thời hạn lưu trữ (mục [retention] của cấu hình)"),
    )
    ret.add_argument("--dry-run", action="store_true", help=tr("chỉ đếm, không thay đổi gì"))
    ret.add_argument("--json", action="store_true", help=tr("in kết quả dạng JSON"))
    ret.set_defaults(func=cmd_retention)
