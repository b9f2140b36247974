"""``motcua print``: the receipt of a dossier (Mẫu 01) and the tracking book (Mẫu 06)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from motcua.cli.common import context_from
from motcua.i18n import tr


def cmd_print(args: argparse.Namespace) -> int:
    from motcua.services.printing import PrintingService
    from motcua.services.reception import ReceptionService

    ctx = context_from(args)
    try:
        d = ReceptionService(ctx).get(args.code)
        printing = PrintingService(ctx)
        Path(args.out).write_bytes(printing.receipt_pdf(d))
        if args.thermal:
            Path(args.thermal).write_bytes(printing.receipt_thermal_bytes(d, args.printer_profile))
        print(tr("Đã ghi giấy tiếp nhận {code} vào {file}", code=d.code, file=args.out))
    finally:
        ctx.close()
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    from motcua.services.printing import PrintingService

    ctx = context_from(args)
    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
        Path(args.out).write_bytes(PrintingService(ctx).tracking_book_pdf(start, end))
        print(tr("Đã ghi sổ theo dõi hồ sơ vào {file}", file=args.out))
    finally:
        ctx.close()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``print receipt`` and ``print book`` to the ``motcua`` command."""
    pr = sub.add_parser("print", help=tr("in giấy tờ"))
    prsub = pr.add_subparsers(dest="what", required=True, metavar="WHAT")
    rc = prsub.add_parser("receipt", help=tr("giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)"))
    rc.add_argument("code")
    rc.add_argument("--out", required=True, help=tr("tệp PDF"))
    rc.add_argument("--thermal", help=tr("tệp byte ESC/POS của biên nhận 80 mm"))
    rc.add_argument(
        "--printer-profile",
        help=tr("hồ sơ máy in python-escpos (ví dụ TM-T20II): máy có bảng mã tiếng Việt nhận biên nhận dạng chữ"),
    )
    rc.set_defaults(func=cmd_print)
    book = prsub.add_parser("book", help=tr("sổ theo dõi hồ sơ (Mẫu 06) cho một khoảng ngày"))
    book.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    book.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    book.add_argument("--out", required=True, help=tr("tệp PDF"))
    book.set_defaults(func=cmd_book)
