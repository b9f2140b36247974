"""The dossier status machine, on the national status codes (TrangThaiHoSo 1–10)."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from motcua.domain.errors import TransitionError
from motcua.i18n import tr


class Status(IntEnum):
    NEW_ONLINE = 1
    RECEIVED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    PAYMENT_REQUESTED = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESOLVED = 9
    RETURNED = 10

    @property
    def label(self) -> str:
        return tr(_LABELS[self])

    @property
    def terminal(self) -> bool:
        return self in (Status.REFUSED, Status.WITHDRAWN, Status.RETURNED)


_LABELS = {
    Status.NEW_ONLINE: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESOLVED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}


class Action(StrEnum):
    RECEIVE = "receive"
    REFUSE = "refuse"
    TRANSFER = "transfer"  # to the competent agency (also for dossiers received outside its territory)
    START = "start"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLY = "supply"
    REQUEST_PAYMENT = "request_payment"
    PAY = "pay"
    WITHDRAW = "withdraw"
    STOP = "stop"
    RESOLVE = "resolve"
    RETURN_RESULT = "return_result"
    UNDO = "undo"  # takes back the last step (not a final one): the status and due date before it come back

    @property
    def label(self) -> str:
        return tr(_ACTION_LABELS[self])


_ACTION_LABELS = {
    Action.RECEIVE: "Tiếp nhận",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.TRANSFER: "Chuyển cơ quan giải quyết",
    Action.START: "Bắt đầu xử lý",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    Action.SUPPLY: "Đã bổ sung hồ sơ",
    Action.REQUEST_PAYMENT: "Yêu cầu nộp phí, lệ phí",
    Action.PAY: "Đã nộp phí, lệ phí",
    Action.WITHDRAW: "Rút hồ sơ",
    Action.STOP: "Dừng xử lý hồ sơ",
    Action.RESOLVE: "Đã có kết quả",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.UNDO: "Hoàn tác",
}

# Decisions that leave the office (a refusal, a withdrawal, a stop, a result handed over): never undone.
FINAL_ACTIONS = frozenset({Action.REFUSE, Action.WITHDRAW, Action.STOP, Action.RETURN_RESULT})


def can_undo(action: Action) -> bool:
    """Whether a step may be taken back: the counter's everyday steps, not a decision that left the office."""
    return action not in FINAL_ACTIONS and action not in (Action.RECEIVE, Action.UNDO)


_ACTIVE = (Status.RECEIVED, Status.PROCESSING)
TRANSITIONS: dict[Action, tuple[tuple[Status, ...], Status]] = {
    Action.RECEIVE: ((Status.NEW_ONLINE,), Status.RECEIVED),
    Action.REFUSE: ((Status.NEW_ONLINE, Status.RECEIVED), Status.REFUSED),
    Action.TRANSFER: (_ACTIVE, Status.PROCESSING),
    Action.START: ((Status.RECEIVED,), Status.PROCESSING),
    Action.REQUEST_SUPPLEMENT: (_ACTIVE, Status.SUPPLEMENT_REQUESTED),
    Action.SUPPLY: ((Status.SUPPLEMENT_REQUESTED,), Status.PROCESSING),
    Action.REQUEST_PAYMENT: (_ACTIVE, Status.PAYMENT_REQUESTED),
    Action.PAY: ((Status.PAYMENT_REQUESTED,), Status.PROCESSING),
    Action.WITHDRAW: (
        (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED),
        Status.WITHDRAWN,
    ),
    Action.STOP: ((*_ACTIVE, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED), Status.STOPPED),
    Action.RESOLVE: (_ACTIVE, Status.RESOLVED),
    Action.RETURN_RESULT: ((Status.RESOLVED, Status.STOPPED), Status.RETURNED),
}


def next_status(current: Status, action: Action) -> Status:
    if action is Action.UNDO:  # no fixed target: the status before the step it takes back (see sync_view.replay)
        raise TransitionError(tr("Hoàn tác chỉ áp dụng cho bước vừa làm"))
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise TransitionError(
            tr(
                "Không thể «{action}» khi hồ sơ đang ở trạng thái «{status}»",
                action=action.label,
                status=current.label,
            )
        )
    return target


def allowed_actions(current: Status) -> list[Action]:
    return [a for a, (src, _) in TRANSITIONS.items() if current in src]
