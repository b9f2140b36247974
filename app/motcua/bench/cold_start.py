"""Started as a process by the cold-start benchmark: open everything and show the counter window, then quit."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from motcua.config import Settings
from motcua.ui.app import install_fonts, open_for_ui
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops


def main() -> int:
    app = QApplication(sys.argv)
    settings = Settings()
    install_fonts(app, settings.ui.font_pt)
    ctx = open_for_ui(settings, None)
    window = CounterWindow(ctx)
    window.show()
    QTimer.singleShot(0, app.quit)  # Qt 6 closes (and so deletes) the window on quit
    app.exec()
    wait_for_ops()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
