"""An ID-card QR typed by a USB keyboard-wedge scanner into whatever field of a window has the focus.

The scanner is a keyboard: it types into the focused widget, which at a busy counter is rarely the card field.
The catcher watches every text field of one window and recognises a CCCD payload (``12 digits|…|ddmmyyyy``,
perhaps sent twice, perhaps two cards in one burst: the last one wins), hands the card over and takes the
payload out of the field it landed in, leaving what the clerk had typed there. Fields are read as whole text
after each change, not as keys, because Vietnamese IMEs rewrite keystrokes on their way in. Widgets that do not
take free text (buttons, tables, spin boxes) are followed key by key, and once a payload has started its keys
are swallowed, so that the spaces in a name do not press the focused button.

The burst ends with the scanner's Enter (swallowed, so it does not also submit the field) or, for scanners set
up without a suffix, after ``QUIET_MS`` without a keystroke; only then is the card handed over, so that whoever
receives it may move the focus without the rest of the burst landing in another field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from motcua.domain.cccd import CccdData, parse_cccd
from motcua.domain.errors import ValidationError

_START = re.compile(r"\d{12}\|")
_COMPLETE = re.compile(r"\|\d{8}\|*\s*$")  # a payload's last field is the issue date; newer cards add empty ones
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def payload_span(text: str) -> int | None:
    """Where a card payload starts in ``text`` (the first one of a burst), or None."""
    m = _START.search(text)
    return m.start() if m else None


class WedgeCatcher(QObject):
    """Watch ``window`` for card payloads.

    Args:
        window: the top-level window whose fields are watched (dialogs over it are left alone).
        on_card: called on the GUI thread with the card once its burst has ended (the last card of the burst).
        on_error: called with the message when a burst that looked like a card could not be read.
        skip: fields that read cards themselves (the applicant's card field).
    """

    QUIET_MS = 300

    def __init__(
        self,
        window: QWidget,
        on_card: Callable[[CccdData], None],
        on_error: Callable[[str], None],
        skip: tuple[QWidget, ...] = (),
    ) -> None:
        super().__init__(window)
        self._window = window
        self._on_card = on_card
        self._on_error = on_error
        self._skip = skip
        self._prefix: dict[int, str] = {}  # per field: what the clerk had typed before the payload
        self._timers: dict[int, QTimer] = {}
        self._watched: set[int] = set()
        self._keys = ""  # typed into widgets that take no free text
        self._spin_before: tuple[QAbstractSpinBox, str] | None = None
        self._keys_timer = QTimer(self)
        self._keys_timer.setSingleShot(True)
        self._keys_timer.timeout.connect(lambda: self._finish_keys(enter=False))
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.destroyed.connect(lambda *_: app.removeEventFilter(self))

    # -- routing -----------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt's name
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.FocusIn) or not isinstance(obj, QWidget):
            return False
        try:
            if obj.window() is not self._window or any(obj is s or s.isAncestorOf(obj) for s in self._skip):
                return False
        except RuntimeError:  # the window is being destroyed
            return False
        if isinstance(obj, QLineEdit) and not isinstance(obj.parent(), QAbstractSpinBox):
            self._watch(obj)
            if kind == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                if event.key() in _ENTER and payload_span(obj.text()) is not None:
                    self._finish_field(obj, enter=True)
                    return True  # the scanner's Enter must not also submit the field (search, return, …)
            return False
        if isinstance(obj, (QTextEdit, QPlainTextEdit)) or isinstance(obj.parent(), QAbstractSpinBox):
            return False  # rich text editors: none in the counter; a spin box's editor gets its box's keys first
        # A key the focused widget ignores travels up to its parents, passing this filter again: count it once.
        if kind == QEvent.Type.KeyPress and obj is (QApplication.focusWidget() or self._window):
            assert isinstance(event, QKeyEvent)
            return self._key(obj, event)
        return False

    # -- text fields -------------------------------------------------------------------------------------
    def _watch(self, edit: QLineEdit) -> None:
        key = id(edit)
        if key in self._watched:
            return
        self._watched.add(key)
        edit.textChanged.connect(lambda _t, e=edit: self._changed(e))
        edit.destroyed.connect(lambda *_: self._forget(key))

    def _forget(self, key: int) -> None:
        self._watched.discard(key)
        self._prefix.pop(key, None)
        self._timers.pop(key, None)

    def _changed(self, edit: QLineEdit) -> None:
        text = edit.text()
        start = payload_span(text)
        key = id(edit)
        if start is None:
            self._prefix.pop(key, None)
            return
        if key not in self._prefix:
            self._prefix[key] = text[:start]
        timer = self._timers.get(key)
        if timer is None:
            timer = QTimer(edit)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda e=edit: self._finish_field(e, enter=False))
            self._timers[key] = timer
        timer.start(self.QUIET_MS)

    def _finish_field(self, edit: QLineEdit, enter: bool) -> None:
        """The burst is over (Enter, or a pause): hand the card over and give the field back its own text."""
        key = id(edit)
        if key in self._timers:
            self._timers[key].stop()
        text = edit.text()
        start = payload_span(text)
        if start is None or not (enter or _COMPLETE.search(text)):
            return  # a pause in the middle of a burst: the Enter or the last field will come
        prefix = self._prefix.pop(key, text[:start])
        edit.setText(prefix)
        self._hand_over(text[start:])

    def _hand_over(self, payload: str) -> None:
        try:
            card = parse_cccd(payload)  # the last complete payload of the burst wins
        except ValidationError as exc:
            self._on_error(str(exc))
            return
        self._on_card(card)

    # -- everything else ---------------------------------------------------------------------------------
    def _key(self, obj: QWidget, event: QKeyEvent) -> bool:
        inside = payload_span(self._keys) is not None
        if event.key() in _ENTER:
            if inside:
                self._finish_keys(enter=True)
                return True
            self._keys = ""
            return False
        if event.key() == Qt.Key.Key_Backspace:
            self._keys = self._keys[:-1]
            return inside
        text = event.text()
        if not text or not text.isprintable():
            return False
        if isinstance(obj, QAbstractSpinBox) and text.isdigit() and not self._keys[-1:].isdigit():
            self._spin_before = (obj, obj.text())  # a run of digits may turn out to be a card number
        self._keys = (self._keys + text)[-2000:]
        start = payload_span(self._keys)
        if start is None:
            return False
        if not inside:
            self._keys = self._keys[start:]
            if self._spin_before is not None and self._spin_before[0] is obj:
                # The card number's digits went into a spin box before they could be told apart: undo them.
                editor = obj.findChild(QLineEdit)
                if editor is not None:
                    editor.setText(self._spin_before[1])
                    obj.interpretText()
        self._keys_timer.start(self.QUIET_MS)
        return True  # inside a payload: the key is the scanner's, not a command to the focused widget

    def _finish_keys(self, enter: bool) -> None:
        self._keys_timer.stop()
        keys, self._keys, self._spin_before = self._keys, "", None
        # A burst that stopped half-way is dropped: the clerk's own keys must not stay swallowed.
        if payload_span(keys) is not None and (enter or _COMPLETE.search(keys)):
            self._hand_over(keys)
