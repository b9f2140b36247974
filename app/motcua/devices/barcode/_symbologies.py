"""Code 128 and Code 39 as data: character patterns, and turning decoded values into text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

# Bar/space widths in modules of Code 128 values 0-105 and the stop (106), ISO/IEC 15417.
C128_WIDTHS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)  # fmt: skip
C128_START = (103, 104, 105)  # start A, B, C
C128_STOP = 106

# Code 39: narrow/wide for bar, space, bar, … (9 elements), ISO/IEC 16388.
C39_PATTERNS = {
    "0": "nnnwwnwnn", "1": "wnnwnnnnw", "2": "nnwwnnnnw", "3": "wnwwnnnnn", "4": "nnnwwnnnw",
    "5": "wnnwwnnnn", "6": "nnwwwnnnn", "7": "nnnwnnwnw", "8": "wnnwnnwnn", "9": "nnwwnnwnn",
    "A": "wnnnnwnnw", "B": "nnwnnwnnw", "C": "wnwnnwnnn", "D": "nnnnwwnnw", "E": "wnnnwwnnn",
    "F": "nnwnwwnnn", "G": "nnnnnwwnw", "H": "wnnnnwwnn", "I": "nnwnnwwnn", "J": "nnnnwwwnn",
    "K": "wnnnnnnww", "L": "nnwnnnnww", "M": "wnwnnnnwn", "N": "nnnnwnnww", "O": "wnnnwnnwn",
    "P": "nnwnwnnwn", "Q": "nnnnnnwww", "R": "wnnnnnwwn", "S": "nnwnnnwwn", "T": "nnnnwnwwn",
    "U": "wwnnnnnnw", "V": "nwwnnnnnw", "W": "wwwnnnnnn", "X": "nwnnwnnnw", "Y": "wwnnwnnnn",
    "Z": "nwwnwnnnn", "-": "nwnnnnwnw", ".": "wwnnnnwnn", " ": "nwwnnnwnn", "$": "nwnwnwnnn",
    "/": "nwnwnnnwn", "+": "nwnnnwnwn", "%": "nnnwnwnwn", "*": "nwnnwnwnn",
}  # fmt: skip
C39_CHARS = tuple(C39_PATTERNS)
C39_WIDE_RATIOS = (2.0, 2.25, 2.5, 2.75, 3.0)  # printers use 2:1 to 3:1 wide/narrow


@dataclass(frozen=True, slots=True)
class Symbology:
    """A symbology's characters as bar spans, in modules, ready to be drawn."""

    name: str
    starts: np.ndarray  # (P, B) bar starts in modules from the character start
    ends: np.ndarray  # (P, B) bar ends
    width: np.ndarray  # (P,) character advance in modules (Code 39 includes the gap)
    first: tuple[int, ...]  # values allowed as the first character
    last: int  # the value of the last character
    needs_margin: bool  # no check character: demand a clear winner for every character

    @property
    def elements_per_char(self) -> int:
        return 6 if self.name == "CODE128" else 10  # Code 39: 9 elements and the gap

    @property
    def stop_ink(self) -> float:
        """Modules from the stop character's start to its last bar's end (where the code ends)."""
        return float(self.ends[self.last].max())


@cache
def symbologies() -> tuple[Symbology, ...]:
    """Code 128, then Code 39 at each wide/narrow ratio a printer may use."""
    c128 = _build("CODE128", [[int(ch) for ch in w] for w in C128_WIDTHS], 0.0, C128_START, C128_STOP, False)
    star = C39_CHARS.index("*")
    c39 = tuple(
        _build(
            "CODE39",
            [[wide if ch == "w" else 1.0 for ch in C39_PATTERNS[k]] for k in C39_CHARS],
            1.0,
            (star,),
            star,
            True,
        )
        for wide in C39_WIDE_RATIOS
    )
    return (c128, *c39)


def _build(
    name: str, widths: list[list[float]], gap: float, first: tuple[int, ...], last: int, needs_margin: bool
) -> Symbology:
    bars = max((len(w) + 1) // 2 for w in widths)
    starts = np.zeros((len(widths), bars))
    ends = np.zeros((len(widths), bars))
    total = np.zeros(len(widths))
    for index, elements in enumerate(widths):
        edges = np.concatenate([[0.0], np.cumsum(elements)])
        for bar in range(0, len(elements), 2):
            starts[index, bar // 2] = edges[bar]
            ends[index, bar // 2] = edges[bar + 1]
        total[index] = edges[-1] + gap
    return Symbology(name, starts, ends, total, first, last, needs_margin)


def symbol_text(symbology: Symbology, values: tuple[int, ...]) -> str | None:
    """The text of a decoded character sequence (start and stop included), None if it is invalid."""
    if symbology.name == "CODE128":
        return _code128_text(values)
    inner = values[1:-1]
    return "".join(C39_CHARS[v] for v in inner) if inner else None


def _code128_text(values: tuple[int, ...]) -> str | None:
    """Check the mod-103 check character and translate values through code sets A/B/C."""
    if len(values) < 3 or values[-1] != C128_STOP or values[0] not in C128_START:
        return None
    data, check = values[1:-2], values[-2]
    if (values[0] + sum(i * v for i, v in enumerate(data, start=1))) % 103 != check:
        return None
    code_set = "ABC"[values[0] - 103]
    out: list[str] = []
    shift = False
    for value in data:
        current = ("B" if code_set == "A" else "A") if shift else code_set
        shift = False
        if current == "C":
            if value < 100:
                out.append(f"{value:02d}")
            elif value in (100, 101):
                code_set = "BA"[value - 100]
            continue
        if value < 96:
            out.append(chr(value + 32) if current == "B" or value < 64 else chr(value - 64))
        elif value == 98:
            shift = True
        elif value == 99:
            code_set = "C"
        elif (value, current) in ((100, "A"), (101, "B")):
            code_set = "B" if value == 100 else "A"
        elif value in (100, 101):
            return None  # FNC4 (extended ASCII) is not used on our labels
    return "".join(out)
