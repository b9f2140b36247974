"""The ``motcua`` command: run the desktop app, and script the counter (catalog, dossiers, printing, codes)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from motcua import cli_queue, cli_scan
from motcua.config import ConfigError, Settings, load_settings
from motcua.domain.errors import MotcuaError
from motcua.i18n import SUPPORTED_LANGUAGES, set_language, tr
from motcua.paths import kiosk_config_dir

Handler = Callable[[argparse.Namespace], int]


def _settings(args: argparse.Namespace) -> Settings:
    path = Path(args.config) if args.config else kiosk_config_dir() / "centre.toml"
    return load_settings(path)


def _context(args: argparse.Namespace, seed_catalog: bool = True) -> Any:
    """Open the workstation; like the app, a fresh one starts with the shipped sample catalog."""
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context

    settings = _settings(args)
    directory = Path(args.data_dir) if args.data_dir else None
    ctx = open_context(settings, directory)
    if seed_catalog:
        CatalogService(ctx).ensure_sample()
    return ctx


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


# -- run ------------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    """Open the windows of ``--mode`` (comma-separated: ``counter,display``), with the queue of this centre.

    The queue is the centre server named in queue.toml ``[client]``, or, on a one-PC centre, the centre run in this
    process (with its server on 127.0.0.1 for other programs of this PC); it is closed when the windows are.
    """
    from motcua.domain.queue_config import load_queue_config
    from motcua.paths import data_dir
    from motcua.ui.app import RUN_MODES, run_app

    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    if not modes or any(m not in RUN_MODES for m in modes):
        print(tr("Chế độ không hợp lệ: {mode} (chọn trong {modes})", mode=args.mode, modes=", ".join(RUN_MODES)))
        return 2
    settings = _settings(args)
    directory = Path(args.data_dir) if args.data_dir else None
    queue_path = Path(args.queue_config) if args.queue_config else kiosk_config_dir() / "queue.toml"
    handle = cli_queue.open_queue_api(
        load_queue_config(queue_path), directory or (Path(settings.data_dir) if settings.data_dir else data_dir())
    )
    if handle.server is not None:
        print(tr("Máy chủ trung tâm nhúng: {url}", url=handle.server.url), file=sys.stderr)
    try:
        return run_app(settings, mode=",".join(modes), data_dir=directory, queue=handle.api)
    finally:
        handle.close()


# -- catalog --------------------------------------------------------------------------------------------
def cmd_catalog(args: argparse.Namespace) -> int:
    from motcua.services.catalog import CatalogService

    ctx = _context(args, seed_catalog=args.action != "import")
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
                from motcua.domain.catalog_io import procedure_to_dict

                _print_json([procedure_to_dict(p) for p in found])
            else:
                for p in found:
                    print(f"{p.code}\t{p.name}\t{p.processing_time.describe()}")
    finally:
        ctx.close()
    return 0


# -- dossier --------------------------------------------------------------------------------------------
def _applicant_from_args(args: argparse.Namespace) -> Any:
    from motcua.domain.applicant import Address, Applicant, ApplicantKind, Sex
    from motcua.domain.cccd import parse_cccd

    if args.qr:
        base = parse_cccd(args.qr).to_applicant()
    else:
        base = Applicant(
            kind=ApplicantKind.ORGANISATION if args.organisation else ApplicantKind.PERSON,
            name=args.name or "",
            id_number=args.id or "",
            birth_date=date.fromisoformat(args.birth) if args.birth else None,
            sex=Sex(args.sex) if args.sex else None,
            address=Address(detail=args.address or "", commune=args.commune or "", province=args.province or ""),
        )
    from dataclasses import replace

    return replace(base, phone=args.phone or base.phone, email=args.email or base.email)


def cmd_dossier(args: argparse.Namespace) -> int:
    from motcua.services.reception import ReceiveRequest, ReceptionService
    from motcua.store.serialize import dossier_to_dict

    ctx = _context(args)
    try:
        svc = ReceptionService(ctx)
        if args.action == "receive":
            from motcua.domain.dossier import ReceivedComponent

            procedure = svc.procedure(args.procedure)
            wanted = None if args.components in (None, "all") else set(args.components.split(","))
            comps = tuple(
                ReceivedComponent(c.code, c.name, c.originals, c.certified_copies, c.photocopies or 1)
                for c in procedure.components
                if wanted is None or c.code in wanted
            )
            svc.ensure_code_blocks()
            d = svc.receive(
                ReceiveRequest(
                    procedure_code=procedure.code,
                    applicant=_applicant_from_args(args),
                    components=comps,
                    sets=args.sets,
                    note=args.note or "",
                )
            )
        elif args.action == "show":
            d = svc.get(args.code)
        elif args.action == "act":
            from motcua.domain.status import Action

            d = svc.act(args.code, Action(args.do), note=args.note or "", agency=args.agency or "")
        else:
            found = svc.search(args.text, args.limit)
            if args.json:
                _print_json([dossier_to_dict(x) for x in found])
            else:
                for x in found:
                    print(f"{x.code}\t{x.applicant.name}\t{x.procedure_name}\t{x.status.label}")
            return 0
        if args.json:
            data = dossier_to_dict(d)
            data["timeliness"] = svc.timeliness(d).value
            _print_json(data)
        else:
            due = d.due_at.strftime("%H:%M %d/%m/%Y") if d.due_at else "—"
            print(tr("{code}: {status}; hẹn trả {due}", code=d.code, status=d.status.label, due=due))
    finally:
        ctx.close()
    return 0


# -- print ----------------------------------------------------------------------------------------------
def cmd_print(args: argparse.Namespace) -> int:
    from motcua.services.printing import PrintingService
    from motcua.services.reception import ReceptionService

    ctx = _context(args)
    try:
        d = ReceptionService(ctx).get(args.code)
        printing = PrintingService(ctx)
        Path(args.out).write_bytes(printing.receipt_pdf(d))
        if args.thermal:
            Path(args.thermal).write_bytes(printing.receipt_thermal_bytes(d))
        print(tr("Đã ghi giấy tiếp nhận {code} vào {file}", code=d.code, file=args.out))
    finally:
        ctx.close()
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    from motcua.services.printing import PrintingService

    ctx = _context(args)
    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
        Path(args.out).write_bytes(PrintingService(ctx).tracking_book_pdf(start, end))
        print(tr("Đã ghi sổ theo dõi hồ sơ vào {file}", file=args.out))
    finally:
        ctx.close()
    return 0


# -- calendar -------------------------------------------------------------------------------------------
def cmd_calendar(args: argparse.Namespace) -> int:
    from motcua.services.calendar_admin import CalendarAdmin

    ctx = _context(args, seed_catalog=False)
    try:
        admin = CalendarAdmin(ctx)
        if args.action == "list":
            days = admin.year(int(args.value))
            if args.json:
                _print_json([{"date": d.day.isoformat(), "working": d.working, "label": d.label} for d in days])
            else:
                for d in days:
                    kind = tr("làm việc") if d.working else tr("nghỉ")
                    print(f"{d.day:%d/%m/%Y}\t{kind}\t{d.label}")
        elif args.action == "clear":
            admin.clear_day(date.fromisoformat(args.value))
        else:
            admin.set_day(date.fromisoformat(args.value), working=args.action == "work", label=args.label or "")
    finally:
        ctx.close()
    return 0


# -- decode ---------------------------------------------------------------------------------------------
def cmd_decode(args: argparse.Namespace) -> int:
    from motcua.devices.barcode import decode_file

    results = []
    for f in args.images:
        symbols = decode_file(f)
        results.append({"file": f, "symbols": [{"type": s.type, "text": s.text} for s in symbols]})
    if args.json:
        _print_json(results)
    else:
        for r in results:
            for s in r["symbols"] or [{"type": "-", "text": tr("(không đọc được mã)")}]:
                print(f"{r['file']}\t{s['type']}\t{s['text']}")
    return 0


# -- bench ----------------------------------------------------------------------------------------------
def cmd_bench(args: argparse.Namespace) -> int:
    from motcua.bench import run_benchmark

    result = run_benchmark(args.name, quick=args.quick)
    if args.json:
        _print_json(result)
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="motcua", description=tr("MotCua Desk — phần mềm Bộ phận Một cửa"))
    p.add_argument("--config", help=tr("tệp cấu hình (mặc định kiosk_config/centre.toml)"))
    p.add_argument("--data-dir", help=tr("thư mục dữ liệu của máy trạm"))
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=tr("ngôn ngữ: vi hoặc en"))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help=tr("mở ứng dụng"))
    run.add_argument(
        "--mode",
        default="counter",
        help=tr("counter, kiosk, display, supervisor, all, hoặc vài chế độ: counter,display"),
    )
    run.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    run.set_defaults(func=cmd_run)

    cat = sub.add_parser("catalog", help=tr("danh mục thủ tục: nhập, xuất, tìm"))
    cat.add_argument("action", choices=["import", "export", "search", "synthetic"])
    cat.add_argument("file", nargs="?", help=tr("tệp .json/.csv (hoặc từ khóa khi tìm)"))
    cat.add_argument("--count", type=int, default=2199)
    cat.add_argument("--json", action="store_true")
    cat.set_defaults(func=cmd_catalog)

    dos = sub.add_parser("dossier", help=tr("hồ sơ: tiếp nhận, xem, tìm, chuyển trạng thái"))
    dsub = dos.add_subparsers(dest="action", required=True, metavar="ACTION")
    rec = dsub.add_parser("receive", help=tr("tiếp nhận một hồ sơ"))
    rec.add_argument("--procedure", required=True, help=tr("mã thủ tục"))
    rec.add_argument("--qr", help=tr("nội dung mã QR trên thẻ căn cước"))
    rec.add_argument("--name")
    rec.add_argument("--id", help=tr("số định danh 12 số (hoặc mã số thuế)"))
    rec.add_argument("--birth", help="YYYY-MM-DD")
    rec.add_argument("--sex", choices=["Nam", "Nữ"])
    rec.add_argument("--address")
    rec.add_argument("--commune")
    rec.add_argument("--province")
    rec.add_argument("--phone")
    rec.add_argument("--email")
    rec.add_argument("--organisation", action="store_true")
    rec.add_argument("--components", default="all", help=tr("mã thành phần đã nhận, cách nhau bởi dấu phẩy"))
    rec.add_argument("--sets", type=int, default=1)
    rec.add_argument("--note")
    show = dsub.add_parser("show", help=tr("xem một hồ sơ"))
    show.add_argument("code")
    srch = dsub.add_parser("search", help=tr("tìm hồ sơ theo mã, số định danh, tên, số điện thoại"))
    srch.add_argument("text")
    srch.add_argument("--limit", type=int, default=50)
    act = dsub.add_parser("act", help=tr("chuyển trạng thái hồ sơ"))
    act.add_argument("code")
    act.add_argument(
        "do",
        choices=[
            "transfer",
            "start",
            "request_supplement",
            "supply",
            "request_payment",
            "pay",
            "withdraw",
            "stop",
            "resolve",
            "return_result",
            "refuse",
        ],
    )
    act.add_argument("--note")
    act.add_argument("--agency")
    for sp in (rec, show, srch, act):
        sp.add_argument("--json", action="store_true")
    dos.set_defaults(func=cmd_dossier)

    pr = sub.add_parser("print", help=tr("in giấy tờ"))
    prsub = pr.add_subparsers(dest="what", required=True, metavar="WHAT")
    rc = prsub.add_parser("receipt", help=tr("giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)"))
    rc.add_argument("code")
    rc.add_argument("--out", required=True, help=tr("tệp PDF"))
    rc.add_argument("--thermal", help=tr("tệp byte ESC/POS của biên nhận 80 mm"))
    rc.set_defaults(func=cmd_print)
    book = prsub.add_parser("book", help=tr("sổ theo dõi hồ sơ (Mẫu 06) cho một khoảng ngày"))
    book.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    book.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    book.add_argument("--out", required=True, help=tr("tệp PDF"))
    book.set_defaults(func=cmd_book)

    cal = sub.add_parser("calendar", help=tr("điều chỉnh lịch làm việc: ngày nghỉ thêm, ngày làm bù"))
    cal.add_argument("action", choices=["list", "off", "work", "clear"])
    cal.add_argument("value", help=tr("năm (list) hoặc ngày YYYY-MM-DD"))
    cal.add_argument("--label", help=tr("lý do, ví dụ: Nghỉ theo thông báo của UBND tỉnh"))
    cal.add_argument("--json", action="store_true")
    cal.set_defaults(func=cmd_calendar)

    dec = sub.add_parser("decode", help=tr("đọc mã vạch/QR từ ảnh"))
    dec.add_argument("images", nargs="+")
    dec.add_argument("--json", action="store_true")
    dec.set_defaults(func=cmd_decode)

    b = sub.add_parser("bench", help=tr("chạy đo hiệu năng"))
    b.add_argument("name")
    b.add_argument("--json", action="store_true")
    b.add_argument("--quick", action="store_true", help=tr("bản thu nhỏ (để kiểm thử)"))
    b.set_defaults(func=cmd_bench)

    cli_scan.register(sub)
    cli_queue.register(sub)
    return p


def _early_language(argv: Sequence[str]) -> str | None:
    """``--lang`` as given, looked for before the parser exists so that ``--help`` speaks that language too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("MOTCUA_LANG")


def main(argv: Sequence[str] | None = None) -> int:
    early = _early_language(list(sys.argv[1:] if argv is None else argv))
    if early in SUPPORTED_LANGUAGES:
        set_language(early)
    args = build_parser().parse_args(argv)
    lang = args.lang or os.environ.get("MOTCUA_LANG")
    try:
        if lang:
            set_language(lang)
        else:
            set_language(_settings(args).ui.language)
        return int(args.func(args))
    except (MotcuaError, ConfigError) as exc:
        print(tr("Lỗi: {message}", message=str(exc)), file=sys.stderr)
        return 2
    except ValueError as exc:
        # Dates and numbers given on the command line (fromisoformat, int) that do not parse.
        print(tr("Lỗi: giá trị không hợp lệ: {error}", error=str(exc)), file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(tr("Lỗi: không tìm thấy tệp {file}", file=exc.filename), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
