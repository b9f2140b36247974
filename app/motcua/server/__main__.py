"""``python -m motcua.server``: the centre or province server without the rest of the ``motcua`` command.

``motcua server`` (see :mod:`motcua.cli.server`) takes the same options. Once listening it prints one line,
``READY http://HOST:PORT``, to standard output (scripts and tests wait for it; ``--port 0`` picks a free port).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from motcua.config import ConfigError, load_settings
from motcua.domain.errors import MotcuaError
from motcua.domain.queue_config import load_queue_config
from motcua.i18n import tr
from motcua.paths import data_dir, kiosk_config_dir
from motcua.server.run import ROLES, TlsFiles, run_province, run_server

DEFAULT_PORT = 8765


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--role", choices=ROLES, default="center", help=tr("vai trò máy chủ: center (trung tâm) hoặc province (tỉnh)")
    )
    p.add_argument("--host", default="127.0.0.1", help=tr("địa chỉ lắng nghe (0.0.0.0: cả mạng nội bộ)"))
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=tr("cổng TCP (0: cổng trống bất kỳ)"))
    p.add_argument("--db", help=tr("tệp cơ sở dữ liệu trung tâm (mặc định centre.sqlite trong thư mục dữ liệu)"))
    p.add_argument("--queue-config", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    # Also accepted after "server" (``motcua server --data-dir X``); SUPPRESS keeps the value given before it.
    p.add_argument("--data-dir", default=argparse.SUPPRESS, help=tr("thư mục dữ liệu của máy chủ"))
    p.add_argument("--config", default=argparse.SUPPRESS, help=tr("tệp cấu hình (mặc định kiosk_config/centre.toml)"))
    p.add_argument(
        "--database",
        help=tr("province: postgresql://…, hoặc tệp SQLite (mặc định province.sqlite trong thư mục dữ liệu)"),
    )
    p.add_argument("--province-id", default="H38", help=tr("province: mã tỉnh (mặc định H38)"))
    p.add_argument("--tls-cert", default="", help=tr("tệp chứng thư PEM để phục vụ https"))
    p.add_argument("--tls-key", default="", help=tr("tệp khóa riêng PEM của chứng thư"))


def serve(args: argparse.Namespace) -> int:
    """Run the server as the parsed options say; returns the exit status.

    ``MOTCUA_LOG=info`` (or debug) makes it say what its sync does, on standard error.
    """
    logging.basicConfig(
        level=os.environ.get("MOTCUA_LOG", "WARNING").upper(),
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        force=True,  # something imported earlier may have configured the root logger already
    )
    config_path = getattr(args, "config", None)
    settings = load_settings(Path(config_path) if config_path else kiosk_config_dir() / "centre.toml")
    given = getattr(args, "data_dir", None)
    base = Path(given) if given else (Path(settings.data_dir) if settings.data_dir else data_dir())
    base.mkdir(parents=True, exist_ok=True)
    tls = TlsFiles(args.tls_cert, args.tls_key)

    def ready(url: str) -> None:
        print(f"READY {url}", flush=True)
        print(tr("Máy chủ đang chạy tại {url}; tài liệu API: {url}/docs", url=url), file=sys.stderr)

    if args.role == "province":
        database = args.database or str(base / "province.sqlite")
        run_province(args.host, args.port, database, base, args.province_id, ready, tls=tls)
        return 0
    db = Path(args.db) if args.db else base / "centre.sqlite"
    config = load_queue_config(Path(args.queue_config) if args.queue_config else kiosk_config_dir() / "queue.toml")
    run_server(args.role, args.host, args.port, db, config, ready, settings=settings, tls=tls)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m motcua.server", description=tr("Máy chủ trung tâm MotCua Desk"))
    add_arguments(p)
    args = p.parse_args(argv)
    try:
        return serve(args)
    except (MotcuaError, ConfigError) as exc:
        print(tr("Lỗi: {message}", message=str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
