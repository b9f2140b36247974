"""The centre server in several processes: one listening socket, one database, more than one core.

One Python process answers the queue's requests on one core at most (the GIL), and a province's busiest centre
asks more than that of it. ``motcua server --workers N`` binds the socket once and serves it from N processes:
this one (the first worker, which alone runs the background jobs: the province uplink, the backups and the
retention run) and N-1 spawned ones that accept on the same socket. They share what must be shared through the
database, which already decides everything that matters under concurrency (``BEGIN IMMEDIATE`` serialises the
writes of every process; call-next's compare-and-set, the ticket numbers, the idempotency keys and the number
leases are all decided inside those transactions):

- what one worker commits wakes the long-polls and push streams held by the others (:mod:`motcua.server.db_watch`);
- the boards and recent events each worker keeps are keyed by the database's own sequence, so none goes stale;
- an administrator's signed request is remembered in the database, so it cannot be replayed on another worker;
- a device's request rate is counted per worker: a device spreading its requests over several connections gets up
  to N times its rate (each connection stays with one worker, and one counter PC keeps one connection).

A worker that dies is started again; when this process goes (stopped, or killed), the others see their pipe to it
close and stop too.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from motcua.config import Settings
from motcua.domain.queue_config import QueueConfig
from motcua.server.options import TlsFiles, log_to_stderr

log = logging.getLogger(__name__)

RESTART_PAUSE_S = 1.0  # between a worker's death and its replacement: a worker that cannot start does not spin


def default_workers() -> int:
    """One worker per core, at most four: past that the database's one writer, not Python, is what the requests
    wait for."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class WorkerSpec:
    """What a spawned worker needs to build the same app (it is pickled to the new process)."""

    role: str
    host: str
    port: int
    db_path: Path
    config: QueueConfig
    settings: Settings
    tls: TlsFiles | None


def _worker_main(spec: WorkerSpec, sock: socket.socket, parent: Connection) -> None:
    """A spawned worker: the centre's app on the shared socket, until the parent says stop or goes away."""
    import uvicorn

    from motcua.server.run import SWITCH_INTERVAL_S, centre_app, server_config
    from motcua.services import log_privacy
    from motcua.services.queue.service import open_queue_store

    log_privacy.install()
    log_to_stderr()  # as the first process does: the level is in the environment they share
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    store = open_queue_store(spec.db_path)
    try:
        app = centre_app(store, spec.config, spec.settings, spec.db_path.parent, spec.role, primary=False)
        server = uvicorn.Server(server_config(app, spec.host, spec.port, spec.tls))

        def await_parent() -> None:
            with contextlib.suppress(EOFError, OSError):
                parent.recv()  # "stop", or EOFError when the parent is gone
            server.should_exit = True

        threading.Thread(target=await_parent, name="await-parent", daemon=True).start()
        server.run(sockets=[sock])
    finally:
        store.close()


class WorkerPool:
    """``count`` spawned workers serving ``sock`` beside this process; restarted when one dies.

    Args:
        spec: what each builds.
        sock: the bound, listening socket (this process serves it too).
        count: how many to spawn (the total is ``count`` + this process).
    """

    def __init__(self, spec: WorkerSpec, sock: socket.socket, count: int) -> None:
        self._spec = spec
        self._sock = sock
        self._count = count
        self._ctx = multiprocessing.get_context("spawn")  # the same on Windows and Linux; no forked threads
        self._workers: list[tuple[BaseProcess, Connection] | None] = [None] * count
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def _spawn(self, slot: int) -> None:
        ours, theirs = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main, args=(self._spec, self._sock, theirs), name=f"motcua-worker-{slot + 1}", daemon=True
        )
        proc.start()
        theirs.close()
        self._workers[slot] = (proc, ours)

    def start(self) -> WorkerPool:
        for slot in range(self._count):
            self._spawn(slot)
        self._supervisor = threading.Thread(target=self._supervise, name="worker-pool", daemon=True)
        self._supervisor.start()
        return self

    def _supervise(self) -> None:
        while not self._stopping.wait(0.5):
            for slot, worker in enumerate(self._workers):
                if worker is None or worker[0].is_alive():
                    continue
                proc, pipe = worker
                if proc.exitcode == 0:  # stopped on purpose (Ctrl-C reaches the whole console group): not a crash
                    continue
                log.warning("server worker %s ended (exit code %s): starting another", proc.name, proc.exitcode)
                pipe.close()
                if self._stopping.wait(RESTART_PAUSE_S):
                    return
                self._spawn(slot)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask every worker to finish its open requests and exit; those still running after ``timeout`` are ended."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout)
        workers = [w for w in self._workers if w is not None]
        for _proc, pipe in workers:
            with contextlib.suppress(OSError, ValueError):
                pipe.send("stop")
        deadline = time.monotonic() + timeout
        for proc, pipe in workers:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.terminate()
                proc.join(2.0)
            pipe.close()
