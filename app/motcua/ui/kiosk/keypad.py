"""An on-screen keypad for ticket numbers: the letters of the centre's prefixes and the ten digits.

Kiosks are touch PCs without a keyboard, and a system on-screen keyboard would offer a whole alphabet (and an input
method) for a number like "A012"; this one offers only what a ticket number can hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from motcua.i18n import tr

LETTER_COLUMNS = 6  # a row of letters as wide as the digits below; more prefixes take another row


def prefix_letters(prefixes: Iterable[str]) -> tuple[str, ...]:
    """The letters the services' prefixes are made of, each once, in alphabetical order ("A", "HT" → A, H, T)."""
    return tuple(sorted({ch for p in prefixes for ch in p.upper() if ch.isalpha()}))


def _key(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    # The page keeps the focus, so a keyboard or a barcode reader typing into it still works after a touch.
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setAutoRepeat(False)
    return b


class Keypad(QWidget):
    """Letter keys (one row per six), then 1–9, then erase, 0 and clear.

    Signals:
        pressed(str): a letter or a digit.
        erase(): the last character off.
        clear(): everything off.
    """

    pressed = Signal(str)
    erase = Signal()
    clear = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.keys: dict[str, QPushButton] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(12)
        self.letters = QGridLayout()
        self.letters.setSpacing(10)
        lay.addLayout(self.letters, 1)
        digits = QGridLayout()
        digits.setSpacing(10)
        for i, d in enumerate("123456789"):
            digits.addWidget(self._char_key(d, "digitKey"), i // 3, i % 3)
        self.erase_key = _key(tr("Xóa", lang=lang), "eraseKey")
        self.erase_key.clicked.connect(self.erase)
        self.clear_key = _key(tr("Xóa hết", lang=lang), "eraseKey")
        self.clear_key.clicked.connect(self.clear)
        digits.addWidget(self.erase_key, 3, 0)
        digits.addWidget(self._char_key("0", "digitKey"), 3, 1)
        digits.addWidget(self.clear_key, 3, 2)
        lay.addLayout(digits, 4)

    def _char_key(self, ch: str, name: str) -> QPushButton:
        b = _key(ch, name)
        b.clicked.connect(lambda _=False, c=ch: self.pressed.emit(c))
        self.keys[ch] = b
        return b

    def set_letters(self, letters: Iterable[str]) -> None:
        """Offer these letters (the centre's prefixes); the digits stay."""
        wanted = tuple(letters)
        if wanted == tuple(k for k in self.keys if k.isalpha()):
            return
        for ch in [k for k in self.keys if k.isalpha()]:
            b = self.keys.pop(ch)
            self.letters.removeWidget(b)
            b.deleteLater()
        columns = min(LETTER_COLUMNS, max(3, len(wanted)))
        for i, ch in enumerate(wanted):
            self.letters.addWidget(self._char_key(ch, "letterKey"), i // columns, i % columns)
        for c in range(LETTER_COLUMNS):
            self.letters.setColumnStretch(c, 1 if c < columns else 0)
