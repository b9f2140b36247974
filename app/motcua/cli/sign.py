"""``motcua pdf``: sign a PDF with the officer's digital signature, and check the signatures of a PDF."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

from motcua.cli.common import context_from, print_json, settings_from
from motcua.i18n import tr


def ask_on_terminal(question: str) -> str:
    """The PIN from the terminal, not echoed; nothing when there is no terminal (a script must put it in the
    settings, or get a clear error rather than hang)."""
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(question)


def _write(path: Path, data: bytes) -> None:
    # Through a temporary name, so an interrupted write never leaves a half-signed file under the final name.
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def cmd_sign(args: argparse.Namespace) -> int:
    from motcua.services.signing import SigningService

    source = Path(args.input)
    data = source.read_bytes()
    ctx = context_from(args, seed_catalog=False)
    try:
        signed = SigningService(ctx, ask_on_terminal).sign_file(data, source.name, args.reason or "")
    finally:
        ctx.close()
    _write(Path(args.out), signed)
    print(tr("Đã ký số {file} vào {out}", file=args.input, out=args.out))
    return 0


def cmd_sign_receipt(args: argparse.Namespace) -> int:
    from motcua.services.signing import SigningService

    ctx = context_from(args)
    try:
        signed = SigningService(ctx, ask_on_terminal).sign_receipt(args.code)
    finally:
        ctx.close()
    _write(Path(args.out), signed)
    print(tr("Đã ký số giấy tiếp nhận {code} vào {out}", code=args.code, out=args.out))
    return 0


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M:%S %z") if value is not None else "—"


def _yes(flag: bool) -> str:
    return tr("có") if flag else tr("không")


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit status 0 when every signature holds, 1 when one does not (a script can act on it)."""
    from motcua.services.signing import verify_document

    reports = verify_document(settings_from(args).signing, Path(args.file).read_bytes())
    if args.json:
        print_json([r.as_dict() for r in reports])
    else:
        for n, r in enumerate(reports, 1):
            print(tr("Chữ ký {n} ({field}): {verdict}", n=n, field=r.field, verdict=r.verdict()))
            print(tr("  Người ký: {subject}", subject=r.signer))
            print(tr("  Cấp bởi: {issuer}", issuer=r.issuer))
            print(tr("  Thời gian ký (theo máy người ký): {time}", time=_when(r.signed_at)))
            if r.timestamp_at is not None:
                print(tr("  Dấu thời gian: {time}", time=_when(r.timestamp_at)))
            print(
                tr(
                    "  Nguyên vẹn: {intact}; chữ ký đúng: {valid}; không sửa sau khi ký: {unchanged}; "
                    "chứng thư tin cậy: {trusted}",
                    intact=_yes(r.intact),
                    valid=_yes(r.valid),
                    unchanged=_yes(r.unchanged),
                    trusted=_yes(r.trusted),
                )
            )
    return 0 if all(r.ok for r in reports) else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pdf sign``, ``pdf sign-receipt`` and ``pdf verify`` to the ``motcua`` command."""
    pdf = sub.add_parser("pdf", help=tr("ký số và kiểm tra chữ ký số trên tệp PDF"))
    pdfsub = pdf.add_subparsers(dest="what", required=True, metavar="WHAT")
    sign = pdfsub.add_parser("sign", help=tr("ký số một tệp PDF bằng chứng thư số trong mục [signing]"))
    sign.add_argument("input", metavar="IN.pdf")
    sign.add_argument("--out", required=True, help=tr("tệp PDF đã ký"))
    sign.add_argument("--reason", help=tr("lý do ký, ghi trong chữ ký số (trình đọc PDF hiển thị)"))
    sign.set_defaults(func=cmd_sign)
    receipt = pdfsub.add_parser("sign-receipt", help=tr("ký số giấy tiếp nhận và hẹn trả kết quả (Mẫu 01) của hồ sơ"))
    receipt.add_argument("code")
    receipt.add_argument("--out", required=True, help=tr("tệp PDF đã ký"))
    receipt.set_defaults(func=cmd_sign_receipt)
    verify = pdfsub.add_parser(
        "verify", help=tr("kiểm tra chữ ký số của tệp PDF (mã thoát 0: mọi chữ ký hợp lệ, 1: có chữ ký không hợp lệ)")
    )
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument("--json", action="store_true", help=tr("in kết quả dạng JSON"))
    verify.set_defaults(func=cmd_verify)
