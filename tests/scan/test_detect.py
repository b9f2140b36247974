"""Page detector: the SmartDoc metric, the fixture scenes, a synthetic frame and frames without a page."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from motcua.documents.scan import detect_page, jaccard_in_page_frame

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"
UNIT_PAGE = ((0.0, 0.0), (210.0, 0.0), (210.0, 297.0), (0.0, 297.0))


# --- the metric -----------------------------------------------------------------------------------------


def test_identical_quads_score_one() -> None:
    truth = ((100.0, 120.0), (900.0, 80.0), (950.0, 1100.0), (60.0, 1050.0))
    assert jaccard_in_page_frame(truth, truth) == pytest.approx(1.0)


def test_a_miss_scores_zero() -> None:
    assert jaccard_in_page_frame(UNIT_PAGE, None) == 0.0


def test_a_shifted_quad_scores_overlap_over_union() -> None:
    shifted = tuple((x + 21.0, y) for x, y in UNIT_PAGE)
    # Overlap 189 × 297, union 231 × 297.
    assert jaccard_in_page_frame(UNIT_PAGE, shifted) == pytest.approx(189 / 231)


def test_the_metric_is_measured_in_the_page_frame() -> None:
    # The same page seen in perspective: a found quad that is the truth mapped by the same homography
    # scores as the unit-page comparison does.
    seen = np.float32([[300, 100], [800, 150], [900, 900], [200, 850]])
    to_image = cv2.getPerspectiveTransform(np.float32(UNIT_PAGE), seen)
    shifted = np.float32([(x + 21.0, y) for x, y in UNIT_PAGE]).reshape(1, 4, 2)
    found = cv2.perspectiveTransform(shifted, to_image).reshape(4, 2)
    assert jaccard_in_page_frame(seen, found) == pytest.approx(189 / 231, abs=1e-4)


# --- the fixture scenes ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_scores() -> dict[str, list[float]]:
    truth = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    by_class: dict[str, list[float]] = {}
    for name, entry in sorted(truth.items()):
        found = detect_page(cv2.imread(str(FIXTURES / name), cv2.IMREAD_COLOR))
        score = jaccard_in_page_frame(entry["corners"], found, tuple(entry["page_mm"]))
        by_class.setdefault(entry["class"], []).append(score)
    return by_class


@pytest.mark.slow
def test_mean_jaccard_on_the_fixtures_reaches_097(fixture_scores: dict[str, list[float]]) -> None:
    scores = [s for values in fixture_scores.values() for s in values]
    assert np.mean(scores) >= 0.97


@pytest.mark.slow
def test_every_class_of_fixture_scores_at_least_093(fixture_scores: dict[str, list[float]]) -> None:
    means = {name: float(np.mean(values)) for name, values in fixture_scores.items()}
    assert min(means.values()) >= 0.93, means


# --- synthetic frames -----------------------------------------------------------------------------------


def _printed_page(width: int = 840, height: int = 1188) -> np.ndarray:
    """A white A4 sheet with left-aligned lines of 'print', a header and a red seal at the bottom."""
    rng = np.random.default_rng(3)
    page = np.full((height, width, 3), 245, np.uint8)
    cv2.rectangle(page, (80, 70), (330, 90), (30, 30, 30), -1)
    cv2.rectangle(page, (460, 70), (760, 90), (30, 30, 30), -1)
    y = 200
    while y < 800:
        length = int(rng.integers(250, 660))
        cv2.rectangle(page, (90, y), (90 + length, y + 12), (40, 40, 40), -1)
        y += 34
    cv2.circle(page, (620, 1000), 70, (40, 40, 210), 6)
    return page


def _textured_desk(width: int = 1600, height: int = 1200) -> np.ndarray:
    rng = np.random.default_rng(11)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (height // 8, width // 8)).astype(np.float32), (0, 0), 2)
    grain = cv2.resize(grain, (width, height), interpolation=cv2.INTER_CUBIC)
    ramp = np.linspace(-25, 25, width, dtype=np.float32)[None, :]
    base = 95 + 60 * grain + ramp
    desk = np.stack([base * 0.55, base * 0.8, base * 1.1], axis=2)
    return np.clip(desk, 0, 255).astype(np.uint8)


def test_a_warped_page_on_a_textured_desk_is_found_within_3_px() -> None:
    page = _printed_page()
    desk = _textured_desk()
    corners = np.float32([[520, 160], [1130, 230], [1080, 1080], [430, 1010]])
    ph, pw = page.shape[:2]
    to_frame = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), corners)
    size = (desk.shape[1], desk.shape[0])
    warped = cv2.warpPerspective(page, to_frame, size, flags=cv2.INTER_AREA)
    cover = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), to_frame, size, flags=cv2.INTER_AREA)
    alpha = (cover.astype(np.float32) / 255.0)[..., None]
    frame = (warped * alpha + desk * (1 - alpha)).astype(np.uint8)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0)

    found = detect_page(frame)

    assert found is not None
    assert np.abs(np.asarray(found) - corners).max() <= 3.0


@pytest.mark.parametrize(
    "frame",
    [
        np.full((1200, 1600, 3), 128, np.uint8),
        np.zeros((480, 640, 3), np.uint8),
        np.full((600, 800, 3), 250, np.uint8),
        np.random.default_rng(5).integers(0, 256, (1200, 1600, 3), dtype=np.uint8),
    ],
    ids=["gray", "black", "white", "noise"],
)
def test_a_frame_without_a_page_gives_none(frame: np.ndarray) -> None:
    assert detect_page(frame) is None


def test_a_page_upside_down_in_the_frame_still_starts_at_its_top_left() -> None:
    name = sorted(json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8")))[0]
    entry = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))[name]
    image = cv2.imread(str(FIXTURES / name), cv2.IMREAD_COLOR)
    h, w = image.shape[:2]
    turned = np.ascontiguousarray(image[::-1, ::-1])
    truth = np.array([w - 1, h - 1]) - np.asarray(entry["corners"])

    found = detect_page(turned)

    assert found is not None
    assert np.linalg.norm(np.asarray(found) - truth, axis=1).max() < 10.0
