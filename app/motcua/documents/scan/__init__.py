"""Find the page in a camera frame of a clerk's desk: ``detect_page`` returns its four corners in reading
order (top-left, top-right, bottom-right, bottom-left); ``jaccard_in_page_frame`` scores a detection the
way the SmartDoc 2015 challenge did."""

from __future__ import annotations

from motcua.documents.scan.detect import Corners, detect_page
from motcua.documents.scan.score import jaccard_in_page_frame

__all__ = ["Corners", "detect_page", "jaccard_in_page_frame"]
