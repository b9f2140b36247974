"""`motcua run --mode all` on a one-PC centre: the counter, the kiosk and the board tile the screen instead of lying
on top of one another; a kiosk or a board alone takes the whole screen."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication, QMainWindow

from motcua.config import Settings
from motcua.services.queue.service import QueueService
from motcua.ui.app import install_fonts, open_windows, show_windows
from motcua.ui.display.window import DisplayWindow
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops

SHOTS = Path(os.environ.get("MOTCUA_BOARD_SHOTS", "/tmp/shots-board"))
Opener = Callable[[str], list[QMainWindow]]


@pytest.fixture
def opened(qapp, qtbot, ctx, queue_service: QueueService) -> Iterator[Opener]:
    """The windows `motcua run --mode MODE` opens, on this workstation and this centre's queue, in the app's font."""
    font = QFont(qapp.font())
    install_fonts(qapp, Settings().ui.font_pt)

    def open_mode(mode: str) -> list[QMainWindow]:
        windows = open_windows(Settings(), ctx, {m.strip() for m in mode.split(",")}, queue_service)
        for w in windows:
            qtbot.addWidget(w)  # closed (links stopped) and deleted after the test
        return windows

    yield open_mode
    wait_for_ops()
    qapp.setFont(font)


def _picture(windows: list[QMainWindow], name: str) -> None:
    """The screen as the windows tile it, for a person to look at."""
    whole = windows[0].frameGeometry()
    for w in windows[1:]:
        whole = whole.united(w.frameGeometry())
    image = QImage(whole.right() + 1, whole.bottom() + 1, QImage.Format.Format_RGB32)
    image.fill(QColor("#555555"))
    painter = QPainter(image)
    for w in windows:
        painter.drawPixmap(w.geometry().topLeft(), w.grab())
    painter.end()
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(str(SHOTS / f"{name}.png"))


def _assert_tiled(windows: list[QMainWindow], screen: QRect) -> dict[str, QRect]:
    rects = {type(w).__name__: w.frameGeometry() for w in windows}
    for w in windows:
        assert w.isVisible() and not w.isFullScreen(), type(w).__name__
    for name, rect in rects.items():
        assert screen.contains(rect), (name, rect, screen)
    names = sorted(rects)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not rects[a].intersects(rects[b]), (a, rects[a], b, rects[b])
    covered = sum(r.width() * r.height() for r in rects.values())
    assert covered >= 0.95 * screen.width() * screen.height()  # the screen is used, not a corner of it
    return rects


def _loaded(qtbot, windows: list[QMainWindow]) -> None:
    """Wait for the kiosk's services and the board's counters, so that the picture shows them."""
    for w in windows:
        if isinstance(w, KioskWindow):
            qtbot.waitUntil(lambda w=w: bool(w.start_page.buttons), timeout=5000)
        if isinstance(w, DisplayWindow):
            qtbot.waitUntil(lambda w=w: bool(w.tiles), timeout=5000)
    for _ in range(3):  # the layouts they asked for meanwhile
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_mode_all_tiles_the_windows_over_the_screen(qtbot, opened: Opener, size: tuple[int, int]) -> None:
    screen = QRect(0, 24, size[0], size[1] - 24)  # a panel at the top takes 24 px
    windows = opened("all")
    show_windows(windows, {"all"}, screen)
    _loaded(qtbot, windows)
    _picture(windows, f"mode-all-{size[0]}x{size[1]}")
    rects = _assert_tiled(windows, screen)
    assert set(rects) == {"CounterWindow", "KioskWindow", "DisplayWindow"}
    counter = rects["CounterWindow"]
    assert counter.left() == screen.left() and counter.width() >= screen.width() // 2  # the clerk's window leads
    assert counter.height() == screen.height()


def test_a_kiosk_and_a_board_share_this_screen_side_by_side(qtbot, opened: Opener) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()  # the offscreen platform's own
    windows = opened("kiosk,display")
    show_windows(windows, {"kiosk", "display"}, screen)
    _loaded(qtbot, windows)
    _picture(windows, "mode-kiosk-display-offscreen")
    rects = _assert_tiled(windows, screen)
    assert rects["KioskWindow"].left() == screen.left() and rects["DisplayWindow"].right() == screen.right()


@pytest.mark.parametrize("mode", ["kiosk", "display"])
def test_a_kiosk_or_a_board_alone_takes_the_whole_screen(opened: Opener, mode: str) -> None:
    (window,) = opened(mode)
    show_windows([window], {mode}, QGuiApplication.primaryScreen().availableGeometry())
    assert window.isFullScreen()
