"""Real desks: white, light-grey and brighter-than-paper desks, pale-yellow paper, and pages partly outside the
frame, on the committed sample of the seeded desk scenes (``motcua.bench.desk_scenes``, seed 1000 of the
calibration set); the outline of a cut page is extrapolated and the clerk told to move the page."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from motcua.devices.camera import FakeCamera
from motcua.documents.scan import jaccard_in_page_frame
from motcua.documents.scan.extrapolate import complete_cut_side
from motcua.documents.scan.framing import cut_message, leaves_frame, locate_page
from motcua.services.scanning_station import LiveFeed, ScanningStation

DESKS = Path(__file__).resolve().parents[1] / "data" / "scan_scenes_desks"
TRUTH = json.loads((DESKS / "truth.json").read_text(encoding="utf-8"))
# Per class, a little under what the detector scores on the sample; out25 is the weakest class (see the report in
# the bench: its outline often stops at the last printed line when a quarter of the page is cut off).
FLOOR = {"dark": 0.97, "white": 0.97, "light_grey": 0.97, "brighter": 0.95, "pale_yellow": 0.97}
FLOOR |= {"out10": 0.95, "out25": 0.6}


def _scene(cls: str) -> tuple[np.ndarray, np.ndarray]:
    name = next(n for n, e in TRUTH.items() if e["class"] == cls)
    return cv2.imread(str(DESKS / name), cv2.IMREAD_COLOR), np.asarray(TRUTH[name]["corners"])


@pytest.mark.parametrize("cls", sorted(FLOOR))
def test_each_desk_class_is_found(cls: str) -> None:
    frame, truth = _scene(cls)

    found = locate_page(frame)

    assert found is not None
    assert jaccard_in_page_frame(truth, found.corners) >= FLOOR[cls]
    assert found.cut == cls.startswith("out")


def test_a_page_cut_by_the_frame_is_extrapolated_beyond_it() -> None:
    frame, truth = _scene("out10")
    h, w = frame.shape[:2]

    found = locate_page(frame)

    assert found is not None and found.cut and leaves_frame(found.corners, frame.shape)
    quad = np.asarray(found.corners)
    outside = (quad[:, 0] < -5) | (quad[:, 0] > w + 5) | (quad[:, 1] < -5) | (quad[:, 1] > h + 5)
    assert outside.any()  # not the part in view, whose corners lie on the frame's edge
    assert np.linalg.norm(quad - truth, axis=1).max() < 25


def test_the_missing_side_is_placed_by_the_paper_proportions() -> None:
    # An upright A4 page, 420 × 594 px, its top 200 px above the frame: the part in view ends on the top edge.
    in_view = np.array([[100.0, 0.0], [520.0, 0.0], [520.0, 394.0], [100.0, 394.0]])

    whole = complete_cut_side(in_view, (800, 1000))

    assert whole is not None
    assert np.allclose(whole, [[100, -200], [520, -200], [520, 394], [100, 394]], atol=0.5)


def test_a_quad_inside_the_frame_is_not_completed() -> None:
    inside = np.array([[100.0, 50.0], [520.0, 50.0], [520.0, 394.0], [100.0, 394.0]])
    assert complete_cut_side(inside, (800, 1000)) is None


def test_the_clerk_is_told_to_move_a_cut_page(ctx) -> None:
    frame, _truth = _scene("out25")

    live = LiveFeed(FakeCamera([frame])).next()
    captured = ScanningStation(ctx).capture(frame)

    assert live is not None and live.cut and not live.capture_now
    assert live.cut_warning().startswith("Trang bị cắt ngoài khung hình, hãy dịch giấy ")
    assert live.cut_warning() != cut_message()  # it says which way, not only "to the middle"
    assert captured.warnings[0].startswith("Trang bị cắt ngoài khung hình, hãy dịch giấy ")
