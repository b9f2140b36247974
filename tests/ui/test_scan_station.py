"""The scanning station driven as a clerk would: camera on, three pages captured as they lie still, saved into a
dossier component; the dossier's documents listed and opened; a returning citizen offered earlier documents."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import QPoint, Qt

from motcua.devices.camera import FakeCamera
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning_station import ScanningStation
from motcua.ui.ops import wait_for_ops
from motcua.ui.scan import AttachmentsList, ScanStation

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"
SHOTS = Path("/tmp/scan_shots")
QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"
SCENES = ["004_cluttered.jpg", "005_docam.jpg", "001_wood.jpg"]


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


def _station_widget(qtbot, ctx, frames: list, code: str) -> tuple[ScanStation, ScanningStation]:
    station = ScanningStation(ctx, camera_factory=lambda: FakeCamera(frames))
    w = ScanStation(station, lambda: code)
    qtbot.addWidget(w)
    w.resize(1280, 860)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.component.count() == len(station.components(code)) > 0)
    return w, station


@pytest.fixture(autouse=True)
def _drain_ops():
    yield
    wait_for_ops()


def test_clerk_scans_three_pages_from_the_camera_into_a_component(qtbot, ctx, monkeypatch) -> None:
    d = _receive(ctx)
    w, station = _station_widget(qtbot, ctx, _frames(repeat=7), d.code)
    assert w.dossier_label.text().endswith(d.code)
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.page_count() >= 1, timeout=20_000)
    _shot(w, "1-live-first-page")
    qtbot.waitUntil(lambda: w._feed is None, timeout=30_000)  # the camera's frames ran out
    qtbot.waitUntil(lambda: w.page_count() == 3, timeout=10_000)
    assert w.strip.count() == 3 and w.warnings.text() == ""
    w.component.setCurrentIndex(w.component.findData("TP1"))
    w.mode.setCurrentIndex(w.mode.findData("bw"))
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


def test_space_captures_and_pages_can_be_fixed_turned_and_deleted(qtbot, ctx) -> None:
    d = _receive(ctx)
    w, _station = _station_widget(qtbot, ctx, _frames(repeat=60), d.code)
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
