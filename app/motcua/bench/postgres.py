"""A throwaway PostgreSQL cluster for tests and benchmarks of the province server.

``TempPostgres`` runs ``initdb`` into a fresh directory, starts a postmaster listening on 127.0.0.1 only (on a
free port, with its unix socket in its own directory), creates one database and hands back a DSN::

    with TempPostgres(tmp_path) as pg:
        with psycopg.connect(pg.dsn) as conn: ...

It never touches a system cluster (Debian's package may run one on port 5432): nothing here reads
``/etc/postgresql``, ``/var/run/postgresql`` or the ``PG*`` environment variables.

The server refuses to run as root, and CI runs the tests as root. Then the cluster runs as the unprivileged
``postgres`` system user (created by Debian's ``postgresql`` package) in a directory of its own under the
system temporary directory: pytest's ``tmp_path`` lies under ``/tmp/pytest-of-root/`` (mode 0700), which that
user cannot reach. That directory is removed by ``stop()``; the server log is first copied into ``base_dir``.

Tuned for speed, not durability (fsync and full_page_writes are off): a committed transaction survives the
server being killed (``kill9``), not the machine losing power. POSIX only.

Standard library only, so that it can start a server for any code under test without importing it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

# The Debian package whose installation provides initdb/postgres; named in every "not found" error.
DEBIAN_PACKAGE = "postgresql"
# The unprivileged account that runs the server when we are root (created by Debian's package).
SYSTEM_USER = "postgres"
# The cluster's superuser, whatever OS account runs the server, so the DSN is the same as root and as a user.
SUPERUSER = "postgres"
DEFAULT_DBNAME = "motcua"
# How many fresh ports to try when another process takes the chosen one between choosing it and binding it.
PORT_ATTEMPTS = 5
# A unix socket path is limited to 107 bytes; the server adds "/.s.PGSQL.NNNNN.lock" to the directory.
_MAX_SOCKET_DIR = 107 - len("/.s.PGSQL.65535.lock")

_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "200",
    "shared_buffers": "'128MB'",
    # Tests and benchmarks measure our code, not the disk; a killed server keeps its data anyway (the OS
    # page cache still holds it), which is what the crash tests exercise.
    "fsync": "off",
    "full_page_writes": "off",
    # Left on: with fsync off it costs one write() per commit, while off it loses the last ~0.6 s of commits
    # (still in the WAL buffers of shared memory) when the server is killed, which is what the crash tests
    # must not see. A benchmark may pass settings={"synchronous_commit": "off"}.
    "synchronous_commit": "on",
    # Everything to stderr, which start() sends to log_path; no collector process, no log rotation.
    "logging_collector": "off",
    "log_destination": "'stderr'",
    "log_line_prefix": "'%m [%p] %q%u@%d '",
    "log_min_messages": "warning",
    "unix_socket_permissions": "0700",
    # Neither here nor in the DSN does anything depend on the machine's locale or time zone.
    "lc_messages": "'C'",
    "timezone": "'UTC'",
}


class PostgresNotAvailable(RuntimeError):
    """The PostgreSQL server binaries (or, as root, the postgres system user) are missing."""


class TempPostgres:
    """A private PostgreSQL cluster: ``start()`` → DSN, ``stop()``, ``kill9()``/``restart()`` for crash tests.

    ``base_dir`` belongs to the caller: the cluster goes into a new directory inside it (or, as root, under the
    system temporary directory) and nothing of the caller's is removed. ``port=None`` picks a free one.
    ``settings`` adds to or overrides the postgresql.conf entries (values as written there, e.g. ``"'64MB'"``).
    """

    def __init__(
        self,
        base_dir: Path,
        port: int | None = None,
        dbname: str = DEFAULT_DBNAME,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.dbname = dbname
        self.settings = {**_SETTINGS, **(settings or {})}
        self.user = SUPERUSER
        self._fixed_port = port
        self._port: int | None = port
        self._bindir: Path | None = None
        self._run_as: tuple[int, int] | None = None  # (uid, gid) of the postgres user when we are root
        self._cluster_dir: Path | None = None
        self._owned_dirs: list[Path] = []  # directories we created outside base_dir; removed by stop()
        self._socket_dir: Path | None = None
        self._log_path: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._db_created = False

    # ----------------------------------------------------------------------------------------------- discovery

    @staticmethod
    def find_bindir() -> Path | None:
        """The directory holding ``initdb`` and ``postgres``, or None.

        ``pg_config --bindir`` first (it names the installation the headers belong to), then the newest
        ``/usr/lib/postgresql/*/bin`` (Debian installs the server there, off PATH), then PATH.
        """
        pg_config = shutil.which("pg_config")
        if pg_config:
            try:
                out = subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
                ).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                out = ""
            # On Debian pg_config comes with libpq-dev and may point at a bindir without the server.
            if out and _has_server(Path(out)):
                return Path(out)
        candidates = [d / "bin" for d in Path("/usr/lib/postgresql").glob("*") if _has_server(d / "bin")]
        if candidates:
            return max(candidates, key=lambda b: _version_key(b.parent.name))
        initdb = shutil.which("initdb")
        if initdb and _has_server(Path(initdb).resolve().parent):
            return Path(initdb).resolve().parent
        return None

    @classmethod
    def available(cls) -> bool:
        """True when a cluster can be started here (server binaries found; as root, the postgres user exists)."""
        return cls.unavailable_reason() is None

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Why a cluster cannot be started here, as a message saying what to install; None when it can."""
        if os.name != "posix":
            return "TempPostgres runs on POSIX systems only"
        if cls.find_bindir() is None:
            return (
                "PostgreSQL server binaries (initdb, postgres) not found via pg_config, /usr/lib/postgresql/*/bin "
                f"or PATH: install Debian's '{DEBIAN_PACKAGE}' package (sudo apt-get install {DEBIAN_PACKAGE}, "
                "or run: bash installer/install.sh --dev)"
            )
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                return (
                    f"running as root, the PostgreSQL server must run as the '{SYSTEM_USER}' system user, which "
                    f"does not exist: install Debian's '{DEBIAN_PACKAGE}' package (it creates the user)"
                )
        return None

    # ----------------------------------------------------------------------------------------------- properties

    @property
    def port(self) -> int:
        """The TCP port the server listens on (127.0.0.1)."""
        if self._port is None:
            raise RuntimeError("TempPostgres has not been started")
        return self._port

    @property
    def dsn(self) -> str:
        """``postgresql://postgres@127.0.0.1:PORT/DBNAME``; trust authentication, so no password."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.dbname}"

    @property
    def log_path(self) -> Path:
        """The server log; after ``stop()`` as root, the copy kept in ``base_dir``."""
        if self._log_path is None:
            raise RuntimeError("TempPostgres has not been started")
        return self._log_path

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (PGDATA)."""
        if self._cluster_dir is None:
            raise RuntimeError("TempPostgres has not been started")
        return self._cluster_dir / "data"

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs, else None."""
        if self._proc is None or self._proc.poll() is not None:
            return None
        return self._proc.pid

    @property
    def running(self) -> bool:
        """True while the postmaster runs."""
        return self.pid is not None

    # ----------------------------------------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 60) -> str:
        """Create the cluster (first call only), start the server, create the database; return the DSN.

        Raises ``PostgresNotAvailable`` when PostgreSQL is not installed, ``RuntimeError`` (with the log's
        tail) when the server does not come up within ``timeout`` seconds.
        """
        if self.running:
            return self.dsn
        deadline = time.monotonic() + timeout
        # So that an interrupted test run leaves no server behind (unregister first: register adds duplicates).
        atexit.unregister(self.stop)
        atexit.register(self.stop)
        try:
            if self._cluster_dir is None:
                self._create_cluster(deadline)
            self._start_server(deadline)
            if not self._db_created:
                self._run_tool(
                    "createdb",
                    ["-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, self.dbname],
                    deadline,
                )
                self._db_created = True
        except BaseException:
            # No server and no temporary directory left behind; the log stays readable (see stop()).
            half_made = self._cluster_dir is not None and not (self.data_dir / "PG_VERSION").exists()
            self.stop()
            if half_made:
                self._cluster_dir = None
            raise
        return self.dsn

    def stop(self, timeout: float = 30) -> None:
        """Shut the server down and remove what was created outside ``base_dir``. Safe to call twice.

        Fast shutdown (disconnect clients, checkpoint); if that hangs, immediate, then SIGKILL. Every process of
        the cluster is gone when this returns.
        """
        self._shutdown(timeout)
        if self._cluster_dir is not None and self._cluster_dir in self._owned_dirs:
            # Keep the log where the caller can read it after the temporary cluster directory is gone.
            if self._log_path is not None and self._log_path.exists() and self.base_dir.is_dir():
                kept = self.base_dir / "postgres.log"
                with contextlib.suppress(OSError):
                    shutil.copyfile(self._log_path, kept)
                    self._log_path = kept
            # The cluster goes with its directory: a later start() begins afresh.
            self._cluster_dir = None
            self._socket_dir = None
            self._db_created = False
            if self._fixed_port is None:
                self._port = None
        for d in self._owned_dirs:
            shutil.rmtree(d, ignore_errors=True)
        self._owned_dirs = []
        atexit.unregister(self.stop)

    def kill9(self) -> None:
        """Crash the server: SIGKILL the postmaster and, with it, every backend.

        Killing the backends too, rather than leaving them to notice their parent is gone, makes ``restart()``
        straight after deterministic (the new postmaster refuses to start while an old backend still holds the
        shared memory). Committed data survives; the next start runs crash recovery.
        """
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        self._proc = None
        children = _children(proc.pid)  # before the kill: afterwards they are re-parented
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _kill_all(children)

    def restart(self, timeout: float = 60) -> str:
        """Stop the server if it runs (fast shutdown) and start it again on the same port and data."""
        self._shutdown(timeout)
        return self.start(timeout)

    def __enter__(self) -> TempPostgres:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"running pid={self.pid} port={self._port}" if self.running else "stopped"
        return f"<TempPostgres {state} {self._cluster_dir}>"

    # ----------------------------------------------------------------------------------------------- internals

    def _create_cluster(self, deadline: float) -> None:
        reason = self.unavailable_reason()
        if reason is not None:
            raise PostgresNotAvailable(reason)
        self._bindir = self.find_bindir()
        self.base_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SYSTEM_USER)
            self._run_as = (entry.pw_uid, entry.pw_gid)
            # A directory the postgres user can reach (the system tmp dir is world-traversable; base_dir's
            # parents may not be), owned by it, since the server insists on owning its data directory.
            cluster = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
            self._owned_dirs.append(cluster)
            os.chown(cluster, *self._run_as)
        else:
            self._run_as = None
            cluster = Path(tempfile.mkdtemp(prefix="postgres-", dir=self.base_dir))
        self._cluster_dir = cluster
        self._socket_dir = cluster
        if len(str(cluster)) > _MAX_SOCKET_DIR:
            # A deep base_dir (pytest's tmp_path can be) would make the socket path too long for the kernel.
            self._socket_dir = Path(tempfile.mkdtemp(prefix="motcua-pgs-"))
            self._owned_dirs.append(self._socket_dir)
        self._log_path = cluster / "postgres.log"
        self._log_path.touch()
        if self._run_as is not None:
            os.chown(self._log_path, *self._run_as)

        self._run_tool(
            "initdb",
            [
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",  # the C locale: same sort order everywhere, no dependence on installed locales
                "--no-sync",  # nothing here needs to survive a power loss
                "--no-instructions",
            ],
            deadline,
            as_server=True,
        )
        conf = "\n".join(f"{k} = {v}" for k, v in self.settings.items())
        conf += f"\nunix_socket_directories = '{self._socket_dir}'\n"
        # Appending keeps the file's owner (the postgres user when we are root).
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write("\n# TempPostgres\n" + conf)
        # Trust, but only over the private socket and loopback TCP (listen_addresses is 127.0.0.1 anyway).
        with open(self.data_dir / "pg_hba.conf", "w", encoding="utf-8") as f:
            f.write("local all all trust\nhost all all 127.0.0.1/32 trust\n")

    def _start_server(self, deadline: float) -> None:
        assert self._socket_dir is not None
        if not self._socket_dir.exists():
            # stop() removed the short socket directory of a cluster that lives on in base_dir.
            self._socket_dir.mkdir(mode=0o700)
            self._owned_dirs.append(self._socket_dir)
        if self._run_as is not None:
            os.chown(self._socket_dir, *self._run_as)
        attempts = 1 if self._fixed_port is not None or self._port is not None else PORT_ATTEMPTS
        for attempt in range(attempts):
            if self._port is None or attempt > 0:
                self._port = _free_port()
            error = self._try_start(deadline)
            if error is None:
                return
            port_taken = "Address already in use" in error or "could not create any TCP/IP sockets" in error
            if not port_taken or attempt == attempts - 1 or time.monotonic() >= deadline:
                raise RuntimeError(f"PostgreSQL did not start on port {self._port}: {error}")

    def _try_start(self, deadline: float) -> str | None:
        """Start the postmaster and wait until it accepts connections; None on success, else the reason."""
        assert self._bindir is not None and self._log_path is not None
        log_offset = self._log_path.stat().st_size
        # The postmaster is our child (not pg_ctl's), so we reap it: no zombie is left behind even where PID 1
        # does not reap orphans (containers), and its exit status is ours to see.
        with open(self._log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [str(self._bindir / "postgres"), "-D", str(self.data_dir), "-p", str(self._port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self._cluster_dir,
                env=_clean_env(),
                # Its own session, so a Ctrl+C in the terminal does not reach it (stop() shuts it down in order).
                start_new_session=True,
                **self._user_kwargs(),
            )
        pid_file = self.data_dir / "postmaster.pid"
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                return "the server exited; log:\n" + self._log_tail(log_offset)
            if _pid_file_ready(pid_file, self._proc.pid):
                return None
            time.sleep(0.05)
        self._shutdown(10)
        return "timed out waiting for it to accept connections; log:\n" + self._log_tail(log_offset)

    def _shutdown(self, timeout: float) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        children = _children(proc.pid)
        if proc.poll() is None:
            # SIGINT = fast shutdown, SIGQUIT = immediate shutdown (see the postgres manual, "Shutting Down").
            for sig, wait in ((signal.SIGINT, timeout), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, sig)
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # The postmaster waits for its children before exiting, but after an escalation some may linger.
        _kill_all(children)

    def _run_tool(self, name: str, args: list[str], deadline: float, as_server: bool = False) -> None:
        assert self._bindir is not None
        kwargs: dict[str, Any] = self._user_kwargs() if as_server else {}
        try:
            out = subprocess.run(
                [str(self._bindir / name), *args],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                cwd=self._cluster_dir,
                env=_clean_env(),
                timeout=max(1.0, deadline - time.monotonic()),
                **kwargs,
            )
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(f"{name} timed out") from e
        if out.returncode != 0:
            raise RuntimeError(f"{name} failed ({out.returncode}): {out.stdout}{out.stderr}".strip())

    def _user_kwargs(self) -> dict[str, Any]:
        """Popen arguments that drop root for the server's programs (initdb and postgres refuse to run as root)."""
        if self._run_as is None:
            return {}
        uid, gid = self._run_as
        # extra_groups=[] drops root's supplementary groups too.
        return {"user": uid, "group": gid, "extra_groups": []}

    def _log_tail(self, offset: int, limit: int = 4000) -> str:
        assert self._log_path is not None
        try:
            with open(self._log_path, "rb") as f:
                f.seek(offset)
                text = f.read().decode("utf-8", "replace")
        except OSError as e:
            return f"(cannot read {self._log_path}: {e})"
        return text[-limit:] or f"(empty; see {self._log_path})"


# --------------------------------------------------------------------------------------------------- helpers


def _has_server(bindir: Path) -> bool:
    return (bindir / "initdb").is_file() and (bindir / "postgres").is_file()


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name)) or (0,)


def _free_port() -> int:
    # The port is free when we release it; another process may take it before the server binds, which
    # _start_server handles by trying another.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _clean_env() -> dict[str, str]:
    """The environment without PG* variables (a developer's PGHOST or PGDATA must not redirect our tools)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"  # English messages, which _start_server reads to recognise a taken port
    return env


def _pid_file_ready(pid_file: Path, pid: int) -> bool:
    """True when postmaster.pid belongs to ``pid`` and says "ready" (PostgreSQL ≥ 10 writes its status there).

    Checking the pid matters after kill9(): the dead server's file, still saying "ready", is there until the
    new one replaces it.
    """
    try:
        lines = pid_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return len(lines) >= 8 and lines[0].strip() == str(pid) and lines[7].strip() == "ready"


def process_alive(pid: int) -> bool:
    """True when ``pid`` is a live process; a zombie (dead, not yet reaped) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): kill() said it exists
    # The state follows the command name in parentheses, which may itself contain spaces or parentheses.
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (from Linux /proc; empty elsewhere, where the backends exit on their own
    once they notice the postmaster is gone)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        # Fields after the name: state, ppid, ...
        if len(fields) >= 2 and fields[0] != "Z" and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def _kill_all(pids: list[int], timeout: float = 10) -> None:
    """SIGKILL ``pids`` and wait until none is alive.

    Each backend leads its own process group (PostgreSQL makes them so, to signal their own children, e.g. an
    archive command), so the group is killed, not just the process.
    """
    for pid in pids:
        if process_alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while any(process_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
