"""Started as a process by the start benchmarks: show the counter window (or, as the yardstick, an empty Qt window),
print ``SHOWN <peak MiB>`` once it is on screen, then quit."""

from __future__ import annotations

import sys


def peak_mib() -> float:
    """This process's peak resident memory in MiB (0 where the platform cannot tell)."""
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
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv)
    if "--empty" in argv:
        window = QWidget()
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        print(f"SHOWN {peak_mib():.1f}", flush=True)
        return 0

    from motcua.config import Settings
    from motcua.ui.app import install_fonts, open_for_ui
    from motcua.ui.counter.window import CounterWindow
    from motcua.ui.ops import wait_for_ops

    settings = Settings()
    install_fonts(app, settings.ui.font_pt)
    ctx = open_for_ui(settings, None)
    counter = CounterWindow(ctx)
    counter.show()
    app.processEvents()
    print(f"SHOWN {peak_mib():.1f}", flush=True)
    QTimer.singleShot(0, app.quit)  # Qt 6 closes (and so deletes) the window on quit
    app.exec()
    wait_for_ops()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
