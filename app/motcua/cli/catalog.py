"""``motcua catalog``: import, export, search and synthesise the procedure catalog."""

from __future__ import annotations

import argparse
from pathlib import Path

from motcua.cli.common import context_from, print_json
from motcua.i18n import tr


def cmd_catalog(args: argparse.Namespace) -> int:
    from motcua.services.catalog import CatalogService

    ctx = context_from(args, seed_catalog=args.action != "import")
    try:
        svc = CatalogService(ctx)
        if args.action == "import":
            n = svc.import_file(Path(args.file))
            print(tr("Đã nhập {n} thủ tục từ {file}", n=n, file=args.file))
        elif args.action == "export":
            n = svc.export_file(Path(args.file))
            print(tr("Đã xuất {n} thủ tục ra {file}", n=n, file=args.file))
        elif args.action == "synthetic":
            n = svc.load_synthetic(args.count)
            print(tr("Đã tạo {n} thủ tục tổng hợp", n=n))
        else:  # search
            found = svc.search(args.file or "")
            if args.json:
                from motcua.domain.catalog_io.records import procedure_to_dict

                print_json([procedure_to_dict(p) for p in found])
            else:
                for p in found:
                    print(f"{p.code}\t{p.name}\t{p.processing_time.describe()}")
    finally:
        ctx.close()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``catalog`` to the ``motcua`` command."""
    cat = sub.add_parser("catalog", help=tr("danh mục thủ tục: nhập, xuất, tìm"))
    cat.add_argument("action", choices=["import", "export", "search", "synthetic"])
    cat.add_argument("file", nargs="?", help=tr("tệp .json/.csv (hoặc từ khóa khi tìm)"))
    cat.add_argument("--count", type=int, default=2199)
    cat.add_argument("--json", action="store_true")
    cat.set_defaults(func=cmd_catalog)
