"""``motcua report``: the supervisor's reports from the command line (and a scheduled task).

- ``motcua report daily [--date D] [--out F.pdf] [--json] [--archive]``: the day's summary;
- ``motcua report period --from D --to D [--by sector|agency] [--out F.pdf|F.xlsx] [--json]``: dossier handling
  over a range, with the Decision 766 estimate per month;
- ``motcua report index --from D --to D [--by-sector] [--json]``: the service index estimate alone.

Dossiers come from this workstation's database; tickets and ratings from the centre's queue (the server in
queue.toml ``[client]``, else the centre database on this PC).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from datetime import date
from typing import Any

from motcua.cli.common import context_from, output_path, parse_date, print_json, queue_path
from motcua.collector import collected_after
from motcua.i18n import tr


def _queue_facts(args: argparse.Namespace, ctx: Any, stack: ExitStack) -> Any:
    """Where tickets and ratings come from; a report without them (dossiers only) when there is no queue here."""
    from motcua.domain.queue_config import load_queue_config
    from motcua.paths import kiosk_config_dir
    from motcua.services.reports import NoQueue

    path = queue_path(args) or kiosk_config_dir() / "queue.toml"
    config = load_queue_config(path)
    if config.server_url:
        from motcua.sync.http import Tls
        from motcua.sync.queue_client import HttpQueueClient

        client = HttpQueueClient(
            config.server_url, config.token, tls=Tls(pin_sha256=ctx.settings.sync.centre_tls_pin_sha256)
        )
        stack.callback(client.close)
        return client
    centre_db = ctx.files_dir / "centre.sqlite"
    if not centre_db.exists():
        return NoQueue()
    from motcua.services.queue.service import QueueService, open_queue_store

    store = open_queue_store(centre_db)
    stack.callback(store.close)
    return QueueService(store, config)


def _services(args: argparse.Namespace, stack: ExitStack) -> tuple[Any, Any]:
    from motcua.domain.reports.service_index import indicators_from
    from motcua.services.report_files import ReportFiles
    from motcua.services.reports import ReportService

    ctx = context_from(args, seed_catalog=False)
    stack.callback(ctx.close)
    indicators = indicators_from(ctx.settings.reports.index)
    return ReportService(ctx, _queue_facts(args, ctx, stack), indicators), ReportFiles(ctx)


def _day_json(s: Any) -> dict[str, Any]:
    from motcua.domain.reports.figures import to_jsonable

    data: dict[str, Any] = to_jsonable(s)
    data["resolved"] = s.resolved
    data["on_time_share"] = s.on_time_share
    data["ratings"]["satisfied_share"] = s.ratings.satisfied_share
    return data


def cmd_daily(args: argparse.Namespace) -> int:
    from motcua.store.atomic import write_atomic  # the store (sqlite-utils) loads with the command

    out = output_path(args.out) if args.out else None
    with ExitStack() as stack:
        reports, files = _services(args, stack)
        day = parse_date(args.date, "--date") if args.date else reports.ctx.clock().date()
        summary = reports.daily(day)
        if out is not None:
            write_atomic(out, files.daily_pdf(summary))
            print(tr("Đã ghi báo cáo tổng hợp ngày {day} vào {file}", day=f"{day:%d/%m/%Y}", file=str(out)),
                  file=sys.stderr)  # fmt: skip
        if args.archive:
            from motcua.services.report_archive import ReportArchive, archive_due

            archive = ReportArchive(reports.ctx.files_dir / "reports")
            for path in archive_due(reports, files, archive):
                print(tr("Đã lưu trữ {file}", file=str(path)), file=sys.stderr)
        if args.json:
            print_json(_day_json(summary))
        elif out is None and not args.archive:
            _print_day(summary)
    return 0


def _print_day(s: Any) -> None:
    share = s.on_time_share
    print(
        tr(
            "{day}: {tickets} số thứ tự ({served} đã phục vụ), {received} hồ sơ tiếp nhận, {resolved} hồ sơ giải "
            "quyết ({share} đúng hạn), {overdue} hồ sơ quá hạn, {ratings} lượt đánh giá",
            day=f"{s.day:%d/%m/%Y}",
            tickets=s.tickets_issued,
            served=s.tickets_served,
            received=s.received,
            resolved=s.resolved,
            share="—" if share is None else f"{share:.1%}",
            overdue=len(s.overdue),
            ratings=s.ratings.total,
        )
    )


def _range(args: argparse.Namespace) -> tuple[date, date]:
    from motcua.domain.reports.period import check_range

    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    check_range(start, end)
    return start, end


def cmd_period(args: argparse.Namespace) -> int:
    from motcua.domain.reports.figures import to_jsonable
    from motcua.domain.reports.period import GroupBy
    from motcua.store.atomic import write_atomic  # the store (sqlite-utils) loads with the command

    start, end = _range(args)
    out = output_path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".pdf", ".xlsx"):
        from motcua.domain.errors import ValidationError

        raise ValidationError(tr("--out phải là tệp .pdf hoặc .xlsx: {path}", path=args.out), "--out")
    with ExitStack() as stack:
        stack.enter_context(collected_after())  # one big build: no collection in its middle (motcua.collector)
        reports, files = _services(args, stack)
        if args.no_index:
            report, index = reports.period(start, end, GroupBy(args.by)), []
        else:
            report, index = reports.period_with_index(start, end, GroupBy(args.by))
        if out is not None:
            write_atomic(out, files.period_file(report, out, index))
            print(tr("Đã ghi báo cáo định kỳ vào {file}", file=str(out)), file=sys.stderr)
        if args.json:
            data = to_jsonable(report)
            data["index"] = [_index_json(m) for m in index]
            print_json(data)
        elif out is None:
            t = report.total
            print(
                tr(
                    "{start}–{end}: {total} hồ sơ ({carried} kỳ trước chuyển sang, {received} tiếp nhận), {resolved} "
                    "đã giải quyết, {in_progress} đang giải quyết, {without} trả lại hoặc rút",
                    start=f"{start:%d/%m/%Y}",
                    end=f"{end:%d/%m/%Y}",
                    total=t.total,
                    carried=t.carried_over,
                    received=t.received,
                    resolved=t.resolved,
                    in_progress=t.in_progress,
                    without=t.without_result,
                )
            )
    return 0


def _index_json(m: Any) -> dict[str, Any]:
    from motcua.domain.reports.service_index import GROUP_MAX

    return {
        "month": m.month.isoformat()[:7],
        "scope": m.scope,
        "late": m.late,
        "late_with_apology": m.late_with_apology,
        "indicators": [
            {
                "code": s.indicator.code,
                "numerator": s.numerator,
                "denominator": s.denominator,
                "ratio": s.ratio,
                "points": s.points,
                "max_points": s.indicator.max_points,
            }
            for s in m.scores
        ],
        "groups": {
            str(g): {"points": p[0], "measured_max": p[1], "group_max": GROUP_MAX[g]}
            for g in GROUP_MAX
            if (p := m.group_points(g)) is not None
        },
    }


def cmd_index(args: argparse.Namespace) -> int:
    from motcua.domain.reports.service_index import NOT_MEASURED

    start, end = _range(args)
    with ExitStack() as stack:
        reports, _ = _services(args, stack)
        months = reports.service_index(start, end, by_sector=args.by_sector)
        if args.json:
            print_json(
                {
                    "months": [_index_json(m) for m in months],
                    "not_measured": [{"codes": c, "reason": tr(r)} for c, r in NOT_MEASURED],
                }
            )
            return 0
        for m in months:
            scores = ", ".join(
                f"{s.indicator.code}: {'—' if s.points is None else f'{s.points:.2f}'}/{s.indicator.max_points:g}"
                for s in m.scores
            )
            print(f"{m.month:%m/%Y} {m.scope or tr('Toàn trung tâm')}: {scores}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report daily``, ``report period`` and ``report index`` to the ``motcua`` command."""
    rp = sub.add_parser("report", help=tr("báo cáo của lãnh đạo: tổng hợp ngày, định kỳ, chỉ số 766"))
    rsub = rp.add_subparsers(dest="what", required=True, metavar="WHAT")
    daily = rsub.add_parser("daily", help=tr("báo cáo tổng hợp ngày"))
    daily.add_argument("--date", help=tr("ngày (YYYY-MM-DD; mặc định hôm nay)"))
    daily.add_argument("--out", help=tr("tệp PDF"))
    daily.add_argument("--json", action="store_true", help=tr("in số liệu dạng JSON"))
    daily.add_argument(
        "--archive", action="store_true", help=tr("lưu trữ các báo cáo ngày còn thiếu (cho tác vụ hẹn giờ)")
    )
    daily.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    daily.set_defaults(func=cmd_daily)
    period = rsub.add_parser("period", help=tr("báo cáo định kỳ tình hình giải quyết hồ sơ"))
    period.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    period.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    period.add_argument("--by", choices=["sector", "agency"], default="sector", help=tr("theo lĩnh vực hay cơ quan"))
    period.add_argument("--out", help=tr("tệp .pdf hoặc .xlsx"))
    period.add_argument("--json", action="store_true", help=tr("in số liệu dạng JSON"))
    period.add_argument("--no-index", action="store_true", help=tr("không kèm ước tính chỉ số 766"))
    period.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    period.set_defaults(func=cmd_period)
    index = rsub.add_parser("index", help=tr("ước tính chỉ số phục vụ (Quyết định 766) theo tháng"))
    index.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    index.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    index.add_argument("--by-sector", action="store_true", help=tr("thêm từng lĩnh vực"))
    index.add_argument("--json", action="store_true", help=tr("in số liệu dạng JSON"))
    index.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    index.set_defaults(func=cmd_index)
