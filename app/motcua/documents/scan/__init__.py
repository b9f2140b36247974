"""The scan pipeline: find the page in a camera frame (``detect_page``), straighten it to its paper size
(``rectify``, ``deskew``), turn it into black & white, grey or colour (``to_mode``), warn about bad captures
(``quality_warnings``) and write a compact multi-page PDF (``build_pdf``, G4 for black & white).
``jaccard_in_page_frame`` scores a detection the way the SmartDoc 2015 challenge did."""

from __future__ import annotations

from motcua.documents.scan.deskew import deskew
from motcua.documents.scan.detect import Corners, detect_page
from motcua.documents.scan.modes import Mode, to_mode
from motcua.documents.scan.pages import A4, A5, MIN_DPI, PageFormat, rectify
from motcua.documents.scan.pdf import build_pdf
from motcua.documents.scan.quality import quality_warnings
from motcua.documents.scan.score import jaccard_in_page_frame

__all__ = [
    "A4",
    "A5",
    "MIN_DPI",
    "Corners",
    "Mode",
    "PageFormat",
    "build_pdf",
    "deskew",
    "detect_page",
    "jaccard_in_page_frame",
    "quality_warnings",
    "rectify",
    "to_mode",
]
