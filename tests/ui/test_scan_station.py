"""The scanning station driven as a clerk would: camera chosen by name and remembered, on, three pages captured as
they lie still, checked zoomed in, saved into a dossier component in its own mode; a page partly outside the frame
flagged and not taken on its own; a camera that fails said so; the dossier's documents listed and opened; a
returning citizen offered earlier documents. Screenshots at 1366×768 go to /tmp/shots-scantab."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from motcua.devices.camera import FakeCamera
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning_station import CameraDevice, ScanningStation
from motcua.ui.ops import wait_for_ops
from motcua.ui.scan import AttachmentsList, ScanStation
from motcua.ui.scan.camera_chooser import FILES_ITEM, VIDEO_ITEM

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"
SHOTS = Path("/tmp/shots-scantab")
QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"
# Scenes whose page lies wholly in the frame (001_wood and 005_docam run past its edge as shot).
SCENES = ["004_cluttered.jpg", "017_docam.jpg", "020_gray.jpg"]
CUT = "Trang bị cắt ngoài khung hình, hãy dịch giấy lên trên"  # the bottom of the page is outside
SCREEN = (1366, 768 - 150)  # the scan tab inside the counter window on a 1366×768 screen


def _shot(w, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(SHOTS / f"{name}.png"))


def _receive(ctx) -> object:
    svc = ReceptionService(ctx)
    p = svc.procedure("1.001193")
    comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    return svc.receive(ReceiveRequest(p.code, parse_cccd(QR).to_applicant(), comps))


def _frames(repeat: int) -> list:
    # Each page lies still on the desk for a while before the clerk puts the next one down.
    return [cv2.imread(str(FIXTURES / n)) for n in SCENES for _ in range(repeat)]


def _settings(tmp_path: Path) -> QSettings:
    """The workstation's own settings, in a file of the test's (never the developer's real ones)."""
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


def _show(qtbot, station: ScanningStation, code: str, settings: QSettings) -> ScanStation:
    w = ScanStation(station, lambda: code, settings=settings)
    qtbot.addWidget(w)
    w.resize(*SCREEN)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # shortcuts only reach the active window
    qtbot.waitActive(w)
    qtbot.waitUntil(lambda: w.component.count() == len(station.components(code)) > 0)
    return w


def _station_widget(
    qtbot, ctx, frames: list, code: str, tmp_path: Path, fps: float | None = None
) -> tuple[ScanStation, ScanningStation]:
    station = ScanningStation(ctx, camera_factory=lambda: FakeCamera(frames, fps))
    return _show(qtbot, station, code, _settings(tmp_path)), station


def _choose(combo, data: object) -> None:
    """Pick an entry of a combo box as the clerk does (``activated`` is the user's signal)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _video(path: Path, frame: np.ndarray, count: int) -> Path:
    h, w = frame.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (w, h))
    for _ in range(count):
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture(autouse=True)
def _drain_ops(qtbot):
    # Torn down before qtbot closes the widgets: no worker is left to report to a widget being destroyed.
    yield
    wait_for_ops()


def test_clerk_scans_three_pages_from_the_camera_into_a_component(qtbot, ctx, monkeypatch, tmp_path) -> None:
    d = _receive(ctx)
    # Each page held still for two seconds in front of a 15 frames-a-second camera: auto-capture takes it once.
    w, station = _station_widget(qtbot, ctx, _frames(repeat=30), d.code, tmp_path, fps=15)
    assert w.dossier_label.text().endswith(d.code)
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.page_count() >= 1, timeout=20_000)
    assert w.live_warning() == ""  # whole pages: no warning over the view
    _shot(w, "1-live-first-page")
    qtbot.waitUntil(lambda: w._feed is None, timeout=60_000)  # the camera's frames ran out
    qtbot.waitUntil(lambda: w.page_count() == 3, timeout=10_000)
    assert w.strip.count() == 3 and w.warnings.text() == ""
    w.component.setCurrentIndex(w.component.findData("TP1"))
    _choose(w.mode, "bw")  # the seal on these pages asked for colour; the clerk keeps this one B&W
    _shot(w, "2-three-pages")
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.page_count() == 0 and w.messages.label.text().startswith("Đã lưu"), timeout=20_000)
    _shot(w, "3-saved")
    (att,) = station.attachments_for(d.code)
    assert (att.component_code, att.pages, att.mode) == ("TP1", 3, "bw")
    assert station.file_path(att).read_bytes().startswith(b"%PDF")
    assert att.size < 3 * 80 * 1024

    opened = []
    monkeypatch.setattr("motcua.ui.scan.attachments.QDesktopServices.openUrl", lambda url: opened.append(url))
    lst = AttachmentsList(station)
    qtbot.addWidget(lst)
    lst.resize(700, 300)
    lst.show()
    lst.show_dossier(d.code)
    qtbot.waitUntil(lambda: lst.list.count() == 1 and lst.list.item(0).data(Qt.ItemDataRole.UserRole) == att.id)
    _shot(lst, "4-attachments")
    rect = lst.list.visualItemRect(lst.list.item(0))
    qtbot.mouseClick(lst.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [u.toLocalFile() for u in opened] == [str(station.file_path(att))]


def test_space_captures_and_pages_can_be_fixed_turned_and_deleted(qtbot, ctx, tmp_path) -> None:
    d = _receive(ctx)
    w, _station = _station_widget(qtbot, ctx, _frames(repeat=60), d.code, tmp_path)
    w.auto_capture.setChecked(False)
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w._last is not None, timeout=10_000)
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.page_count() == 1, timeout=10_000)
    w.stop_camera()
    assert w.strip.currentRow() == 0
    qtbot.mouseClick(w.rotate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w._pages[w._order[0]].page.quarter_turns == 1, timeout=10_000)
    preview = w._pages[w._order[0]].preview
    assert preview.shape[0] < preview.shape[1]  # turned a quarter: landscape now
    w.edit_button.setChecked(True)
    assert w.views.currentWidget() is w.editor
    truth = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))[SCENES[0]]["corners"]
    # Drag the top-left handle onto the true corner, as the clerk would with the mouse.
    handle = w.editor.handles[0]
    start = w.editor.mapFromScene(handle.pos())
    target = w.editor.mapFromScene(*truth[0])
    qtbot.mousePress(w.editor.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(w.editor.viewport(), pos=QPoint(target.x(), target.y()))
    qtbot.mouseRelease(w.editor.viewport(), Qt.MouseButton.LeftButton, pos=target)
    qtbot.waitUntil(lambda: not w._pages[w._order[0]].page.detected, timeout=10_000)
    _shot(w, "5-corner-editor")
    moved = w._pages[w._order[0]].page.corners[0]
    assert abs(moved[0] - truth[0][0]) < 8 and abs(moved[1] - truth[0][1]) < 8
    qtbot.mouseClick(w.delete_button, Qt.MouseButton.LeftButton)
    assert w.page_count() == 0 and not w.save_button.isEnabled()


def test_returning_citizen_is_offered_earlier_documents(qtbot, ctx) -> None:
    station = ScanningStation(ctx)
    first = _receive(ctx)
    frame = cv2.imread(str(FIXTURES / SCENES[1]))
    att = station.save([station.capture(frame).page], first.code, "TP3", "grey")
    second = _receive(ctx)
    lst = AttachmentsList(station)
    qtbot.addWidget(lst)
    lst.resize(760, 360)
    lst.show()
    lst.show_dossier(second.code)
    qtbot.waitUntil(lambda: lst.reuse_box.isVisible() and lst.reuse_list.count() == 1)
    assert first.code in lst.reuse_list.item(0).text()
    _shot(lst, "6-reuse-offer")
    qtbot.mouseClick(lst.reuse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(station.attachments_for(second.code)) == 1 and not lst.reuse_box.isVisible())
    (reused,) = station.attachments_for(second.code)
    assert reused.reused_from == att.id and reused.sha256 == att.sha256


# -- the camera chooser ------------------------------------------------------------------------------------------
FOUND = [CameraDevice("v4l2:0", "HD Pro Webcam C920", 0), CameraDevice("v4l2:2", "Document Camera S500", 2)]


def test_cameras_are_chosen_by_name_the_choice_is_kept_and_a_video_file_works_as_a_camera(
    qtbot, ctx, tmp_path, monkeypatch
) -> None:
    d = _receive(ctx)
    station = ScanningStation(ctx)
    monkeypatch.setattr(station, "cameras", lambda: FOUND)
    settings = _settings(tmp_path)
    w = _show(qtbot, station, d.code, settings)
    combo = w.camera_chooser.combo
    qtbot.waitUntil(lambda: combo.findData("v4l2:2") >= 0)  # listed off the GUI thread when the tab shows
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts[:2] == ["HD Pro Webcam C920 — camera 1", "Document Camera S500 — camera 3"]
    assert texts[-2:] == ["Tệp video…", "Ảnh hoặc PDF đã quét…"]
    assert combo.currentData() == "v4l2:0"  # the settings' camera 0, found here under its name
    combo.showPopup()
    _shot(combo.view().window(), "7-camera-chooser-open")
    combo.hidePopup()

    _choose(combo, "v4l2:2")
    assert w.camera_chooser.source() == "v4l2:2" and settings.value("scan/camera") == "v4l2:2"

    clip = _video(
        tmp_path / "desk.avi", cv2.resize(cv2.imread(str(FIXTURES / SCENES[0])), (800, 600)), 20
    )  # 2 s at 10 frames a second
    monkeypatch.setattr("motcua.ui.scan.camera_chooser.QFileDialog.getOpenFileName", lambda *_a, **_k: (str(clip), ""))
    _choose(combo, VIDEO_ITEM)
    assert w.camera_chooser.source() == str(clip) and combo.currentText() == "Video: desk.avi"
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.page_count() == 1, timeout=20_000)  # the still page in the video, taken once
    _shot(w, "8-video-file-as-camera")
    qtbot.waitUntil(lambda: w._feed is None, timeout=60_000)

    opened = []
    monkeypatch.setattr(w, "add_files", lambda paths: opened.append(paths))
    monkeypatch.setattr(
        "motcua.ui.scan.station.QFileDialog.getOpenFileNames",
        lambda *_a, **_k: ([str(FIXTURES / SCENES[1])], ""),
    )
    _choose(combo, FILES_ITEM)
    assert opened == [[FIXTURES / SCENES[1]]]
    assert combo.currentData() == str(clip)  # adding files does not change the camera

    # The workstation opens the scan tab another day: its camera is the one chosen.
    again = _show(qtbot, station, d.code, _settings(tmp_path))
    assert again.camera_chooser.source() == str(clip)


def test_a_camera_that_fails_to_open_is_said_in_the_message_bar_and_on_the_view(qtbot, ctx, tmp_path) -> None:
    d = _receive(ctx)
    settings = _settings(tmp_path)
    settings.setValue("scan/camera", "v4l2:63")  # chosen another day; not plugged in now
    w = _show(qtbot, ScanningStation(ctx), d.code, settings)
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.messages.label.text().startswith("Không mở được camera 64"), timeout=10_000)
    _shot(w, "9-camera-fails")
    assert w._feed is None and w.camera_button.isEnabled() and w.camera_button.text() == "Bật camera"
    assert w.live.pixmap().isNull() and "Không mở được camera 64" in w.live.text()


class _StallingCamera:
    """Gives a few frames, then hangs (a camera pulled out mid-stream) until released."""

    def __init__(self, frames: list) -> None:
        self._frames = list(frames)
        self.release = threading.Event()

    def read(self) -> np.ndarray | None:
        if self._frames:
            return self._frames.pop(0)
        self.release.wait(30)
        return None

    def close(self) -> None:
        self.release.set()


def test_a_camera_that_stops_sending_frames_does_not_leave_a_frozen_picture(qtbot, ctx, tmp_path) -> None:
    d = _receive(ctx)
    camera = _StallingCamera(_frames(repeat=2)[:2])
    station = ScanningStation(ctx, camera_factory=lambda: camera)
    w = _show(qtbot, station, d.code, _settings(tmp_path))
    w.STALL_MS = 300
    w.auto_capture.setChecked(False)
    try:
        qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w._last is not None, timeout=10_000)
        qtbot.waitUntil(lambda: "Camera không gửi hình" in w.live.text(), timeout=10_000)
        assert w.live.pixmap().isNull() and w.messages.label.text().startswith("Camera không gửi hình")
        assert not w.capture_button.isEnabled() or w._last is None  # nothing stale to capture
    finally:
        camera.release.set()
    qtbot.waitUntil(lambda: w._feed is None, timeout=10_000)


# -- the preview with zoom ----------------------------------------------------------------------------------------
def _wheel(view, notches: int) -> None:
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_the_captured_page_can_be_zoomed_to_full_size_and_panned(qtbot, ctx, tmp_path) -> None:
    d = _receive(ctx)
    w, _station = _station_widget(qtbot, ctx, [], d.code, tmp_path)
    w.add_files([FIXTURES / SCENES[1]])
    qtbot.waitUntil(lambda: w.page_count() == 1 and w.preview_is_full(), timeout=20_000)
    view = w.preview.view
    page_w, page_h = view.page_size()
    assert (round(page_w), round(page_h)) == w.current_page().size == (1654, 2339)  # A4 at 200 dpi
    # Fitted: the whole page in view.
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert view.is_fitting() and seen.width() >= page_w - 2 and seen.height() >= page_h - 2
    fitted = view.zoom()

    qtbot.keyClick(w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(w, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(fitted)
    _wheel(view, 2)
    assert view.zoom() == pytest.approx(fitted * 1.25**2)
    qtbot.mouseClick(w.preview.actual_button, Qt.MouseButton.LeftButton)
    assert view.zoom() == pytest.approx(1.0) and w.preview.zoom_label.text() == "100 %"
    _shot(w, "10-zoom-100-percent")

    # Pan: drag the page as a sheet on the desk.
    h_bar, v_bar = view.horizontalScrollBar(), view.verticalScrollBar()
    before = (h_bar.value(), v_bar.value())
    start = view.viewport().rect().center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), pos=start + QPoint(-120, -160))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(-120, -160))
    assert (h_bar.value(), v_bar.value()) == (before[0] + 120, before[1] + 160)

    qtbot.keyClick(w, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.is_fitting() and view.zoom() == pytest.approx(fitted)


# -- the output mode per component --------------------------------------------------------------------------------
def test_each_component_has_its_own_mode_default_from_its_name_or_a_red_seal_and_the_clerk_s_choice_kept(
    qtbot, ctx, tmp_path
) -> None:
    d = _receive(ctx)  # TP1 "Tờ khai …", TP2 "Giấy chứng sinh …", TP3 "Văn bản ủy quyền …", TP4 "… bản chính"
    w, station = _station_widget(qtbot, ctx, [], d.code, tmp_path)
    expected = {"TP1": "bw", "TP2": "colour", "TP3": "bw", "TP4": "colour"}
    for code, mode in expected.items():
        w.component.setCurrentIndex(w.component.findData(code))
        assert w.mode.currentData() == mode and w.mode_reason.text().startswith("Mặc định: ")
    w.component.setCurrentIndex(w.component.findData("TP2"))
    _choose(w.mode, "grey")
    assert w.mode_reason.text() == "Do bạn chọn"

    # A page with a red seal in a component meant for B&W turns it to colour, and says so.
    w.component.setCurrentIndex(w.component.findData("TP3"))
    w.add_files([FIXTURES / SCENES[2]])
    qtbot.waitUntil(lambda: w.page_count() == 1 and w.mode.currentData() == "colour", timeout=20_000)
    assert w.mode_reason.text() == "Trang có dấu đỏ"
    assert w.messages.label.text() == "Trang có dấu đỏ: thành phần TP3 sẽ lưu ở chế độ Màu"
    qtbot.waitUntil(w.preview_is_full, timeout=20_000)
    _shot(w, "11-mode-per-component")
    # …unless the clerk chose the mode by hand.
    w.component.setCurrentIndex(w.component.findData("TP1"))
    _choose(w.mode, "bw")
    w.add_files([FIXTURES / SCENES[1]])
    qtbot.waitUntil(lambda: w.page_count() == 2, timeout=20_000)
    assert w.mode.currentData() == "bw"

    # Each component keeps its own while the dossier is scanned.
    w.component.setCurrentIndex(w.component.findData("TP2"))
    assert w.mode.currentData() == "grey"
    assert {c: w.mode_of(c) for c in expected} == {"TP1": "bw", "TP2": "grey", "TP3": "colour", "TP4": "colour"}
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.page_count() == 0, timeout=20_000)
    (att,) = station.attachments_for(d.code)
    assert (att.component_code, att.mode) == ("TP2", "grey")


# -- a page partly outside the frame ------------------------------------------------------------------------------
class _CountingCamera(FakeCamera):
    def __init__(self, frames: list, fps: float | None = None) -> None:
        super().__init__(frames, fps)
        self.reads = 0

    def read(self) -> np.ndarray | None:
        self.reads += 1
        return super().read()


def _cut_frame(share_rows: float = 0.8) -> np.ndarray:
    # 017_docam with the bottom of the frame cropped off: about a quarter of the page is outside.
    image = cv2.imread(str(FIXTURES / "017_docam.jpg"))
    return np.ascontiguousarray(image[: round(image.shape[0] * share_rows)])


def test_a_page_partly_outside_the_frame_is_flagged_on_the_view_and_the_page_and_not_taken_by_itself(
    qtbot, ctx, tmp_path
) -> None:
    d = _receive(ctx)
    camera = _CountingCamera([_cut_frame()] * 40, fps=20)  # two seconds still: auto-capture waits 0.8 s
    station = ScanningStation(ctx, camera_factory=lambda: camera)
    w = _show(qtbot, station, d.code, _settings(tmp_path))
    assert w.auto_capture.isChecked()
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.live_warning() == "⚠ " + CUT, timeout=10_000)
    _shot(w, "12-live-page-cut-off")
    # The page lies still for many frames, long past what auto-capture waits for a whole page: nothing is taken.
    qtbot.waitUntil(lambda: camera.reads >= 36, timeout=60_000)
    assert w.page_count() == 0
    w.capture()  # the clerk takes it anyway
    qtbot.waitUntil(lambda: w.page_count() == 1, timeout=10_000)
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)  # camera off
    assert w._feed is None and w.page_count() == 1
    qtbot.waitUntil(w.preview_is_full, timeout=20_000)
    assert w.warnings.text().startswith("⚠ " + CUT) and w.warnings.isVisible()
    assert w.strip.item(0).text().endswith("⚠")
    _shot(w, "13-captured-page-cut-off")
