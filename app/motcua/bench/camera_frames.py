"""Synthetic camera frames for the live-QR benchmark (``motcua bench qr-live``), all drawn from one seed.

A code in a camera view is small: the fixture crops (``barcodes/``) are pasted, scaled to a few hundred pixels,
onto a rendered form-like page (text lines, table rules) lying on a desk, seen in perspective, then lit unevenly,
blurred, noised and JPEG-compressed as a webcam or phone would. Beside them, frames with no code at all (a page of
text, a bare desk, a hand, a printed form) that must give no read. The same seed gives the same frames, byte for
byte, so a figure can be compared with an earlier run.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

SIZES: dict[str, tuple[int, int]] = {"720p": (1280, 720), "1080p": (1920, 1080), "4000": (4000, 3000)}
# Long side of the pasted crop (code plus its margin), in frame pixels: a card held up to a webcam, a code
# printed on a form photographed whole by a 12-megapixel camera. A dossier barcode has about 300 modules across
# and no reader takes less than about 2 pixels a module, so it is held closer and fills more of the frame.
_CROP_SIDE = {
    "qr": {"720p": (190, 260), "1080p": (240, 340), "4000": (300, 480)},
    "linear": {"720p": (750, 1000), "1080p": (950, 1300), "4000": (1100, 1600)},
}
NO_CODE_SCENES = ("text", "desk", "hand", "form")
_JPEG_QUALITY = (72, 90)


@dataclass(frozen=True, slots=True)
class CameraFrame:
    """One synthetic frame; ``kind`` is ``"none"`` (and ``text`` empty) when no code is in view."""

    name: str
    image: np.ndarray  # BGR, as a camera delivers it
    size: str  # a key of SIZES
    kind: str  # "qr", "code128", "code39" or "none"
    text: str
    source: str  # the fixture pasted in, or the no-code scene drawn

    @property
    def label(self) -> dict[str, str]:
        return {"size": self.size, "kind": self.kind, "text": self.text, "source": self.source}


def code_frames(
    fixtures: Path, size: str, names: list[str], seed: int = 12, indices: list[int] | None = None
) -> Iterator[CameraFrame]:
    """Each listed fixture of ``fixtures/truth.json`` pasted into its own scene at ``size``.

    A frame's scene is drawn from ``seed`` and the fixture's index: its place in ``names``, or in ``indices`` when
    given (the frame of one fixture of a full sorted list, made again without the others).
    """
    truth = json.loads((fixtures / "truth.json").read_text(encoding="utf-8"))
    for position, name in enumerate(names):
        index = position if indices is None else indices[position]
        rng = np.random.default_rng([seed, index, _size_key(size)])
        crop = cv2.imread(str(fixtures / name), cv2.IMREAD_COLOR)
        if crop is None:
            continue
        label = truth[name]
        side = _CROP_SIDE["qr" if label["kind"] == "qr" else "linear"][size]
        image = _scene_with_code(crop, SIZES[size], side, rng)
        yield CameraFrame(f"{size}_{Path(name).stem}", image, size, label["kind"], label["text"], name)


def empty_frames(size: str, count: int, seed: int = 12) -> Iterator[CameraFrame]:
    """``count`` frames with no code, cycling through the no-code scenes."""
    for index in range(count):
        rng = np.random.default_rng([seed, 1000 + index, _size_key(size)])
        scene = NO_CODE_SCENES[index % len(NO_CODE_SCENES)]
        image = _camera(_EMPTY_SCENES[scene](SIZES[size], rng), rng)
        yield CameraFrame(f"{size}_none_{index:03d}_{scene}", image, size, "none", "", scene)


def write_frames(frames: list[CameraFrame], folder: Path, quality: int = 80) -> None:
    """JPEG files and a ``truth.json`` ``{file: {"size", "kind", "text", "source"}}``."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = {}
    for frame in frames:
        ok, data = cv2.imencode(".jpg", frame.image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok:
            data.tofile(str(folder / f"{frame.name}.jpg"))
            truth[f"{frame.name}.jpg"] = frame.label
    text = json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (folder / "truth.json").write_text(text, encoding="utf-8")


def _size_key(size: str) -> int:
    return list(SIZES).index(size)


# -- scenes ------------------------------------------------------------------------------------------------------
def _scene_with_code(
    crop: np.ndarray, frame: tuple[int, int], side: tuple[int, int], rng: np.random.Generator
) -> np.ndarray:
    """A form on a desk with the code on top of it (a card or label held in view), slightly off-axis."""
    width, height = frame
    page_h = int(height * rng.uniform(0.8, 1.0))
    scene = _on_desk(_page((int(page_h / 1.414), page_h), rng, table=bool(rng.integers(2))), frame, rng)
    factor = min(rng.uniform(*side) / max(crop.shape[:2]), 0.9 * width / crop.shape[1], 0.9 * height / crop.shape[0])
    small = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ch, cw = small.shape[:2]
    x = rng.uniform(0.02 * width, width - cw * 1.02)
    y = rng.uniform(0.02 * height, height - ch * 1.02)
    jitter = 0.05 * min(cw, ch)
    corners = np.array([[x, y], [x + cw, y], [x + cw, y + ch], [x, y + ch]], np.float32)
    corners += rng.uniform(-jitter, jitter, (4, 2)).astype(np.float32)
    _paste(scene, small, corners)
    return _camera(scene, rng)


def _paste(scene: np.ndarray, image: np.ndarray, corners: np.ndarray) -> None:
    """``image`` warped onto the quadrilateral ``corners`` of ``scene``, in place."""
    height, width = image.shape[:2]
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    homography = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    size = (scene.shape[1], scene.shape[0])
    warped = cv2.warpPerspective(image, homography, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((height, width), 255, np.uint8), homography, size)
    np.copyto(scene, warped, where=(mask > 127)[:, :, None])


def _text_scene(frame: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = frame
    return _page((int(width * 1.1), int(height * 1.1)), rng, table=False)[:height, :width].copy()


def _form_scene(frame: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    height = frame[1]
    return _on_desk(_page((int(height * 0.95 / 1.414), int(height * 0.95)), rng, table=True), frame, rng)


def _desk_scene(frame: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    image = _desk(frame, rng)
    width, height = frame
    unit = max(width, height) / 100
    for _ in range(int(rng.integers(3, 7))):  # pens, a phone, a stapler: dark oblongs
        centre = (float(rng.uniform(0, width)), float(rng.uniform(0, height)))
        box = (
            (centre),
            (float(rng.uniform(2, 25) * unit), float(rng.uniform(1, 6) * unit)),
            float(rng.uniform(0, 180)),
        )
        colour = tuple(int(c) for c in rng.integers(10, 120, 3))
        cv2.fillPoly(image, [cv2.boxPoints(box).astype(np.int32)], colour, cv2.LINE_AA)
    # A keyboard's key grid, the likeliest thing on a desk to look like a 2-D code.
    x0, y0, key = int(width * rng.uniform(0.05, 0.4)), int(height * rng.uniform(0.5, 0.7)), int(unit * 2.2)
    for row in range(4):
        for col in range(12):
            top_left = (x0 + col * key, y0 + row * key)
            cv2.rectangle(image, top_left, (top_left[0] + key - 4, top_left[1] + key - 4), (40, 40, 40), -1)
    return image


def _hand_scene(frame: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    image = _desk_scene(frame, rng)
    width, height = frame
    unit = min(width, height) / 10
    cx, cy = int(width * rng.uniform(0.3, 0.7)), int(height * rng.uniform(0.4, 0.7))
    skin = (int(rng.integers(120, 170)), int(rng.integers(150, 190)), int(rng.integers(200, 235)))
    cv2.ellipse(image, (cx, cy), (int(unit * 1.6), int(unit * 2.0)), 0, 0, 360, skin, -1, cv2.LINE_AA)
    for finger in range(4):  # fingers fan out above the palm
        angle = -35 + finger * 22 + float(rng.uniform(-5, 5))
        fx = int(cx + np.sin(np.radians(angle)) * unit * 2.4)
        fy = int(cy - np.cos(np.radians(angle)) * unit * 2.4)
        cv2.ellipse(image, (fx, fy), (int(unit * 0.35), int(unit * 1.1)), angle, 0, 360, skin, -1, cv2.LINE_AA)
    cv2.ellipse(image, (cx - int(unit * 1.8), cy), (int(unit * 0.4), int(unit)), 50, 0, 360, skin, -1, cv2.LINE_AA)
    return image


_EMPTY_SCENES = {"text": _text_scene, "desk": _desk_scene, "hand": _hand_scene, "form": _form_scene}


# -- pieces --------------------------------------------------------------------------------------------------------
def _page(size: tuple[int, int], rng: np.random.Generator, table: bool) -> np.ndarray:
    """A white page with a heading, lines of text and, for a form, a ruled table."""
    width, height = size
    page = np.full((height, width, 3), int(rng.integers(225, 250)), np.uint8)
    scale = height / 1100  # font scale that gives about 45 lines a page
    line = max(8, int(24 * scale))
    margin = int(width * 0.08)
    y = margin
    cv2.putText(page, "CONG HOA XA HOI CHU NGHIA VIET NAM", (margin, y), cv2.FONT_HERSHEY_DUPLEX, 0.7 * scale, 0, 1)
    y += 2 * line
    table_at = int(rng.integers(8, 20)) if table else -1
    row = 0
    while y < height - margin:
        if row == table_at:
            y = _table(page, (margin, y, width - margin, min(height - margin, y + 10 * line)), rng)
        else:
            text = _words(rng, int(rng.integers(4, 12)))
            thickness = 1 if scale < 2 else 2
            cv2.putText(page, text, (margin, y), cv2.FONT_HERSHEY_SIMPLEX, 0.55 * scale, 20, thickness, cv2.LINE_AA)
        y += line
        row += 1
    return page


def _table(page: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator) -> int:
    x0, y0, x1, y1 = box
    rows, cols = int(rng.integers(4, 9)), int(rng.integers(3, 6))
    thick = max(1, page.shape[0] // 1500)
    for r in range(rows + 1):
        yy = y0 + (y1 - y0) * r // rows
        cv2.line(page, (x0, yy), (x1, yy), (30, 30, 30), thick)
    for c in range(cols + 1):
        xx = x0 + (x1 - x0) * c // cols
        cv2.line(page, (xx, y0), (xx, y1), (30, 30, 30), thick)
    return y1


def _words(rng: np.random.Generator, count: int) -> str:
    letters = np.array(list(string.ascii_letters + string.digits + ".,:"))
    return " ".join("".join(rng.choice(letters, int(rng.integers(1, 9)))) for _ in range(count))


def _desk(frame: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Wood or laminate: a colour with low-frequency blotches and grain along one axis."""
    width, height = frame
    base = np.array(rng.integers(60, 170, 3), np.float32)
    blotches = cv2.resize(
        rng.normal(0, 18, (12, 16)).astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC
    )
    grain = cv2.resize(
        rng.normal(0, 8, (height, 40)).astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR
    )
    shade = blotches + grain
    return cv2.merge([cv2.add(shade, float(b), dtype=cv2.CV_8U) for b in base])  # type: ignore[call-overload]


def _on_desk(page: np.ndarray, frame: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """The page laid on a desk, seen from a little off-axis (a perspective of a few percent)."""
    width, height = frame
    scene = _desk(frame, rng)
    ph, pw = page.shape[:2]
    left = rng.uniform(0.05, 0.95) * max(1, width - pw)
    top = (height - ph) / 2
    jitter = 0.04 * ph
    corners = np.array([[left, top], [left + pw, top], [left + pw, top + ph], [left, top + ph]], np.float32)
    corners += rng.uniform(-jitter, jitter, (4, 2)).astype(np.float32)
    _paste(scene, page, corners)
    return scene


def _camera(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Lens blur, uneven light, sensor noise and JPEG, in that order."""
    height, width = image.shape[:2]
    ramp = np.linspace(rng.uniform(0.7, 0.9), rng.uniform(0.95, 1.08), width, dtype=np.float32)
    if rng.integers(2):
        ramp = ramp[::-1]
    light = cv2.merge([np.broadcast_to(ramp, (height, width)).copy()] * 3)
    lens = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.5, 1.0)))
    lit = cv2.multiply(lens, light, dtype=cv2.CV_32F)
    # Luma noise only: one channel is drawn and added to all three, a third of the cost of colour noise.
    noise = rng.standard_normal((height, width), dtype=np.float32) * float(rng.uniform(2, 5))
    out = cv2.add(lit, cv2.merge([noise] * 3), dtype=cv2.CV_8U)
    quality = int(rng.integers(*_JPEG_QUALITY))
    ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
    return decoded if decoded is not None else out


# The committed sample (tests/data/camera_frames), made from the committed fixture copy (tests/data/barcodes) so
# that a fresh clone can make it again: ``python -m motcua.bench.camera_frames OUT_FOLDER``.
SAMPLE_CODES = {
    "720p": ("000_cccd_qr.jpg", "025_dossier_code128.jpg", "034_dossier_code39.jpg"),
    "1080p": ("019_dossier_qr.jpg",),
}
SAMPLE_EMPTY = {"720p": ("text", "desk", "hand"), "1080p": ("form",)}
SAMPLE_QUALITY = 45  # the frames are noisy: this keeps the sample near half a megabyte


def sample_frames(fixtures: Path) -> list[CameraFrame]:
    """The frames of the committed sample, from the fixture crops in ``fixtures``."""
    frames: list[CameraFrame] = []
    for size, names in SAMPLE_CODES.items():
        frames += code_frames(fixtures, size, list(names))
    for size, scenes in SAMPLE_EMPTY.items():
        frames += [f for f in empty_frames(size, len(NO_CODE_SCENES)) if f.source in scenes]
    return frames


if __name__ == "__main__":
    import sys

    from motcua.bench.fixtures import TEST_DATA

    write_frames(sample_frames(TEST_DATA / "barcodes"), Path(sys.argv[1]), SAMPLE_QUALITY)
