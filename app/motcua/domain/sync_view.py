"""A dossier's state rebuilt from its events, the same way at every node.

A node's view of a dossier is its upstream's view (events in the upstream's order, with the upstream's verdicts),
followed by the events the upstream has not confirmed yet, in the order they reached this node. Replaying the
view through the status machine gives each of those later events a verdict: *applied*, or *conflict* when the
status machine no longer allows it (a withdrawal that arrives after the province resolved the dossier). A conflict
is kept and shown to a supervisor, never dropped; it simply changes nothing.

The province has no upstream: its view is every event in the order it arrived, and its verdicts are final. Since
a verdict depends only on the events before it, every node converges on the province's view once everything has
travelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from motcua.domain.errors import TransitionError
from motcua.domain.status import Action, Status, can_undo, next_status
from motcua.domain.sync_envelope import ACTION, ATTACHMENT, CONFLICT_SETTLED, PAID, RECEIVED, VISIT

APPLIED = "applied"
CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class ViewEvent:
    """What replaying needs of an event (taken from its envelope)."""

    key: str
    kind: str
    data: dict[str, Any]


_UNDOABLE = frozenset(a.value for a in Action if can_undo(a))


@dataclass(frozen=True, slots=True)
class Step:
    """An applied status change, with what it replaced: what an undo of it brings back."""

    key: str
    action: str
    status_before: Status
    due_before: str | None


@dataclass(frozen=True, slots=True)
class DossierView:
    """The result of a replay.

    Attributes:
        order: (key, verdict) in view order.
        status: the status after the applied events (None: no reception applied yet).
        due_at: the due time after the applied events ("YYYY-MM-DD HH:MM:SS" or None).
        received_key: the key of the applied reception.
    """

    order: tuple[tuple[str, str], ...]
    status: Status | None
    due_at: str | None
    received_key: str | None
    last_step: Step | None = None  # the applied status change an undo would take back now

    @property
    def conflicts(self) -> list[str]:
        return [k for k, v in self.order if v == CONFLICT]


def _verdict(status: Status | None, e: ViewEvent, last: Step | None = None) -> str:
    if e.kind == VISIT:
        return APPLIED  # a visit stands alone: there is no state it could conflict with
    if e.kind == RECEIVED:
        return APPLIED if status is None else CONFLICT  # a second reception under one code is never merged
    if status is None:
        return CONFLICT
    if e.kind == ACTION:
        if e.data.get("action") == Action.UNDO.value:
            # An undo takes back the last applied step, and only while it is still the last: an undo that meets a
            # later step (another clerk moved the dossier on) changes nothing and is shown as a conflict.
            ok = (
                last is not None
                and e.data.get("undoes") == last.key
                and e.data.get("status_after") == int(last.status_before)
                and last.action in _UNDOABLE
            )
            return APPLIED if ok else CONFLICT
        try:
            action = Action(e.data["action"])
            target = next_status(status, action)
        except (ValueError, KeyError, TransitionError):
            return CONFLICT
        return APPLIED if int(target) == e.data.get("status_after") else CONFLICT
    if e.kind in (ATTACHMENT, CONFLICT_SETTLED, PAID):
        return APPLIED
    return CONFLICT


def replay(confirmed: Sequence[tuple[ViewEvent, str]], pending: Sequence[ViewEvent]) -> DossierView:
    """Rebuild a dossier's view.

    Args:
        confirmed: the upstream's view, in its order, with its verdicts (trusted as given: the upstream decides).
        pending: events the upstream has not confirmed, in arrival order here; they get verdicts now.
    """
    status: Status | None = None
    due: str | None = None
    received: str | None = None
    steps: list[Step] = []  # applied status changes, for undos
    order: list[tuple[str, str]] = []
    for e, verdict in [*confirmed, *((e, "") for e in pending)]:
        if not verdict:
            verdict = _verdict(status, e, steps[-1] if steps else None)
        order.append((e.key, verdict))
        if verdict != APPLIED:
            continue
        if e.kind == RECEIVED:
            status = Status(int(e.data.get("status", int(Status.RECEIVED))))
            due = e.data.get("due_at")
            received = e.key
            steps = []
        elif e.kind == ACTION:
            if e.data.get("action") == Action.UNDO.value:
                undone = steps.pop() if steps else None
                status = Status(int(e.data["status_after"]))
                due = undone.due_before if undone is not None else e.data.get("due_after", due)
                continue
            if status is not None:  # an applied action follows an applied reception
                steps.append(Step(e.key, str(e.data.get("action", "")), status, due))
            status = Status(int(e.data["status_after"]))
            if "due_after" in e.data:
                due = e.data["due_after"]
    return DossierView(tuple(order), status, due, received, steps[-1] if steps else None)
