"""The work behind ``motcua sync`` (:mod:`motcua.cli.sync` parses the command and calls :func:`cmd_sync`), and the
composition of a workstation's sync for the app: which centre it talks to (``[sync] centre_url``, else the queue's
``[client] server_url``, else the centre inside this very app), its lease source, and the runner.

Kept apart from the command's definition so that building ``motcua``'s argument parser, which every command does,
does not load the server and the sync engine.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import asdict
from datetime import datetime
from typing import Any

from motcua.cli.common import base_dir, centre_address, open_workstation, print_json, queue_path, settings_from
from motcua.cli.sync import ACTIONS
from motcua.config import Settings
from motcua.domain.codes import check_agency_id
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.server.local_upstream import LocalUpstream
from motcua.server.options import LOG_FORMAT
from motcua.server.uplink import centre_engine
from motcua.services.account_docs import ACCOUNTS, SIGNED_ACCOUNTS, adopt_accounts, push_changed_accounts
from motcua.services.calendar_announcements import adopt_published
from motcua.services.catalog import CatalogService
from motcua.services.context import AppContext
from motcua.services.queue.service import open_queue_store
from motcua.services.reception import ReceptionService
from motcua.services.sync_link import LinkState
from motcua.services.sync_node import SyncNode
from motcua.services.sync_setup import centre_node
from motcua.store import outbox, replica_peers
from motcua.store.replica import EVERY_WORKSTATION, Peer
from motcua.store.replica_docs import DocumentStore
from motcua.store.sql import SqliteDatabase
from motcua.sync.engine import CATALOG_ERROR, LAST_ERROR, LAST_SUCCESS, Report, SyncEngine
from motcua.sync.http import Tls
from motcua.sync.runner import Backoff, SyncRunner
from motcua.sync.upstream import Closeable, HttpUpstream, LinkDown, Upstream


class WorkstationSync:
    """A workstation's sync link (a :class:`motcua.services.sync_link.SyncLink`): engine, runner, its state.

    Args:
        ctx: the workstation.
        upstream: its centre (over HTTP, or the centre inside this app).
    """

    def __init__(self, ctx: AppContext, upstream: Upstream) -> None:
        s = ctx.settings.sync
        self.ctx = ctx
        self.upstream = upstream
        db = SqliteDatabase(ctx.store)
        reception = ReceptionService(ctx)
        catalog = CatalogService(ctx)
        self.engine = SyncEngine(
            db,
            ctx.replica,
            DocumentStore(ctx.files_dir, db),
            upstream,
            ctx.clock,
            fetch_documents="foreign",
            own_agency=ctx.agency_id,
            on_catalog=lambda body: catalog.import_published(body, source=f"sync:{upstream.label}"),
            on_published={
                "calendar": self._adopt_calendar,
                SIGNED_ACCOUNTS: lambda body: adopt_accounts(ctx, body),
                ACCOUNTS: self._adopt_legacy_accounts,
            },
            pushers=[self._push_accounts],
        )
        self.runner = SyncRunner(
            self.engine,
            interval_s=s.interval_s,
            backoff=Backoff(1.0, s.max_backoff_s),
            probe_s=s.probe_s,
            before_round=lambda: _discard(reception.ensure_code_blocks()),
            name="workstation-sync",
        )

    def _push_accounts(self, up: Upstream) -> None:
        put = getattr(up, "put_account", None)
        if put is None:
            return
        _taken, refused = push_changed_accounts(self.ctx, put)
        if refused:  # given up here: the centre's version of those accounts comes back whole
            self.engine.forget_published(SIGNED_ACCOUNTS)
            self.engine.forget_published(ACCOUNTS)

    def _adopt_legacy_accounts(self, body: str) -> int:
        """The accounts in the first format: what a centre of an older version publishes. A centre that publishes
        the signed format too says everything there (keys included), so this one is then not needed."""
        if self.engine.published_etag(SIGNED_ACCOUNTS):
            return 0
        return adopt_accounts(self.ctx, body)

    def _adopt_calendar(self, body: str) -> None:
        adopt_published(self.ctx.store, body)
        self.ctx.reload_calendar()  # due dates computed from now on use the province's announced days

    def start(self) -> WorkstationSync:
        self.runner.start()
        self._listener = self._listen()
        return self

    def _listen(self) -> Closeable:
        """Hear the centre announce a change (its push stream, or its feed in this process): pull at once."""
        return self.upstream.listen(lambda: self.runner.wake())

    def state(self) -> LinkState:
        st = self.runner.status()
        return LinkState(
            upstream=self.upstream.label,
            online=st.online,
            last_success=datetime.fromtimestamp(st.last_success).replace(microsecond=0) if st.last_success else None,
            last_error=st.last_error,
            next_try_in=st.next_try_in,
        )

    def wake(self) -> None:
        self.runner.wake()

    def close(self) -> None:
        listener = getattr(self, "_listener", None)
        if listener is not None:
            listener.close()
        self.runner.stop()
        self.upstream.close()


def _discard(_result: object) -> None:
    """Drop a value a callback does not return (the runner's hooks return None)."""


def centre_tls(settings: Settings) -> Tls:
    """How a counter trusts an https centre: by the fingerprint its ``--tls self-signed`` certificate printed."""
    return Tls(pin_sha256=settings.sync.centre_tls_pin_sha256)


def workstation_upstream(ctx: AppContext, url: str, token: str, centre: SyncNode | None) -> Upstream:
    """The centre server over HTTP, or the centre node of this same app (a one-PC commune)."""
    if url:
        return HttpUpstream(url, token, timeout=ctx.settings.sync.timeout_s, tls=centre_tls(ctx.settings))
    if centre is None:
        raise MotcuaError(tr("Không có máy chủ trung tâm để đồng bộ"))
    agency = check_agency_id(ctx.agency_id)
    origin = f"{agency}/{ctx.station_id}"
    return LocalUpstream(centre, Peer(ctx.station_id, (origin,), frozenset({agency}), EVERY_WORKSTATION))


# -- commands -----------------------------------------------------------------------------------------------
class _Node:
    """What a ``motcua sync`` command works on: this workstation or this centre, with its engine."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.settings = settings_from(args)
        self.role = args.role
        base = base_dir(args, self.settings)
        self._closers: list[Any] = []
        if self.role == "center":
            store = open_queue_store(base / "centre.sqlite")
            self._closers.append(store)
            self.node = centre_node(store, check_agency_id(self.settings.centre.agency_id), base)
            self.db = self.node.db
            self.replica = self.node.replica
            self.link: WorkstationSync | None = None
            has_province = bool(self.settings.sync.province_url)
            self.engine = centre_engine(self.node, self.settings.sync, datetime.now) if has_province else None
            self.upstream_label = self.settings.sync.province_url
            return
        ctx = open_workstation(args)
        self._closers.append(ctx)
        url, token = centre_address(self.settings, queue_path(args))
        centre = None
        if not url:
            store = open_queue_store(base / "centre.sqlite")
            self._closers.append(store)
            centre = centre_node(store, check_agency_id(ctx.agency_id), base)
        self.link = WorkstationSync(ctx, workstation_upstream(ctx, url, token, centre))
        self.db = self.link.engine.db
        self.replica = ctx.replica
        self.engine = self.link.engine
        self.upstream_label = self.link.upstream.label

    def close(self) -> None:
        if self.link is not None:
            self.link.upstream.close()
        for c in reversed(self._closers):
            c.close()


def _report(r: Report) -> dict[str, Any]:
    return asdict(r)


def cmd_sync(args: argparse.Namespace) -> int:
    if args.verbose:
        logging.basicConfig(
            level=logging.DEBUG if os.environ.get("MOTCUA_DEBUG") else logging.INFO,
            format=LOG_FORMAT,
            force=True,
        )
    node = _Node(args)
    try:
        return _ACTIONS[args.action](node, args)
    finally:
        node.close()


def _run(node: _Node, args: argparse.Namespace) -> int:
    if node.engine is None:
        raise MotcuaError(tr("Chưa cấu hình máy chủ cấp trên ([sync] province_url)"))
    s = node.settings.sync
    runner = (
        node.link.runner
        if node.link is not None
        else SyncRunner(
            node.engine,  # type: ignore[arg-type]
            interval_s=s.interval_s,
            backoff=Backoff(1.0, s.max_backoff_s),
            probe_s=s.probe_s,
        )
    )
    if args.once:
        try:
            report = runner.run_round()
        except LinkDown as exc:
            print(tr("Lỗi: chưa kết nối được {url}: {error}", url=node.upstream_label, error=str(exc)), file=sys.stderr)
            return 2
        _print_report(report, args.json)
        return 0
    # The background runner does the waiting: back-off with jitter while down, at once when the link returns.
    runner.start()
    try:
        deadline = time.monotonic() + args.timeout if args.timeout else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic())))
    except KeyboardInterrupt:
        pass
    finally:
        runner.stop()
    status = runner.status()
    _print_report(status.totals, args.json)
    if status.last_error:
        print(tr("Lần cuối: {error}", error=status.last_error), file=sys.stderr)
    return 0


def _print_report(r: Report, as_json: bool) -> None:
    if as_json:
        print_json(_report(r))
        return
    print(
        tr(
            "Đã gửi {pushed} thay đổi ({stored} mới, {dup} đã có, {refused} bị từ chối, {parked} tạm dừng); "
            "nhận {pulled} hồ sơ ({changed} thay đổi); tệp: gửi {up}, nhận {down}",
            pushed=r.pushed,
            stored=r.stored,
            dup=r.duplicates,
            refused=r.refused,
            parked=r.parked,
            pulled=r.pulled,
            changed=r.changed,
            up=r.uploaded,
            down=r.downloaded,
        )
    )


def status_of(node: _Node) -> dict[str, Any]:
    with node.db.read() as sql:
        counts = outbox.counts(sql)
        conflicts = sql.execute(
            "SELECT COUNT(*) FROM rep_events WHERE verdict = 'conflict' AND settled_by IS NULL"
        ).fetchone()[0]
        return {
            "role": node.role,
            "upstream": node.upstream_label,
            "pending": counts["pending"],
            "parked": counts["parked"],
            "sent": counts["sent"],
            "confirmed": counts["confirmed"],
            "not_at_province": node.replica.not_at_root(sql),
            "conflicts": int(conflicts),
            "last_success": replica_peers.get_state(sql, LAST_SUCCESS) or None,
            "last_error": replica_peers.get_state(sql, LAST_ERROR) or None,
            "cursor": int(replica_peers.get_state(sql, "pull.cursor", "0") or 0),
            "catalog_error": replica_peers.get_state(sql, CATALOG_ERROR) or None,
        }


def _status(node: _Node, args: argparse.Namespace) -> int:
    data = status_of(node)
    if args.json:
        print_json(data)
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return 0


def _retry(node: _Node, args: argparse.Namespace) -> int:
    with node.db.write() as sql:
        n = outbox.retry_parked(sql, args.keys)
    print(tr("Đã đưa {n} thay đổi tạm dừng trở lại hàng đợi gửi", n=n))
    return 0


def _conflicts(node: _Node, args: argparse.Namespace) -> int:
    items = _sync_node(node).conflicts(include_settled=args.all)
    if args.json:
        print_json([asdict(c) for c in items])
    else:
        for c in items:
            print(f"{c.key}\t{c.dossier}\t{c.action}\t{c.origin}\t{c.at}\t{c.settled_by or ''}")
    return 0


def _settle(node: _Node, args: argparse.Namespace) -> int:
    if len(args.keys) != 1:
        raise MotcuaError(tr("Hãy cho biết đúng một khóa xung đột"))
    actor = args.actor or node.settings.counter.clerk
    env = _sync_node(node).settle(args.keys[0], actor, args.note or "")
    print(tr("Đã ghi nhận xử lý xung đột {key} (sự kiện {event})", key=args.keys[0], event=env.key))
    return 0


def _sync_node(node: _Node) -> SyncNode:
    if node.role == "center":
        return node.node
    ctx_db = node.db
    assert isinstance(ctx_db, SqliteDatabase)
    return SyncNode(ctx_db, node.replica, ctx_db.store.path.parent, datetime.now)


def _parked(node: _Node, args: argparse.Namespace) -> int:
    with node.db.read() as sql:
        items = outbox.parked_items(sql)
    if args.json:
        print_json([{"key": i.key, "kind": i.kind, "dossier": i.entity, "reason": i.last_error} for i in items])
    else:
        for i in items:
            print(f"{i.key}\t{i.kind}\t{i.entity}\t{i.last_error}")
    return 0


_ACTIONS = {
    "run": _run,
    "status": _status,
    "parked": _parked,
    "retry": _retry,
    "conflicts": _conflicts,
    "settle": _settle,
}
assert set(_ACTIONS) == set(ACTIONS), "motcua.cli.sync lists the actions its parser accepts"
