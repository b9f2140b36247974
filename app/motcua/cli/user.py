"""``motcua user``: clerk accounts (add, list, disable, enable, passwd, pin).

Secrets are never arguments (they would stay in the shell's history and the process list): they are asked on the
terminal, or read from standard input with ``--stdin`` for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from motcua.cli.common import context_from, print_json
from motcua.i18n import tr


def _secret(args: argparse.Namespace, prompt: str, *, twice: bool = True) -> str:
    if getattr(args, "stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        from motcua.domain.errors import ValidationError

        raise ValidationError(tr("Không có bàn phím để nhập mật khẩu: dùng --stdin"))
    first = getpass.getpass(prompt)
    if twice and getpass.getpass(tr("Nhập lại: ")) != first:
        from motcua.domain.errors import ValidationError

        raise ValidationError(tr("Hai lần nhập không khớp"))
    return first


def cmd_user(args: argparse.Namespace) -> int:
    from motcua.domain.accounts import Permission, Role, require
    from motcua.services.accounts import AccountService

    ctx = context_from(args)
    try:
        svc = AccountService(ctx)
        if getattr(args, "as_admin", None):
            # The administrator signs in here, so that the change carries their signature (the centre takes
            # account changes signed by an administrator it knows, and nothing else).
            admin = svc.sign_in(
                args.as_admin, _secret(args, tr("Mật khẩu của {username}: ", username=args.as_admin), twice=False)
            )
            require(admin.role, Permission.MANAGE_ACCOUNTS)
        elif args.action != "list" and ctx.settings.sync.centre_url and not svc.needs_first_admin():
            print(
                tr("Thay đổi này chưa được ký nên máy chủ trung tâm sẽ không nhận; hãy dùng --as <tài khoản quản trị>"),
                file=sys.stderr,
            )
        if args.action == "add":
            password = _secret(args, tr("Mật khẩu: "))
            a = svc.add(args.username, args.name, Role(args.role), password)
            print(tr("Đã tạo tài khoản {username} ({role})", username=a.username, role=a.role.label))
        elif args.action == "list":
            rows = svc.accounts()
            if args.json:
                print_json(
                    [{"username": a.username, "full_name": a.full_name, "role": a.role.value, "active": a.active,
                      "signing_key": bool(a.public_key)} for a in rows]
                )  # fmt: skip
            else:
                for a in rows:
                    state = tr("đang dùng") if a.active else tr("đã khóa")
                    print(f"{a.username}\t{a.full_name}\t{a.role.label}\t{state}")
        elif args.action == "disable":
            svc.disable(args.username)
            print(tr("Đã khóa tài khoản {username}", username=args.username))
        elif args.action == "enable":
            svc.enable(args.username)
            print(tr("Đã mở lại tài khoản {username}", username=args.username))
        elif args.action == "passwd":
            svc.set_password(args.username, _secret(args, tr("Mật khẩu mới: ")))
            print(tr("Đã đổi mật khẩu của {username}", username=args.username))
        else:
            svc.set_pin(args.username, _secret(args, tr("Mã PIN mới: ")))
            print(tr("Đã đặt mã PIN của {username}", username=args.username))
    finally:
        ctx.close()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``user add|list|disable|enable|passwd|pin`` to the ``motcua`` command."""
    user = sub.add_parser("user", help=tr("tài khoản cán bộ: tạo, xem, khóa, đổi mật khẩu"))
    usub = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = usub.add_parser("add", help=tr("tạo tài khoản"))
    add.add_argument("username")
    add.add_argument("--name", required=True, help=tr("họ tên cán bộ (in trên giấy tờ)"))
    add.add_argument("--role", choices=["clerk", "supervisor", "admin"], default="clerk")
    lst = usub.add_parser("list", help=tr("danh sách tài khoản"))
    lst.add_argument("--json", action="store_true")
    for name, text in (("disable", tr("khóa tài khoản")), ("enable", tr("mở lại tài khoản"))):
        usub.add_parser(name, help=text).add_argument("username")
    for name, text in (("passwd", tr("đổi mật khẩu")), ("pin", tr("đặt mã PIN mở khóa nhanh"))):
        p = usub.add_parser(name, help=text)
        p.add_argument("username")
    for p in (add, usub.choices["passwd"], usub.choices["pin"]):
        p.add_argument("--stdin", action="store_true", help=tr("đọc mật khẩu/mã PIN từ đầu vào chuẩn (cho tập lệnh)"))
    for name in ("add", "disable", "enable", "passwd", "pin"):
        usub.choices[name].add_argument(
            "--as",
            dest="as_admin",
            metavar="ADMIN",
            help=tr("ký thay đổi bằng tài khoản quản trị này (hỏi mật khẩu của họ; với --stdin: dòng đầu)"),
        )
    for name in ("disable", "enable"):
        usub.choices[name].add_argument(
            "--stdin", action="store_true", help=tr("đọc mật khẩu quản trị từ đầu vào chuẩn")
        )
    user.set_defaults(func=cmd_user)
