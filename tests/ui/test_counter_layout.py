"""The counter window on the screens counters have (1366×768, 1280×720) in Vietnamese and English: it fits, and
every button and toolbar action is on the screen, unclipped, showing its whole label.

Pictures for a person to look at go to $MOTCUA_SCREENSHOTS (default /tmp/shots-counter), at 1366×768 and 1920×1080.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import test_counter_window as counter
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QToolBar,
    QToolButton,
    QWidget,
)

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.i18n import set_language
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.ui.app import install_fonts
from motcua.ui.counter.window import CounterWindow
from motcua.ui.ops import wait_for_ops

questions, a4 = counter.questions, counter.a4  # fixtures
LONG = "2.000815"  # the sample catalog's longest name (266 characters)
TASKBAR_AND_TITLE = 72  # a Windows taskbar (40) and a title bar (32) take this much of the screen's height
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/shots-counter"))


@pytest.fixture
def app_font(qapp, ctx):
    """The font and size the app runs with (the default font of the offscreen platform is smaller)."""
    before = qapp.font()
    install_fonts(qapp, ctx.settings.ui.font_pt)
    yield
    qapp.setFont(before)


def _label(b: QAbstractButton) -> str:
    return b.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def _room(b: QAbstractButton) -> int:
    """The width the button's label is drawn in."""
    if isinstance(b, QPushButton):
        opt = QStyleOptionButton()
        b.initStyleOption(opt)
        width = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b).width()
        if b.menu() is not None:
            width -= b.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, opt, b)
        return width
    return b.contentsRect().width()


def problems(w: QWidget, screen: QRect) -> list[str]:
    """Every visible button or toolbar action that is off the screen, clipped, or shows a cut label."""
    found: list[str] = []
    origin = w.geometry().topLeft()
    for b in w.findChildren(QAbstractButton):
        if not isinstance(b, (QPushButton, QToolButton)) or not b.isVisible() or not _label(b):
            continue
        text = _label(b)
        rect = QRect(b.mapTo(w, QPoint(0, 0)) + origin, b.size())
        if not screen.contains(rect):
            found.append(f"{text!r} is off the screen: {rect.getRect()}")
        if b.visibleRegion().boundingRect() != b.rect():
            found.append(f"{text!r} is clipped by what holds it: {b.visibleRegion().boundingRect().getRect()}")
        need, room = b.fontMetrics().horizontalAdvance(text), _room(b)
        if need > room:
            found.append(f"{text!r} is cut: needs {need} px, has {room} px")
    for bar in w.findChildren(QToolBar):
        for act in bar.actions():
            if act.isSeparator() or not act.isVisible():
                continue
            shown = bar.widgetForAction(act)
            if shown is None or not shown.isVisible():
                found.append(f"toolbar action {act.text()!r} is hidden in the overflow menu")
    return found


def _settle(qtbot) -> None:
    for _ in range(3):
        wait_for_ops()
        QApplication.processEvents()
    qtbot.wait(20)


@pytest.fixture
def long_dossier(ctx) -> str:
    svc = ReceptionService(ctx)
    p = svc.procedure(LONG)
    given = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, parse_cccd(counter.QR).to_applicant(), given)).code


def _window(qtbot, ctx, queue_service, lang: str, size: tuple[int, int]) -> CounterWindow:
    set_language(lang)  # the autouse fixture sets Vietnamese back
    w = CounterWindow(ctx, queue_service)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot owns it
    qtbot.addWidget(w)
    w.move(0, 0)
    w.resize(*size)  # what a maximised window gets; it cannot be smaller than its minimum size
    w.show()
    qtbot.waitExposed(w)
    _settle(qtbot)
    return w


def _check(w: CounterWindow, size: tuple[int, int], state: str) -> None:
    width, height = size
    assert w.width() <= width and w.height() <= height, (state, w.size())
    hint = w.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height - TASKBAR_AND_TITLE, (state, hint)
    assert problems(w, QRect(0, 0, width, height)) == [], state


def _shot(w: CounterWindow, name: str, size: tuple[int, int]) -> None:
    if size in ((1366, 768), (1920, 1080)):
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(SHOTS / f"{name}-{size[0]}x{size[1]}.png"))


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_window_fits_the_screen_with_every_action_whole(
    qtbot, ctx, queue_service, app_font, long_dossier, lang, size
) -> None:
    w = _window(qtbot, ctx, queue_service, lang, size)
    try:
        # Reception: the longest procedure chosen, and a saved message with its two buttons.
        w.reception_tab.picker.select_code(LONG)
        qtbot.waitUntil(lambda: w.reception_tab.picker.results.count() == 1, timeout=5000)
        w.reception_tab.picker.results.setCurrentRow(0)
        w._on_saved(ReceptionService(ctx).get(long_dossier), False)
        _settle(qtbot)
        assert w.reception_tab.picker.current().code == LONG
        assert len(w.messages.buttons()) == 2
        _check(w, size, f"reception {lang}")
        _shot(w, f"{lang}-reception", size)
        # The dossier view of a dossier just received: every status move is allowed.
        w.open_dossier(long_dossier)
        qtbot.waitUntil(lambda: w.tabs.currentWidget() is w.details, timeout=5000)
        _settle(qtbot)
        assert len(w.dossier_view.actions_box.findChildren(QPushButton)) >= 8
        _check(w, size, f"dossier {lang}")
        _shot(w, f"{lang}-dossier", size)
    finally:
        if w.queue_panel is not None:
            w.queue_panel.link.close()
        w.close()
        wait_for_ops()


def test_the_queue_dock_folds_away_and_f2_still_calls(qtbot, ctx, queue_service, app_font, questions) -> None:
    w = _window(qtbot, ctx, queue_service, "vi", (1280, 720))
    try:
        queue_service.issue_ticket("HT")
        panel = w.queue_panel
        assert panel is not None and w.queue_dock is not None
        qtbot.waitUntil(lambda: panel.call_next_button.isEnabled(), timeout=5000)
        w.activateWindow()
        qtbot.waitActive(w)
        before = w.tabs.width()
        qtbot.keyClick(w.reception_tab.picker.query, Qt.Key.Key_F12)
        assert not w.queue_dock.isVisible()
        _settle(qtbot)
        assert w.tabs.width() > before  # the forms get the room
        qtbot.keyClick(w.reception_tab.picker.query, Qt.Key.Key_F2)
        qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
        qtbot.keyClick(w.reception_tab.picker.query, Qt.Key.Key_F12)
        assert w.queue_dock.isVisible()
    finally:
        if w.queue_panel is not None:
            w.queue_panel.link.close()
        w.close()
        wait_for_ops()


def test_a_counter_alone_opens_maximised(qtbot, ctx, queue_service, app_font) -> None:
    """Maximised, the window gets the screen less the taskbar: the size the checks above are made at."""
    from PySide6.QtGui import QGuiApplication

    from motcua.ui.app import show_windows

    w = CounterWindow(ctx, queue_service)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    try:
        show_windows([w], {"counter"}, QGuiApplication.primaryScreen().availableGeometry())
        assert w.isMaximized()
    finally:
        if w.queue_panel is not None:
            w.queue_panel.link.close()
        w.close()
        wait_for_ops()
