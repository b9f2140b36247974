"""The Qt binding keeps Python's reference counts right: a counter window calls Qt methods millions of times a day.

PySide6 6.12.0 on Python 3.11 dropped one reference to ``None`` at each call of a method returning nothing; after
some thousands of calls Python aborted with "deallocating None" (pyproject.toml keeps that version out on 3.11).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget


def test_calling_qt_methods_leaves_none_and_bools_referenced(qtbot) -> None:
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    app = QApplication.instance()
    assert app is not None
    before = sys.getrefcount(None), sys.getrefcount(False), sys.getrefcount(True)
    for _ in range(2000):
        w.update()
        w.isVisible()
        app.processEvents()
    after = sys.getrefcount(None), sys.getrefcount(False), sys.getrefcount(True)
    # Unrelated objects may hold or let go of a few references meanwhile; a leak would be thousands.
    assert all(abs(a - b) < 500 for a, b in zip(after, before, strict=True)), (before, after)
