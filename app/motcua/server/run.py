"""Starting the centre server: in the foreground (``motcua server``) or embedded in the app on a background thread.

The embedded server is what a one-PC centre runs by default: it binds 127.0.0.1 on a free port, so other
programs on the same PC (a second screen's display, the CLI) can reach the queue, and it stops cleanly with the
app.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from motcua.config import Settings
from motcua.domain.codes import check_agency_id
from motcua.domain.errors import MotcuaError
from motcua.domain.queue_config import QueueConfig
from motcua.i18n import tr
from motcua.server.app import Background, create_app
from motcua.server.guard import DEFAULT_LIMITS, Limits, guarded_protocol
from motcua.server.options import ROLES as ROLES
from motcua.server.options import TlsFiles as TlsFiles
from motcua.server.options import check_role as check_role
from motcua.server.options import check_transport as check_transport
from motcua.server.options import loopback_only as loopback_only
from motcua.server.province import create_province_app
from motcua.server.uplink import centre_uplink
from motcua.server.workers import WorkerPool, WorkerSpec
from motcua.services.backup import BackupJob, BackupService
from motcua.services.context import system_clock
from motcua.services.leases import EmbeddedCentreLeases, LeasePolicy
from motcua.services.node_retention import NodeRetention, RetentionJob
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.sync_node import SyncNode
from motcua.services.sync_setup import centre_node, province_node
from motcua.store.db import Store


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port); bound here so the caller knows the port before serving."""
    # proto=IPPROTO_TCP matters: asyncio turns Nagle's algorithm off only on sockets that say they are TCP, and
    # with it on every response waits ~40 ms for a delayed ACK.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once on the same port after a crash
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()  # the port is taken: no socket left open behind the error
        raise
    sock.set_inheritable(True)
    return sock


def server_config(
    app: object, host: str, port: int, tls: TlsFiles | None = None, limits: Limits = DEFAULT_LIMITS
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
        backlog=2048,
        ssl_certfile=tls.cert if tls and tls.cert else None,
        ssl_keyfile=tls.key if tls and tls.key else None,
        # Deadlines for slow senders and the header limit (uvicorn has an idle keep-alive timeout only).
        http=guarded_protocol(limits),
        timeout_keep_alive=int(limits.keep_alive_s),
        # A last resort for the whole process (503); the guard's per-address limit answers long before it.
        limit_concurrency=MAX_CONNECTIONS,
    )


MAX_CONNECTIONS = 4096  # far above a centre's devices × their connections; the bench opens ~250


# How long a thread may hold the GIL while another waits for it. The server's event loop is busy all the time under
# load, and the routes run in the thread pool (a workstation's sync, the devices' tokens) give the GIL up around
# every SQLite statement, with the database's write lock held: at Python's default of 5 ms, each statement waited
# up to that long to get it back, and the queue's writes waited for the lock meanwhile.
SWITCH_INTERVAL_S = 0.0005


def _serve(
    app: object,
    host: str,
    port: int,
    tls: TlsFiles | None,
    ready: Callable[[str], None] | None,
    workers: Callable[[socket.socket, int], WorkerPool] | None = None,
) -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # a server process of its own: nothing else shares the setting
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, host, bound, tls))
    pool = workers(sock, bound) if workers is not None else None
    try:
        if ready is not None:
            ready(f"{(tls or TlsFiles()).scheme}://{host}:{bound}")
        server.run(sockets=[sock])
    finally:
        if pool is not None:
            pool.stop()


def lease_policy(settings: Settings) -> LeasePolicy:
    c = settings.counter
    return LeasePolicy(frozenset({settings.centre.agency_id}), c.lease_max_block, c.lease_max_per_station_day)


def run_server(
    role: str,
    host: str,
    port: int,
    db_path: Path,
    config: QueueConfig,
    ready: Callable[[str], None] | None = None,
    *,
    settings: Settings | None = None,
    tls: TlsFiles | None = None,
    insecure_lan: bool = False,
    workers: int = 1,
) -> None:
    """Serve a centre until interrupted (Ctrl-C / SIGTERM): the queue, dossier-number leases, and the sync of its
    workstations, with its own link to the province when ``[sync] province_url`` is set.

    Args:
        role: "center" (see :func:`run_province` for the province).
        host: the address to bind (127.0.0.1 for this PC only, 0.0.0.0 for the centre's network).
        port: the TCP port (0 for any free one).
        db_path: the centre database (created and migrated when missing); documents live beside it.
        config: the queue configuration.
        ready: called with the base URL once the socket listens.
        settings: the centre's settings (its agency id, lease limits, the province link).
        tls: serve https with this certificate.
        insecure_lan: serve a non-loopback ``host`` without TLS all the same (refused otherwise).
        workers: processes serving the socket (:mod:`motcua.server.workers`); 1: this one alone.
    """
    check_role(role)
    check_transport(host, tls, insecure_lan)
    settings = settings or Settings()
    store = open_queue_store(db_path)
    try:
        app = centre_app(store, config, settings, db_path.parent, role, shared=workers > 1)
        _serve(app, host, port, tls, ready, _spawner(workers, role, host, db_path, config, settings, tls))
    finally:
        store.close()


def _spawner(
    workers: int, role: str, host: str, db_path: Path, config: QueueConfig, settings: Settings, tls: TlsFiles | None
) -> Callable[[socket.socket, int], WorkerPool] | None:
    """What starts the other ``workers - 1`` processes on the bound socket (None: this one serves alone)."""
    if workers <= 1:
        return None

    def spawn(sock: socket.socket, bound: int) -> WorkerPool:
        spec = WorkerSpec(role, host, bound, db_path, config, settings, tls)
        return WorkerPool(spec, sock, workers - 1).start()

    return spawn


def centre_app(
    store: Store,
    config: QueueConfig,
    settings: Settings,
    folder: Path,
    role: str = "center",
    *,
    primary: bool = True,
    shared: bool = False,
) -> FastAPI:
    """The centre server's app on its open database: the queue, dossier-number leases, the workstations' sync, the
    province uplink when ``[sync] province_url`` is set, the daily backup of ``folder`` (its data folder) and the
    daily retention run on its copy of the counters' events.
    ``motcua server`` and the Windows service (motcua.winservice) both serve this one.

    Args:
        primary: run the background jobs (the uplink, backups, retention): one process of a centre does.
        shared: other processes serve the same database (:mod:`motcua.server.workers`).
    """
    agency = check_agency_id(settings.centre.agency_id)
    node = centre_node(store, agency, folder)
    background: list[Background] = []
    if primary:
        uplink = centre_uplink(node, settings.sync, system_clock)
        backups = BackupJob(BackupService(settings, folder))  # at closing time
        retention = RetentionJob(NodeRetention(node, settings.retention, has_uplink=uplink is not None))  # daily
        background = [*([uplink] if uplink is not None else []), backups, retention]
    return create_app(
        QueueService(store, config),
        EmbeddedCentreLeases(store, lease_policy(settings)),
        role,
        sync=node,
        agency_id=agency,
        background=background,
        shared=shared,
        checkpoint=primary,
    )


def run_province(
    host: str,
    port: int,
    database: str,
    files_dir: Path,
    province_id: str,
    ready: Callable[[str], None] | None = None,
    *,
    tls: TlsFiles | None = None,
    insecure_lan: bool = False,
) -> None:
    """Serve the province until interrupted.

    Args:
        database: "postgresql://user@host/db", or an SQLite file (a demo).
        files_dir: where the documents of every centre are kept (``files/…``).
        province_id: the province's identifier (e.g. "H38"), part of its events' origin.
    """
    check_transport(host, tls, insecure_lan)  # before the database is opened
    node = province_node(database, province_id, files_dir)
    try:
        _serve(create_province_app(node, province_id), host, port, tls, ready)
    finally:
        node.close()


class ServerThread:
    """One of our ASGI apps served on a background thread of this process (the embedded centre; tests).

    Args:
        app: the application (its ``state.notifier``s are closed on stop, so push streams end at once).
        host: 127.0.0.1 by default: this PC only.
        port: 0 for a free port.
        tls: serve https with this certificate.
    """

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: TlsFiles | None = None,
        name: str = "server",
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.app = app
        self._sock = bind(host, port)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self.scheme = (tls or TlsFiles()).scheme
        self._server = uvicorn.Server(server_config(app, host, self.port, tls, limits))
        self._thread = threading.Thread(target=lambda: self._server.run(sockets=[self._sock]), name=name, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> ServerThread:
        self._thread.start()
        deadline = threading.Event()
        for _ in range(int(timeout * 100)):
            if self._server.started:
                return self
            deadline.wait(0.01)
        raise MotcuaError(tr("Máy chủ trung tâm nhúng không khởi động được"))

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: push streams end, open requests finish, the thread exits."""
        for name in ("notifier", "sync_notifier"):
            notifier = getattr(self.app.state, name, None)
            if notifier is not None:
                notifier.close()
        self._server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()


class EmbeddedServer(ServerThread):
    """The centre server on a background thread of this process, around an existing :class:`QueueService`.

    Args:
        service: the queue (its store stays the caller's to close).
        host: 127.0.0.1 by default: this PC only.
        port: 0 for a free port.
        sync: the centre's sync node, served to this PC's other programs too.
        agency_id: the centre's agency (with ``sync``).
        background: started and stopped with the server (the link to the province).
    """

    def __init__(
        self,
        service: QueueService,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        sync: SyncNode | None = None,
        agency_id: str = "",
        background: Sequence[Background] = (),
        policy: LeasePolicy | None = None,
    ) -> None:
        self.service = service
        app = create_app(
            service,
            EmbeddedCentreLeases(service.store, policy),
            sync=sync,
            agency_id=agency_id,
            background=background,
        )
        super().__init__(app, host, port, name="centre-server")

    def start(self, timeout: float = 10.0) -> EmbeddedServer:
        super().start(timeout)
        return self
