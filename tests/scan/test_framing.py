"""A page partly outside the camera's frame is flagged, a whole page is not: frames made by cropping the fixture
scenes so that 10 % or 25 % of the page (a side or a corner) is cut off."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from motcua.devices.camera import FakeCamera
from motcua.documents.scan import jaccard_in_page_frame
from motcua.documents.scan.framing import leaves_frame, locate_page
from motcua.documents.scan.session import cut_off, page_from_image
from motcua.documents.scan.still import StillDetector
from motcua.services.scanning_station import LiveFeed, ScanningStation

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"
TRUTH = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
CUT_MESSAGE = "Trang bị cắt ngoài khung hình, hãy dịch giấy vào giữa"
# Scenes whose page lies wholly in the frame with a margin (001, 005 and 013 touch the frame's edge as shot).
WHOLE = ["000_dark.jpg", "004_cluttered.jpg", "015_light.jpg", "016_cluttered.jpg", "017_docam.jpg"]
WHOLE += ["020_gray.jpg", "024_dark.jpg", "026_gray.jpg", "027_light.jpg"]
SIDES = ("bottom", "right", "top", "left")
CORNERS = ("bottom-right", "top-left", "top-right", "bottom-left")


def _scene(name: str) -> tuple[np.ndarray, np.ndarray]:
    return cv2.imread(str(FIXTURES / name)), np.float32(TRUTH[name]["corners"])


def _outside_share(quad: np.ndarray, rect: tuple[int, int, int, int]) -> float:
    x0, y0, x1, y1 = rect
    box = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    inside, _ = cv2.intersectConvexConvex(quad, box)
    return 1.0 - inside / cv2.contourArea(quad)


def cut_frame(name: str, share: float, where: str) -> tuple[np.ndarray, np.ndarray]:
    """The scene cropped so that ``share`` of its page is outside the frame, past one side (``where`` in SIDES) or
    past a corner (in CORNERS); returns the frame and the page's true corners in it."""
    image, quad = _scene(name)
    h, w = image.shape[:2]
    (xmin, ymin), (xmax, ymax) = quad.min(0), quad.max(0)

    def rect(t: float) -> tuple[int, int, int, int]:
        # t from 0 (the page whole) to 1 (the page gone); the crop moves in across the page's extent.
        x_in, y_in = xmin + t * (xmax - xmin), ymin + t * (ymax - ymin)
        x_out, y_out = xmax - t * (xmax - xmin), ymax - t * (ymax - ymin)
        box = {
            "bottom": (0, 0, w, y_out),
            "right": (0, 0, x_out, h),
            "top": (0, y_in, w, h),
            "left": (x_in, 0, w, h),
            "bottom-right": (0, 0, x_out, y_out),
            "top-left": (x_in, y_in, w, h),
            "top-right": (0, y_in, x_out, h),
            "bottom-left": (x_in, 0, w, y_out),
        }[where]
        x0, y0, x1, y1 = (round(float(v)) for v in box)
        return max(0, x0), max(0, y0), min(w, x1), min(h, y1)

    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _outside_share(quad, rect(mid)) < share else (lo, mid)
    x0, y0, x1, y1 = rect(hi)
    assert abs(_outside_share(quad, (x0, y0, x1, y1)) - share) < 0.01
    return np.ascontiguousarray(image[y0:y1, x0:x1]), quad - np.float32([x0, y0])


# Of all 192 cuts of the 12 scenes (8 ways × 10 % and 25 %), these two are missed: on a white desk lit as
# brightly as the paper (027) the part of the page in view has no border to find, and in 026 the outline settles
# on a printed line, the strip of paper beyond it running out of the frame only at a corner. 027 then shows no
# page at all (nothing is captured on its own); 026 outlines the page short of its top. (027 cut 25 % on the left
# is found since the detector also looks for the page by its hue against the desk's.)
KNOWN_MISSES = {("026_gray.jpg", 0.10, "top-left"), ("027_light.jpg", 0.10, "top-right")}


def _cut_cases() -> list[object]:
    # Every scene cut past a side and past a corner, every side and corner in turn, 10 % and 25 % in turn.
    cases = []
    for i, name in enumerate(sorted(TRUTH)):
        side_share, corner_share = (0.10, 0.25) if i % 2 == 0 else (0.25, 0.10)
        cases += [(name, side_share, SIDES[i % 4]), (name, corner_share, CORNERS[(i // 2 + i) % 4])]
    cases += sorted(KNOWN_MISSES - set(cases))
    miss = pytest.mark.xfail(reason="known limit, see KNOWN_MISSES", strict=True)
    return [pytest.param(*case, marks=miss) if case in KNOWN_MISSES else case for case in cases]


@pytest.mark.parametrize(("name", "share", "where"), _cut_cases())
def test_a_page_partly_outside_the_frame_is_flagged(name: str, share: float, where: str) -> None:
    frame, _truth = cut_frame(name, share, where)

    found = locate_page(frame)

    assert found is not None and found.cut
    assert leaves_frame(found.corners, frame.shape)


@pytest.mark.parametrize("name", WHOLE)
def test_a_whole_page_is_not_flagged_and_keeps_its_outline(name: str) -> None:
    image, truth = _scene(name)

    found = locate_page(image)

    assert found is not None and not found.cut
    assert jaccard_in_page_frame(truth, found.corners, tuple(TRUTH[name]["page_mm"])) > 0.95


@pytest.mark.parametrize("name", ["004_cluttered.jpg", "015_light.jpg", "027_light.jpg"])
def test_a_whole_page_close_to_the_frame_edge_is_not_flagged(name: str) -> None:
    image, quad = _scene(name)
    # 10 px of desk left around the page's outermost points.
    (x0, y0), (x1, y1) = (quad.min(0) - 10).astype(int), (quad.max(0) + 10).astype(int)
    found = locate_page(np.ascontiguousarray(image[y0:y1, x0:x1]))
    assert found is not None and not found.cut


def test_the_scene_shot_with_a_corner_beyond_the_frame_is_flagged() -> None:
    # 001_wood: about 1 % of the page, its bottom-right corner, is outside the picture as shot.
    image, _truth = _scene("001_wood.jpg")
    found = locate_page(image)
    assert found is not None and found.cut


@pytest.mark.parametrize(
    "frame",
    [np.full((1200, 1600, 3), 128, np.uint8), np.full((600, 800, 3), 250, np.uint8), np.zeros((480, 640, 3), np.uint8)],
    ids=["gray", "white", "black"],
)
def test_a_frame_without_a_page_is_neither_found_nor_flagged(frame: np.ndarray) -> None:
    assert locate_page(frame) is None


def test_leaves_frame_is_true_for_a_corner_on_or_past_the_edge() -> None:
    shape = (1000, 800)
    inside = ((100.0, 100.0), (700.0, 100.0), (700.0, 900.0), (100.0, 900.0))
    touching = ((100.0, 100.0), (798.0, 100.0), (700.0, 900.0), (100.0, 900.0))
    crossing = ((100.0, -40.0), (700.0, 100.0), (700.0, 900.0), (100.0, 900.0))
    assert not leaves_frame(inside, shape)
    assert leaves_frame(touching, shape)
    assert leaves_frame(crossing, shape)


def test_a_photo_of_a_cut_page_is_captured_with_the_warning(ctx) -> None:
    frame, _truth = cut_frame("004_cluttered.jpg", 0.25, "bottom")
    station = ScanningStation(ctx)

    page = page_from_image(frame)
    captured = station.capture(frame)
    whole = station.capture(_scene("004_cluttered.jpg")[0])

    assert cut_off(page) and captured.warnings[0] == "Trang bị cắt ngoài khung hình, hãy dịch giấy lên trên"
    assert not any(w.startswith("Trang bị cắt") for w in whole.warnings)


def test_the_cut_warning_says_which_way_to_move_the_page() -> None:
    from motcua.documents.scan.framing import cut_message, sides_leaving

    shape = (1000, 800)
    assert sides_leaving(((100, 100), (700, 100), (700, 900), (100, 900)), shape) == []
    assert sides_leaving(((-30, 100), (700, 100), (700, 900), (-30, 900)), shape) == ["left"]
    assert cut_message(["left"]) == "Trang bị cắt ngoài khung hình, hãy dịch giấy sang phải"
    assert cut_message(["right", "top"]) == "Trang bị cắt ngoài khung hình, hãy dịch giấy sang trái và xuống dưới"
    assert cut_message(["left", "right"]) == "Trang lớn hơn khung hình: hãy nâng camera lên cao hoặc lùi giấy ra xa"
    assert cut_message([]) == CUT_MESSAGE


def test_auto_capture_waits_while_the_page_is_cut_off_and_takes_it_once_moved_in() -> None:
    cut, _truth = cut_frame("017_docam.jpg", 0.25, "right")
    whole, _quad = _scene("017_docam.jpg")
    # The page lies still but cut off, then the clerk slides it into view and it lies still again.
    # At five frames a second: six frames are 1.2 s, longer than auto-capture waits for a still whole page.
    ticks = iter(i * 0.2 for i in range(100))
    feed = LiveFeed(FakeCamera([cut] * 6 + [whole] * 6), still=StillDetector(clock=lambda: next(ticks)))
    frames = [feed.next() for _ in range(12)]

    assert all(f is not None for f in frames)
    assert [f.cut for f in frames[:6]] == [True] * 6  # type: ignore[union-attr]
    assert not any(f.capture_now for f in frames[:6])  # type: ignore[union-attr]
    assert not any(f.cut for f in frames[6:])  # type: ignore[union-attr]
    assert sum(f.capture_now for f in frames[6:]) == 1  # type: ignore[union-attr]
