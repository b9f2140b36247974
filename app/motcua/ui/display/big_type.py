"""Type for screens read from afar (the waiting-room TV, the kiosk): sizes that follow the screen, and room above
Vietnamese capitals for their stacked tone marks.

Qt sizes a label from the font's ascent and descent, but "Ẳ", "Ễ" or "Ỗ" rise well above the ascent (about a fifth
of an em in Be Vietnam Pro and DejaVu Sans), so a label laid out at its size hint cuts the marks off: "XÃ BẢO
THẮNG" loses its tone marks on a TV. Style sheets made with :func:`scaled_style` give those labels enough padding
on top, measured on the font in use.
"""

from __future__ import annotations

import math
import re
from functools import cache

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication

REFERENCE_SIZE = (1366, 768)  # the smallest TV or kiosk screen the styles are drawn for (in px at scale 1)
MIN_SCALE = 0.2  # a board or kiosk sharing a small screen with the counter (`--mode all`)
# Capitals with a mark stacked on their circumflex or breve, and the letters with a dot below.
STACKED_MARKS = "ẲẮẰẴẶẨẤẦẪẬỂẾỀỄỆỔỐỒỖỘỞỚỜỠỢỬỨỪỮỰỶỸỴẢÃẺẼỈĨỎÕỦŨợỵ"

_PX = re.compile(r"(?<![\w.#-])(\d+(?:\.\d+)?)px")
_ROOM = re.compile(r"room\(\s*(\d+(?:\.\d+)?)\s*(?:,\s*(\d+(?:\.\d+)?)\s*)?\)")


def screen_scale(width: int, height: int) -> float:
    """How much bigger than the reference screen a window is (portrait screens are measured turned sideways)."""
    long_side, short_side = max(width, height), min(width, height)
    ref_long, ref_short = REFERENCE_SIZE
    return max(MIN_SCALE, min(long_side / ref_long, short_side / ref_short))


@cache
def _mark_room(family: str) -> float:
    worst = 0.0
    for weight in (QFont.Weight.Normal, QFont.Weight.Bold):
        font = QFont(family)
        font.setPixelSize(200)
        font.setWeight(weight)
        fm = QFontMetricsF(font)
        ink = fm.tightBoundingRect(STACKED_MARKS)
        worst = max(worst, (-ink.top() - fm.ascent()) / 200, (ink.bottom() - fm.descent()) / 200)
    return max(0.0, worst) + 0.03  # anti-aliasing and hinting round up by a pixel or so


def mark_room(font: QFont | None = None) -> float:
    """How far, in ems, the marks of Vietnamese capitals rise above ``font``'s ascent (the app's font by default)."""
    family = (font or QApplication.font()).family()
    return _mark_room(family)


def scaled_style(template: str, scale: float, room: float | None = None) -> str:
    """The style sheet ``template``, drawn for :data:`REFERENCE_SIZE`, at ``scale``.

    Every ``Npx`` becomes ``round(N * scale)px``; ``room(F)`` becomes the padding a font of ``F`` px needs above
    the ascent for stacked tone marks, and ``room(F, P)`` at least ``P`` px.
    """
    headroom = mark_room() if room is None else room

    def pad(m: re.Match[str]) -> str:
        font_px = float(m.group(1)) * scale
        least = float(m.group(2) or 0) * scale
        return f"{max(math.ceil(font_px * headroom), round(least))}px"

    def px(m: re.Match[str]) -> str:
        return f"{max(1, round(float(m.group(1)) * scale))}px"

    return _ROOM.sub(pad, _PX.sub(px, template))  # px first: room() gives px already scaled
