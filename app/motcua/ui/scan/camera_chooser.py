"""Which camera the scanning station uses: the cameras found on this computer by name, a video file (training,
demo), or image and PDF files; the choice is remembered for this workstation (QSettings, not the centre's
configuration, which every workstation shares).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QPushButton, QStyle, QWidget

from motcua.i18n import tr
from motcua.services.scanning_station import CameraDevice, ScanningStation
from motcua.ui.ops import Op

SOURCE_KEY = "scan/camera"
VIDEO_ITEM = "\x00video"
FILES_ITEM = "\x00files"
_VIDEO_FILTER = "*.avi *.mp4 *.mkv *.mov *.mjpg *.mjpeg *.webm"


class CameraChooser(QWidget):
    """Args:
        station: the scanning service (lists the cameras off the GUI thread).
        settings: where the workstation keeps its choice.

    Signals:
        source_did_change(str): the clerk chose another camera or video file.
        files_wanted(): the clerk chose "image or PDF files…".
        probe_did_finish(int): the cameras were listed (how many were found).
    """

    source_did_change = Signal(str)
    files_wanted = Signal()
    probe_did_finish = Signal(int)

    def __init__(self, station: ScanningStation, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._settings = settings
        self._found: list[CameraDevice] = []
        self._probing = False
        self._probed = False
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(260)
        self.combo.setToolTip(tr("Chọn camera, tệp video, hoặc ảnh/PDF đã quét"))
        self.combo.activated.connect(self._activated)
        self.refresh_button = QPushButton()
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.setFixedWidth(36)
        self.refresh_button.setToolTip(tr("Tìm lại camera (sau khi cắm thêm camera)"))
        self.refresh_button.clicked.connect(self.probe)
        lay.addWidget(self.combo, 1)
        lay.addWidget(self.refresh_button)
        self._current = self._saved()
        self._fill()

    # -- what is chosen ------------------------------------------------------------------------------------
    def source(self) -> str:
        """The chosen camera source ("dshow:0", "v4l2:2", a video file path, …)."""
        return self._current

    def is_file(self) -> bool:
        """Whether the chosen source is a video file (which keeps its own picture size)."""
        return bool(Path(self._current).suffix)

    def _saved(self) -> str:
        value = self._settings.value(SOURCE_KEY, "")
        return str(value) if value else self._station.default_source

    def choose(self, source: str) -> None:
        """Use ``source`` from now on, on this workstation."""
        self._current = source
        self._settings.setValue(SOURCE_KEY, source)
        self._settings.sync()
        self._fill()
        self.source_did_change.emit(source)

    # -- the list ------------------------------------------------------------------------------------------
    def probe(self) -> None:
        """List the cameras present (off the GUI thread: opening devices can take seconds)."""
        if self._probing:
            return
        self._probing = True
        self.refresh_button.setEnabled(False)
        self.combo.setToolTip(tr("Đang tìm camera…"))
        Op(self, self._station.cameras).success(self._probed_ok).failure(lambda _exc: self._probed_ok([])).run()

    def probe_once(self) -> None:
        if not self._probed:
            self.probe()

    def _probed_ok(self, cameras: list[CameraDevice]) -> None:
        self._probing = False
        self._probed = True
        self._found = list(cameras)
        if self._current.isdigit():
            # The settings name a camera by its bare number; show it as the device of that number found here.
            same = [c for c in self._found if c.index == int(self._current)]
            self._current = same[0].source if same else self._current
        self.refresh_button.setEnabled(True)
        self.combo.setToolTip(tr("Chọn camera, tệp video, hoặc ảnh/PDF đã quét"))
        self._fill()
        self.probe_did_finish.emit(len(cameras))

    def _label(self, source: str) -> str:
        described = self._station.describe_source(source)
        for c in self._found:
            if c.source == source:
                return f"{c.name} — {described}" if c.name else described.capitalize()
        if Path(source).suffix:
            return tr("Video: {file}", file=described)
        if self._probed:
            return tr("{camera} — không thấy trên máy này", camera=described.capitalize())
        return described.capitalize()

    def _fill(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        sources = [c.source for c in self._found]
        if self._current not in sources:
            sources.append(self._current)
        for source in sources:
            self.combo.addItem(self._label(source), source)
        if self._probed and not self._found:
            self.combo.addItem(tr("(không tìm thấy camera nào trên máy này)"), None)
            self.combo.model().item(self.combo.count() - 1).setEnabled(False)  # type: ignore[attr-defined]
        self.combo.insertSeparator(self.combo.count())
        self.combo.addItem(tr("Tệp video…"), VIDEO_ITEM)
        self.combo.addItem(tr("Ảnh hoặc PDF đã quét…"), FILES_ITEM)
        self.combo.setCurrentIndex(max(0, self.combo.findData(self._current)))
        self.combo.blockSignals(False)

    def _activated(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == VIDEO_ITEM:
            path, _filter = QFileDialog.getOpenFileName(
                self, tr("Chọn tệp video làm camera"), "", tr("Video ({patterns})", patterns=_VIDEO_FILTER)
            )
            if path:
                self.choose(path)
            else:
                self._fill()
            return
        if data == FILES_ITEM:
            self._fill()  # the camera stays chosen; the files are added as pages
            self.files_wanted.emit()
            return
        if data and data != self._current:
            self.choose(str(data))
