"""``motcua decode``: read barcodes and QR codes from images."""

from __future__ import annotations

import argparse

from motcua.cli.common import print_json
from motcua.i18n import tr


def cmd_decode(args: argparse.Namespace) -> int:
    from motcua.devices.barcode import decode_file

    results = []
    for f in args.images:
        symbols = decode_file(f)
        results.append({"file": f, "symbols": [{"type": s.type, "text": s.text} for s in symbols]})
    if args.json:
        print_json(results)
    else:
        for r in results:
            for s in r["symbols"] or [{"type": "-", "text": tr("(không đọc được mã)")}]:
                print(f"{r['file']}\t{s['type']}\t{s['text']}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``decode`` to the ``motcua`` command."""
    dec = sub.add_parser("decode", help=tr("đọc mã vạch/QR từ ảnh"))
    dec.add_argument("images", nargs="+")
    dec.add_argument("--json", action="store_true")
    dec.set_defaults(func=cmd_decode)
