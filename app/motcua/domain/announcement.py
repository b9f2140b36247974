"""A call as the display board says it: "Mời công dân số A012 đến quầy số 3", from pre-made clips.

The clips live in ``resources/voice/`` (made by ``installer/make_voice_clips.py``): one for each fixed phrase,
each letter and each digit. Numbers are read digit by digit ("không một hai"), the way call centres read
ticket numbers, so that ten digit clips cover every number. The board plays the clips of one call after the
other and one call after another (a queue, never two at once); playing them is the UI's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.i18n import tr

INVITE = "moi_cong_dan_so"  # "Mời công dân số"
TO_COUNTER = "den_quay_so"  # "đến quầy số"
PHRASES = {INVITE: "Mời công dân số", TO_COUNTER: "đến quầy số"}
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = tuple("0123456789")


def clip_name(symbol: str) -> str:
    """The clip (file stem) that says one letter or digit: "letter_a", "digit_7"."""
    if symbol in DIGITS:
        return f"digit_{symbol}"
    if symbol.upper() in LETTERS:
        return f"letter_{symbol.lower()}"
    raise ValueError(f"no clip for {symbol!r}")


def all_clips() -> tuple[str, ...]:
    """Every clip the announcements may use (what the clip script makes)."""
    return (INVITE, TO_COUNTER, *(clip_name(x) for x in LETTERS), *(clip_name(d) for d in DIGITS))


@dataclass(frozen=True, slots=True)
class Announcement:
    """What to say for one call: the text (for the screen and for a screen reader) and the clips in order."""

    text: str
    clips: tuple[str, ...]


def announce_call(display: str, counter: int) -> Announcement:
    """The announcement for ticket ``display`` ("A012") called to counter ``counter``.

    Raises:
        ValueError: the number has a character without a clip.
    """
    clips = [INVITE, *(clip_name(ch) for ch in display), TO_COUNTER, *(clip_name(ch) for ch in str(counter))]
    text = tr("Mời công dân số {number} đến quầy số {counter}", number=display, counter=counter)
    return Announcement(text, tuple(clips))
