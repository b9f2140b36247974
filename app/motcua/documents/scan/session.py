"""A capture session: the pages of one dossier component while the clerk scans them.

Each page keeps its camera frame and outline, so a wrong outline can be fixed or the page turned after the
fact and the page is simply rectified again. Nothing here touches storage or Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from motcua.documents.scan.deskew import deskew
from motcua.documents.scan.detect import Corners
from motcua.documents.scan.framing import leaves_frame, locate_page
from motcua.documents.scan.modes import Mode, parse_mode, to_mode
from motcua.documents.scan.pages import MIN_DPI, full_frame, rectify, rotate_quarter
from motcua.documents.scan.pdf import build_pdf
from motcua.documents.scan.quality import Issue, quality_issues


@dataclass(frozen=True)
class ScannedPage:
    """One captured page.

    Attributes:
        frame: the source image (camera frame, scan or rendered PDF page), BGR.
        corners: the page outline in ``frame``, reading order (TL, TR, BR, BL).
        detected: whether the outline came from the detector (False: whole image, or set by hand).
        quarter_turns: extra rotation asked by the clerk, × 90° clockwise.
        page: paper format, "auto", "A4" or "A5".
        flat: whether ``frame`` is already a flat page (scanner, PDF): then no deskew guesswork is applied
            beyond the text's own tilt.
    """

    frame: np.ndarray = field(repr=False)
    corners: Corners
    detected: bool = True
    quarter_turns: int = 0
    page: str = "auto"
    flat: bool = False


def rectified(page: ScannedPage, dpi: int = MIN_DPI) -> np.ndarray:
    """The page upright at its paper size and ``dpi``, deskewed, in colour (before any output mode)."""
    image = rectify(page.frame, page.corners, page.page, dpi)
    image, _angle = deskew(image)
    return rotate_quarter(image, page.quarter_turns)


def page_from_image(image: np.ndarray, flat: bool = False, page: str = "auto") -> ScannedPage:
    """A page from a frame: the detected outline (also of a page partly outside the frame, which ``cut_off``
    then tells), or the whole image when none is found (a flatbed scan)."""
    found = None if flat else locate_page(image)
    if found is None:
        return ScannedPage(image, full_frame(image), detected=False, page=page, flat=True)
    return ScannedPage(image, found.corners, detected=True, page=page, flat=False)


def cut_off(page: ScannedPage) -> bool:
    """Whether the page's outline runs to or past the edge of its photo: part of the paper is not in it.

    A flat page (scanner, PDF) fills its image by nature and is never cut off."""
    return not page.flat and leaves_frame(page.corners, page.frame.shape)


@dataclass
class CaptureSession:
    """The ordered pages of one component; edits replace pages (they are immutable)."""

    dpi: int = MIN_DPI
    pages: list[ScannedPage] = field(default_factory=list)

    def add(self, page: ScannedPage) -> int:
        self.pages.append(page)
        return len(self.pages) - 1

    def rotate(self, index: int, quarter_turns: int = 1) -> None:
        p = self.pages[index]
        self.pages[index] = replace(p, quarter_turns=(p.quarter_turns + quarter_turns) % 4)

    def set_corners(self, index: int, corners: Corners) -> None:
        self.pages[index] = replace(self.pages[index], corners=corners, detected=False)

    def set_format(self, index: int, page: str) -> None:
        self.pages[index] = replace(self.pages[index], page=page)

    def move(self, index: int, to: int) -> None:
        page = self.pages.pop(index)
        self.pages.insert(max(0, min(to, len(self.pages))), page)

    def delete(self, index: int) -> None:
        del self.pages[index]

    def clear(self) -> None:
        self.pages.clear()

    def issues(self, index: int) -> list[Issue]:
        return quality_issues(rectified(self.pages[index], self.dpi))

    def render(self, mode: str | Mode) -> list[np.ndarray]:
        m = parse_mode(mode)
        return [to_mode(rectified(p, self.dpi), m) for p in self.pages]

    def to_pdf(self, mode: str | Mode, title: str = "") -> bytes:
        return pdf_of(self.pages, mode, self.dpi, title)


def pdf_of(pages: Sequence[ScannedPage], mode: str | Mode, dpi: int = MIN_DPI, title: str = "") -> bytes:
    """One multi-page PDF of ``pages`` in ``mode``."""
    m = parse_mode(mode)
    return build_pdf([to_mode(rectified(p, dpi), m) for p in pages], m, dpi, title)
