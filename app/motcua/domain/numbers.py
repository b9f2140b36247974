"""ID numbers, phones and codes as they are stored and compared: ASCII digits, whatever keyboard typed them.

A clerk's Vietnamese IME, a Chinese or Japanese input method left on full width (０９１２…), a scanner set to an
Arabic keyboard layout (٠٩١٢…), a number copied from a PDF with thin spaces: each gives other characters for the
same number. Stored that way, the dossier is found by nobody who types plain digits, and a national system
refuses the record. Every such field goes through here, so that one number has one form.
"""

from __future__ import annotations

import unicodedata

from motcua.domain.errors import ValidationError

# What people put between groups of digits: spaces of every width, dots, hyphens and dashes (full width too).
SEPARATORS = frozenset(
    " \t.-\u00a0\u2007\u2009\u202f\u3000\u2010\u2011\u2012\u2013\u2014\u2212\ufe58\ufe63\uff0d\uff0e\u30fb\u00b7"
)
_FULLWIDTH = range(0xFF01, 0xFF5F)  # full-width ASCII: ＋ Ｈ ／ …


def ascii_char(ch: str) -> str:
    """One character as ASCII where it is a digit (any script) or a full-width ASCII character; else itself."""
    if ch.isdecimal() and not ch.isascii():
        return str(unicodedata.digit(ch))
    if ord(ch) in _FULLWIDTH:
        return unicodedata.normalize("NFKC", ch)
    return ch


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit as its ASCII digit (and full-width ASCII as ASCII); nothing else
    changes, so it is safe on a name, an address or a search query."""
    if text.isascii():
        return text
    return "".join(ascii_char(ch) for ch in text)


def number(text: str, keep: str = "", drop: str = "") -> str | None:
    """The ASCII digits of a number typed any way, or None when it holds anything else.

    Args:
        keep: characters that belong to the number and stay (``-`` in a tax code's branch suffix).
        drop: characters this field also allows between digits (``()`` around a phone's area code).
    """
    out: list[str] = []
    for ch in ascii_digits(text).strip():
        if "0" <= ch <= "9" or ch in keep:
            out.append(ch)
        elif ch in SEPARATORS or ch in drop:
            continue
        else:
            return None
    return "".join(out)


def require_number(text: str, field: str, message: str, keep: str = "", drop: str = "") -> str:
    """:func:`number`, refusing anything else with ``message`` (already translated) on ``field``."""
    n = number(text, keep, drop)
    if n is None:
        raise ValidationError(message, field)
    return n
