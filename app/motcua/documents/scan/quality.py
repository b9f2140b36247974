"""Warnings about a captured page that the clerk should retake: blurred, too dark, or blank.

Measured on the rectified page before any mode is applied, at a fixed working width, so the thresholds hold
whatever the camera's resolution.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np

from motcua.i18n import tr

_WORK_WIDTH = 800
# Variance of the Laplacian of the text: sharp print at this scale scores in the hundreds, a smeared page
# (motion, focus) under this.
BLUR_THRESHOLD = 70.0
# The brightness of the paper itself (a high percentile, so print does not count) below which the page
# was shot in too little light.
DARK_PAPER_LEVEL = 90
# Share of the page that is ink below which the page is taken for blank (a page number alone is about 0.1 %).
BLANK_INK_SHARE = 0.0015


class Issue(StrEnum):
    BLUR = "blur"
    DARK = "dark"
    BLANK = "blank"

    @property
    def message(self) -> str:
        return {
            Issue.BLUR: tr("Ảnh bị mờ: hãy giữ yên giấy và chụp lại"),
            Issue.DARK: tr("Ảnh quá tối: hãy bật thêm đèn hoặc chụp lại"),
            Issue.BLANK: tr("Trang trắng: trang này có vẻ không có nội dung"),
        }[self]


def _work_copy(image: np.ndarray) -> np.ndarray:
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape[:2]
    margin = max(1, min(h, w) // 40)  # edges may hold a sliver of desk
    gray = gray[margin : h - margin, margin : w - margin]
    scale = _WORK_WIDTH / gray.shape[1]
    return cv2.resize(gray, (_WORK_WIDTH, max(1, round(gray.shape[0] * scale))), interpolation=cv2.INTER_AREA)


def ink_share(gray: np.ndarray) -> float:
    """Share of pixels clearly darker than the paper around them."""
    ink = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 20)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return float(ink.mean())


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian over the inked part of the page (paper alone has no edges to judge)."""
    lap = cv2.Laplacian(gray, cv2.CV_64F)
    ink_near = cv2.dilate(
        cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 10),
        np.ones((5, 5), np.uint8),
    ).astype(bool)
    values = lap[ink_near] if ink_near.sum() > 500 else lap.ravel()
    return float(values.var())


def quality_issues(image: np.ndarray) -> list[Issue]:
    """What is wrong with a rectified page, most serious first; empty for a good page."""
    gray = _work_copy(image)
    issues = []
    if float(np.percentile(gray, 90)) < DARK_PAPER_LEVEL:
        issues.append(Issue.DARK)
    if ink_share(gray) < BLANK_INK_SHARE:
        issues.append(Issue.BLANK)
    elif sharpness(gray) < BLUR_THRESHOLD:
        issues.append(Issue.BLUR)
    return issues


def quality_warnings(image: np.ndarray) -> list[str]:
    """The clerk-facing sentences for ``quality_issues`` (translated)."""
    return [issue.message for issue in quality_issues(image)]
