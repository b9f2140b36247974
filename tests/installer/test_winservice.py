"""The Windows service's platform-independent part (app/motcua/winservice.py), on any OS.

What pywin32 does on Windows (the service control manager, the event log, the virtual account) is faked here by
small stand-ins for its modules; the centre server itself is real: it starts on a free loopback port, answers, and
stops when the service is told to stop.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
import types
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from motcua import winservice
from motcua.winservice import RunningCentre, ServiceOptions


def _windows_split(command_line: str) -> list[str]:
    """Split a command line as Windows' CommandLineToArgvW does for what list2cmdline writes (quotes around
    arguments with spaces; backslashes literal unless they precede a quote)."""
    args: list[str] = []
    current: list[str] = []
    quoted = in_arg = False
    i = 0
    while i < len(command_line):
        c = command_line[i]
        if c == "\\":
            n = 0
            while i < len(command_line) and command_line[i] == "\\":
                n += 1
                i += 1
            if i < len(command_line) and command_line[i] == '"':
                current.append("\\" * (n // 2))
                if n % 2:
                    current.append('"')
                    i += 1
            else:
                current.append("\\" * n)
            in_arg = True
            continue
        if c == '"':
            quoted = not quoted
            in_arg = True
        elif c in " \t" and not quoted:
            if in_arg:
                args.append("".join(current))
                current, in_arg = [], False
        else:
            current.append(c)
            in_arg = True
        i += 1
    if in_arg:
        args.append("".join(current))
    return args


def _server_parser() -> argparse.ArgumentParser:
    from motcua.server import __main__ as server_main

    p = argparse.ArgumentParser()
    server_main.add_arguments(p)
    return p


def test_default_data_dir_is_under_programdata() -> None:
    assert winservice.default_data_dir({"ProgramData": "D:\\PD"}) == Path("D:\\PD") / "MotCua"
    assert winservice.default_data_dir({}) == Path("C:\\ProgramData") / "MotCua"
    assert ServiceOptions(data_dir="").data_path == winservice.default_data_dir()


def test_default_port_is_the_servers() -> None:
    from motcua.server import __main__ as server_main

    assert winservice.DEFAULT_PORT == server_main.DEFAULT_PORT


def test_the_service_runs_what_motcua_server_role_center_runs() -> None:
    parsed = _server_parser().parse_args(ServiceOptions(data_dir="C:\\ProgramData\\MotCua").server_argv())
    assert (parsed.role, parsed.host, parsed.port) == ("center", "0.0.0.0", 8765)
    assert parsed.data_dir == "C:\\ProgramData\\MotCua"
    assert parsed.tls == "self-signed" and not parsed.insecure_lan

    plain = _server_parser().parse_args(ServiceOptions(host="127.0.0.1", tls="none", data_dir="X").server_argv())
    assert plain.tls is None and plain.host == "127.0.0.1"

    own = ServiceOptions(tls_cert="c.pem", tls_key="k.pem", config="centre.toml", queue_config="q.toml", data_dir="X")
    parsed = _server_parser().parse_args(own.server_argv())
    assert (parsed.tls_cert, parsed.tls_key, parsed.tls) == ("c.pem", "k.pem", None)
    assert (parsed.config, parsed.queue_config) == ("centre.toml", "q.toml")


def test_the_options_chosen_at_install_come_back_in_the_services_command_line() -> None:
    options = ServiceOptions(
        host="0.0.0.0",
        port=9443,
        data_dir="D:\\Mot Cua\\data",
        config="C:\\Program Files\\MotCua Desk\\centre.toml",
        insecure_lan=True,
        tls="none",
    )
    line = winservice.service_exe_args(options)
    assert line.startswith("dispatch ")
    assert '"D:\\Mot Cua\\data"' in line  # a folder with a space stays one argument
    argv = _windows_split(line)
    args = winservice.build_parser().parse_args(argv)
    assert args.command == "dispatch"
    assert winservice.options_from(args) == options


def test_the_service_host_is_the_frozen_exe_or_python_m() -> None:
    exe = "C:\\Program Files\\MotCua Desk\\motcua-service.exe"
    assert winservice.service_host(frozen=True, executable=exe) == (exe, "")
    assert winservice.service_host(frozen=False, executable="python.exe") == ("python.exe", "-m motcua.winservice")


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows these commands would really change services")
def test_windows_only_commands_say_so_elsewhere(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("install", "start", "stop", "status", "remove", "dispatch"):
        assert winservice.main([command]) == 2
        assert "chỉ dùng được trên Windows" in capsys.readouterr().err


def test_bad_options_are_one_line_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        winservice.main(["run", "--port", "70000"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith("Lỗi:")


# -- the real centre, started and stopped -----------------------------------------------------------------------


def _loopback(tmp_path: Path) -> ServiceOptions:
    return ServiceOptions(host="127.0.0.1", port=0, data_dir=str(tmp_path / "data"), tls="none")


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.status)


def _refused(url: str) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return False
    except OSError:
        return True


def _wait_for(predicate: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_the_centre_serves_until_the_stop_event_then_stops_cleanly(tmp_path: Path) -> None:
    stop = threading.Event()
    started: list[RunningCentre] = []
    errors: list[BaseException] = []

    def body() -> None:
        try:
            winservice.run_until_stopped(_loopback(tmp_path), stop, ready=started.append)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=body)
    worker.start()
    _wait_for(lambda: started or errors)
    assert not errors, errors
    url = started[0].url
    assert _get(url + "/openapi.json") == 200
    assert (tmp_path / "data" / "centre.sqlite").is_file()

    begun = time.monotonic()
    stop.set()
    worker.join(20)
    assert not worker.is_alive()
    assert time.monotonic() - begun < 15
    assert _refused(url)
    started[0].stop()  # a second stop is harmless


def test_run_in_console_stops_on_its_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    assert winservice._run_in_console(_loopback(tmp_path), stop) == 0
    assert "Máy chủ trung tâm đang chạy tại http://127.0.0.1:" in capsys.readouterr().err


def test_a_centre_that_cannot_start_closes_its_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from motcua.domain.errors import MotcuaError
    from motcua.server import run
    from motcua.services.queue import service

    with pytest.raises(MotcuaError):  # a LAN address without TLS is refused before anything is opened
        winservice.start_centre(ServiceOptions(host="0.0.0.0", port=0, data_dir=str(tmp_path), tls="none"))
    assert not (tmp_path / "centre.sqlite").exists()

    closed: list[bool] = []
    real_open = service.open_queue_store

    def open_store(path: Path) -> Any:
        store = real_open(path)
        real_close = store.close

        def close() -> None:
            closed.append(True)
            real_close()

        store.close = close
        return store

    def port_taken(*args: Any, **kwargs: Any) -> Any:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(service, "open_queue_store", open_store)
    monkeypatch.setattr(run, "ServerThread", port_taken)
    with pytest.raises(OSError):
        winservice.start_centre(_loopback(tmp_path))
    assert closed == [True]


# -- the pywin32 service class, with fakes of pywin32's modules ----------------------------------------------------


class _FakeFramework:
    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.statuses: list[tuple[int, int]] = []

    def ReportServiceStatus(
        self, status: int, waitHint: int = 5000, win32ExitCode: int = 0, svcExitCode: int = 0
    ) -> None:
        self.statuses.append((status, waitHint))


@pytest.fixture
def fake_pywin32(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[types.SimpleNamespace]:
    events = types.SimpleNamespace(info=[], error=[], calls=[])
    servicemanager = types.ModuleType("servicemanager")
    servicemanager.LogInfoMsg = events.info.append  # type: ignore[attr-defined]
    servicemanager.LogErrorMsg = events.error.append  # type: ignore[attr-defined]
    servicemanager.Initialize = lambda: events.calls.append("Initialize")  # type: ignore[attr-defined]
    servicemanager.PrepareToHostSingle = lambda cls: events.calls.append(("host", cls))  # type: ignore[attr-defined]
    servicemanager.StartServiceCtrlDispatcher = lambda: events.calls.append("dispatch")  # type: ignore[attr-defined]
    win32service = types.ModuleType("win32service")
    win32service.SERVICE_STOP_PENDING = 3  # type: ignore[attr-defined]
    win32serviceutil = types.ModuleType("win32serviceutil")
    win32serviceutil.ServiceFramework = _FakeFramework  # type: ignore[attr-defined]
    for module in (servicemanager, win32service, win32serviceutil):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "elsewhere"))
    yield events


def test_the_service_serves_and_stops_on_svcstop(fake_pywin32: types.SimpleNamespace, tmp_path: Path) -> None:
    import os

    cls = winservice.service_class()
    cls.options = _loopback(tmp_path)
    service = cls(["MotCuaCentre"])
    worker = threading.Thread(target=service.SvcDoRun)
    worker.start()
    _wait_for(lambda: fake_pywin32.info or fake_pywin32.error or not worker.is_alive())
    assert not fake_pywin32.error, fake_pywin32.error
    url = fake_pywin32.info[0].split("tại ", 1)[1].split()[0]
    assert _get(url + "/openapi.json") == 200
    assert os.environ["MOTCUA_DATA_DIR"] == str(tmp_path / "data")  # the service's folder, whatever was set before

    service.SvcStop()
    worker.join(20)
    assert not worker.is_alive()
    assert service.statuses == [(3, 20_000)]  # STOP_PENDING, with time for the graceful shutdown
    assert fake_pywin32.info[-1] == "Máy chủ trung tâm đã dừng"
    assert _refused(url)
    assert (tmp_path / "data" / winservice.LOG_FILE).is_file()
    assert "SvcShutdown" in vars(cls)  # Windows shutting down stops it the same way


def test_a_service_that_cannot_start_says_why_and_fails(fake_pywin32: types.SimpleNamespace, tmp_path: Path) -> None:
    from motcua.domain.errors import MotcuaError

    cls = winservice.service_class()
    cls.options = ServiceOptions(host="127.0.0.1", port=0, data_dir=str(tmp_path), tls_cert="missing.pem")
    with pytest.raises(MotcuaError):
        cls(["MotCuaCentre"]).SvcDoRun()
    assert len(fake_pywin32.error) == 1 and "Cần cả --tls-cert và --tls-key" in fake_pywin32.error[0]


def test_dispatch_hands_the_command_lines_options_to_the_service(fake_pywin32: types.SimpleNamespace) -> None:
    options = ServiceOptions(port=9000, data_dir="D:\\data")
    assert winservice._dispatch(options) == 0
    (_, cls) = fake_pywin32.calls[1]
    assert fake_pywin32.calls[0] == "Initialize" and fake_pywin32.calls[2] == "dispatch"
    assert cls.options == options and cls._svc_name_ == "MotCuaCentre"


def _calls(function: Any) -> set[str]:
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
    return names


def test_the_service_puts_the_centre_together_as_run_server_does() -> None:
    """start_centre mirrors run_server (which serves until Ctrl-C, with no stop a service could call): whatever
    run_server builds the centre from, the service must build it from too."""
    from motcua.server import run

    # run_server's own plumbing: the service has its equivalents. The service serves from its one process: it has no
    # --workers (_spawner), one process meets a full centre's load (docs/server-hardening.md).
    own = {"check_role", "Settings", "_serve", "_spawner"}
    missing = _calls(run.run_server) - own - _calls(winservice.start_centre)
    assert not missing, f"run_server calls {sorted(missing)} that the Windows service does not"


def test_the_frozen_programs_let_a_spawned_worker_run_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen, ``motcua server --workers`` spawns this same program: it must become the worker, not a second CLI."""
    import multiprocessing
    import runpy

    root = Path(__file__).resolve().parents[2]
    entry = runpy.run_path(str(root / "installer" / "windows" / "motcua_main.py"))

    class Spawned(Exception):
        pass

    def freeze_support() -> None:
        raise Spawned  # what multiprocessing does in a spawned frozen child: run the child's work, then exit

    monkeypatch.setattr(multiprocessing, "freeze_support", freeze_support)
    monkeypatch.setattr(sys, "argv", ["motcua.exe", "--multiprocessing-fork", "parent_pid=1"])
    with pytest.raises(Spawned):
        entry["main"]()
