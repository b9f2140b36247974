"""Starting the desktop app: migrations first, then the windows of the chosen mode."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from motcua.config import Settings
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.paths import resource_path
from motcua.services.catalog import CatalogService
from motcua.services.context import AppContext, open_context
from motcua.services.leases import LeaseSource
from motcua.services.queue.api import QueueApi
from motcua.services.sync_link import SyncLink

log = logging.getLogger(__name__)


def install_fonts(app: QApplication, point_size: int) -> None:
    """A font with full Vietnamese coverage on every machine, whatever the system has."""
    family = None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        fid = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if fid >= 0 and family is None:
            family = QFontDatabase.applicationFontFamilies(fid)[0]
    font = QFont(family or app.font().family(), point_size)
    app.setFont(font)


def open_for_ui(settings: Settings, data_dir: Path | None, leases: LeaseSource | None = None) -> AppContext:
    """Open the databases (migrating them) and make sure a fresh install has a catalog to work with."""
    ctx = open_context(settings, data_dir, leases=leases)
    CatalogService(ctx).ensure_sample()
    return ctx


RUN_MODES = ("counter", "kiosk", "display", "supervisor", "all")


def open_windows(settings: Settings, ctx: AppContext, modes: set[str], queue: QueueApi | None) -> list[QMainWindow]:
    """The windows of ``modes`` ("all" is counter, kiosk and display on one PC)."""
    if "all" in modes:
        modes = modes | {"counter", "kiosk", "display"}
    windows: list[QMainWindow] = []
    if "counter" in modes:
        from motcua.ui.counter.window import CounterWindow

        windows.append(CounterWindow(ctx, queue))
    if queue is not None and "kiosk" in modes:
        from motcua.services.queue.devices import make_kiosk_service
        from motcua.ui.kiosk.window import KioskWindow

        kiosk, demo = make_kiosk_service(queue, settings)
        windows.append(KioskWindow(queue, kiosk, demo))
    if queue is not None and "display" in modes:
        from motcua.ui.display.window import DisplayWindow

        windows.append(DisplayWindow(queue))
    return windows


def run_app(
    settings: Settings,
    mode: str = "counter",
    data_dir: Path | None = None,
    queue: QueueApi | None = None,
    leases: LeaseSource | None = None,
    start_sync: Callable[[AppContext], SyncLink] | None = None,
) -> int:
    """Open the windows of ``mode`` (one of :data:`RUN_MODES`, or several joined by commas) and run until closed.

    Args:
        settings: the validated settings.
        mode: "counter", "kiosk", "display", "all", or e.g. "counter,display".
        data_dir: the workstation's data folder (default: the settings', else the per-user one).
        queue: the centre's queue (kiosk and display need it; without it the counter has no queue panel).
        leases: where dossier numbers come from (the centre server; default: the centre database on this PC).
        start_sync: starts this workstation's sync once its database is open (the status bar shows the link).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("MotCua Desk")
    app.setOrganizationName("MotCua")
    install_fonts(app, settings.ui.font_pt)
    try:
        ctx = open_for_ui(settings, data_dir, leases)
    except MotcuaError as exc:
        QMessageBox.critical(None, "MotCua Desk", str(exc))
        return 2
    if start_sync is not None:
        ctx.sync_link = start_sync(ctx)
    modes = {m.strip() for m in mode.split(",") if m.strip()}
    windows = open_windows(settings, ctx, modes, queue)
    if not windows:
        QMessageBox.information(
            None, "MotCua Desk", tr("Chế độ «{mode}» chưa có trong phiên bản này; hãy dùng --mode counter.", mode=mode)
        )
        if ctx.sync_link is not None:
            ctx.sync_link.close()
        ctx.close()
        return 2
    x = 0
    for w in windows:
        if len(windows) == 1 and modes <= {"kiosk", "display"}:
            w.showFullScreen()  # a kiosk or a TV: the whole screen (F11 leaves it)
        else:
            w.move(x, 0)  # one PC, several windows: side by side rather than stacked on each other
            x += 80
            w.show()
    code = app.exec()
    if ctx.sync_link is not None:
        ctx.sync_link.close()
    ctx.close()
    return int(code)
