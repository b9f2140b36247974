"""Python's cycle collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate: a report op making a PDF on a worker
thread could then free a window left in a reference cycle, and Qt destroying widgets off the GUI thread crashes
the process (seen as a segfault inside reportlab while the main thread built a window). So the automatic
collector is switched off and the same generational thresholds are checked on a GUI-thread timer instead
(:func:`motcua.collector.collect_due`).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from motcua.collector import collect_due


class GuiThreadCollector(QObject):
    """Switches automatic collection off while it lives and checks the thresholds every ``interval_ms``."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(collect_due)
        self.timer.start(interval_ms)

    def stop(self) -> None:
        """Hand collection back to Python (the app is closing: no widget is left to free off its thread)."""
        self.timer.stop()
        if self._was_enabled:
            gc.enable()
