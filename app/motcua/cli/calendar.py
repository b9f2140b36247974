"""``motcua calendar``: adjust the working calendar (extra days off, make-up working days)."""

from __future__ import annotations

import argparse

from motcua.cli.common import MAX_YEAR, MIN_YEAR, context_from, parse_date, print_json
from motcua.domain.errors import ValidationError
from motcua.i18n import tr


def _year(text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 4 and MIN_YEAR <= int(value) <= MAX_YEAR):
        raise ValidationError(
            tr("Năm phải là số từ {low} đến {high}, không phải {value}", low=MIN_YEAR, high=MAX_YEAR, value=text),
            "year",
        )
    return int(value)


def cmd_calendar(args: argparse.Namespace) -> int:
    from motcua.services.calendar_admin import CalendarAdmin

    # The value is checked before the workstation is opened: a typo costs nothing.
    if args.action == "list":
        _year(args.value)
    else:
        parse_date(args.value, "DATE")
    ctx = context_from(args, seed_catalog=False)
    try:
        admin = CalendarAdmin(ctx)
        if args.action == "list":
            days = admin.year(_year(args.value))
            if args.json:
                print_json([{"date": d.day.isoformat(), "working": d.working, "label": d.label} for d in days])
            else:
                for d in days:
                    kind = tr("làm việc") if d.working else tr("nghỉ")
                    print(f"{d.day:%d/%m/%Y}\t{kind}\t{d.label}")
        elif args.action == "clear":
            admin.clear_day(parse_date(args.value, "DATE"))
        else:
            admin.set_day(parse_date(args.value, "DATE"), working=args.action == "work", label=args.label or "")
    finally:
        ctx.close()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``calendar`` to the ``motcua`` command."""
    cal = sub.add_parser("calendar", help=tr("điều chỉnh lịch làm việc: ngày nghỉ thêm, ngày làm bù"))
    cal.add_argument("action", choices=["list", "off", "work", "clear"])
    cal.add_argument("value", help=tr("năm (list) hoặc ngày YYYY-MM-DD"))
    cal.add_argument("--label", help=tr("lý do, ví dụ: Nghỉ theo thông báo của UBND tỉnh"))
    cal.add_argument("--json", action="store_true")
    cal.set_defaults(func=cmd_calendar)
