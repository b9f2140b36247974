"""Starting the desktop app: migrations first, then the windows of the chosen mode."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QRect, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from motcua.config import Settings
from motcua.domain.errors import MotcuaError
from motcua.i18n import get_language, tr
from motcua.paths import resource_path
from motcua.services.accounts import AccountService
from motcua.services.catalog import CatalogService
from motcua.services.context import AppContext, open_context
from motcua.services.leases import LeaseSource
from motcua.services.queue.api import QueueApi
from motcua.services.sync_link import SyncLink
from motcua.ui.accounts.session_guard import SessionGuard
from motcua.ui.gc_guard import GuiThreadCollector
from motcua.ui.lockdown import Lockdown
from motcua.ui.ops import wait_for_ops

if TYPE_CHECKING:
    from motcua.services.sync_node import SyncNode
    from motcua.services.sync_repair import ConflictDesk

log = logging.getLogger(__name__)


def install_fonts(app: QApplication, point_size: int) -> None:
    """Be Vietnam Pro (SIL OFL 1.1, resources/fonts), a typeface drawn for Vietnamese screen text, on every machine
    whatever the system has, with DejaVu Sans behind it for the symbols it lacks (arrows, check marks).

    Its stacked tone marks still rise above the ascent Qt lays labels out with: the big-type screens leave room for
    them (``motcua.ui.display.big_type``). Calling it again (tests, benchmarks) registers nothing twice.
    """
    # An attribute, not a Qt property: PySide6 6.12 frees None once too often when reading an unset property.
    families: list[str] = list(getattr(app, "motcua_font_families", []))
    if not families:
        for name in (
            "BeVietnamPro-Regular.ttf",
            "BeVietnamPro-Bold.ttf",
            "BeVietnamPro-Italic.ttf",
            "BeVietnamPro-BoldItalic.ttf",
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
        ):
            fid = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
            if fid < 0:
                log.warning("font %s could not be loaded", name)
                continue
            families += [f for f in QFontDatabase.applicationFontFamilies(fid) if f not in families]
        app.motcua_font_families = families  # type: ignore[attr-defined]
    font = QFont(app.font())
    font.setFamilies(families or [app.font().family()])
    font.setPointSize(point_size)
    app.setFont(font)


# The translator Qt's own words come from now (kept alive here: Qt holds no reference to it).
_QT_TRANSLATOR: list[QTranslator] = []


def install_qt_translations(app: QCoreApplication, lang: str) -> None:
    """Qt's own buttons and dialogs (Yes/No, OK/Cancel, file and print dialogs) in ``lang``.

    Qt's ``qtbase_vi.qm`` when Qt's translations folder has one (the PySide6 wheel has none), else our table
    (:mod:`motcua.ui.widgets.qt_vi`). Call again when the language changes: the previous translator is removed.
    """
    from motcua.ui.widgets.qt_vi import VietnameseQtTranslator

    while _QT_TRANSLATOR:
        app.removeTranslator(_QT_TRANSLATOR.pop())
    if lang != "vi":
        return  # Qt's source strings are English
    translator: QTranslator = QTranslator(app)
    if not translator.load("qtbase_vi", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translator = VietnameseQtTranslator(app)
    app.installTranslator(translator)
    _QT_TRANSLATOR.append(translator)


def open_for_ui(settings: Settings, data_dir: Path | None, leases: LeaseSource | None = None) -> AppContext:
    """Open the databases (migrating them) and make sure a fresh install has a catalog to work with."""
    ctx = open_context(settings, data_dir, leases=leases)
    CatalogService(ctx).ensure_sample()
    return ctx


RUN_MODES = ("counter", "kiosk", "display", "supervisor", "rating", "all")


def open_windows(
    settings: Settings,
    ctx: AppContext,
    modes: set[str],
    queue: QueueApi | None,
    sync_node: SyncNode | None = None,
    conflicts: ConflictDesk | None = None,
) -> list[QMainWindow]:
    """The windows of ``modes`` ("all" is counter, kiosk and display on one PC).

    The supervisor settles the centre's conflicts through ``sync_node`` when the centre runs in this process, else
    through ``conflicts`` (the centre server over HTTP), else not here (the window says where).
    """
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
        windows.append(KioskWindow(queue, kiosk, demo, idle_ms=int(settings.ui.kiosk_idle_s * 1000)))
    if queue is not None and "display" in modes:
        from motcua.ui.display.window import DisplayWindow

        windows.append(DisplayWindow(queue, device=f"D-{settings.counter.station_id}"))
    if queue is not None and "rating" in modes:  # the pad beside [counter] counter_number
        from motcua.ui.rating.window import RatingWindow

        windows.append(RatingWindow(queue, settings.counter.counter_number, device=f"R-{settings.counter.station_id}"))
    if "supervisor" in modes:
        from motcua.services.sync_repair import SyncRepair
        from motcua.ui.supervisor.window import SupervisorWindow

        desk = sync_node if sync_node is not None else conflicts
        windows.append(SupervisorWindow(ctx, queue, sync=SyncRepair(ctx, desk)))
    return windows


UNATTENDED = frozenset({"kiosk", "display", "rating"})


def locks(settings: Settings, modes: set[str], windows: int) -> bool:
    """A kiosk, board or rating pad alone on its PC is locked; with a counter beside it (a one-PC centre, the demo)
    the clerk's PC stays an ordinary desktop."""
    return settings.ui.lockdown and windows == 1 and modes <= UNATTENDED


def lock_unattended(window: QMainWindow, ctx: AppContext, hide_cursor: bool) -> Lockdown:
    """Full screen, close keys off, an administrator's PIN to leave (motcua.ui.lockdown)."""
    accounts = AccountService(ctx)
    if not accounts.any_administrator_pin():
        log.warning(
            "locked %s: no administrator of this PC has a PIN, so it can be left only from the operating system "
            "(set one: motcua user pin NAME)",
            window.objectName(),
        )
    return Lockdown(window, accounts.administrator_by_pin, hide_cursor=hide_cursor, data_folder=ctx.files_dir)


def show_windows(windows: list[QMainWindow], modes: set[str], area: QRect) -> None:
    """Show the windows of ``modes`` on the screen's free ``area``.

    A kiosk or a display alone takes the whole screen (F11 leaves it). Several windows on one PC (``--mode all``)
    are tiled over the area, none on top of another: the first (the counter, where the clerk works) takes the left
    part, half the screen or what it needs if that is more; the others share the right part one above the other
    (the kiosk and the board fit their type to whatever they get).
    """
    if len(windows) == 1 and modes <= {"kiosk", "display", "rating"}:
        windows[0].showFullScreen()
        return
    if len(windows) == 1 and modes & {"counter", "supervisor"}:
        windows[0].showMaximized()  # the counter is the clerk's whole day: the screen, taskbar aside
        return
    if len(windows) == 1:
        windows[0].show()
        return

    def place(w: QMainWindow, x: int, y: int, width: int, height: int) -> int:
        """Put ``w``'s frame on the cell; the width it really took (never less than its minimum)."""
        w.show()  # shown first: only then does it know its frame (title bar, borders) and its minimum size
        extra_w = w.frameGeometry().width() - w.width()
        extra_h = w.frameGeometry().height() - w.height()
        w.resize(max(1, width - extra_w), max(1, height - extra_h))
        w.move(x, y)
        return w.frameGeometry().width()

    left = place(windows[0], area.x(), area.y(), area.width() // 2, area.height())
    others = len(windows) - 1
    for i, w in enumerate(windows[1:]):
        top, bottom = area.height() * i // others, area.height() * (i + 1) // others
        place(w, area.x() + left, area.y() + top, area.width() - left, bottom - top)


def run_app(
    settings: Settings,
    mode: str = "counter",
    data_dir: Path | None = None,
    queue: QueueApi | None = None,
    leases: LeaseSource | None = None,
    start_sync: Callable[[AppContext], SyncLink] | None = None,
    sync_node: SyncNode | None = None,
    conflicts: ConflictDesk | None = None,
) -> int:
    """Open the windows of ``mode`` (one of :data:`RUN_MODES`, or several joined by commas) and run until closed.

    Args:
        settings: the validated settings.
        mode: "counter", "kiosk", "display", "all", or e.g. "counter,display".
        data_dir: the workstation's data folder (default: the settings', else the per-user one).
        queue: the centre's queue (kiosk and display need it; without it the counter has no queue panel).
        leases: where dossier numbers come from (the centre server; default: the centre database on this PC).
        start_sync: starts this workstation's sync once its database is open (the status bar shows the link).
        sync_node: the centre's sync node when it runs in this process (a one-PC centre): the supervisor settles
            conflicts through it.
        conflicts: the centre server's conflicts over HTTP (a supervisor's PC of a centre with a LAN), used when
            there is no ``sync_node``.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("MotCua Desk")
    app.setOrganizationName("MotCua")
    install_fonts(app, settings.ui.font_pt)
    install_qt_translations(app, get_language())
    try:
        ctx = open_for_ui(settings, data_dir, leases)
    except MotcuaError as exc:
        QMessageBox.critical(None, "MotCua Desk", str(exc))
        return 2
    modes = {m.strip() for m in mode.split(",") if m.strip()}
    if modes & {"counter", "all", "supervisor"}:
        # The counter opens on its sign-in: every change, print and status move is recorded under the clerk's name.
        guard = SessionGuard(AccountService(ctx), settings.ui.lock_after_min, app.quit, app)
        if not guard.sign_in():
            ctx.close()
            return 0
    if "supervisor" in modes:
        from motcua.ui.supervisor.access import admit

        if not admit(ctx):  # a clerk is told why; the other modes asked for still open
            modes = modes - {"supervisor"}
            if not modes:
                ctx.close()
                return 0
    if start_sync is not None:
        ctx.sync_link = start_sync(ctx)
    windows = open_windows(settings, ctx, modes, queue, sync_node, conflicts)
    if not windows:
        QMessageBox.information(
            None, "MotCua Desk", tr("Chế độ «{mode}» chưa có trong phiên bản này; hãy dùng --mode counter.", mode=mode)
        )
        if ctx.sync_link is not None:
            ctx.sync_link.close()
        ctx.close()
        return 2
    show_windows(windows, modes, app.primaryScreen().availableGeometry())
    if locks(settings, modes, len(windows)):
        lock_unattended(windows[0], ctx, hide_cursor="display" in modes)
    collector = GuiThreadCollector(app)
    code = app.exec()
    wait_for_ops(5000)  # work still running on the closed windows' data (a status-bar read) ends before the close
    collector.stop()
    if ctx.sync_link is not None:
        ctx.sync_link.close()
    ctx.close()
    return int(code)
