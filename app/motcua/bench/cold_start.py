"""Started as a process by the start benchmarks: show the counter window (or, as the yardstick, an empty Qt window),
print ``SHOWN <peak MiB>`` when it is first painted (what the clerk sees) and ``READY <peak MiB>`` once the parts
built after that (the scanning tab) are there, then quit."""

from __future__ import annotations

import sys
from pathlib import Path


def peak_mib() -> float:
    """This process's peak resident memory in MiB (0 where the platform cannot tell).

    Linux's ``VmHWM`` first: ``getrusage``'s peak there survives ``exec``, so a child of a large process (the test
    runner) would report its parent's size.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    try:
        import resource
    except ImportError:  # Windows
        try:
            import psutil  # type: ignore[import-untyped]
        except ImportError:
            return 0.0
        return float(psutil.Process().memory_info().peak_wset) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv)

    class FirstPaint(QObject):
        """Prints SHOWN at the window's first paint; work deferred until after it is not counted."""

        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.painted:
                self.painted = True
                print(f"SHOWN {peak_mib():.1f}", flush=True)
            return super().eventFilter(watched, event)  # not a bare False: PySide6 mis-counts the bool's refs

    spy = FirstPaint()

    def show(window: QWidget) -> None:
        window.installEventFilter(spy)
        window.show()
        while not spy.painted:
            app.processEvents()

    if "--empty" in argv:
        empty = QWidget()
        empty.resize(1366, 768)
        show(empty)
        return 0

    from motcua.config import Settings
    from motcua.ui.app import install_fonts, open_for_ui
    from motcua.ui.counter.window import CounterWindow
    from motcua.ui.ops import wait_for_ops

    settings = Settings()
    install_fonts(app, settings.ui.font_pt)
    ctx = open_for_ui(settings, None)
    counter = CounterWindow(ctx)
    show(counter)
    while counter.scan_station is None:  # the scanning tab, built once the window is on screen
        app.processEvents()
    print(f"READY {peak_mib():.1f}", flush=True)
    QTimer.singleShot(0, app.quit)  # Qt 6 closes (and so deletes) the window on quit
    app.exec()
    wait_for_ops()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
