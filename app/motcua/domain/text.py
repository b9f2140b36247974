"""Vietnamese text: stored in NFC, compared and searched with diacritics folded."""

from __future__ import annotations

import re
import unicodedata

from motcua.domain.numbers import ascii_char

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Normalise to NFC and collapse runs of white space; the form every stored string takes."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d too) and punctuation: ``"Đặng Hồng Bảo" → "dang hong bao"``.

    Unicode decomposition does not split đ/Đ (they are letters of their own), hence the explicit mapping.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped.lower())).strip()


# Vietnamese writes the vowel of an open syllable after a consonant either way: "ký"/"kí", "lý"/"lí", "sỹ"/"sĩ",
# "quy"/"qui". Both spellings are correct, so search treats them as one. After a vowel ("tay", "huy") y is not
# interchangeable with i, and a lone "y" ("y tế") is never written "i".
_IY_ONSETS = frozenset(
    [
        "b",
        "c",
        "ch",
        "d",
        "g",
        "gh",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ]
)


def spelling_key(word: str) -> str:
    """One spelling of a folded word for comparison: ``"ky" → "ki"``, ``"quy" → "qui"``, others unchanged."""
    if len(word) >= 2 and word[-1] == "y" and word[:-1] in _IY_ONSETS:
        return word[:-1] + "i"
    return word


def search_words(text: str) -> list[str]:
    """The words search compares: folded (:func:`fold`), each in its :func:`spelling_key` form."""
    return [spelling_key(w) for w in fold(text).split()]


def digits(text: str) -> str:
    """The decimal digits of ``text``, in ASCII whatever script they were typed in (see :mod:`.numbers`)."""
    return "".join(ascii_char(ch) for ch in text if ch.isdecimal())


def phone_key(text: str) -> str:
    """A Vietnamese phone number in its national form ("+84 912…" and "0912…" both give "0912…")."""
    d = digits(text)
    if d.startswith("84") and len(d) in (11, 12):
        return "0" + d[2:]
    return d
