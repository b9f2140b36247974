"""Turning decoded bytes into text, and deciding whether a read is believable."""

from __future__ import annotations

import re
import unicodedata

# Encodings ZBar may wrongly guess for a UTF-8 QR payload without ECI. Re-encoding the mojibake with the
# guessed codec gives back the original UTF-8 bytes.
_MISGUESSED = ("shift_jis", "cp932", "latin-1", "cp1252", "big5", "gbk")

# Characters that never appear in Vietnamese text but do appear when UTF-8 was decoded as Shift-JIS
# (half-width katakana, CJK) or as Latin-1 (Ã, Â, Ä, Æ followed by a continuation-byte character).
_MOJIBAKE = re.compile(
    r"[\uff61-\uff9f\u3000-\u9fff\ue000-\uf8ff]"
    r"|[ÃÂÄÅÆÌÍáâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def qr_text(data: bytes, binary: bool) -> str:
    """The text of a QR payload; ``binary`` says the bytes are raw (not re-encoded by ZBar)."""
    if binary:
        return _nfc(_decode_raw(data))
    # ZBar converted the payload to UTF-8 from the charset it guessed; undo a wrong guess.
    text = data.decode("utf-8", errors="replace")
    return _nfc(repair_mojibake(text))


def linear_text(data: bytes) -> str:
    """Linear symbologies carry ASCII (Code 39/128) or digits; Latin-1 maps every byte losslessly."""
    return _nfc(data.decode("latin-1"))


def repair_mojibake(text: str) -> str:
    """Reverse a UTF-8 → Shift-JIS/Latin-1 mis-decoding, if the text looks like one."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in _MISGUESSED:
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if not _MOJIBAKE.search(fixed):
            return fixed
    return text


def is_plausible(text: str) -> bool:
    """Reject empty reads and reads with control characters (a sign of a garbled decode)."""
    return bool(text.strip()) and not _CONTROL.search(text)


def _decode_raw(data: bytes) -> str:
    # QR byte mode defaults to ISO-8859-1, but every producer we meet writes UTF-8 (chip-ID cards, the
    # dossier labels we print), so UTF-8 comes first.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
