"""The yardstick of ``motcua bench queue``: the most trivial FastAPI + SQLite insert endpoint, served the same way.

``python -m motcua.bench.queue_trivial --db FILE`` prints ``READY http://127.0.0.1:PORT`` and serves
``POST /insert`` (one row, one commit, WAL and synchronous=NORMAL like the centre database) with the centre server's
own uvicorn settings (:func:`motcua.server.run.server_config`), one process. Ticket writes are compared with it in
the same run, on the same machine, so the ratio says what the queue's rules and checks cost, not how fast the PC is.
"""

from __future__ import annotations

import argparse
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from motcua.server.run import bind, server_config


class Row(BaseModel):
    service: str
    priority_group: str | None = None


def create_app(path: str) -> FastAPI:
    app = FastAPI()
    local = threading.local()
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode = WAL")
    setup.execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, service TEXT, priority_group TEXT)")
    setup.close()

    def conn() -> sqlite3.Connection:
        c: sqlite3.Connection | None = getattr(local, "conn", None)
        if c is None:
            c = local.conn = sqlite3.connect(path, timeout=15, isolation_level=None)
            c.execute("PRAGMA synchronous = NORMAL")
        return c

    @app.post("/insert")
    def insert(row: Row) -> dict[str, Any]:
        c = conn()
        c.execute("BEGIN IMMEDIATE")
        cur = c.execute("INSERT INTO rows (service, priority_group) VALUES (?, ?)", [row.service, row.priority_group])
        c.execute("COMMIT")
        return {"id": cur.lastrowid}

    return app


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m motcua.bench.queue_trivial")
    p.add_argument("--db", required=True)
    args = p.parse_args(argv)
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(server_config(create_app(args.db), "127.0.0.1", sock.getsockname()[1]))
    print(f"READY http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
