"""``python -m motcua.server``: the centre or province server without the rest of the ``motcua`` command.

``motcua server`` (see :mod:`motcua.cli.server`) takes the same options. Once listening it prints one line,
``READY http://HOST:PORT``, to standard output (scripts and tests wait for it; ``--port 0`` picks a free port).
With TLS a second line follows, ``TLS-SHA256 <hex>``: the certificate's fingerprint, which each device is given
when it is enrolled (``tls_pin_sha256``); ``--show-tls-fingerprint`` prints only that hex and exits.

A server bound to an address other machines can reach refuses to start without TLS (the devices' tokens would
cross the LAN in clear) unless ``--insecure-lan`` (or ``[server] insecure_lan = true``) says so.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from motcua.config import ConfigError, Settings, load_settings
from motcua.domain.errors import MotcuaError
from motcua.domain.queue_config import QueueConfig, load_queue_config
from motcua.i18n import tr
from motcua.paths import data_dir, kiosk_config_dir
from motcua.server import tls_cert
from motcua.server.options import ROLES, TlsFiles, check_transport, log_to_stderr

DEFAULT_PORT = 8765
SELF_SIGNED = "self-signed"


def _bounded(text: str, low: int, high: int) -> int:
    """A whole number in [low, high], or argparse's one-line refusal."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cần một số nguyên, không phải {value}", value=text)) from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(tr("phải từ {low} đến {high}, không phải {value}", low=low, high=high,
                                            value=text))  # fmt: skip
    return value


def _port(text: str) -> int:
    """A TCP port, 0–65535 (0: any free one): refused here rather than as an OverflowError from the socket."""
    return _bounded(text, 0, 65535)


MAX_WORKERS = 16


def _workers(text: str) -> int:
    """``auto`` (one per core, at most four) or a number of processes, 1–16."""
    if text.strip().lower() == "auto":
        from motcua.server.workers import default_workers

        return default_workers()
    return _bounded(text, 1, MAX_WORKERS)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--role", choices=ROLES, default="center", help=tr("vai trò máy chủ: center (trung tâm) hoặc province (tỉnh)")
    )
    p.add_argument("--host", default="127.0.0.1", help=tr("địa chỉ lắng nghe (0.0.0.0: cả mạng nội bộ)"))
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=tr("cổng TCP (0: cổng trống bất kỳ)"))
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help=tr("số tiến trình phục vụ (auto: mỗi lõi CPU một, tối đa 4; cho trung tâm đông máy)"),
    )
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
    p.add_argument(
        "--tls",
        choices=[SELF_SIGNED],
        default=None,
        help=tr("self-signed: tự tạo chứng thư trong thư mục dữ liệu ở lần chạy đầu, dùng lại các lần sau"),
    )
    p.add_argument(
        "--insecure-lan",
        action="store_true",
        default=None,
        help=tr("cho phép phục vụ mạng nội bộ không có TLS (mã truy cập đi qua mạng ở dạng không mã hóa)"),
    )
    p.add_argument(
        "--show-tls-fingerprint",
        action="store_true",
        help=tr("in dấu vân tay SHA-256 của chứng thư (tạo chứng thư tự ký nếu chưa có) rồi thoát"),
    )


def resolve_tls(args: argparse.Namespace, settings: Settings, base: Path) -> TlsFiles:
    """The certificate to serve: ``--tls-cert/--tls-key``, else the self-signed one of ``--tls self-signed`` (or
    ``[server] tls``), made in ``base`` at the first start; else none."""
    mode = args.tls if args.tls is not None else settings.server.tls
    if mode not in ("", SELF_SIGNED):
        raise MotcuaError(tr("Cấu hình: server.tls phải để trống hoặc là self-signed (đang là {value})", value=mode))
    if args.tls_cert or args.tls_key or mode != SELF_SIGNED:
        return TlsFiles(args.tls_cert, args.tls_key)
    cert, key, made = tls_cert.ensure_self_signed(base, args.host)
    if made:
        print(tr("Đã tạo chứng thư tự ký {file}", file=str(cert)), file=sys.stderr)
    return TlsFiles(str(cert), str(key))


def transport(args: argparse.Namespace, settings: Settings, base: Path) -> tuple[TlsFiles, bool]:
    """(the certificate to serve, whether serving the LAN without TLS is allowed): the options, else ``[server]``."""
    insecure_lan = bool(args.insecure_lan) if args.insecure_lan is not None else settings.server.insecure_lan
    return resolve_tls(args, settings, base), insecure_lan


def announce_fingerprint(tls: TlsFiles) -> str:
    """Say the certificate's fingerprint on standard error, for a person; returns it (hex)."""
    digest = tls_cert.sha256_of(Path(tls.cert))
    print(
        tr(
            "Dấu vân tay SHA-256 của chứng thư (ghi vào tls_pin_sha256 của từng thiết bị): {fingerprint}",
            fingerprint=tls_cert.spaced(digest),
        ),
        file=sys.stderr,
    )
    return digest


def settings_and_folder(args: argparse.Namespace) -> tuple[Settings, Path]:
    """The settings (``--config``, else kiosk_config/centre.toml) and the data folder (``--data-dir``, else
    ``data_dir`` of the settings, else the per-user one), made when missing."""
    config_path = getattr(args, "config", None)
    settings = load_settings(Path(config_path) if config_path else kiosk_config_dir() / "centre.toml")
    given = getattr(args, "data_dir", None)
    base = Path(given) if given else (Path(settings.data_dir) if settings.data_dir else data_dir())
    base.mkdir(parents=True, exist_ok=True)
    return settings, base


def centre_files(args: argparse.Namespace, base: Path) -> tuple[Path, QueueConfig]:
    """The centre database (``--db``, else centre.sqlite in the data folder) and the queue's configuration."""
    db = Path(args.db) if args.db else base / "centre.sqlite"
    config = load_queue_config(Path(args.queue_config) if args.queue_config else kiosk_config_dir() / "queue.toml")
    return db, config


def serve(args: argparse.Namespace) -> int:
    from motcua.server.run import run_province, run_server  # FastAPI and uvicorn: only when serving

    """Run the server as the parsed options say; returns the exit status.

    ``MOTCUA_LOG=info`` (or debug) makes it say what its sync does, on standard error.
    """
    log_to_stderr()
    settings, base = settings_and_folder(args)
    tls, insecure_lan = transport(args, settings, base)
    if args.show_tls_fingerprint:
        if not tls.cert:
            raise MotcuaError(tr("Máy chủ không dùng TLS: hãy thêm --tls self-signed hoặc --tls-cert/--tls-key"))
        print(announce_fingerprint(tls), flush=True)
        return 0
    check_transport(args.host, tls, insecure_lan)
    pin = announce_fingerprint(tls) if tls.cert else ""

    def ready(url: str) -> None:
        print(f"READY {url}", flush=True)
        if pin:
            print(f"TLS-SHA256 {pin}", flush=True)
        print(tr("Máy chủ đang chạy tại {url}; tài liệu API: {url}/docs", url=url), file=sys.stderr)

    if args.role == "province":
        database = args.database or str(base / "province.sqlite")
        run_province(args.host, args.port, database, base, args.province_id, ready, tls=tls, insecure_lan=insecure_lan)
        return 0
    db, config = centre_files(args, base)
    run_server(
        args.role,
        args.host,
        args.port,
        db,
        config,
        ready,
        settings=settings,
        tls=tls,
        insecure_lan=insecure_lan,
        workers=args.workers,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from motcua.services import log_privacy

    log_privacy.install()  # the servers log their sync: never an ID number, phone or e-mail in those lines
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
