"""``motcua catalog``: import, export, search and synthesise the procedure catalog."""

from __future__ import annotations

import argparse
from pathlib import Path

from motcua.cli.common import bounded_int, context_from, output_path, print_json
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

# The national catalog has a few thousand procedures; a synthetic one a hundred times that is a typo.
MAX_SYNTHETIC = 100_000


def cmd_catalog(args: argparse.Namespace) -> int:
    from motcua.domain.catalog_io.files import load_catalog_file
    from motcua.services.catalog import CatalogService
    from motcua.store.atomic import replacing

    if args.action in ("import", "export") and not args.file:
        raise ValidationError(tr("Hãy cho biết tệp danh mục (.json hoặc .csv)"), "file")
    if args.action == "import":
        # Checked whole before the workstation is opened: a bad file costs nothing and changes nothing.
        procedures = load_catalog_file(Path(args.file))
    if args.action == "export":
        out = output_path(args.file, "FILE")
        if out.suffix.lower() not in (".json", ".csv"):
            raise ValidationError(tr("Chỉ xuất được tệp .json hoặc .csv"), "path")
    ctx = context_from(args, seed_catalog=args.action != "import")
    try:
        svc = CatalogService(ctx)
        if args.action == "import":
            n = svc.import_procedures(procedures, source=str(args.file))
            print(tr("Đã nhập {n} thủ tục từ {file}", n=n, file=args.file))
        elif args.action == "export":
            with replacing(out) as tmp:
                n = svc.export_file(tmp)
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
    cat.add_argument("--count", type=bounded_int(1, MAX_SYNTHETIC), default=2199)
    cat.add_argument("--json", action="store_true")
    cat.set_defaults(func=cmd_catalog)
