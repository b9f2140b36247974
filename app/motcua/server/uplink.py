"""The centre's link to the province: the sync runner a centre server (or a one-PC app) starts beside itself.

``[sync] province_url`` names the province; ``province_protocol`` says how to talk to it: "motcua" (the exchange
protocol, both ways) or "dvc" (the national portal's DongBoHoSoMC format: dossiers go up, nothing comes down).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from motcua.config import SyncSettings
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.services.sync_node import SyncNode
from motcua.sync.dvc_uplink import DvcEngine
from motcua.sync.engine import SyncEngine
from motcua.sync.http import Tls
from motcua.sync.runner import Backoff, SyncRunner
from motcua.sync.upstream import HttpUpstream


def tls_of(s: SyncSettings) -> Tls:
    return Tls(ca_file=s.tls_ca_file, pin_sha256=s.tls_pin_sha256)


def centre_engine(node: SyncNode, s: SyncSettings, clock: Callable[[], datetime]) -> SyncEngine | DvcEngine:
    """The engine that moves the centre's changes to the province named in ``s``."""
    if s.province_protocol == "dvc":
        from motcua.sync.dvc import DvcClient, dvc_options

        options = dvc_options(s.dvc_codes)  # a wrong code stops here, before the first record

        client = DvcClient(
            s.province_url,
            auth_path=s.dvc_auth_path,
            integration_path=s.dvc_integration_path,
            username=s.dvc_username,
            password=s.dvc_password,
            madonvi=s.dvc_madonvi,
            tls=tls_of(s),
            timeout=s.timeout_s,
        )
        return DvcEngine(node.db, client, clock, options=options)
    if s.province_protocol != "motcua":
        raise MotcuaError(
            tr("Cấu hình: sync.province_protocol phải là motcua hoặc dvc (đang là {value})", value=s.province_protocol)
        )
    upstream = HttpUpstream(s.province_url, s.province_token, timeout=s.timeout_s, tls=tls_of(s))
    # The centre fetches the papers of every dossier it holds but did not receive (routed here from another unit).
    return SyncEngine(
        node.db,
        node.replica,
        node.docs,
        upstream,
        clock,
        fetch_documents="all",
        on_catalog=node.publish_catalog,
        on_changed=node.announce,
        # Passed on as published (each counter validates it before adopting it).
        on_published={"calendar": lambda body: node.publish("calendar", body)},
    )


class Uplink:
    """The runner towards the province, and its ear on the province's push stream; started and stopped with the
    centre server."""

    def __init__(self, runner: SyncRunner) -> None:
        self.runner = runner
        self._listener: object | None = None

    def start(self) -> Uplink:
        self.runner.start()
        listen = getattr(self.runner.engine.upstream, "listen", None)
        self._listener = listen(self.runner.wake) if callable(listen) else None
        return self

    def stop(self, timeout: float = 10.0) -> None:
        close = getattr(self._listener, "close", None)
        if callable(close):
            close()
        self.runner.stop(timeout)

    def wake(self) -> None:
        self.runner.wake()


def centre_uplink(node: SyncNode, s: SyncSettings, clock: Callable[[], datetime]) -> Uplink | None:
    """The link towards the province, or None when no province is configured yet."""
    if not s.province_url:
        return None
    engine = centre_engine(node, s, clock)
    runner = SyncRunner(
        engine,  # type: ignore[arg-type]
        interval_s=s.interval_s,
        backoff=Backoff(1.0, s.max_backoff_s),
        probe_s=s.probe_s,
        name="centre-uplink",
    )
    uplink = Uplink(runner)
    node.on_push.append(uplink.wake)  # a workstation pushed: pass it on soon
    return uplink
