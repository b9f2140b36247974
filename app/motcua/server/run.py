"""Starting the centre server: in the foreground (``motcua server``) or embedded in the app on a background thread.

The embedded server is what a one-PC centre runs by default: it binds 127.0.0.1 on a free port, so other
programs on the same PC (a second screen's display, the CLI) can reach the queue, and it stops cleanly with the
app.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn

from motcua.domain.errors import MotcuaError
from motcua.domain.queue_config import QueueConfig
from motcua.i18n import tr
from motcua.server.app import create_app
from motcua.services.leases import EmbeddedCentreLeases
from motcua.services.queue.service import QueueService, open_queue_store

ROLES = ("center", "province")


def check_role(role: str) -> None:
    if role == "province":
        raise MotcuaError(tr("Vai trò province (cổng tỉnh) chưa có trong phiên bản này; hãy chạy với --role center."))
    if role != "center":
        raise MotcuaError(tr("Vai trò máy chủ không hợp lệ: {role}", role=role))


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port); bound here so the caller knows the port before serving."""
    # proto=IPPROTO_TCP matters: asyncio turns Nagle's algorithm off only on sockets that say they are TCP, and
    # with it on every response waits ~40 ms for a delayed ACK.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once on the same port after a crash
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _config(app: object, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
        backlog=2048,
    )


def run_server(
    role: str,
    host: str,
    port: int,
    db_path: Path,
    config: QueueConfig,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM).

    Args:
        role: "center" ("province" is a later issue and is refused with a clear message).
        host: the address to bind (127.0.0.1 for this PC only, 0.0.0.0 for the centre's network).
        port: the TCP port (0 for any free one).
        db_path: the centre database (created and migrated when missing).
        config: the queue configuration.
        ready: called with the base URL once the socket listens.
    """
    check_role(role)
    store = open_queue_store(db_path)
    try:
        service = QueueService(store, config)
        app = create_app(service, EmbeddedCentreLeases(store), role)
        sock = bind(host, port)
        bound = sock.getsockname()[1]
        server = uvicorn.Server(_config(app, host, bound))
        if ready is not None:
            ready(f"http://{host}:{bound}")
        server.run(sockets=[sock])
    finally:
        store.close()


class EmbeddedServer:
    """The centre server on a background thread of this process, around an existing :class:`QueueService`.

    Args:
        service: the queue (its store stays the caller's to close).
        host: 127.0.0.1 by default: this PC only.
        port: 0 for a free port.
    """

    def __init__(self, service: QueueService, host: str = "127.0.0.1", port: int = 0) -> None:
        self.service = service
        self.app = create_app(service, EmbeddedCentreLeases(service.store))
        self._sock = bind(host, port)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self._server = uvicorn.Server(_config(self.app, host, self.port))
        self._thread = threading.Thread(target=self._serve, name="centre-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _serve(self) -> None:
        self._server.run(sockets=[self._sock])

    def start(self, timeout: float = 10.0) -> EmbeddedServer:
        self._thread.start()
        deadline = threading.Event()
        for _ in range(int(timeout * 100)):
            if self._server.started:
                return self
            deadline.wait(0.01)
        raise MotcuaError(tr("Máy chủ trung tâm nhúng không khởi động được"))

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: push streams end, open requests finish, the thread exits."""
        self.app.state.notifier.close()
        self._server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()
