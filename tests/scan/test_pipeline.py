"""The scan pipeline on the fixture scenes: rectification to true A4, deskew, output modes, quality warnings,
and the PDF itself checked with the real tools (qpdf, pdfimages, pdfinfo, pdftoppm)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from motcua.documents.scan import build_pdf, detect_page, rectify, to_mode
from motcua.documents.scan.deskew import deskew, skew_angle
from motcua.documents.scan.pages import A4, A5
from motcua.documents.scan.quality import Issue, quality_issues, quality_warnings
from motcua.documents.scan.session import CaptureSession, page_from_image
from motcua.documents.scan.still import StillDetector

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"
TRUTH = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
SAMPLE = ["000_dark.jpg", "004_cluttered.jpg", "005_docam.jpg", "020_gray.jpg"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def pages() -> dict[str, np.ndarray]:
    """Rectified colour pages of a few fixture scenes, from the detector's own outline."""
    out = {}
    for name in SAMPLE:
        frame = cv2.imread(str(FIXTURES / name))
        corners = detect_page(frame)
        assert corners is not None, name
        out[name] = rectify(frame, corners)
    return out


# --- rectification --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_rectify_gives_a4_proportions_at_200_dpi(name: str) -> None:
    frame = cv2.imread(str(FIXTURES / name))
    page = rectify(frame, TRUTH[name]["corners"])
    h, w = page.shape[:2]
    assert h / w == pytest.approx(297 / 210, rel=0.01)
    assert (w, h) == A4.size_px(200) == (1654, 2339)


def test_rectify_with_the_detected_outline_matches_the_true_one(pages: dict[str, np.ndarray]) -> None:
    for name, page in pages.items():
        truth = rectify(cv2.imread(str(FIXTURES / name)), TRUTH[name]["corners"])
        a = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float64).ravel()
        b = cv2.cvtColor(truth, cv2.COLOR_BGR2GRAY).astype(np.float64).ravel()
        assert np.corrcoef(a, b)[0, 1] > 0.9, name


def test_a5_and_landscape_sizes() -> None:
    frame = np.full((800, 1000, 3), 255, np.uint8)
    portrait = ((100.0, 50.0), (500.0, 50.0), (500.0, 616.0), (100.0, 616.0))
    assert rectify(frame, portrait, page="A5").shape[:2] == (1654, 1165)  # 148 mm × 210 mm at 200 dpi
    landscape = ((50.0, 100.0), (616.0, 100.0), (616.0, 500.0), (50.0, 500.0))
    assert rectify(frame, landscape).shape[:2] == (1654, 2339)
    assert A5.size_px(300) == (1748, 2480)


@pytest.mark.parametrize("angle", [-2.5, 1.2, 3.0])
def test_deskew_levels_the_text(pages: dict[str, np.ndarray], angle: float) -> None:
    page = pages["004_cluttered.jpg"]
    h, w = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    tilted = cv2.warpAffine(page, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
    straight, turned = deskew(tilted)
    assert turned == pytest.approx(-angle, abs=0.2)
    assert abs(skew_angle(straight)) < 0.2


# --- modes ----------------------------------------------------------------------------------------------


def test_bw_is_binary_and_robust_to_shading() -> None:
    page = np.full((1200, 900), 255, np.uint8)
    for row in range(10):
        cv2.putText(page, "Giay tiep nhan ho so 0123", (60, 120 + row * 100), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    # A lamp on one side: the far side of the sheet gets 40 % of the light.
    shade = np.linspace(1.0, 0.4, page.shape[1])[None, :]
    shaded = (page * shade).astype(np.uint8)
    bw = to_mode(cv2.cvtColor(shaded, cv2.COLOR_GRAY2BGR), "bw")
    assert set(np.unique(bw)) <= {0, 255}
    blank = bw[1150:1190, :]  # below the text: paper only, in the dark part too
    assert (blank == 255).mean() > 0.999
    text = (page < 128).astype(np.uint8)
    stroke_cores = cv2.erode(text, np.ones((3, 3), np.uint8)) > 0
    assert (bw[stroke_cores] == 0).mean() > 0.99  # the print survives, in the shade as in the light
    far_from_print = cv2.dilate(text, np.ones((7, 7), np.uint8)) == 0
    assert (bw[far_from_print] == 255).mean() > 0.999
    unshaded = to_mode(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), "bw")
    assert (bw == unshaded).mean() > 0.99


def test_colour_keeps_the_red_seal_and_the_blue_signature(pages: dict[str, np.ndarray]) -> None:
    colour = to_mode(pages["004_cluttered.jpg"], "colour").astype(np.int16)
    b, g, r = colour[..., 0], colour[..., 1], colour[..., 2]
    red = (r - np.maximum(g, b)) > 60
    blue = (b - np.maximum(g, r)) > 40
    assert red.sum() > 2000 and blue.sum() > 1000
    grey = to_mode(pages["004_cluttered.jpg"], "grey")
    assert grey.ndim == 2


def test_quality_warnings_fire_on_blur_darkness_and_blank_pages(pages: dict[str, np.ndarray]) -> None:
    for name, page in pages.items():
        assert quality_warnings(page) == [], name
    good = pages["004_cluttered.jpg"]
    assert Issue.BLUR in quality_issues(cv2.GaussianBlur(good, (0, 0), 4))
    assert Issue.DARK in quality_issues((good * 0.25).astype(np.uint8))
    assert quality_issues(np.full_like(good, 236)) == [Issue.BLANK]
    assert "mờ" in quality_warnings(cv2.GaussianBlur(good, (0, 0), 4))[0]


# --- the PDF --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(pages: dict[str, np.ndarray], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for mode in ("bw", "grey", "colour"):
        data = build_pdf([to_mode(p, mode) for p in pages.values()], mode, 200, title="Hồ sơ thử")
        out[mode] = folder / f"{mode}.pdf"
        out[mode].write_bytes(data)
    return out


def test_pdfs_pass_qpdf_check(pdfs: dict[str, Path]) -> None:
    for mode, path in pdfs.items():
        run = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, (mode, run.stdout, run.stderr)
        assert "No syntax or stream encoding errors" in run.stdout


def test_bw_pages_are_ccitt_g4_and_grey_colour_are_jpeg(pdfs: dict[str, Path]) -> None:
    expected = {"bw": ("ccitt", "gray", "1"), "grey": ("jpeg", "gray", "8"), "colour": ("jpeg", "rgb", "8")}
    for mode, path in pdfs.items():
        listing = subprocess.run([_tool("pdfimages"), "-list", str(path)], capture_output=True, text=True).stdout
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        assert len(rows) == len(SAMPLE)
        enc, color, bpc = expected[mode]
        assert all(r[8] == enc and r[5] == color and r[7] == bpc for r in rows), listing
        assert all(r[12] == "200" and r[13] == "200" for r in rows), listing  # x-ppi, y-ppi
    raw = pdfs["bw"].read_bytes()
    assert b"/CCITTFaxDecode" in raw and b"/K -1" in raw


def test_pages_are_a4_and_bw_stays_under_80_kb_per_page(pdfs: dict[str, Path]) -> None:
    info = subprocess.run([_tool("pdfinfo"), str(pdfs["bw"])], capture_output=True, text=True).stdout
    assert f"Pages:           {len(SAMPLE)}" in info
    assert "(A4)" in info
    assert pdfs["bw"].stat().st_size / len(SAMPLE) < 80 * 1024


def _render(path: Path, tmp_path: Path, page: int) -> np.ndarray:
    prefix = tmp_path / f"{path.stem}-{page}"
    subprocess.run(
        [_tool("pdftoppm"), "-r", "200", "-gray", "-f", str(page), "-l", str(page), str(path), str(prefix)],
        check=True,
    )
    (rendered,) = tmp_path.glob(f"{prefix.name}*.pgm")
    return cv2.imread(str(rendered), cv2.IMREAD_GRAYSCALE)


def test_rendered_pages_match_their_source_and_the_text_is_straight(
    pages: dict[str, np.ndarray], pdfs: dict[str, Path], tmp_path: Path
) -> None:
    for n, page in enumerate(pages.values(), start=1):
        bw = to_mode(page, "bw")
        back = _render(pdfs["bw"], tmp_path, n)
        assert back.shape == bw.shape  # not clipped, not scaled
        assert ((back < 128) == (bw == 0)).mean() > 0.98
        assert abs(skew_angle(back)) < 0.5
        grey = to_mode(page, "grey")
        back_grey = _render(pdfs["grey"], tmp_path, n).astype(np.float64)
        assert np.corrcoef(back_grey.ravel(), grey.astype(np.float64).ravel())[0, 1] > 0.95


# --- capture helpers ------------------------------------------------------------------------------------


def test_still_detector_fires_once_per_still_page() -> None:
    a = cv2.imread(str(FIXTURES / "004_cluttered.jpg"))
    b = cv2.imread(str(FIXTURES / "005_docam.jpg"))
    at_5fps = _Clock(0.2)
    still = StillDetector(still_s=0.6, clock=at_5fps)
    fired = [still.update(f) for f in [a] * 8 + [b] * 8]
    assert fired.count(True) == 2
    assert fired.index(True) == 4 and fired.index(True, 8) == 12  # calm from the 2nd frame, 0.6 s later
    assert not any(StillDetector(still_s=0.6, clock=_Clock(0.2)).update(a, page_found=False) for _ in range(6))


def test_still_means_the_same_moment_at_any_frame_rate() -> None:
    a = cv2.imread(str(FIXTURES / "004_cluttered.jpg"))
    for fps in (5, 15, 30):
        still = StillDetector(still_s=0.8, clock=_Clock(1 / fps))
        first = [still.update(a) for _ in range(3 * fps)].index(True)
        assert abs(first / fps - 1 / fps - 0.8) <= 1.01 / fps  # ~0.8 s after the page came to rest, at every rate


class _Clock:
    """A camera's clock: each reading is one frame period after the one before."""

    def __init__(self, period: float) -> None:
        self.period, self.now = period, 0.0

    def __call__(self) -> float:
        self.now += self.period
        return self.now


def test_session_edits_and_pdf(pages: dict[str, np.ndarray]) -> None:
    frames = [cv2.imread(str(FIXTURES / n)) for n in SAMPLE[:3]]
    session = CaptureSession()
    for f in frames:
        session.add(page_from_image(f))
    session.rotate(0)
    assert session.render("grey")[0].shape == (1654, 2339)  # turned a quarter: landscape
    session.move(2, 0)
    assert session.pages[0].frame is frames[2]
    session.delete(1)
    assert len(session.pages) == 2
    session.set_corners(0, TRUTH[SAMPLE[2]]["corners"])
    assert session.pages[0].detected is False
    assert session.to_pdf("bw").startswith(b"%PDF-1.4")
