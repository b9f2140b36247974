"""The Debian package, for real: ``installer/build-deb.sh --fast`` builds it, ``dpkg -i`` installs it on this
machine, its centre server is started by the command line of its systemd unit (as the unit's user, on a free
loopback port: systemd is not PID 1 in a container), the installed ``/usr/bin/motcua`` opens the counter window
offscreen as an ordinary account, and ``dpkg --purge`` leaves what docs/install-debian.md says it leaves.

Root only, and never over a real installation: skipped when ``motcua-desk`` is installed or ``/var/lib/motcua`` or
``/etc/motcua`` exists. Whatever happens, the package is purged at the end and what the test made goes with it
(the data folder; the ``motcua`` account when the test created it — a real purge keeps both).
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "motcua-desk"
UNIT_NAME = "motcua-centre.service"
UNIT = Path("/usr/lib/systemd/system") / UNIT_NAME
DATA = Path("/var/lib/motcua")
CONF = Path("/etc/motcua")
OPT = Path("/opt/motcua")
MODES = ("counter", "kiosk", "display", "supervisor")
AUTOSTART = ("kiosk", "display")
ENABLED_LINK = Path("/etc/systemd/system/multi-user.target.wants") / UNIT_NAME
# No fsync of each of the package's 17,000 files: seconds saved; a crash mid-test only loses a test install.
UNSAFE_IO = ("--force-unsafe-io",)
DESKTOP_USER = "nobody"  # an account with no rights of its own: the installed files must be readable by anyone


def _installed_state() -> str:
    """dpkg's status of the package ("" when dpkg does not know it)."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True, check=False
    ).stdout
    return out.strip()


def _why_skip() -> str | None:
    if sys.platform != "linux":
        return "Debian packages are Linux only"
    if os.geteuid() != 0:
        return "needs root: the test installs the package into this machine with dpkg -i and purges it"
    for tool in ("dpkg", "dpkg-deb", "dpkg-query", "runuser"):
        if shutil.which(tool) is None:
            return f"needs {tool} (a Debian or Ubuntu system)"
    try:
        pwd.getpwnam(DESKTOP_USER)
    except KeyError:
        return f"needs the {DESKTOP_USER} account to run the app as an ordinary user"
    if _installed_state():
        return f"{PACKAGE} is installed here ({_installed_state()}): the test never replaces a real installation"
    for path in (DATA, CONF, OPT):
        if path.exists():
            return f"{path} exists (a real centre's?): the test leaves this machine alone; remove it to run the test"
    return None


SKIP = _why_skip()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]


def run(
    *args: str, timeout: float = 120, cwd: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd, env=env)


def ok(
    *args: str, timeout: float = 120, cwd: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = run(*args, timeout=timeout, cwd=cwd, env=env)
    assert result.returncode == 0, f"{shlex.join(args)} → {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


class Installation:
    """The package built once, installed on demand, purged and cleaned up at the end whatever happened."""

    def __init__(self, deb: Path) -> None:
        self.deb = deb
        self.had_user = _exists(pwd.getpwnam, "motcua")
        self.had_group = _exists(grp.getgrnam, "motcua")

    def ensure(self) -> None:
        if _installed_state() != "install ok installed":
            ok("dpkg", *UNSAFE_IO, "-i", str(self.deb))

    def clean_up(self) -> None:
        if _installed_state():
            run("dpkg", *UNSAFE_IO, "--purge", PACKAGE)
        shutil.rmtree(DATA, ignore_errors=True)  # only reached when DATA did not exist before (see _why_skip)
        if not self.had_user and _exists(pwd.getpwnam, "motcua"):
            run("userdel", "motcua")
        if not self.had_group and _exists(grp.getgrnam, "motcua"):
            run("groupdel", "motcua")


def _exists(lookup: Callable[[str], object], name: str) -> bool:
    try:
        lookup(name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    out = tmp_path_factory.mktemp("deb")
    inst: Installation | None = None
    try:
        build = ok("bash", str(REPO / "installer" / "build-deb.sh"), "--fast", "--out", str(out), timeout=600)
        deb = Path(build.stdout.strip().splitlines()[-1])
        assert deb.is_file() and deb.name.startswith(f"{PACKAGE}_") and deb.suffix == ".deb", build.stderr
        inst = Installation(deb)
        inst.ensure()
        yield inst
    finally:
        if inst is not None:
            inst.clean_up()
        shutil.rmtree(out, ignore_errors=True)  # 300 MB


@pytest.fixture
def installed(installation: Installation) -> Installation:
    installation.ensure()
    return installation


def unit_file(path: Path = UNIT) -> dict[str, list[tuple[str, str]]]:
    """A systemd unit as {section: [(key, value), …]} (keys may repeat: Environment=)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]", path
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def owner_of(path: Path) -> str:
    st = path.lstat()
    return f"{pwd.getpwuid(st.st_uid).pw_name}:{grp.getgrgid(st.st_gid).gr_name}"


def as_desktop_user(
    home: Path, *args: str, extra: dict[str, str] | None = None, timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    """Run as the ordinary account with a clean environment; ``timeout`` inside runuser, so that the command
    itself (not only runuser) is stopped if it hangs."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **(extra or {})}
    assignments = [f"{k}={v}" for k, v in env.items()]
    return run("runuser", "-u", DESKTOP_USER, "--", "env", "-i", *assignments, "timeout", "-k", "5", str(timeout),
               *args, timeout=timeout + 30)  # fmt: skip


@pytest.fixture
def desktop_home() -> Iterator[Path]:
    """A home folder for the ordinary account (under /tmp: pytest's own folders are root's alone)."""
    home = Path(tempfile.mkdtemp(prefix="motcua-deb-home-"))
    user = pwd.getpwnam(DESKTOP_USER)
    os.chown(home, user.pw_uid, user.pw_gid)
    try:
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_the_package_installs_the_app_its_account_menus_and_service(
    installed: Installation, desktop_home: Path
) -> None:
    assert _installed_state() == "install ok installed"
    # The service account: a system account without a login, at home in its data folder; the data its alone.
    account = pwd.getpwnam("motcua")
    assert account.pw_uid < 1000 and account.pw_dir == str(DATA) and account.pw_shell.endswith("nologin")
    assert grp.getgrgid(account.pw_gid).gr_name == "motcua"
    assert owner_of(DATA) == "motcua:motcua" and mode_of(DATA) == 0o700
    # The configuration: conffiles, readable by the desktop accounts and the service.
    conffiles = ok("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).stdout
    for name in ("centre.toml", "queue.toml"):
        path = CONF / name
        assert owner_of(path) == "root:root" and mode_of(path) == 0o644, path
        assert f"{path} " in conffiles
        assert path.read_bytes() == (OPT / "share" / "kiosk_config" / name).read_bytes()
    # Every file of the program is root's and nobody else may change it; no trace of the staging folder.
    for folder in (OPT, CONF):
        for root, dirs, files in os.walk(folder):
            for name in dirs + files:
                st = (Path(root) / name).lstat()
                writable = not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o022  # a link's own mode means nothing
                assert st.st_uid == 0 and st.st_gid == 0 and not writable, Path(root) / name
    scripts = OPT / "venv" / "bin"
    for script in scripts.iterdir():
        if script.is_file() and not script.is_symlink():
            assert b"motcua-deb." not in script.read_bytes(), script
    assert (scripts / "motcua").read_text(encoding="utf-8").startswith("#!/opt/motcua/venv/bin/python\n")
    assert str((scripts / "python").resolve()).startswith("/usr/bin/python3.")  # the system's, a dependency
    site = next((OPT / "venv" / "lib").glob("python3.*/site-packages"))
    assert list((site / "motcua" / "__pycache__").glob("__init__.cpython-3*.pyc")), "bytecode is shipped"
    # The command: the installed app, its build stamp, runnable by an ordinary account.
    launcher = Path("/usr/bin/motcua").read_text(encoding="utf-8")
    assert "MOTCUA_RESOURCES" in launcher and "MOTCUA_KIOSK_CONFIG" in launcher
    version = as_desktop_user(desktop_home, "/usr/bin/motcua", "--version")
    assert version.returncode == 0, version.stderr
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert re.match(rf"MotCua Desk \d+\.\d+\S* \(deb {today}\b", version.stdout), version.stdout
    # Menus for the four modes; the kiosk and the display also in autostart, off until enabled.
    for mode in MODES:
        entry = desktop_entry(Path(f"/usr/share/applications/motcua-{mode}.desktop"))
        assert entry["Exec"] == f"motcua run --mode {mode}" and entry["Type"] == "Application"
        assert entry["Name"].startswith("MotCua Desk") and entry["Name[en]"].startswith("MotCua Desk")
        autostart = Path(f"/etc/xdg/autostart/motcua-{mode}.desktop")
        assert autostart.exists() == (mode in AUTOSTART)
        if mode in AUTOSTART:
            entry = desktop_entry(autostart)
            assert entry["Exec"] == f"motcua run --mode {mode}"
            assert entry["Hidden"] == "true" and entry["X-GNOME-Autostart-enabled"] == "false"
    assert Path("/usr/share/icons/hicolor/scalable/apps/motcua-desk.svg").is_file()
    # motcua-autostart turns one on for the account that runs it, and off again.
    helper = "/usr/bin/motcua-autostart"
    assert as_desktop_user(desktop_home, helper, "status", "kiosk").stdout.strip() == "disabled"
    enabled = as_desktop_user(desktop_home, helper, "enable", "kiosk")
    assert enabled.returncode == 0, enabled.stderr
    mine = desktop_entry(desktop_home / ".config" / "autostart" / "motcua-kiosk.desktop")
    assert mine["Hidden"] == "false" and mine["X-GNOME-Autostart-enabled"] == "true"
    assert mine["Exec"] == "motcua run --mode kiosk"
    assert as_desktop_user(desktop_home, helper, "status", "kiosk").stdout.strip() == "enabled"
    assert as_desktop_user(desktop_home, helper, "status", "display").stdout.strip() == "disabled"
    assert as_desktop_user(desktop_home, helper, "disable", "kiosk").returncode == 0
    assert not (desktop_home / ".config" / "autostart" / "motcua-kiosk.desktop").exists()
    assert run(helper, "enable", "kiosk").returncode == 2  # root is told to name the account instead
    # The service: its unit as systemd reads it, not enabled by the package (only the centre's server PC runs it).
    unit = unit_file()
    service = dict(unit["Service"])
    assert service["User"] == "motcua" and service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes" and service["PrivateTmp"] == "yes"
    assert service["ProtectSystem"] == "strict" and service["ReadWritePaths"] == str(DATA)
    assert dict(unit["Install"])["WantedBy"] == "multi-user.target"
    if shutil.which("systemd-analyze"):
        verified = run("systemd-analyze", "verify", str(UNIT))
        assert verified.returncode == 0, verified.stderr
    assert not ENABLED_LINK.exists()


class _Lines:
    """A process's standard output, line by line, read on a thread (so a wait can time out)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self.lines.append("")  # end of output
            self._changed.notify_all()

    def wait_for(self, prefix: str, timeout: float) -> str | None:
        with self._changed:
            found = self._changed.wait_for(
                lambda: any(x.startswith(prefix) for x in self.lines) or "" in self.lines, timeout
            )
            return next((x for x in self.lines if x.startswith(prefix)), None) if found else None

    def join(self) -> None:
        self._thread.join(10)


def test_the_centre_server_runs_as_its_unit_says(installed: Installation) -> None:
    service = unit_file()["Service"]
    values = dict(service)
    argv = shlex.split(values["ExecStart"])
    assert argv[:2] == ["/usr/bin/motcua", "server"] and "--role" in argv and argv[argv.index("--role") + 1] == "center"
    assert argv[argv.index("--data-dir") + 1] == str(DATA)
    port = free_port()
    argv[argv.index("--host") + 1] = "127.0.0.1"  # this machine only, on a port nobody uses
    argv[argv.index("--port") + 1] = str(port)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(DATA), "LANG": "C.UTF-8", "USER": "motcua", "LOGNAME": "motcua"}
    for key, value in service:
        if key == "Environment":
            for assignment in shlex.split(value):
                name, _, val = assignment.partition("=")
                env[name] = val
    proc = subprocess.Popen(
        argv,
        user=values["User"],
        group=values["Group"],
        extra_groups=[],
        umask=int(values.get("UMask", "0022"), 8),
        cwd=values.get("WorkingDirectory", "/"),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = _Lines(proc)
    try:
        ready = lines.wait_for("READY ", 60)
        assert ready == f"READY https://127.0.0.1:{port}", (lines.lines, proc.poll())
        pin_line = lines.wait_for("TLS-SHA256 ", 10)
        assert pin_line is not None
        pin = pin_line.split()[1]
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the devices pin the self-signed certificate's fingerprint instead
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw) as tls:
            der = tls.getpeercert(binary_form=True)
        assert der is not None and hashlib.sha256(der).hexdigest() == pin.lower().replace(":", "")
        base = f"https://127.0.0.1:{port}/api/v1"
        with urllib.request.urlopen(f"{base}/health", context=context, timeout=10) as response:
            health = json.load(response)
        assert health["status"] == "ok" and health["role"] == "center"
        # A device's token made as the docs say (as the service's account, on its data folder) opens the API.
        token = ok("runuser", "-u", "motcua", "--", "/usr/bin/motcua", "--data-dir", str(DATA), "queue", "token",
                   "add", "KIOSK1", "--role", "kiosk", cwd="/").stdout.strip()  # fmt: skip
        request = urllib.request.Request(f"{base}/kiosk", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            assert response.status == 200 and "services" in json.load(response)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/kiosk", context=context, timeout=10).close()
        assert refused.value.code == 401
        refused.value.close()
    finally:
        proc.terminate()  # systemd stops a service with SIGTERM
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        lines.join()
        assert proc.stdout is not None and proc.stderr is not None
        stderr = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode in (0, -15), stderr
    # What it made is the service account's alone.
    made = list(DATA.rglob("*"))
    assert DATA / "centre.sqlite" in made and any(p.name.endswith("key.pem") for p in made), made
    for path in made:
        assert owner_of(path) == "motcua:motcua", path
        assert not mode_of(path) & 0o077, (path, oct(mode_of(path)))


# Loaded by the installed app's Python (PYTHONPATH) before anything else: fills in the first start's administrator
# account when the sign-in asks for it, then, once a main window shows, writes what is shown and quits.
GUI_PROBE = """
import json, os
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

REPORT = os.environ["MOTCUA_DEB_PROBE_REPORT"]
_dialog_exec = QDialog.exec
_app_exec = QApplication.exec


def _dialog(self, *args):
    if type(self).__name__ == "LoginDialog" and getattr(self, "first", False):
        def fill():
            try:
                self.username.setText("quantri")
                self.full_name.setText("Quản Trị")
                self.password.setText("mat-khau-quan-tri-1")
                self.again.setText("mat-khau-quan-tri-1")
                self.submit()
            except Exception as exc:  # the dialog changed: say so at once rather than wait for the timeout
                with open(REPORT, "w", encoding="utf-8") as f:
                    json.dump({"probe_error": repr(exc)}, f)
                os._exit(3)
        QTimer.singleShot(0, fill)
    return _dialog_exec(self, *args)


def _app(*args):
    def look():
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
        if not shown:
            QTimer.singleShot(100, look)
            return
        QApplication.processEvents()
        shown[0].grab().save(REPORT + ".png")
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump([{"class": type(w).__name__, "title": w.windowTitle()} for w in shown], f)
        QApplication.quit()
    QTimer.singleShot(100, look)
    return _app_exec()


QDialog.exec = _dialog
QApplication.exec = _app
"""


def test_the_installed_command_opens_the_counter_window(installed: Installation, desktop_home: Path) -> None:
    probe = desktop_home / "probe"
    probe.mkdir()
    (probe / "sitecustomize.py").write_text(GUI_PROBE, encoding="utf-8")
    report = desktop_home / "report.json"
    user = pwd.getpwnam(DESKTOP_USER)
    os.chown(desktop_home, user.pw_uid, user.pw_gid)
    result = as_desktop_user(
        desktop_home,
        "/usr/bin/motcua",
        "run",
        "--mode",
        "counter",
        extra={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(probe), "MOTCUA_DEB_PROBE_REPORT": str(report)},
        timeout=60,
    )
    problem = report.read_text(encoding="utf-8") if report.exists() else "no report"
    assert result.returncode == 0, (result.returncode, problem, result.stderr)
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert [w["class"] for w in shown] == ["CounterWindow"], shown
    assert shown[0]["title"].startswith("MotCua Desk")
    assert Path(f"{report}.png").stat().st_size > 20_000  # a drawn window (fonts, catalog), not a blank one
    # The account's own data folder, in its home, its alone.
    data = desktop_home / ".local" / "share" / "motcua"
    assert (data / "workstation.sqlite").is_file() and mode_of(data) == 0o700
    assert owner_of(data).startswith(f"{DESKTOP_USER}:")


def test_purge_removes_the_program_and_configuration_and_keeps_the_citizens_data(installed: Installation) -> None:
    kept = DATA / "dossiers-to-keep.txt"
    kept.write_text("hồ sơ công dân\n", encoding="utf-8")
    control = Path(tempfile.mkdtemp(prefix="motcua-deb-control-"))
    try:
        ok("dpkg-deb", "--control", str(installed.deb), str(control))
        purged = ok("dpkg", *UNSAFE_IO, "--purge", PACKAGE)
        assert _installed_state() in ("", "unknown ok not-installed"), _installed_state()
        assert f"{DATA}" in purged.stderr and "kept" in purged.stderr  # it says where the data stayed
        gone = [OPT, CONF, Path("/usr/bin/motcua"), Path("/usr/bin/motcua-autostart"), UNIT, ENABLED_LINK]
        gone += [Path(f"/usr/share/applications/motcua-{m}.desktop") for m in MODES]
        gone += [Path(f"/etc/xdg/autostart/motcua-{m}.desktop") for m in AUTOSTART]
        assert [p for p in gone if p.exists() or p.is_symlink()] == []
        assert kept.read_text(encoding="utf-8") == "hồ sơ công dân\n" and mode_of(DATA) == 0o700
        assert _exists(pwd.getpwnam, "motcua")  # system accounts stay (files kept may be theirs)
        # The documented ways to have the data removed as well, run by the package's own postrm.
        postrm = str(control / "postrm")
        kept.touch()
        (DATA / ".remove-on-purge").touch()
        ok(postrm, "purge")
        assert not DATA.exists()
        DATA.mkdir(mode=0o700)
        ok(postrm, "purge", env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "MOTCUA_PURGE_DATA": "yes"})
        assert not DATA.exists()
    finally:
        shutil.rmtree(control, ignore_errors=True)
