"""``motcua dossier``: receive, show, search and move dossiers along."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from motcua.cli.common import bounded_int, context_from, parse_date, print_json
from motcua.i18n import tr

# What one dossier at one counter can be: beyond these the number is a typo (an extra zero or three).
MAX_COPIES = 1_000
MAX_PAGES = 10_000
MAX_SETS = 100
MAX_LIMIT = 10_000
MAX_COUNT_PER_COMPONENT = 1_000
MAX_AMOUNT_VND = 1_000_000_000

if TYPE_CHECKING:  # the command imports what it needs when it runs: `motcua --help` stays quick
    from motcua.domain.dossier import ReceivedComponent
    from motcua.domain.procedures import Procedure


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
            birth_date=parse_date(args.birth, "--birth") if args.birth else None,
            sex=Sex(args.sex) if args.sex else None,
            address=Address(detail=args.address or "", commune=args.commune or "", province=args.province or ""),
        )
    from dataclasses import replace

    from motcua.domain.applicant import IdKind

    kind = IdKind(args.id_kind) if args.id_kind else base.id_kind
    return replace(
        base,
        phone=args.phone or base.phone,
        email=args.email or base.email,
        id_kind=kind,
        nationality=args.nationality or base.nationality,
    )


def _extras_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The place, the person submitting, copies/pages and a payment, as ReceiveRequest takes them."""
    from motcua.domain.applicant import Address, Applicant, ApplicantKind
    from motcua.domain.fees import PaymentMethod

    out: dict[str, Any] = {"copies": args.copies, "pages": args.pages}
    if args.place_commune or args.place_province or args.place_address:
        out["place"] = Address(args.place_address or "", args.place_commune or "", args.place_province or "")
    if args.submitter_name:
        out["submitter"] = Applicant(ApplicantKind.PERSON, args.submitter_name, args.submitter_id or "")
    if args.pay:
        out["pay"] = (PaymentMethod(args.pay), args.pay_ref or "")
    return out


def parse_component_counts(values: list[str] | None) -> dict[str, tuple[int, int, int]]:
    """``["TP1=1,0,2"]`` → ``{"TP1": (1, 0, 2)}``: originals, certified copies, photocopies of a component.

    Raises:
        ValidationError: a value not of the form CODE=originals,certified,photocopies (non-negative integers).
    """
    from motcua.domain.errors import ValidationError

    counts: dict[str, tuple[int, int, int]] = {}
    for value in values or []:
        code, sep, numbers = value.partition("=")
        parts = numbers.split(",")
        # isdigit() alone takes "²" and Arabic-Indic digits, which int() then refuses: ASCII digits only.
        if not sep or not code.strip() or len(parts) != 3 or not all(_is_count(p) for p in parts):
            raise ValidationError(
                tr(
                    "--component cần dạng MÃ=bản chính,bản chứng thực,bản photo (ví dụ TP1=1,0,2), không phải: {value}",
                    value=value,
                ),
                "components",
            )
        originals, certified, photocopies = (int(p) for p in parts)
        if max(originals, certified, photocopies) > MAX_COUNT_PER_COMPONENT:
            raise ValidationError(
                tr(
                    "--component: mỗi số bản tối đa {max}, không phải: {value}",
                    max=MAX_COUNT_PER_COMPONENT,
                    value=value,
                ),
                "components",
            )
        counts[code.strip()] = (originals, certified, photocopies)
    return counts


def _is_count(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdigit() and len(text) <= 9


def received_components(
    procedure: Procedure, wanted: set[str] | None, counts: dict[str, tuple[int, int, int]]
) -> tuple[ReceivedComponent, ...]:
    """What the citizen handed over: the catalog's expected counts for each wanted component, or the counts given.

    A component the catalog gives no count for is taken as one original (it was handed over, so there is at
    least one paper). A component given as 0,0,0 was not handed over.
    """
    from motcua.domain.dossier import ReceivedComponent

    chosen: list[ReceivedComponent] = []
    for c in procedure.components:
        if c.code in counts:
            originals, certified, photocopies = counts[c.code]
        elif wanted is None or c.code in wanted:
            originals, certified, photocopies = c.originals, c.certified_copies, c.photocopies
            if originals + certified + photocopies == 0:
                originals = 1
        else:
            continue
        chosen.append(ReceivedComponent(c.code, c.name, originals, certified, photocopies))
    return tuple(chosen)


def cmd_dossier(args: argparse.Namespace) -> int:
    from motcua.services.reception import ReceiveRequest, ReceptionService
    from motcua.store.serialize import dossier_to_dict

    ctx = context_from(args)
    try:
        svc = ReceptionService(ctx)
        if args.action == "receive":
            from motcua.domain.errors import ValidationError

            procedure = svc.procedure(args.procedure)
            wanted = None if args.components in (None, "all") else set(args.components.split(","))
            counts = parse_component_counts(args.component)
            unknown = sorted(set(counts) - {c.code for c in procedure.components})
            if unknown:
                raise ValidationError(
                    tr("Thành phần hồ sơ không thuộc thủ tục: {codes}", codes=", ".join(unknown)), "components"
                )
            comps = received_components(procedure, wanted, counts)
            svc.ensure_code_blocks()
            extras = _extras_from_args(args)
            pay = extras.pop("pay", None)
            if pay is not None:
                from motcua.domain.fees import Payment, fee_lines, total

                amount = total(fee_lines(procedure, args.copies, args.pages))
                extras["payment"] = Payment(pay[0], amount, pay[1])
            d = svc.receive(
                ReceiveRequest(
                    procedure_code=procedure.code,
                    applicant=_applicant_from_args(args),
                    components=comps,
                    sets=args.sets,
                    note=args.note or "",
                    handling_agency_id=args.handling_agency or "",
                    **extras,
                )
            )
        elif args.action == "show":
            d = svc.get(args.code)
        elif args.action == "act":
            from motcua.domain.status import Action

            d = svc.act(args.code, Action(args.do), note=args.note or "", agency=args.agency or "")
        elif args.action == "undo":
            from motcua.domain.status import Action

            d = svc.undo_last_action(args.code, Action(args.step))
        elif args.action == "pay":
            from motcua.domain.fees import PaymentMethod

            d = svc.collect_fee(args.code, PaymentMethod(args.method), args.amount, args.ref or "")
        else:
            found = svc.search(args.text, args.limit)
            if args.json:
                print_json([dossier_to_dict(x) for x in found])
            else:
                for x in found:
                    print(f"{x.code}\t{x.applicant.name}\t{x.procedure_name}\t{x.status.label}")
            return 0
        if args.json:
            data = dossier_to_dict(d)
            data["timeliness"] = svc.timeliness(d).value
            print_json(data)
        else:
            due = d.due_at.strftime("%H:%M %d/%m/%Y") if d.due_at else "—"
            print(tr("{code}: {status}; hẹn trả {due}", code=d.code, status=d.status.label, due=due))
    finally:
        ctx.close()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``dossier receive|show|search|act`` to the ``motcua`` command."""
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
    rec.add_argument(
        "--id-kind", choices=["cccd", "passport", "foreign_id", "tax_code"], help=tr("loại giấy tờ của --id")
    )
    rec.add_argument("--nationality", help=tr("quốc tịch (hộ chiếu, giấy tờ nước ngoài)"))
    rec.add_argument("--place-address", help=tr("nơi quyết định cơ quan giải quyết: số nhà, thôn, thửa đất"))
    rec.add_argument("--place-commune", help=tr("nơi quyết định cơ quan giải quyết: xã/phường"))
    rec.add_argument("--place-province", help=tr("nơi quyết định cơ quan giải quyết: tỉnh/thành phố"))
    rec.add_argument("--submitter-name", help=tr("người nộp thay chủ hồ sơ"))
    rec.add_argument("--submitter-id", help=tr("số định danh người nộp thay"))
    rec.add_argument("--copies", type=bounded_int(1, MAX_COPIES), default=1, help=tr("số bản yêu cầu (phí theo bản)"))
    rec.add_argument("--pages", type=bounded_int(1, MAX_PAGES), default=1, help=tr("số trang mỗi bản (phí theo trang)"))
    rec.add_argument("--pay", choices=["cash", "transfer"], help=tr("đã thu phí, lệ phí khi tiếp nhận"))
    rec.add_argument("--pay-ref", help=tr("số biên lai hoặc mã giao dịch"))
    rec.add_argument("--components", default="all", help=tr("mã thành phần đã nhận, cách nhau bởi dấu phẩy"))
    rec.add_argument(
        "--component",
        action="append",
        metavar="MÃ=C,CT,P",
        help=tr(
            "số bản đã nhận của một thành phần: bản chính, bản chứng thực, bản photo (ví dụ TP1=1,0,2); "
            "mặc định theo danh mục thủ tục"
        ),
    )
    rec.add_argument("--sets", type=bounded_int(1, MAX_SETS), default=1)
    rec.add_argument("--note")
    rec.add_argument(
        "--handling-agency",
        help=tr("mã định danh cơ quan giải quyết khi không phải đơn vị này (tiếp nhận không theo địa giới)"),
    )
    show = dsub.add_parser("show", help=tr("xem một hồ sơ"))
    show.add_argument("code")
    srch = dsub.add_parser("search", help=tr("tìm hồ sơ theo mã, số định danh, tên, số điện thoại"))
    srch.add_argument("text")
    srch.add_argument("--limit", type=bounded_int(1, MAX_LIMIT), default=50)
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
    undo = dsub.add_parser("undo", help=tr("hoàn tác bước cuối của hồ sơ (không áp dụng cho quyết định cuối)"))
    undo.add_argument("code")
    undo.add_argument(
        "step", choices=["transfer", "start", "request_supplement", "supply", "request_payment", "pay", "resolve"]
    )
    pay = dsub.add_parser("pay", help=tr("ghi đã thu phí, lệ phí của hồ sơ"))
    pay.add_argument("code")
    pay.add_argument("--method", choices=["cash", "transfer"], required=True)
    pay.add_argument(
        "--amount", type=bounded_int(1, MAX_AMOUNT_VND), help=tr("số tiền (mặc định: toàn bộ số còn phải nộp)")
    )
    pay.add_argument("--ref", help=tr("số biên lai hoặc mã giao dịch"))
    for sp in (rec, show, srch, act, undo, pay):
        sp.add_argument("--json", action="store_true")
    dos.set_defaults(func=cmd_dossier)
