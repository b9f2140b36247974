"""The ``motcua scan`` command: find pages in images, and make a compact PDF of them.

Registered by ``motcua.cli.build_parser`` through ``register(sub)``; errors are ``MotcuaError`` subclasses, so
``motcua.cli.main`` prints "Lỗi: …" and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from motcua.cli.common import output_path
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

_MODES = ("bw", "grey", "colour")
# A4 rectified at 600 dpi is 5000×7000 pixels, finer than any camera frame holds; more only costs minutes and memory.
MAX_DPI = 600


def _read_image(path: str) -> Any:
    from motcua.devices.images import load_image

    return load_image(path)


def cmd_scan_detect(args: argparse.Namespace) -> int:
    from motcua.documents.scan import detect_page

    results = []
    for f in args.images:
        corners = detect_page(_read_image(f))
        results.append(
            {"file": f, "corners": None if corners is None else [[round(x, 2), round(y, 2)] for x, y in corners]}
        )
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for r in results:
            where = " ".join(f"{x:.0f},{y:.0f}" for x, y in r["corners"]) if r["corners"] else tr("(không thấy trang)")
            print(f"{r['file']}\t{where}")
    return 0


def cmd_scan_pdf(args: argparse.Namespace) -> int:
    from motcua.documents.scan.pages import MIN_DPI
    from motcua.documents.scan.quality import quality_warnings
    from motcua.documents.scan.session import page_from_image, pdf_of, rectified
    from motcua.store.atomic import write_atomic  # the store (sqlite-utils) loads with the command

    if not MIN_DPI <= args.dpi <= MAX_DPI:
        raise ValidationError(
            tr(
                "Độ phân giải phải từ {low} dpi đến {high} dpi, không phải {dpi}",
                low=MIN_DPI,
                high=MAX_DPI,
                dpi=args.dpi,
            ),
            "dpi",
        )
    out = output_path(args.out)
    pages = [page_from_image(_read_image(f), flat=args.flat, page=args.page) for f in args.images]
    for f, page in zip(args.images, pages, strict=True):
        if not page.detected and not args.flat:
            print(tr("{file}: không thấy mép trang, lấy cả ảnh", file=f), file=sys.stderr)
        for warning in quality_warnings(rectified(page, args.dpi)):
            print(f"{f}: {warning}", file=sys.stderr)
    data = pdf_of(pages, args.mode, args.dpi, title=out.stem)
    write_atomic(out, data)
    print(tr("Đã ghi {pages} trang ({size} KB) vào {file}", pages=len(pages), size=len(data) // 1024, file=args.out))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``scan detect`` and ``scan pdf`` to the ``motcua`` command."""
    scan = sub.add_parser("scan", help=tr("số hóa giấy tờ: tìm trang trong ảnh, tạo tệp PDF"))
    ssub = scan.add_subparsers(dest="action", required=True, metavar="ACTION")
    det = ssub.add_parser("detect", help=tr("tìm bốn góc trang giấy trong ảnh"))
    det.add_argument("images", nargs="+")
    det.add_argument("--json", action="store_true")
    det.set_defaults(func=cmd_scan_detect)
    pdf = ssub.add_parser("pdf", help=tr("nắn thẳng các trang và ghi một tệp PDF nhiều trang"))
    pdf.add_argument("images", nargs="+")
    pdf.add_argument("--out", required=True, help=tr("tệp PDF"))
    pdf.add_argument("--mode", choices=_MODES, default="bw", help=tr("đen trắng, xám hoặc màu"))
    pdf.add_argument("--dpi", type=int, default=200)
    pdf.add_argument("--page", choices=["auto", "A4", "A5"], default="auto", help=tr("khổ giấy"))
    pdf.add_argument("--flat", action="store_true", help=tr("ảnh đã là trang phẳng (máy quét), không tìm mép"))
    pdf.set_defaults(func=cmd_scan_pdf)
