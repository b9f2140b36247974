"""``motcua sync``: run, inspect and repair the sync of this workstation (or of this centre, ``--role center``).

- ``motcua sync run [--once] [--timeout S]``: rounds until the timeout (or one round), printing what moved.
- ``motcua sync status --json``: pending, parked, sent, confirmed, not yet at the province, conflicts, last
  success and error, the upstream.
- ``motcua sync parked [--json]``: the items that failed for good, with their reasons (never deleted).
- ``motcua sync retry [KEY ...]``: put parked items (all, or those) back in line.
- ``motcua sync conflicts [--json]`` and ``motcua sync settle KEY --note …``: a supervisor's view and decision.

The work itself is in :mod:`motcua.cli.sync_link`, loaded only when a sync command runs.
"""

from __future__ import annotations

import argparse

from motcua.i18n import tr

ACTIONS = ("run", "status", "parked", "retry", "conflicts", "settle")


def cmd_sync(args: argparse.Namespace) -> int:
    from motcua.cli.sync_link import cmd_sync as run_sync

    return run_sync(args)


# A week: longer is a typo for "run forever", which is --timeout 0.
_MAX_TIMEOUT_S = 7 * 24 * 3600.0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cần một số giây, không phải {value}", value=text)) from None
    if not 0.0 <= value <= _MAX_TIMEOUT_S:  # NaN fails this too
        raise argparse.ArgumentTypeError(
            tr("phải từ 0 đến {high} giây, không phải {value}", high=int(_MAX_TIMEOUT_S), value=text)
        )
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sync`` to the ``motcua`` command."""
    p = sub.add_parser("sync", help=tr("đồng bộ với máy chủ cấp trên: chạy, xem trạng thái, gửi lại, xung đột"))
    p.add_argument("action", choices=list(ACTIONS))
    p.add_argument("keys", nargs="*", help=tr("khóa thay đổi (retry, settle)"))
    p.add_argument("--role", choices=["workstation", "center"], default="workstation",
                   help=tr("máy trạm (mặc định) hoặc máy chủ trung tâm"))  # fmt: skip
    p.add_argument("--once", action="store_true", help=tr("chạy một lượt rồi dừng"))
    p.add_argument("--timeout", type=_seconds, default=0.0, help=tr("dừng sau bấy nhiêu giây (0: chạy mãi)"))
    p.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    p.add_argument("--note", help=tr("cách đã xử lý (settle)"))
    p.add_argument("--actor", help=tr("người xử lý (settle)"))
    p.add_argument("--all", action="store_true", help=tr("cả xung đột đã xử lý"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", action="store_true", help=tr("ghi diễn biến từng lượt ra stderr"))
    p.set_defaults(func=cmd_sync)
