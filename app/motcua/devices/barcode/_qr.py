"""Preparing QR-code regions for the decoders: normalised crops, denoising, perspective rectification."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import cv2
import numpy as np

from motcua.devices.barcode._locate import Region, clockwise
from motcua.devices.barcode._qrgrid import find_finders, resampled_symbols

_TARGET_SIZE = 480  # crops are scaled so the code's longest side is about this many pixels
_QUIET = 0.12  # margin kept around the code, as a fraction of its size (QR wants 4 modules)
_WARP_SIZE = 480

_local = threading.local()


def qr_views(gray: np.ndarray, region: Region) -> Iterator[tuple[str, np.ndarray]]:
    """``(decoder, image)`` pairs to try, decoder being ``"zbar"`` or ``"opencv"``; likely ones first.

    Noise defeats ZBar's binarisation and a light Gaussian blur cures it; heavier blur helps strong
    noise but merges small modules, so several strengths are tried. OpenCV's decoder samples the module
    grid itself and copes with perspective that ZBar finds hard, so it gets a turn too.
    """
    crop = _normalised_crop(gray, region)
    light = cv2.GaussianBlur(crop, (0, 0), 1.0)
    yield "zbar", light
    yield "zbar", cv2.GaussianBlur(crop, (0, 0), 1.6)
    yield "opencv", light
    warped = _warp_quad(gray, region)
    finders = find_finders(warped)
    if finders is not None:  # three finder patterns: worth the slower attempts
        sharper = cv2.GaussianBlur(warped, (0, 0), 1.0)
        yield "zbar", sharper
        yield "opencv", sharper
        for symbol in resampled_symbols(warped, finders):
            yield "zbar", symbol
        for sigma in (2.0, 3.0):
            blurred = cv2.GaussianBlur(warped, (0, 0), sigma)
            yield "zbar", blurred
            yield "opencv", blurred
        yield "opencv", cv2.GaussianBlur(crop, (0, 0), 2.2)
        yield "zbar", cv2.GaussianBlur(crop, (0, 0), 2.5)
    yield "zbar", cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(light)
    yield "zbar", _otsu(cv2.GaussianBlur(crop, (0, 0), 1.3))
    yield "zbar", crop


def opencv_decode(image: np.ndarray) -> list[str]:
    """Texts OpenCV's two QR decoders find (the ArUco-based detector is better with perspective)."""
    texts: list[str] = []
    for detector in _detectors():
        try:
            text, _, _ = detector.detectAndDecode(image)
        except (cv2.error, UnicodeDecodeError):
            continue
        if text:
            texts.append(text)
            break
    return texts


def _detectors() -> tuple[cv2.QRCodeDetectorAruco, cv2.QRCodeDetector]:
    detectors = getattr(_local, "detectors", None)
    if detectors is None:
        detectors = (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector())
        _local.detectors = detectors
    return detectors


def _normalised_crop(gray: np.ndarray, region: Region) -> np.ndarray:
    x0, y0, x1, y1 = region.bounds(_QUIET, gray.shape)
    crop = gray[y0:y1, x0:x1]
    factor = _TARGET_SIZE / max(crop.shape)
    if factor < 0.8:  # big codes: shrink, which also averages away pixel noise
        return cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    if factor > 1.6:  # tiny codes: give the decoders a few pixels per module
        return cv2.resize(crop, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    return crop


def _warp_quad(gray: np.ndarray, region: Region) -> np.ndarray:
    """The region's outline mapped onto a square: undoes perspective and rotation."""
    corners = region.quad()
    if corners is None:  # not a clean quadrilateral: settle for undoing the rotation
        corners = clockwise(cv2.boxPoints(cv2.minAreaRect(region.points.astype(np.float32))))
    near, far = _QUIET * _WARP_SIZE, (1 - _QUIET) * _WARP_SIZE
    target = np.array([[near, near], [far, near], [far, far], [near, far]], np.float32)
    homography = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(
        gray, homography, (_WARP_SIZE, _WARP_SIZE), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def _otsu(image: np.ndarray) -> np.ndarray:
    _, binary = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary
