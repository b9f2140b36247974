"""The queue's part of the ``motcua`` command, and the factory that gives a window its ``QueueApi``.

Registered by ``motcua.cli.build_parser`` through ``register(sub)``:

- ``motcua queue token add DEVICE --role kiosk|counter|display|admin|rating [--counter N]`` (prints the token
  once; a rating pad's token needs ``--counter``),
  ``queue token list``, ``queue token revoke DEVICE``
- ``motcua queue issue SERVICE [--priority GROUP]``, ``queue call COUNTER``, ``queue board``: scripting, against
  the centre database of this PC, or a server with ``--server URL --token T``.

``motcua server`` is registered by :mod:`motcua.cli.server`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from motcua.cli.common import bounded_int, check_server_url
from motcua.config import Settings
from motcua.domain import device_roles
from motcua.domain.codes import check_agency_id
from motcua.domain.errors import ValidationError
from motcua.domain.queue_config import QueueConfig, load_queue_config
from motcua.i18n import tr
from motcua.paths import data_dir, kiosk_config_dir

if TYPE_CHECKING:  # the server and the queue load when a command needs them: every `motcua` command starts quicker
    from motcua.server.run import EmbeddedServer
    from motcua.server.uplink import Uplink
    from motcua.services.queue.api import QueueApi
    from motcua.services.sync_node import SyncNode

# Counters are numbered on the board and in the voice announcement; a centre has tens, not thousands.
MAX_COUNTER = 999


@dataclass
class QueueHandle:
    """What a window (or the CLI) holds: the queue API and what to close with it.

    Attributes:
        api: in-process on a one-PC centre, HTTP otherwise.
        server: the embedded centre server (one-PC mode), or None.
        sync_node: the embedded centre's sync node (one-PC mode): the workstation syncs with it in-process.
    """

    api: QueueApi
    server: EmbeddedServer | None = None
    _closers: list[Any] = field(default_factory=list)
    sync_node: SyncNode | None = None

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        for c in self._closers:
            c.close()


def open_queue_api(
    config: QueueConfig, directory: Path | None = None, embed_server: bool = True, settings: Settings | None = None
) -> QueueHandle:
    """The queue for this machine: the centre server named in ``[client]``, or the embedded centre.

    In one-PC mode the embedded centre is a whole centre: the queue, dossier-number leases, the sync node its
    workstation pushes to, and (with ``[sync] province_url``) its own link to the province.

    Args:
        config: the queue configuration (``[client] server_url`` empty means a one-PC centre).
        directory: where ``centre.sqlite`` lives (the data folder by default).
        embed_server: in one-PC mode, also serve it over HTTP on 127.0.0.1 (a free port).
        settings: the centre's settings (agency id, lease limits, the province link).
    """
    from motcua.server.run import EmbeddedServer, lease_policy
    from motcua.server.uplink import centre_uplink
    from motcua.services.context import system_clock
    from motcua.services.node_retention import NodeRetention, RetentionJob
    from motcua.services.queue.service import QueueService, open_queue_store
    from motcua.services.sync_setup import centre_node
    from motcua.sync.http import Tls
    from motcua.sync.queue_client import HttpQueueClient

    if config.server_url:
        pin = (settings or Settings()).sync.centre_tls_pin_sha256
        client = HttpQueueClient(config.server_url, config.token, tls=Tls(pin_sha256=pin))
        return QueueHandle(client, None, [client])
    settings = settings or Settings()
    base = directory or data_dir()
    store = open_queue_store(base / "centre.sqlite")
    service = QueueService(store, config)
    agency = check_agency_id(settings.centre.agency_id)
    node = centre_node(store, agency, base)
    uplink = centre_uplink(node, settings.sync, system_clock)
    closers: list[Any] = [store]
    server = None
    if embed_server:
        retention = RetentionJob(NodeRetention(node, settings.retention, has_uplink=uplink is not None))
        server = EmbeddedServer(
            service,
            sync=node,
            agency_id=agency,
            background=[*([uplink] if uplink is not None else []), retention],
            policy=lease_policy(settings),
        ).start()
    elif uplink is not None:
        uplink.start()
        closers.insert(0, _Stopper(uplink))
    return QueueHandle(service, server, closers, node)


class _Stopper:
    def __init__(self, uplink: Uplink) -> None:
        self._uplink = uplink

    def close(self) -> None:
        self._uplink.stop()


def _config(args: argparse.Namespace) -> QueueConfig:
    path = Path(args.queue_config) if args.queue_config else kiosk_config_dir() / "queue.toml"
    return load_queue_config(path)


def _db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    base = getattr(args, "data_dir", None)
    return (Path(base) if base else data_dir()) / "centre.sqlite"


def _print(data: Any) -> None:
    from motcua.domain.queue_codec import to_json

    json.dump(to_json(data), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def cmd_token(args: argparse.Namespace) -> int:
    from motcua.services.device_accounts import enrol
    from motcua.store import device_tokens
    from motcua.store.db import Store
    from motcua.store.queue_schema import migrate_queue_centre

    store = Store(_db_path(args), migrate_queue_centre)
    try:
        with store.write() as db:
            if args.action == "add":
                if args.role in device_roles.BOUND_ROLES and args.counter is None:
                    print(tr("Máy đánh giá phải gắn với một quầy: thêm --counter SỐ_QUẦY"), file=sys.stderr)
                    return 2
                # The same checks as the app's device dialog: a name the logs and settings can carry, one live token.
                _device, token = enrol(db, args.device, args.role, args.counter, datetime.now())
                print(token)
            elif args.action == "revoke":
                if not device_tokens.revoke(db, args.device, datetime.now()):
                    print(tr("Không có thiết bị {device}", device=args.device), file=sys.stderr)
                    return 1
            else:
                for dev, created, revoked in device_tokens.list_devices(db):
                    state = tr("đã thu hồi {at}", at=revoked) if revoked else tr("đang dùng")
                    print(f"{dev.device}\t{dev.role}\t{dev.counter or ''}\t{created}\t{state}")
    finally:
        store.close()
    return 0


def _counter_number(text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 4 and 1 <= int(value) <= MAX_COUNTER):
        raise ValidationError(
            tr("Số quầy phải từ 1 đến {max}, không phải {value}", max=MAX_COUNTER, value=text), "counter"
        )
    return int(value)


def cmd_queue(args: argparse.Namespace) -> int:
    if args.action == "call":
        _counter_number(args.target)  # before the database or the server is touched
    if args.server:
        check_server_url(args.server, "--server")
    from motcua.services.queue.service import QueueService, open_queue_store
    from motcua.sync.queue_client import HttpQueueClient

    config = _config(args)
    if args.server:
        handle = QueueHandle(HttpQueueClient(args.server, args.token or ""))
        handle._closers.append(handle.api)
    else:
        store = open_queue_store(_db_path(args))
        handle = QueueHandle(QueueService(store, config), None, [store])
    try:
        api = handle.api
        if args.action == "issue":
            _print(api.issue_ticket(args.target, args.priority, kiosk="cli"))
        elif args.action == "call":
            _print(api.call_next(_counter_number(args.target)))
        else:
            _print(api.board())
    finally:
        handle.close()
    return 0


def register(sub: Any) -> None:
    """Add ``queue`` to the ``motcua`` sub-command parser."""
    q = sub.add_parser("queue", help=tr("hàng đợi: mã truy cập thiết bị, lấy số, gọi số, bảng hiển thị"))
    q.add_argument("--db", help=tr("tệp cơ sở dữ liệu trung tâm"))
    q.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    qsub = q.add_subparsers(dest="queue_command", required=True, metavar="ACTION")
    tok = qsub.add_parser("token", help=tr("mã truy cập của thiết bị"))
    tok.add_argument("action", choices=["add", "list", "revoke"])
    tok.add_argument("device", nargs="?", default="")
    tok.add_argument("--role", choices=device_roles.ROLES, default="display")
    tok.add_argument("--counter", type=bounded_int(1, MAX_COUNTER), help=tr("gắn mã với một quầy"))
    tok.set_defaults(func=cmd_token)
    for name, helptext in (
        ("issue", tr("lấy một số (ACTION issue DỊCH_VỤ)")),
        ("call", tr("gọi số tiếp theo (ACTION call SỐ_QUẦY)")),
        ("board", tr("xem bảng hiển thị")),
    ):
        sp = qsub.add_parser(name, help=helptext)
        if name != "board":
            sp.add_argument("target")
        sp.add_argument("--priority", help=tr("mã nhóm ưu tiên"))
        sp.add_argument("--server", help=tr("địa chỉ máy chủ trung tâm (mặc định: cơ sở dữ liệu trên máy này)"))
        sp.add_argument("--token", help=tr("mã truy cập của thiết bị"))
        sp.set_defaults(func=cmd_queue, action=name)
