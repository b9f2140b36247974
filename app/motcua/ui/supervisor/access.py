"""Who may open the supervisor's window: a supervisor or an administrator, never a clerk."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from motcua.domain.accounts import Role
from motcua.i18n import tr
from motcua.services.context import AppContext


def may_supervise(ctx: AppContext) -> bool:
    return ctx.role.rank >= Role.SUPERVISOR.rank


def refusal(ctx: AppContext) -> str:
    """What a clerk is told when the supervisor's window will not open for them."""
    s = ctx.session
    who = f"{s.full_name} ({ctx.role.label})" if s is not None else ctx.role.label
    return tr(
        "Màn hình giám sát chỉ dành cho tài khoản {supervisor} hoặc {admin}; tài khoản {who} không mở được.",
        supervisor=Role.SUPERVISOR.label,
        admin=Role.ADMIN.label,
        who=who,
    )


def admit(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """True for a supervisor or an administrator; a clerk is told why not (a message box) and gets False."""
    if may_supervise(ctx):
        return True
    QMessageBox.warning(parent, tr("Chế độ giám sát"), refusal(ctx))
    return False
