"""What a person sees on the waiting-room TV and the kiosk, measured on the pixels of the real windows.

Both fit a 1366x768 screen (and a 1920x1080 TV) without cutting any text; Vietnamese capitals keep their stacked
tone marks; every text reaches 4.5:1 against what is drawn behind it (WCAG AA); the called number is at least an
eighth of the screen tall; kiosk buttons are big enough for a finger. Screenshots go to /tmp/shots-board (or
$MOTCUA_BOARD_SHOTS) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton, QWidget

from motcua.config import Settings
from motcua.devices.printer import FakePrinter
from motcua.domain.queue_config import load_queue_config
from motcua.services.announcer import FakeAnnouncer
from motcua.services.queue.devices import make_kiosk_service
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.ui.app import install_fonts
from motcua.ui.display.window import DisplayWindow
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("MOTCUA_BOARD_SHOTS", "/tmp/shots-board"))
MARKED = ("XÃ BẢO THẮNG", "ỆỂỄ", "ỗ ợ")  # stacked marks above capitals, dots below
TV_SIZES = [(1366, 768), (1920, 1080)]
# Ticket numbers are a letter and digits ("A012"), never marked: the board fits them to their box by their ink.
NUMBERS = {"tileNumber", "bigNumber"}


# -- fixtures ------------------------------------------------------------------------------------------------
@pytest.fixture
def ui_font(qapp: QApplication) -> Iterator[None]:
    """The app's own font, as `motcua run` installs it."""
    before = QFont(qapp.font())
    install_fonts(qapp, Settings().ui.font_pt)
    yield
    qapp.setFont(before)


@pytest.fixture
def real_queue(tmp_path: Path, clock: object) -> Iterator[QueueService]:
    """The queue of the shipped configuration (kiosk_config/queue.toml: "… XÃ BẢO THẮNG", three counters)."""
    store = open_queue_store(tmp_path / "centre-queue.sqlite")
    yield QueueService(store, load_queue_config(REPO / "kiosk_config" / "queue.toml"), clock=clock)  # type: ignore[arg-type]
    store.close()


def _settle() -> None:
    for _ in range(3):  # layout requests are posted events; a change of layout may post another
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _save(window: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / f"{name}.png"))


def _open_display(qtbot, api: QueueService, size: tuple[int, int]) -> DisplayWindow:
    w = DisplayWindow(api, FakeAnnouncer(), poll_ms=100)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.board is not None and len(w.tiles) == 3, timeout=5000)
    return w


def _close_display(w: DisplayWindow) -> None:
    w.link.close()
    w.announcements.close()
    wait_for_ops()


def _freeze_display(w: DisplayWindow) -> None:
    """No more refreshes, ticks or flashes: what the test puts on screen stays there."""
    w.link.close()
    wait_for_ops()
    w._clock_timer.stop()
    w._flash_timer.stop()


def _open_kiosk(qtbot, api: QueueService, size: tuple[int, int]) -> KioskWindow:
    service, _ = make_kiosk_service(api, Settings(), FakePrinter())
    w = KioskWindow(api, service, demo=True, poll_ms=100)  # demo: the no-printer banner takes its room too
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: len(w.start_page.buttons) == 3, timeout=5000)
    return w


def _close_kiosk(w: KioskWindow) -> None:
    w.link.close()
    w._view_timer.stop()
    wait_for_ops()


# -- pixels ----------------------------------------------------------------------------------------------------
def _pixels(window: QWidget) -> np.ndarray:
    """The window as a person sees it: an H x W x 3 array of RGB."""
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    h, w = image.height(), image.width()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes()).reshape(h, image.bytesPerLine())
    return raw[:, : w * 4].reshape(h, w, 4)[:, :, 2::-1].astype(int)  # BGRA in memory


def _rect(window: QWidget, widget: QWidget, inner: bool = False) -> QRect:
    return (widget.contentsRect() if inner else widget.rect()).translated(widget.mapTo(window, QPoint(0, 0)))


def _crop(pixels: np.ndarray, r: QRect) -> np.ndarray:
    return pixels[max(0, r.top()) : r.bottom() + 1, max(0, r.left()) : r.right() + 1]


def _paper(crop: np.ndarray) -> np.ndarray:
    colours, counts = np.unique(crop.reshape(-1, 3), axis=0, return_counts=True)
    return colours[counts.argmax()]


def _ink(widget: QWidget) -> np.ndarray:
    """The text colour the style sheet gave the widget."""
    c = widget.palette().color(widget.foregroundRole())
    return np.array([c.red(), c.green(), c.blue()])


def _luminance(rgb: np.ndarray) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    c = rgb / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2])


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _texts(window: QWidget) -> list[QWidget]:
    """Every visible widget that shows text: labels, and buttons that draw their own."""
    shown: list[QWidget] = [
        label
        for label in window.findChildren(QLabel)
        if label.isVisibleTo(window) and label.text().strip() and not label.rect().isEmpty()
    ]
    shown += [
        b
        for b in window.findChildren(QPushButton)
        if b.isVisibleTo(window) and QPushButton.text(b).strip()  # ServiceButton.text() is its title label's
    ]
    return shown


def unreadable(window: QWidget) -> list[str]:
    """Texts below 4.5:1 against the background drawn behind them, or not drawn in their style sheet colour."""
    pixels = _pixels(window)
    bad = []
    for widget in _texts(window):
        crop = _crop(pixels, _rect(window, widget, inner=True))
        if crop.size == 0:
            bad.append(f"{widget.objectName()} {_text(widget)!r}: no room to draw")
            continue
        paper = _paper(crop)
        if isinstance(widget, QAbstractButton):
            # A button's colour depends on its state (checked, pressed), which its palette does not say: take the
            # drawn colour farthest from the background (the inside of the strokes; their edges are blends).
            colours, counts = np.unique(crop.reshape(-1, 3), axis=0, return_counts=True)
            colours = colours[counts >= 3]
            ink = colours[np.linalg.norm(colours - paper, axis=1).argmax()]
        else:
            ink = _ink(widget)
        drawn = int(np.abs(crop - ink).sum(axis=2).min())  # some glyph pixel is the style sheet's colour itself
        ratio = contrast(ink, paper)
        if ratio < 4.5 or drawn > 40:
            bad.append(f"{widget.objectName()} {_text(widget)!r}: {ratio:.2f}:1 (ink {ink} on {paper}, off by {drawn})")
    return bad


def _text(widget: QWidget) -> str:
    return QPushButton.text(widget) if isinstance(widget, QAbstractButton) else widget.text()  # type: ignore[attr-defined]


def cut_marks(window: QWidget) -> list[str]:
    """Labels with ink on their first or last row: a glyph goes on beyond the label and is cut off there."""
    pixels = _pixels(window)
    bad = []
    for label in _texts(window):
        if not isinstance(label, QLabel) or label.objectName() in NUMBERS:
            continue
        whole, inner = _rect(window, label), _rect(window, label, inner=True)
        crop = _crop(pixels, whole)
        paper, ink = _paper(crop), _ink(label)
        columns = slice(max(0, inner.left() - whole.left()), inner.right() - whole.left() + 1)
        reach = np.linalg.norm(ink - paper)
        for row, where in ((0, "top"), (crop.shape[0] - 1, "bottom")):
            line = crop[row, columns]
            inked = (np.linalg.norm(line - paper, axis=1) > reach / 2) & (
                np.linalg.norm(line - ink, axis=1) < np.linalg.norm(line - paper, axis=1)
            )
            if inked.any():
                bad.append(f"{label.objectName()} {label.text()!r}: ink on its {where} row")
    return bad


def overflowing(window: QWidget) -> list[str]:
    """Texts that need more room than they got, or that stick out of their parent or the window."""
    bad = []
    frame = window.rect()
    for widget in _texts(window):
        name = f"{widget.objectName()} {_text(widget)!r}"
        r = _rect(window, widget)
        if not frame.contains(r):
            bad.append(f"{name}: outside the window ({r} in {frame})")
        parent = widget.parentWidget()
        if parent is not None and not parent.rect().contains(widget.geometry()):
            bad.append(f"{name}: sticks out of its {parent.objectName() or type(parent).__name__}")
        if isinstance(widget, QLabel) and widget.objectName() == "tileNumber":
            continue
        hint = widget.sizeHint()
        need = widget.heightForWidth(widget.width()) if widget.hasHeightForWidth() else hint.height()
        if need > widget.height() + 1:
            bad.append(f"{name}: {widget.height()} px high, needs {need}")
        wraps = isinstance(widget, QLabel) and widget.wordWrap()
        if not wraps and not widget.hasHeightForWidth() and hint.width() > widget.width() + 1:
            bad.append(f"{name}: {widget.width()} px wide, needs {hint.width()}")
    return bad


def _glyph_height(window: QWidget, label: QWidget) -> int:
    """How tall the ink of a label is, in pixels of the screen."""
    crop = _crop(_pixels(window), _rect(window, label))
    paper, ink = _paper(crop), _ink(label)
    rows = np.where((np.linalg.norm(crop - paper, axis=2) > np.linalg.norm(ink - paper) / 2).any(axis=1))[0]
    return int(rows.max() - rows.min() + 1) if rows.size else 0


def _busy_centre(q: QueueService) -> None:
    for service in ("HT", "HT", "HT", "DD", "DD", "KH"):
        q.issue_ticket(service)
    served = q.call_next(1)
    assert served is not None
    q.start(1, served.id)
    q.call_next(2)


# -- the display board -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", TV_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_fits_the_tv_with_a_big_number_readable_text_and_whole_marks(
    qtbot, ui_font, real_queue, size: tuple[int, int]
) -> None:
    width, height = size
    _busy_centre(real_queue)
    w = _open_display(qtbot, real_queue, size)
    try:
        qtbot.waitUntil(lambda: w.tiles[2].number.text() == "B001", timeout=5000)
        _settle()
        tag = f"{width}x{height}"
        _save(w, f"display-{tag}-calls")
        assert w.size().width() == width and w.size().height() == height
        assert overflowing(w) == []
        assert unreadable(w) == []
        assert cut_marks(w) == []  # the centre's name: "… XÃ BẢO THẮNG"
        # Read from the back of the room: the called number's digits are at least an eighth of the screen tall.
        assert _glyph_height(w, w.tiles[2].number) >= height / 8

        # A call flashes its tile and the banner: still readable in the other colours.
        _freeze_display(w)
        for tile in w.tiles.values():
            tile.set_flash(True)
        w._banner_flash = False
        w._banner_until = float("inf")
        w.banner.setProperty("flash", True)
        w.banner.style().unpolish(w.banner)
        w.banner.style().polish(w.banner)
        w.offline.show()  # the centre is unreachable: the warning takes its room as well
        _settle()
        _save(w, f"display-{tag}-flash-offline")
        assert unreadable(w) == []
        assert overflowing(w) == []
        assert _glyph_height(w, w.tiles[2].number) >= height / 8
        for tile in w.tiles.values():
            tile.set_flash(False)

        # Tone marks: every label at its real size, with the worst Vietnamese there is.
        for sample in MARKED:
            for label in w.findChildren(QLabel):
                if label.objectName() not in NUMBERS:
                    label.setText(sample)
            _settle()
            assert cut_marks(w) == [], sample
            assert overflowing(w) == [], sample
        _save(w, f"display-{tag}-marks")
    finally:
        _close_display(w)


@pytest.mark.parametrize("size", TV_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_after_a_no_show_and_a_pause_still_fits_and_reads(qtbot, ui_font, real_queue, size) -> None:
    _busy_centre(real_queue)
    w = _open_display(qtbot, real_queue, size)
    try:
        absent = real_queue.call_next(3)
        assert absent is not None
        qtbot.waitUntil(lambda: w.tiles[3].number.text() == absent.display, timeout=5000)
        real_queue.no_show(3, absent.id)
        qtbot.waitUntil(lambda: w.tiles[3].number.text() == "—", timeout=5000)
        _settle()
        _save(w, f"display-{size[0]}x{size[1]}-no-show")
        assert unreadable(w) == [] and overflowing(w) == []
        real_queue.pause(2)
        qtbot.waitUntil(lambda: w.tiles[2].state.text() == "Tạm dừng", timeout=5000)
        _settle()
        _save(w, f"display-{size[0]}x{size[1]}-paused")
        assert unreadable(w) == [] and overflowing(w) == []
    finally:
        _close_display(w)


def test_four_counters_share_a_768_tv_with_numbers_an_eighth_of_it(qtbot, ui_font, tmp_path, clock) -> None:
    import tomllib

    from motcua.domain.queue_config import parse_queue_config

    doc = tomllib.loads((REPO / "kiosk_config" / "queue.toml").read_text(encoding="utf-8"))
    doc["counters"].append({"number": 4, "name": "Quầy 4", "services": ["HT", "DD", "KH"]})
    store = open_queue_store(tmp_path / "four.sqlite")
    q = QueueService(store, parse_queue_config(doc), clock=clock)  # type: ignore[arg-type]
    for service in ("HT", "DD", "KH", "HT"):
        q.issue_ticket(service)
    for counter in (1, 2, 3, 4):
        q.call_next(counter)
    w = DisplayWindow(q, FakeAnnouncer(), poll_ms=100)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    try:
        qtbot.waitUntil(lambda: len(w.tiles) == 4 and w.tiles[4].number.text() != "—", timeout=5000)
        _settle()
        _save(w, "display-1366x768-four-counters")
        assert overflowing(w) == []
        assert min(_glyph_height(w, t.number) for t in w.tiles.values()) >= 768 / 8
    finally:
        _close_display(w)
        store.close()


# -- the kiosk -------------------------------------------------------------------------------------------------
def _worst_start_page(w: KioskWindow) -> None:
    """Everything the start page can show at once: the priority groups, the hint, offline and no-printer notes."""
    page = w.start_page
    page.priority.setChecked(True)
    page.hint.show()
    page.set_offline(True)
    _settle()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_kiosk_fits_1366x768_with_big_buttons_and_whole_text(qtbot, ui_font, real_queue, lang: str) -> None:
    real_queue.issue_ticket("HT")
    w = _open_kiosk(qtbot, real_queue, (1366, 768))
    try:
        if lang == "en":
            w.start_page.lang_button.click()
            qtbot.waitUntil(lambda: len(w.start_page.buttons) == 3, timeout=5000)
        _settle()
        _save(w, f"kiosk-1366x768-{lang}-home")
        _worst_start_page(w)
        _save(w, f"kiosk-1366x768-{lang}-home-priority")
        assert w.width() == 1366 and w.height() == 768
        assert overflowing(w) == []
        assert unreadable(w) == []
        assert cut_marks(w) == []
        # A finger, not a mouse: every button at least 48 px tall and 120 px wide (about 1 cm x 2.5 cm on a 15.6"
        # screen); a service is a whole panel.
        page = w.start_page
        touch = [page.lang_button, page.priority, *page.group_buttons.values(), *page.buttons.values()]
        assert all(b.height() >= 48 and b.width() >= 120 for b in touch), [(b.text(), b.size()) for b in touch]
        assert all(b.height() >= 110 and b.width() >= 300 for b in page.buttons.values())

        page.priority.setChecked(False)
        page.set_offline(False)
        page.buttons["HT"].click()
        qtbot.waitUntil(lambda: w.current_page() is w.result_page, timeout=5000)
        w.result_page.stop_countdown()
        _settle()
        _save(w, f"kiosk-1366x768-{lang}-result")
        assert overflowing(w) == [] and unreadable(w) == [] and cut_marks(w) == []
        done = w.result_page.findChild(QPushButton, "doneButton")
        assert done.height() >= 48 and done.width() >= 120
    finally:
        _close_kiosk(w)


def test_kiosk_labels_keep_their_tone_marks(qtbot, ui_font, real_queue) -> None:
    w = _open_kiosk(qtbot, real_queue, (1366, 768))
    try:
        _close_kiosk(w)  # no refresh may put the real texts back while the test writes its own
        _worst_start_page(w)
        for page in (w.start_page, w.result_page, w.error_page, w.busy_page):
            w.stack.setCurrentWidget(page)
            for sample in MARKED:
                for label in [page, *page.findChildren(QLabel)]:
                    if isinstance(label, QLabel) and label.objectName() not in NUMBERS:
                        label.setText(sample)
                _settle()
                assert cut_marks(w) == [], (page.objectName(), sample)
        _save(w, "kiosk-1366x768-marks")
    finally:
        _close_kiosk(w)
