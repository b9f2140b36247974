"""``motcua run``: open the desktop app's windows."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from motcua.cli.common import centre_address, settings_from
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.paths import kiosk_config_dir

if TYPE_CHECKING:
    from motcua.cli.sync_link import WorkstationSync
    from motcua.services.context import AppContext


def cmd_run(args: argparse.Namespace) -> int:
    """Open the windows of ``--mode`` (comma-separated: ``counter,display``), with the queue of this centre.

    The queue is the centre server named in queue.toml ``[client]``, or, on a one-PC centre, the centre run in this
    process (with its server on 127.0.0.1 for other programs of this PC); it is closed when the windows are.
    """
    from motcua.cli.queue import open_queue_api
    from motcua.cli.sync_link import WorkstationSync, centre_tls, workstation_upstream
    from motcua.domain.queue_config import load_queue_config
    from motcua.paths import data_dir
    from motcua.sync.centre_client import HttpCentreLeases
    from motcua.sync.conflicts_client import HttpConflictDesk
    from motcua.ui.app import RUN_MODES, run_app

    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    if not modes or any(m not in RUN_MODES for m in modes):
        raise ValidationError(
            tr("Chế độ không hợp lệ: {mode} (chọn trong {modes})", mode=args.mode, modes=", ".join(RUN_MODES)), "mode"
        )
    settings = settings_from(args)
    directory = Path(args.data_dir) if args.data_dir else None
    base = directory or (Path(settings.data_dir) if settings.data_dir else data_dir())
    from motcua.store.disk_encryption import warning as unencrypted_disk

    unencrypted = unencrypted_disk(base)  # personal data at rest is the OS disk encryption's (docs/security.md)
    if unencrypted:
        print(unencrypted, file=sys.stderr)
    queue_path = Path(args.queue_config) if args.queue_config else kiosk_config_dir() / "queue.toml"
    handle = open_queue_api(load_queue_config(queue_path), base, settings=settings)
    if handle.server is not None:
        print(tr("Máy chủ trung tâm nhúng: {url}", url=handle.server.url), file=sys.stderr)
    url, token = centre_address(settings, queue_path)

    from motcua.domain.search_terms import current_search_terms
    from motcua.services import addresses

    addresses.warm_up()  # the first address typed would otherwise wait seconds for the conversion tables
    problem = current_search_terms().problem  # a bad centre search-words file: said now, and in the picker
    if problem:
        print(problem, file=sys.stderr)

    def start_sync(ctx: AppContext) -> WorkstationSync:
        return WorkstationSync(ctx, workstation_upstream(ctx, url, token, handle.sync_node)).start()

    from motcua.services.backup import BackupJob, BackupService

    # The data folder's daily backup at closing time, on a thread of its own (the embedded centre's database is in
    # the same folder): [backup] of the settings.
    backups = BackupJob(BackupService(settings, base)).start()
    # A supervisor's PC of a centre with a LAN settles the centre's conflicts through its server (a one-PC centre's
    # supervisor through the sync node running here: handle.sync_node).
    conflicts = None
    if url and "supervisor" in modes and handle.sync_node is None:
        conflicts = HttpConflictDesk(url, token, timeout=settings.sync.timeout_s, tls=centre_tls(settings))
    try:
        return run_app(
            settings,
            mode=",".join(modes),
            data_dir=directory,
            queue=handle.api,
            leases=HttpCentreLeases(url, token, timeout=settings.sync.timeout_s, tls=centre_tls(settings))
            if url
            else None,
            start_sync=start_sync,
            sync_node=handle.sync_node,
            conflicts=conflicts,
        )
    finally:
        if conflicts is not None:
            conflicts.close()
        backups.stop()
        handle.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``run`` to the ``motcua`` command."""
    run = sub.add_parser("run", help=tr("mở ứng dụng"))
    run.add_argument(
        "--mode",
        default="counter",
        help=tr("counter, kiosk, display, supervisor, rating, all, hoặc vài chế độ: counter,display"),
    )
    run.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    run.set_defaults(func=cmd_run)
