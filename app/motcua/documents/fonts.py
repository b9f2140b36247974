"""Fonts for printed documents.

The forms use one Times-like serif family registered with reportlab under the names :data:`SERIF`,
:data:`SERIF_BOLD`, :data:`SERIF_ITALIC` and :data:`SERIF_BOLD_ITALIC` (a font family, so ``<b>`` and ``<i>``
work inside paragraphs). reportlab always embeds TrueType fonts as subsets with a ToUnicode map, which is what
lets ``pdftotext`` give the Vietnamese text back exactly.

A face is used only if it has every precomposed Vietnamese letter: a font without them makes reportlab drop
the letters silently. The shipped Liberation Serif comes first; should it lack Vietnamese (version 1.x does),
the search goes on through Times New Roman on Windows, Liberation Serif 2 and DejaVu Serif on Linux, and ends
at the shipped DejaVu Sans, which always has them.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from motcua.paths import resource_path

log = logging.getLogger(__name__)

SERIF = "Serif"
SERIF_BOLD = "Serif-Bold"
SERIF_ITALIC = "Serif-Italic"
SERIF_BOLD_ITALIC = "Serif-BoldItalic"
SANS = "Sans"
SANS_BOLD = "Sans-Bold"

# Every precomposed letter of the Vietnamese alphabet with its tone marks, upper and lower case.
VIETNAMESE_LETTERS = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"
    "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
)


@dataclass(frozen=True, slots=True)
class FontFamily:
    """Four faces of one family, as files."""

    label: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    @property
    def files(self) -> tuple[Path, Path, Path, Path]:
        return (self.regular, self.bold, self.italic, self.bold_italic)


def _family(label: str, folder: Path, regular: str, bold: str, italic: str, bold_italic: str) -> FontFamily:
    return FontFamily(label, folder / regular, folder / bold, folder / italic, folder / bold_italic)


def _serif_candidates() -> list[FontFamily]:
    shipped = resource_path("fonts")
    windows_fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    truetype = Path("/usr/share/fonts/truetype")
    liberation = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf")
    liberation_italics = ("LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf")
    return [
        _family("Liberation Serif (shipped)", shipped, *liberation, *liberation_italics),
        _family("Times New Roman", windows_fonts, "times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
        _family("Liberation Serif 2", truetype / "liberation2", *liberation, *liberation_italics),
        _family(
            "DejaVu Serif",
            truetype / "dejavu",
            "DejaVuSerif.ttf",
            "DejaVuSerif-Bold.ttf",
            "DejaVuSerif-Italic.ttf",
            "DejaVuSerif-BoldItalic.ttf",
        ),
        # The last resort ships with the app and always covers Vietnamese; it has no italic faces.
        _family(
            "DejaVu Sans (shipped)",
            shipped,
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
        ),
    ]


@cache
def covers_vietnamese(path: Path) -> bool:
    """Whether the TrueType file at ``path`` has a glyph for every Vietnamese letter."""
    try:
        mapping = TTFontFile(str(path)).charToGlyph
    except Exception:  # reportlab raises its own TTFError and plain OSErrors for unreadable files
        return False
    return all(ord(ch) in mapping for ch in VIETNAMESE_LETTERS)


@cache
def serif_family() -> FontFamily:
    """The first serif family whose four faces exist and cover Vietnamese."""
    candidates = _serif_candidates()
    for family in candidates:
        if all(p.is_file() and covers_vietnamese(p) for p in family.files):
            if family is not candidates[0]:
                log.warning(
                    "Font %s lacks Vietnamese letters; printing forms with %s", candidates[0].regular, family.label
                )
            return family
    raise RuntimeError(f"no font with Vietnamese letters found (looked for {candidates[-1].regular})")


def sans_path(bold: bool = False) -> Path:
    """The shipped DejaVu Sans face (used for the thermal receipt, where a sans face prints more cleanly)."""
    return resource_path("fonts", "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the serif family and the sans faces with reportlab; safe to call any number of times."""
    global _registered
    with _lock:
        if _registered:
            return
        family = serif_family()
        faces = {
            SERIF: family.regular,
            SERIF_BOLD: family.bold,
            SERIF_ITALIC: family.italic,
            SERIF_BOLD_ITALIC: family.bold_italic,
            SANS: sans_path(),
            SANS_BOLD: sans_path(bold=True),
        }
        for name, path in faces.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # The family mapping is what makes <b>/<i> inside a Paragraph pick the right face.
        pdfmetrics.registerFontFamily(
            SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD_ITALIC
        )
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered = True
