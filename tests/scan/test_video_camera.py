"""A video file works as a camera: frames come out, the page is outlined, and auto-capture takes a still page."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from motcua.devices.camera import OpenCvCamera, open_camera
from motcua.services.scanning_station import ScanningStation

SCENES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"


def _video(path: Path, frame: np.ndarray, count: int) -> Path:
    h, w = frame.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (w, h))
    assert writer.isOpened()
    for _ in range(count):
        writer.write(frame)
    writer.release()
    return path


def test_video_file_camera_yields_frames_then_ends(tmp_path: Path) -> None:
    frame = np.full((240, 320, 3), 200, np.uint8)
    cam = open_camera(str(_video(tmp_path / "clip.avi", frame, 5)))
    assert isinstance(cam, OpenCvCamera)
    frames = [cam.read() for _ in range(6)]
    cam.close()
    assert all(f is not None and f.shape == (240, 320, 3) for f in frames[:5])
    assert frames[5] is None


def test_station_reads_a_still_page_from_a_video_and_captures_it(ctx, tmp_path: Path) -> None:
    scene = cv2.imread(str(SCENES / "004_cluttered.jpg"))
    small = cv2.resize(scene, (800, 600))
    clip = _video(tmp_path / "desk.avi", small, 20)
    feed = ScanningStation(ctx).open_feed(auto_capture=True, source=str(clip), size=(800, 600))
    captures = 0
    outlined = 0
    try:
        for _ in range(20):
            live = feed.next()
            if live is None:
                break
            outlined += live.corners is not None
            captures += live.capture_now
    finally:
        feed.close()
    assert outlined >= 10
    assert captures == 1  # a page lying still is taken once, not once a frame


def test_a_video_of_a_page_running_out_of_the_frame_is_flagged_and_never_captured(ctx, tmp_path: Path) -> None:
    # 001_wood as shot: the page's bottom-right corner is beyond the picture.
    scene = cv2.imread(str(SCENES / "001_wood.jpg"))
    clip = _video(tmp_path / "cut.avi", cv2.resize(scene, (800, 600)), 12)
    feed = ScanningStation(ctx).open_feed(auto_capture=True, source=str(clip))
    frames = []
    try:
        while (live := feed.next()) is not None:
            frames.append(live)
    finally:
        feed.close()
    assert len(frames) == 12
    assert all(f.cut for f in frames)
    assert not any(f.capture_now for f in frames)
