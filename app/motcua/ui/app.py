"""Starting the desktop app: migrations first, then the windows of the chosen mode."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from motcua.config import Settings
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.paths import resource_path
from motcua.services.catalog import CatalogService
from motcua.services.context import AppContext, open_context

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


def open_for_ui(settings: Settings, data_dir: Path | None) -> AppContext:
    """Open the databases (migrating them) and make sure a fresh install has a catalog to work with."""
    ctx = open_context(settings, data_dir)
    CatalogService(ctx).ensure_sample()
    return ctx


def run_app(settings: Settings, mode: str = "counter", data_dir: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("MotCua Desk")
    app.setOrganizationName("MotCua")
    install_fonts(app, settings.ui.font_pt)
    try:
        ctx = open_for_ui(settings, data_dir)
    except MotcuaError as exc:
        QMessageBox.critical(None, "MotCua Desk", str(exc))
        return 2
    windows = []
    if mode in ("counter", "all"):
        from motcua.ui.counter.window import CounterWindow

        windows.append(CounterWindow(ctx))
    if not windows:
        QMessageBox.information(
            None, "MotCua Desk", tr("Chế độ «{mode}» chưa có trong phiên bản này; hãy dùng --mode counter.", mode=mode)
        )
        ctx.close()
        return 2
    for w in windows:
        w.show()
    code = app.exec()
    ctx.close()
    return int(code)
