"""The centre server as a Windows service: ``motcua-service.exe`` (installer/windows/motcua.spec).

The service runs the same centre as ``motcua server --role center`` (the queue, dossier-number leases, the sync of
the centre's counters and its link to the province) inside the service process, and stops it cleanly when Windows
asks: push streams end, open requests finish, the database is closed.

``motcua-service.exe``, run by an administrator::

    motcua-service install [--host 0.0.0.0] [--port 8765] [--data-dir DIR] [--tls self-signed|none]
                           [--config FILE] [--queue-config FILE] [--account virtual|system] [--startup auto|manual]
    motcua-service start | stop | status | remove
    motcua-service run [the same server options]     # in this console, Ctrl-C stops (a check before installing)
    motcua-service fingerprint [--data-dir DIR]      # the TLS fingerprint to give each device (tls_pin_sha256)

The service control manager starts ``motcua-service.exe dispatch <server options>``: the options chosen at install
are kept in the service's own command line (``sc qc MotCuaCentre`` shows them), and ``dispatch`` hands the process
to Windows (pywin32's ``servicemanager``). It runs by default as its own virtual account, ``NT SERVICE\\MotCuaCentre``
(no password, no rights beyond its data folder), with its data in ``%ProgramData%\\MotCua``, whose ACL the installer
limits to Administrators, SYSTEM and that account.

pywin32 is imported only by what needs Windows (install, start, stop, the service class itself), so this module
imports, and its platform-independent part (the command line, the server's start and stop) is tested, on Linux.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.handlers
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motcua.i18n import tr

SERVICE_NAME = "MotCuaCentre"
VIRTUAL_ACCOUNT = f"NT SERVICE\\{SERVICE_NAME}"
DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 8765  # as motcua.server.__main__.DEFAULT_PORT (not imported: `--help` should not load the server)
TLS_CHOICES = ("self-signed", "none")
STOP_WAIT_S = 30  # how long `stop` and `remove` wait for the service to stop
LOG_FILE = "centre-service.log"

log = logging.getLogger(__name__)


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The service's data folder: ``%ProgramData%\\MotCua`` (machine-wide, not any user's profile)."""
    env = os.environ if environ is None else environ
    return Path(env.get("ProgramData") or env.get("PROGRAMDATA") or "C:\\ProgramData") / "MotCua"


@dataclass(frozen=True, slots=True)
class ServiceOptions:
    """How the service runs the centre server (the options of ``motcua server --role center``).

    Attributes:
        host: the address to listen on (0.0.0.0: the centre's network).
        port: the TCP port.
        data_dir: the centre's data folder (empty: :func:`default_data_dir`).
        tls: "self-signed" (made in the data folder at the first start) or "none" (loopback only, or with
            ``insecure_lan``).
        tls_cert: a PEM certificate to serve instead (with ``tls_key``).
        tls_key: its private key.
        config: centre.toml (empty: the one in kiosk_config).
        queue_config: queue.toml (empty: the one in kiosk_config).
        insecure_lan: serve a LAN address without TLS all the same.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data_dir: str = ""
    tls: str = "self-signed"
    tls_cert: str = ""
    tls_key: str = ""
    config: str = ""
    queue_config: str = ""
    insecure_lan: bool = False

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else default_data_dir()

    def server_argv(self) -> list[str]:
        """The arguments of ``motcua server`` that run this centre (the data folder always explicit)."""
        argv = ["--role", "center", "--host", self.host, "--port", str(self.port), "--data-dir", str(self.data_path)]
        if self.tls_cert or self.tls_key:
            argv += ["--tls-cert", self.tls_cert, "--tls-key", self.tls_key]
        elif self.tls == "self-signed":
            argv += ["--tls", "self-signed"]
        if self.config:
            argv += ["--config", self.config]
        if self.queue_config:
            argv += ["--queue-config", self.queue_config]
        if self.insecure_lan:
            argv.append("--insecure-lan")
        return argv

    def option_argv(self) -> list[str]:
        """These options as ``install``/``run``/``dispatch`` take them (read back by :func:`options_from`)."""
        argv = ["--host", self.host, "--port", str(self.port), "--data-dir", str(self.data_path), "--tls", self.tls]
        for flag, value in (
            ("--tls-cert", self.tls_cert),
            ("--tls-key", self.tls_key),
            ("--config", self.config),
            ("--queue-config", self.queue_config),
        ):
            if value:
                argv += [flag, value]
        if self.insecure_lan:
            argv.append("--insecure-lan")
        return argv


def service_exe_args(options: ServiceOptions) -> str:
    """What follows the executable in the service's command line (Windows quoting: a folder with spaces is quoted)."""
    return subprocess.list2cmdline(["dispatch", *options.option_argv()])


def service_host(frozen: bool | None = None, executable: str | None = None) -> tuple[str, str]:
    """(the program the service control manager starts, the arguments before ``dispatch``): the frozen
    ``motcua-service.exe`` itself, or, from a source checkout, ``python.exe -m motcua.winservice``."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = executable or sys.executable
    return (exe, "") if frozen else (exe, "-m motcua.winservice")


# -- the centre server, platform-independent ------------------------------------------------------------------------


def _server_namespace(options: ServiceOptions) -> argparse.Namespace:
    """``motcua server``'s own parser over :meth:`ServiceOptions.server_argv`: every option it knows, defaulted."""
    from motcua.server import __main__ as server_main

    parser = argparse.ArgumentParser(prog="motcua-service")
    server_main.add_arguments(parser)
    return parser.parse_args(options.server_argv())


class RunningCentre:
    """A centre server started by :func:`start_centre`; :meth:`stop` ends it (idempotent)."""

    def __init__(self, server: Any, store: Any, fingerprint: str) -> None:
        self._server = server
        self._store = store
        self.fingerprint = fingerprint
        self._stopped = False

    @property
    def url(self) -> str:
        return str(self._server.url)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            self._server.stop()
        finally:
            self._store.close()


def start_centre(options: ServiceOptions) -> RunningCentre:
    """Start the centre as ``motcua server --role center`` with these options does, but on a background thread of
    this process with a stop of its own (the service cannot use the console's Ctrl-C).

    The settings, data folder, TLS and transport checks are ``motcua.server.__main__``'s; the centre's app is
    :func:`motcua.server.run.centre_app`, the one ``motcua server`` serves, here served by
    :class:`motcua.server.run.ServerThread`, whose ``stop`` ends push streams and lets open requests finish.

    Raises:
        MotcuaError: a bad option or setting (the same messages as ``motcua server``).
        OSError: the port is taken.
    """
    from motcua.server import __main__ as server_main
    from motcua.server import tls_cert
    from motcua.server.run import ServerThread, centre_app, check_transport
    from motcua.services.queue.service import open_queue_store

    args = _server_namespace(options)
    settings, base = server_main.settings_and_folder(args)
    tls, insecure_lan = server_main.transport(args, settings, base)
    check_transport(args.host, tls, insecure_lan)
    fingerprint = tls_cert.sha256_of(Path(tls.cert)) if tls.cert else ""
    db, config = server_main.centre_files(args, base)
    store = open_queue_store(db)
    try:
        app = centre_app(store, config, settings, db.parent)
        server = ServerThread(app, args.host, args.port, tls, name="centre-service").start()
    except BaseException:
        store.close()
        raise
    return RunningCentre(server, store, fingerprint)


def run_until_stopped(
    options: ServiceOptions,
    stop: threading.Event,
    ready: Callable[[RunningCentre], None] | None = None,
    start: Callable[[ServiceOptions], RunningCentre] = start_centre,
) -> None:
    """Serve the centre until ``stop`` is set (the service's SvcStop, Ctrl-C in ``run``), then stop it cleanly."""
    centre = start(options)
    try:
        if ready is not None:
            ready(centre)
        stop.wait()
    finally:
        centre.stop()


def ready_message(centre: RunningCentre) -> str:
    text = tr("Máy chủ trung tâm đang chạy tại {url}", url=centre.url)
    if centre.fingerprint:
        from motcua.server import tls_cert

        text += "\n" + tr(
            "Dấu vân tay SHA-256 của chứng thư (ghi vào tls_pin_sha256 của từng thiết bị): {fingerprint}",
            fingerprint=tls_cert.spaced(centre.fingerprint),
        )
    return text


def log_to_file(data_dir: Path) -> logging.Handler:
    """The service has no console: its log goes to ``centre-service.log`` in its data folder (masked of personal
    data by :mod:`motcua.services.log_privacy`, rotated at 1 MB, three kept)."""
    from motcua.services import log_privacy

    log_privacy.install()
    data_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        data_dir / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(os.environ.get("MOTCUA_LOG", "WARNING").upper())
    return handler


# -- Windows: the service class and its control ---------------------------------------------------------------------


def service_class() -> type[Any]:
    """The pywin32 service class (pywin32 is imported here: this needs Windows, or fakes of its modules in tests).

    Its ``options`` class attribute is what the service serves (set by ``dispatch`` from its command line).
    """
    import servicemanager
    import win32service
    import win32serviceutil

    class CentreService(win32serviceutil.ServiceFramework):
        _svc_name_ = SERVICE_NAME
        _svc_display_name_ = tr("MotCua Desk - máy chủ trung tâm")
        _svc_description_ = tr(
            "Hàng đợi, cấp số hồ sơ và đồng bộ của các quầy trong trung tâm (motcua server --role center)"
        )
        options = ServiceOptions()

        def __init__(self, args: Sequence[str]) -> None:
            super().__init__(args)
            self.stop_event = threading.Event()

        def SvcStop(self) -> None:
            # Windows waits for STOPPED; the hint covers the server's graceful shutdown and the thread's join.
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING, waitHint=20_000)
            self.stop_event.set()

        def SvcShutdown(self) -> None:
            self.SvcStop()

        def SvcDoRun(self) -> None:
            options = self.options
            os.environ["MOTCUA_DATA_DIR"] = str(options.data_path)  # anything asking paths.data_dir() agrees
            handler = log_to_file(options.data_path)
            try:
                run_until_stopped(options, self.stop_event, ready=lambda c: servicemanager.LogInfoMsg(ready_message(c)))
                servicemanager.LogInfoMsg(tr("Máy chủ trung tâm đã dừng"))
            except Exception as exc:
                log.exception("centre service failed")
                servicemanager.LogErrorMsg(tr("Máy chủ trung tâm không chạy được: {error}", error=str(exc)))
                raise  # pywin32 reports the service STOPPED with an error; the recovery actions restart it
            finally:
                logging.getLogger().removeHandler(handler)
                handler.close()

    return CentreService


def _dispatch(options: ServiceOptions) -> int:
    """What the service control manager runs: hand this process to it, serving ``options``."""
    import servicemanager

    cls = service_class()
    cls.options = options
    servicemanager.Initialize()
    servicemanager.PrepareToHostSingle(cls)
    servicemanager.StartServiceCtrlDispatcher()
    return 0


START_TYPES = ("auto", "manual")


def install(options: ServiceOptions, account: str = "virtual", startup: str = "auto") -> None:
    """Register (or, if registered, update) the service, to start at boot; ``sc qc MotCuaCentre`` shows it."""
    import pywintypes
    import win32service
    import win32serviceutil
    import winerror

    exe, prefix = service_host()
    args = f"{prefix} {service_exe_args(options)}".strip()
    start_type = win32service.SERVICE_AUTO_START if startup == "auto" else win32service.SERVICE_DEMAND_START
    # A virtual account takes no password (None); LocalSystem takes an empty one (CreateService's documentation).
    user, password = (VIRTUAL_ACCOUNT, None) if account == "virtual" else ("LocalSystem", "")
    cls = service_class()
    common: dict[str, Any] = {
        "startType": start_type,
        "userName": user,
        "password": password,
        "exeName": exe,
        "exeArgs": args,
        "description": cls._svc_description_,
    }
    try:
        win32serviceutil.InstallService(None, SERVICE_NAME, cls._svc_display_name_, **common)
    except pywintypes.error as exc:
        if exc.winerror != winerror.ERROR_SERVICE_EXISTS:
            raise
        win32serviceutil.ChangeServiceConfig(None, SERVICE_NAME, displayName=cls._svc_display_name_, **common)


def _control(command: str) -> int:
    import pywintypes
    import win32service
    import win32serviceutil
    import winerror

    states = {
        win32service.SERVICE_STOPPED: tr("đã dừng"),
        win32service.SERVICE_START_PENDING: tr("đang khởi động"),
        win32service.SERVICE_STOP_PENDING: tr("đang dừng"),
        win32service.SERVICE_RUNNING: tr("đang chạy"),
    }
    try:
        if command == "start":
            win32serviceutil.StartService(SERVICE_NAME)
            win32serviceutil.WaitForServiceStatus(SERVICE_NAME, win32service.SERVICE_RUNNING, STOP_WAIT_S)
        elif command in ("stop", "remove"):
            try:
                win32serviceutil.StopService(SERVICE_NAME)
                win32serviceutil.WaitForServiceStatus(SERVICE_NAME, win32service.SERVICE_STOPPED, STOP_WAIT_S)
            except pywintypes.error as exc:
                if exc.winerror != winerror.ERROR_SERVICE_NOT_ACTIVE:
                    raise
            if command == "remove":
                win32serviceutil.RemoveService(SERVICE_NAME)
        state = win32serviceutil.QueryServiceStatus(SERVICE_NAME)[1] if command != "remove" else None
    except pywintypes.error as exc:
        if exc.winerror == winerror.ERROR_SERVICE_DOES_NOT_EXIST and command in ("remove", "stop", "status"):
            print(tr("Dịch vụ {name} chưa được cài đặt", name=SERVICE_NAME))
            return 0 if command != "status" else 3
        print(tr("Lỗi: {message}", message=f"{exc.strerror} ({exc.winerror})"), file=sys.stderr)
        return 2
    if state is None:
        print(tr("Đã gỡ dịch vụ {name}", name=SERVICE_NAME))
    else:
        print(tr("Dịch vụ {name}: {state}", name=SERVICE_NAME, state=states.get(state, str(state))))
    return 0


# -- the command line -----------------------------------------------------------------------------------------------


def _add_server_options(p: argparse.ArgumentParser) -> None:
    from motcua.cli.common import bounded_int

    p.add_argument("--host", default=DEFAULT_HOST, help=tr("địa chỉ lắng nghe (0.0.0.0: cả mạng nội bộ)"))
    p.add_argument("--port", type=bounded_int(1, 65535), default=DEFAULT_PORT, help=tr("cổng TCP"))
    p.add_argument("--data-dir", default="", help=tr("thư mục dữ liệu của máy chủ (mặc định %%ProgramData%%\\MotCua)"))
    p.add_argument(
        "--tls",
        choices=TLS_CHOICES,
        default="self-signed",
        help=tr("self-signed: tự tạo chứng thư trong thư mục dữ liệu; none: không TLS"),
    )
    p.add_argument("--tls-cert", default="", help=tr("tệp chứng thư PEM để phục vụ https"))
    p.add_argument("--tls-key", default="", help=tr("tệp khóa riêng PEM của chứng thư"))
    p.add_argument("--config", default="", help=tr("tệp cấu hình (mặc định kiosk_config/centre.toml)"))
    p.add_argument("--queue-config", default="", help=tr("tệp cấu hình hàng đợi (mặc định kiosk_config/queue.toml)"))
    p.add_argument(
        "--insecure-lan",
        action="store_true",
        help=tr("cho phép phục vụ mạng nội bộ không có TLS (mã truy cập đi qua mạng ở dạng không mã hóa)"),
    )


def options_from(args: argparse.Namespace) -> ServiceOptions:
    return ServiceOptions(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        tls=args.tls,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        config=args.config,
        queue_config=args.queue_config,
        insecure_lan=args.insecure_lan,
    )


def build_parser() -> argparse.ArgumentParser:
    from motcua.cli.common import one_line_errors

    p = argparse.ArgumentParser(
        prog="motcua-service", description=tr("Máy chủ trung tâm MotCua Desk chạy như một dịch vụ Windows")
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    inst = sub.add_parser("install", help=tr("cài đặt dịch vụ (hoặc cập nhật tùy chọn của nó), tự chạy khi khởi động"))
    _add_server_options(inst)
    inst.add_argument(
        "--account",
        choices=("virtual", "system"),
        default="virtual",
        help=tr("tài khoản chạy dịch vụ: virtual (NT SERVICE\\MotCuaCentre, mặc định) hoặc system (LocalSystem)"),
    )
    inst.add_argument("--startup", choices=START_TYPES, default="auto", help=tr("auto: tự chạy khi khởi động máy"))
    for name, text in (
        ("start", tr("chạy dịch vụ")),
        ("stop", tr("dừng dịch vụ")),
        ("status", tr("trạng thái của dịch vụ")),
        ("remove", tr("dừng và gỡ dịch vụ")),
    ):
        sub.add_parser(name, help=text)
    run = sub.add_parser("run", help=tr("chạy máy chủ trong cửa sổ này (Ctrl-C để dừng), để kiểm tra"))
    _add_server_options(run)
    dispatch = sub.add_parser("dispatch", help=tr("dành cho Windows: điểm vào của dịch vụ"))
    _add_server_options(dispatch)
    fp = sub.add_parser("fingerprint", help=tr("in dấu vân tay SHA-256 của chứng thư máy chủ"))
    fp.add_argument("--data-dir", default="", help=tr("thư mục dữ liệu của máy chủ (mặc định %%ProgramData%%\\MotCua)"))
    return one_line_errors(p)


def _run_in_console(options: ServiceOptions, stop: threading.Event | None = None) -> int:
    """``run``: the service's server in this console until Ctrl-C (or ``stop``), then the same clean stop."""
    stop = stop or threading.Event()
    centre = start_centre(options)
    try:
        print(ready_message(centre), file=sys.stderr, flush=True)
        while not stop.wait(0.5):  # a timed wait: Ctrl-C reaches this thread on Windows too
            pass
    except KeyboardInterrupt:
        pass
    finally:
        centre.stop()
    return 0


def _fingerprint(data_dir: str) -> int:
    from motcua.server import tls_cert

    cert, _key = tls_cert.paths(Path(data_dir) if data_dir else default_data_dir())
    if not cert.is_file():
        print(tr("Lỗi: {message}", message=tr("Không tìm thấy tệp {file}", file=str(cert))), file=sys.stderr)
        return 2
    print(tls_cert.spaced(tls_cert.sha256_of(cert)))
    return 0


WINDOWS_ONLY = ("install", "start", "stop", "status", "remove", "dispatch")


def main(argv: Sequence[str] | None = None) -> int:
    """``motcua-service`` (see the module's description); returns the exit status."""
    from motcua.config import ConfigError
    from motcua.domain.errors import MotcuaError

    args = build_parser().parse_args(argv)
    if args.command in WINDOWS_ONLY and sys.platform != "win32":
        print(tr("Lỗi: {message}", message=tr("lệnh này chỉ dùng được trên Windows")), file=sys.stderr)
        return 2
    try:
        if args.command == "fingerprint":
            return _fingerprint(args.data_dir)
        if args.command == "run":
            return _run_in_console(options_from(args))
        if args.command == "dispatch":
            return _dispatch(options_from(args))
        if args.command == "install":
            options = options_from(args)
            install(options, account=args.account, startup=args.startup)
            print(tr("Đã cài đặt dịch vụ {name}: {command}", name=SERVICE_NAME, command=service_exe_args(options)))
            return 0
        return _control(args.command)
    except (MotcuaError, ConfigError) as exc:
        print(tr("Lỗi: {message}", message=str(exc)), file=sys.stderr)
        return 2


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
