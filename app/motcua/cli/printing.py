"""``motcua print``: the receipt of a dossier (Mẫu 01) and the tracking book (Mẫu 06)."""

from __future__ import annotations

import argparse

from motcua.cli.common import context_from, output_path, parse_date
from motcua.domain.errors import ValidationError
from motcua.i18n import tr


def cmd_print(args: argparse.Namespace) -> int:
    from motcua.services.printing import PrintingService
    from motcua.services.reception import ReceptionService
    from motcua.store.atomic import write_atomic  # the store (sqlite-utils) loads with the command

    out = output_path(args.out)
    thermal = output_path(args.thermal, "--thermal") if args.thermal else None
    ctx = context_from(args)
    try:
        d = ReceptionService(ctx).get(args.code)
        printing = PrintingService(ctx)
        # Both documents are made before either is written: a failure leaves neither file half-done.
        pdf = printing.receipt_pdf(d)
        escpos = printing.receipt_thermal_bytes(d, args.printer_profile) if thermal else b""
        write_atomic(out, pdf)
        if thermal:
            write_atomic(thermal, escpos)
        print(tr("Đã ghi giấy tiếp nhận {code} vào {file}", code=d.code, file=args.out))
    finally:
        ctx.close()
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    from motcua.services.printing import PrintingService
    from motcua.store.atomic import write_atomic  # the store (sqlite-utils) loads with the command

    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    if end < start:
        raise ValidationError(
            tr("Ngày kết thúc {end} trước ngày bắt đầu {start}", start=args.start, end=args.end), "--to"
        )
    out = output_path(args.out)
    ctx = context_from(args)
    try:
        write_atomic(out, PrintingService(ctx).tracking_book_pdf(start, end))
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
