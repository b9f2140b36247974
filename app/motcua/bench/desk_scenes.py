"""Seeded camera frames of an A4 form on the desks offices really have, with the page's true corners.

The ``scan_scenes`` fixtures lay the page on desks darker than paper. Offices also have white and light-grey
desks, glossy laminates brighter than the paper, pale-yellow paper, and clerks who leave part of the page out of
the camera's view. Each class here is one of those cases, drawn with perspective, a lighting gradient, the thin
shadow a sheet casts along its edges, a soft shadow across the scene, blur, noise and JPEG.

Office paper is whitened with optical brighteners and looks slightly blue; white desks (melamine, laminate) are
neutral or warm. The scenes keep that difference small (a few Lab units), as it is in a real office.

``scene(cls, seed)`` is deterministic. Tune on ``CALIBRATION_SEEDS``, judge on ``HOLDOUT_SEEDS``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

CLASSES = ("dark", "white", "light_grey", "brighter", "pale_yellow", "out10", "out25")
CALIBRATION_SEEDS = range(1000, 1008)
HOLDOUT_SEEDS = range(5000, 5012)
FRAME_SIZE = (1280, 720)
PAGE_MM = (210.0, 297.0)
_PX_PER_MM = 3.0


@dataclass(frozen=True)
class Scene:
    """A frame (BGR, JPEG-decoded) and the page's true corners in it (TL, TR, BR, BL as read; beyond the frame
    where the page is)."""

    cls: str
    seed: int
    frame: np.ndarray
    corners: np.ndarray

    @property
    def name(self) -> str:
        return f"{self.cls}_{self.seed}"


def _page(rng: np.random.Generator, paper_bgr: tuple[float, float, float]) -> np.ndarray:
    """A one-stop form: header blocks, lines of print, a ruled table and a red seal."""
    w, h = round(PAGE_MM[0] * _PX_PER_MM), round(PAGE_MM[1] * _PX_PER_MM)
    page = np.empty((h, w, 3), np.float32)
    page[:] = paper_bgr
    ink = (40.0, 35.0, 35.0)
    margin = int(rng.integers(45, 70))
    cv2.rectangle(page, (margin, 50), (margin + 200, 64), ink, -1)
    cv2.rectangle(page, (w - margin - 230, 50), (w - margin, 64), ink, -1)
    cv2.rectangle(page, (w // 2 - 140, 110), (w // 2 + 140, 128), ink, -1)
    y = 160
    table_at = int(rng.integers(330, 470))
    while y < h - 170:
        if abs(y - table_at) < 6:
            rows, height = int(rng.integers(3, 6)), 26
            for r in range(rows + 1):
                cv2.line(page, (margin, y + r * height), (w - margin, y + r * height), ink, 1)
            for x in np.linspace(margin, w - margin, 4).astype(int):
                cv2.line(page, (int(x), y), (int(x), y + rows * height), ink, 1)
            y += rows * height + 20
            continue
        length = int(rng.integers(180, w - 2 * margin))
        cv2.rectangle(page, (margin, y), (margin + length, y + 7), ink, -1)
        y += int(rng.integers(20, 28))
    cv2.circle(page, (int(w * 0.7), h - 110), 45, (60.0, 50.0, 200.0), 4)
    return page


def _desk(
    rng: np.random.Generator, luma: float, tint: tuple[float, float, float], grain: float, size: tuple[int, int]
) -> np.ndarray:
    w, h = size
    coarse = cv2.GaussianBlur(rng.normal(0, 1, (h // 8, w // 8)).astype(np.float32), (0, 0), 1.5)
    texture = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC) + 0.5 * rng.normal(0, 1, (h, w)).astype(
        np.float32
    )
    base = luma + grain * texture
    return np.stack([base * tint[0], base * tint[1], base * tint[2]], axis=2)


def _desk_and_paper(
    cls: str, rng: np.random.Generator, size: tuple[int, int]
) -> tuple[np.ndarray, tuple[float, float, float], float]:
    """Desk image, paper colour (BGR) and the darkening of the sheet's edge shadow on the desk."""
    white_paper = (248.0, 244.0, 240.0)  # brightened: a touch of blue
    kind = cls
    if cls in ("out10", "out25"):
        kind = str(rng.choice(["dark", "wood", "light_grey", "white"]))
    if kind == "dark":
        luma = float(rng.uniform(45, 95))
        return _desk(rng, luma, (1.0, 1.0, 1.05), 6.0, size), white_paper, 0.25
    if kind == "wood":
        return _desk(rng, float(rng.uniform(100, 150)), (0.6, 0.85, 1.15), 12.0, size), white_paper, 0.25
    if kind == "light_grey":
        luma = float(rng.uniform(180, 210))
        return _desk(rng, luma, (1.0, 1.0, 1.0), 3.0, size), white_paper, 0.18
    if kind == "white":
        # As bright as the paper, neutral to warm where the paper is bluish.
        luma = float(rng.uniform(236, 246))
        warm = float(rng.uniform(0.955, 0.975))
        return _desk(rng, luma, (warm, 0.99, 1.0), 1.5, size), white_paper, 0.12
    if kind == "brighter":
        # A glossy white laminate under the lamp, brighter than a recycled or greyish sheet.
        paper = float(rng.uniform(205, 222))
        return (
            _desk(rng, float(rng.uniform(246, 254)), (0.99, 1.0, 1.0), 1.5, size),
            (paper + 3, paper, paper - 2),
            0.12,
        )
    # pale-yellow paper on a light desk, grey or white
    desk_luma = float(rng.uniform(190, 245))
    return _desk(rng, desk_luma, (1.0, 1.0, 1.0), 2.5, size), (200.0, 238.0, 246.0), 0.15


def _page_quad(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """Where the page lies in the frame, as read (TL, TR, BR, BL), before any part is pushed out."""
    w, h = size
    height = rng.uniform(0.62, 0.82) * h
    width = height * PAGE_MM[0] / PAGE_MM[1]
    angle = np.radians(rng.uniform(-25, 25))
    if rng.random() < 0.15:
        angle += np.pi  # the page upside down
    rect = np.array(
        [[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2], [-width / 2, height / 2]]
    )
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    quad = rect @ rot.T
    # Perspective: the far side of the page a little narrower, plus each corner a little off.
    squeeze = rng.uniform(0.0, 0.12)
    far = np.argsort(quad[:, 1])[:2]
    centre_x = quad[:, 0].mean()
    quad[far, 0] = centre_x + (quad[far, 0] - centre_x) * (1 - squeeze)
    quad += rng.normal(0, 0.015 * height, quad.shape)
    span = quad.max(0) - quad.min(0)
    room = np.maximum(np.array([w, h]) - span, 1.0)
    offset = rng.uniform(0.15, 0.85, 2) * room - quad.min(0)
    return quad + offset


def _push_out(quad: np.ndarray, share: float, rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """Move the page so that ``share`` of it lies outside the frame, past a side or past a corner."""
    w, h = size
    directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    direction = np.array(directions[int(rng.integers(0, 4 if rng.random() < 0.7 else 8))], dtype=np.float64)
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    area = cv2.contourArea(quad.astype(np.float32))
    # Start from the page touching the frame's edge in that direction, then bisect the shift.
    centred = quad - quad.mean(0) + np.array([w / 2, h / 2])

    def outside(t: float) -> float:
        moved = (centred + t * direction).astype(np.float32)
        inside, _ = cv2.intersectConvexConvex(moved, frame)
        return 1.0 - inside / area

    lo, hi = 0.0, float(max(w, h))
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if outside(mid) < share else (lo, mid)
    return centred + hi * direction


def _warp_onto(
    desk: np.ndarray, page: np.ndarray, quad: np.ndarray, shadow: float, rng: np.random.Generator
) -> np.ndarray:
    size = (desk.shape[1], desk.shape[0])
    w, h = size
    ph, pw = page.shape[:2]
    source = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    to_frame = cv2.getPerspectiveTransform(source, quad.astype(np.float32))
    warped = cv2.warpPerspective(page, to_frame, (w, h), flags=cv2.INTER_AREA)
    cover = cv2.warpPerspective(np.ones((ph, pw), np.float32), to_frame, (w, h), flags=cv2.INTER_AREA)
    # The sheet lifts a little off the desk: a thin soft shadow along its edges, offset away from the light.
    shift = rng.uniform(1.5, 4.0, 2) * rng.choice([-1, 1], 2)
    moved = cv2.warpAffine(cover, np.float32([[1, 0, shift[0]], [0, 1, shift[1]]]), (w, h))
    edge = cv2.GaussianBlur(np.maximum(cv2.dilate(cover, np.ones((5, 5), np.uint8)), moved), (0, 0), 1.5)
    desk = desk * (1 - shadow * edge)[..., None]
    alpha = cover[..., None]
    return warped * alpha + desk * (1 - alpha)


def _lighting(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    size = (image.shape[1], image.shape[0])
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * (xs - w / 2) + np.sin(angle) * (ys - h / 2)) / max(w, h)
    gain = 1.0 + rng.uniform(0.08, 0.22) * ramp
    # A soft shadow (a hand, the camera arm, a monitor) somewhere in the scene.
    blob = np.zeros((h, w), np.float32)
    centre = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
    axes = (int(rng.uniform(0.1, 0.3) * w), int(rng.uniform(0.1, 0.3) * h))
    cv2.ellipse(blob, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    blob = cv2.GaussianBlur(blob, (0, 0), float(rng.uniform(30, 70)))
    gain *= 1 - rng.uniform(0.08, 0.2) * blob
    return image * gain[..., None]


def scene(cls: str, seed: int, size: tuple[int, int] = FRAME_SIZE, shift: tuple[float, float] = (0.0, 0.0)) -> Scene:
    """The frame of class ``cls`` (one of ``CLASSES``) drawn from ``seed``, ``size`` pixels (width, height);
    ``shift`` moves the page (pixels of a 1280-pixel-wide frame) and nothing else, for a page slid across a
    desk from frame to frame."""
    if cls not in CLASSES:
        raise ValueError(cls)
    rng = np.random.default_rng([seed, CLASSES.index(cls)])
    desk, paper, shadow = _desk_and_paper(cls, rng, size)
    page = _page(rng, paper)
    quad = _page_quad(rng, size)
    if cls in ("out10", "out25"):
        quad = _push_out(quad, 0.10 if cls == "out10" else 0.25, rng, size)
    quad = quad + np.asarray(shift) * size[0] / FRAME_SIZE[0]
    image = _lighting(_warp_onto(desk, page, quad, shadow, rng), rng)
    image = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.6, 1.1)) * size[0] / FRAME_SIZE[0])
    image += rng.normal(0, float(rng.uniform(1.5, 4.0)), image.shape).astype(np.float32)
    frame = np.clip(image, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(72, 90))])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return Scene(cls, seed, decoded, quad.astype(np.float64))


def scenes(seeds: range | list[int], classes: tuple[str, ...] = CLASSES) -> list[Scene]:
    return [scene(cls, seed) for cls in classes for seed in seeds]


def write_sample(folder: Path, seeds: range | list[int]) -> dict[str, Any]:
    """Write the scenes of ``seeds`` as JPEG files with a ``truth.json`` like the fixtures' (plus ``seed``)."""
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {}
    for item in scenes(seeds):
        name = f"{item.name}.jpg"
        cv2.imwrite(str(folder / name), item.frame, [cv2.IMWRITE_JPEG_QUALITY, 85])
        truth[name] = {
            "class": item.cls,
            "seed": item.seed,
            "corners": [[round(float(x), 2), round(float(y), 2)] for x, y in item.corners],
            "page_mm": list(PAGE_MM),
        }
    (folder / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


if __name__ == "__main__":
    write_sample(Path(sys.argv[1]), [int(s) for s in sys.argv[2:]] or [CALIBRATION_SEEDS[0]])
