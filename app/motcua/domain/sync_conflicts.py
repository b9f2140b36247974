"""A sync conflict as a supervisor sees it, and who settled it.

A conflict is an event kept by a sync node but not applied (the same change sent twice with different content, or
a step that lost a race): :meth:`motcua.services.sync_node.SyncNode.conflicts` lists them, a supervisor settles
each with a note. On a centre with a LAN the supervisor's PC asks the centre server for them
(``/api/v1/sync/conflicts``); the settler is then recorded as "<the signed-in supervisor> (<the PC's device>)".
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.domain.accounts import check_full_name
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

MAX_NOTE = 500
MAX_BY = 80  # a person's full name (motcua.domain.accounts.check_full_name)


@dataclass(frozen=True, slots=True)
class ConflictItem:
    key: str
    dossier: str
    kind: str
    origin: str
    at: str
    action: str
    settled_by: str | None


def check_note(note: str) -> str:
    """How the supervisor settled it: 1–500 characters, not blank."""
    n = note.strip()
    if not n:
        raise ValidationError(tr("Hãy ghi cách đã xử lý xung đột"), "note")
    if len(n) > MAX_NOTE:
        raise ValidationError(tr("Ghi chú xử lý xung đột tối đa {n} ký tự", n=MAX_NOTE), "note")
    return n


def settler(by: str | None, device: str) -> str:
    """Who settled a conflict through a device: "Nguyễn Văn A (Q02)"; the device alone when no name is given.

    Raises:
        ValidationError: a name that is blank, longer than :data:`MAX_BY` or has control characters.
    """
    if by is None:
        return device
    try:
        name = check_full_name(by)
    except ValidationError:
        raise ValidationError(
            tr("Tên người xử lý xung đột không được để trống, tối đa {n} ký tự, không có ký tự điều khiển", n=MAX_BY),
            "by",
        ) from None
    return f"{name} ({device})"
