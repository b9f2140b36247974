"""The scanning station inside the counter window: a camera chosen by name, the live view with the page outline,
capture by button, Space or automatically when the page is still (never while part of it is outside the frame),
a strip of pages to fix, the page as it will be stored with zoom, an output mode per dossier component, and "save
to the dossier".

Frames are pulled one at a time by an ``Op`` (read + detect off the GUI thread); the next pull is scheduled
only when the previous one has come back, so a slow camera never piles up work. A camera that stops answering is
said so on the view and in the message bar; the last picture is not left standing as if it were live.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.attachment import Attachment
from motcua.i18n import tr
from motcua.services.scanning_station import CapturedPage, LiveFeed, LiveFrame, ScanningStation
from motcua.ui.ops import Op
from motcua.ui.scan.camera_chooser import CameraChooser
from motcua.ui.scan.corner_editor import CornerEditor
from motcua.ui.scan.images import frame_with_outline
from motcua.ui.scan.page_strip import PageStrip
from motcua.ui.scan.zoom_view import PagePreview
from motcua.ui.widgets.message_bar import MessageBar, describe_error

FRAME_INTERVAL_MS = 10  # a breath for the event loop between frames: the camera read paces the view
FOLDER_POLL_MS = 2000
RESOLUTION_KEY = "scan/resolution"
_BANNER_STYLE = "background:#e65100;color:white;font-weight:bold;padding:6px 10px;"
_PAGE_WARNING_STYLE = "background:#fdecea;color:#8a1c14;font-weight:bold;padding:4px 8px;border:1px solid #f0a39b;"
_IDLE_STYLE = "background:#263238;color:#eceff1;"


class ScanStation(QWidget):
    """Args:
        station: the scanning service.
        dossier_code_provider: returns the dossier being digitized (None when none is open).
        messages: where to say what happened (a MessageBar of the window, or an own one).
        settings: where this workstation keeps its camera choice (default: the application's QSettings).

    Signals:
        attachment_did_add(object): a PDF was saved to the dossier (the Attachment).

    ``STALL_MS``: how long a camera may keep the view waiting for a frame before the clerk is told.
    """

    attachment_did_add = Signal(object)
    STALL_MS = 5000

    def __init__(
        self,
        station: ScanningStation,
        dossier_code_provider: Callable[[], str | None],
        messages: MessageBar | None = None,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._station = station
        self._dossier_code = dossier_code_provider
        self._settings = settings if settings is not None else QSettings()
        self._feed: LiveFeed | None = None
        self._opening = False
        self._last: LiveFrame | None = None
        self._pulling = False
        self._pages: dict[int, CapturedPage] = {}
        self._order: list[int] = []
        self._ids = itertools.count(1)
        self._folder_watch: object | None = None
        self._loaded_for: str | None = None
        self._component_names: dict[str, str] = {}
        # The output mode of each component of each dossier while it is scanned, and why it is that mode.
        self._modes: dict[tuple[str, str], str] = {}
        self._mode_reasons: dict[tuple[str, str], str] = {}
        self._chosen_by_clerk: set[tuple[str, str]] = set()
        self._shown: tuple[int, str, int, bool] | None = None  # (page id, mode, page, full size) in the preview
        self._build(messages)

    # -- layout --------------------------------------------------------------------------------------------
    def _build(self, messages: MessageBar | None) -> None:
        lay = QVBoxLayout(self)
        self.messages = messages or MessageBar()
        if messages is None:
            lay.addWidget(self.messages)
        self.dossier_label = QLabel()
        self.dossier_label.setProperty("role", "title")
        lay.addWidget(self.dossier_label)
        lay.addLayout(self._build_sources())

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_live())
        split.addWidget(self._build_page_panel())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        lay.addWidget(split, 1)

        self.strip = PageStrip()
        self.strip.currentItemChanged.connect(lambda *_a: self._show_current())
        self.strip.order_did_change.connect(self._reordered)
        lay.addWidget(self.strip)
        lay.addLayout(self._build_save_row())

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._pull)
        self._stall_timer = QTimer(self)
        self._stall_timer.setSingleShot(True)
        self._stall_timer.timeout.connect(self._camera_stalled)
        self._folder_timer = QTimer(self)
        self._folder_timer.timeout.connect(self._poll_folder)
        keys: list[tuple[QKeySequence | Qt.Key | str, Callable[[], None]]] = [
            (QKeySequence(Qt.Key.Key_Space), self.capture),
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.preview.view.zoom_in),
            (QKeySequence("Ctrl+="), self.preview.view.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.preview.view.zoom_out),
            (QKeySequence("Ctrl+0"), self.preview.view.fit),
            (QKeySequence("Ctrl+1"), self.preview.view.actual_size),
        ]
        for key, slot in keys:
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _build_sources(self) -> QHBoxLayout:
        sources = QHBoxLayout()
        self.camera_chooser = CameraChooser(self._station, self._settings)
        self.camera_chooser.files_wanted.connect(self._choose_files)
        self.camera_chooser.source_did_change.connect(self._source_changed)
        self.resolution = QComboBox()
        configured = self._station.ctx.settings.camera
        for width, height in dict.fromkeys(
            [(configured.width, configured.height), (1280, 720), (1920, 1080), (2592, 1944), (3264, 2448)]
        ):
            self.resolution.addItem(f"{width}×{height}", (width, height))
        saved = str(self._settings.value(RESOLUTION_KEY, ""))
        for i in range(self.resolution.count()):
            if "{}x{}".format(*self.resolution.itemData(i)) == saved:
                self.resolution.setCurrentIndex(i)
        self.resolution.activated.connect(
            lambda _i: self._settings.setValue(RESOLUTION_KEY, "{}x{}".format(*self.resolution.currentData()))
        )
        self.camera_button = QPushButton(tr("Bật camera"))
        self.camera_button.clicked.connect(self.toggle_camera)
        self.capture_button = QPushButton(tr("Chụp trang (Space)"))
        self.capture_button.clicked.connect(self.capture)
        self.auto_capture = QCheckBox(tr("Tự chụp khi giấy đứng yên"))
        self.auto_capture.setChecked(True)
        self.auto_capture.toggled.connect(self._auto_toggled)
        self.folder_button = QPushButton(tr("Theo dõi thư mục máy quét…"))
        self.folder_button.clicked.connect(self._choose_folder)
        self.resolution.setEnabled(not self.camera_chooser.is_file())
        sources.addWidget(QLabel(tr("Camera")))
        sources.addWidget(self.camera_chooser, 1)
        sources.addWidget(self.resolution)
        for widget in (self.camera_button, self.capture_button, self.auto_capture, self.folder_button):
            sources.addWidget(widget)
        return sources

    def _build_live(self) -> QStackedWidget:
        self.views = QStackedWidget()
        self.live_panel = QWidget()
        live_lay = QVBoxLayout(self.live_panel)
        live_lay.setContentsMargins(0, 0, 0, 0)
        live_lay.setSpacing(0)
        # Said over the picture, where the clerk is looking while placing the paper.
        self.live_banner = QLabel()
        self.live_banner.setWordWrap(True)
        self.live_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live_banner.setStyleSheet(_BANNER_STYLE)
        self.live_banner.hide()
        self.live = QLabel(tr("Bật camera hoặc thêm tệp để bắt đầu số hóa"))
        self.live.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live.setWordWrap(True)
        self.live.setMinimumSize(360, 240)
        self.live.setStyleSheet(_IDLE_STYLE)
        live_lay.addWidget(self.live_banner)
        live_lay.addWidget(self.live, 1)
        self.editor = CornerEditor()
        self.editor.corners_did_change.connect(self._corners_edited)
        self.views.addWidget(self.live_panel)
        self.views.addWidget(self.editor)
        return self.views

    def _build_page_panel(self) -> QWidget:
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(_PAGE_WARNING_STYLE)
        self.warnings.hide()
        self.preview = PagePreview()
        edit = QHBoxLayout()
        self.rotate_button = QPushButton(tr("Xoay 90°"))
        self.rotate_button.clicked.connect(lambda: self._edit_current(rotate=1))
        self.edit_button = QPushButton(tr("Sửa góc trang"))
        self.edit_button.setCheckable(True)
        self.edit_button.toggled.connect(self._show_current)
        self.delete_button = QPushButton(tr("Xóa trang"))
        self.delete_button.clicked.connect(self.delete_current)
        self.page_format = QComboBox()
        for label, value in ((tr("Tự động"), "auto"), ("A4", "A4"), ("A5", "A5")):
            self.page_format.addItem(label, value)
        self.page_format.setToolTip(tr("Khổ giấy"))
        self.page_format.activated.connect(lambda _i: self._edit_current(page=self.page_format.currentData()))
        for w in (self.rotate_button, self.edit_button, self.delete_button, self.page_format):
            edit.addWidget(w)
        edit.addStretch(1)
        rlay.addWidget(self.warnings)
        rlay.addWidget(self.preview, 1)
        rlay.addLayout(edit)
        return right

    def _build_save_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Thành phần:")))
        self.component = QComboBox()
        self.component.setMinimumWidth(280)
        self.component.currentIndexChanged.connect(lambda _i: self._component_changed())
        row.addWidget(self.component, 2)
        row.addWidget(QLabel(tr("Chế độ:")))
        self.mode = QComboBox()
        for label, value in ((tr("Đen trắng"), "bw"), (tr("Xám"), "grey"), (tr("Màu"), "colour")):
            self.mode.addItem(label, value)
        self.mode.setToolTip(tr("Màu cho giấy tờ có dấu đỏ, đen trắng cho văn bản chữ"))
        self.mode.activated.connect(lambda _i: self._mode_chosen())
        self.mode.currentIndexChanged.connect(lambda _i: self._show_current())
        row.addWidget(self.mode)
        self.mode_reason = QLabel()
        self.mode_reason.setStyleSheet("color:#546e7a;")
        row.addWidget(self.mode_reason, 1)
        self.save_button = QPushButton(tr("Lưu vào hồ sơ"))
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        return row

    # -- the dossier ---------------------------------------------------------------------------------------
    def refresh_dossier(self) -> None:
        """Load the components of the dossier the provider names (call when the open dossier changes)."""
        code = self._dossier_code()
        self._loaded_for = code
        self.dossier_label.setText(tr("Số hóa hồ sơ {code}", code=code) if code else tr("Chưa mở hồ sơ nào"))
        self.component.clear()
        if code:
            Op(self, lambda: self._station.components(code)).success(self._fill_components).failure(
                self.messages.show_error
            ).run()
        self._update_buttons()

    def _fill_components(self, components: list[tuple[str, str]]) -> None:
        self._component_names = dict(components)
        self.component.blockSignals(True)
        self.component.clear()
        for code, name in components:
            self.component.addItem(f"{code} — {name}", code)
            self.component.setItemData(self.component.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        self.component.blockSignals(False)
        self._component_changed()
        self._update_buttons()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.camera_chooser.probe_once()
        if self._dossier_code() != self._loaded_for:
            self.refresh_dossier()

    # -- output mode per component -------------------------------------------------------------------------
    def _mode_key(self) -> tuple[str, str] | None:
        code, component = self._loaded_for, self.component.currentData()
        return (code, component) if code and component else None

    def _component_changed(self) -> None:
        key = self._mode_key()
        if key is None:
            self.mode_reason.clear()
            return
        if key not in self._modes:
            advice = self._station.mode_for_component(self._component_names.get(key[1], ""))
            self._modes[key] = str(advice.mode)
            self._mode_reasons[key] = tr("Mặc định: {reason}", reason=advice.reason)
        self._set_mode(self._modes[key])
        self.mode_reason.setText(self._mode_reasons.get(key, ""))
        self.mode_reason.setToolTip(self.mode_reason.text())

    def _set_mode(self, mode: str) -> None:
        index = self.mode.findData(mode)
        if index >= 0 and index != self.mode.currentIndex():
            self.mode.setCurrentIndex(index)

    def _mode_chosen(self) -> None:
        """The clerk picked a mode by hand: it stays for this component of this dossier."""
        key = self._mode_key()
        if key is None:
            return
        self._modes[key] = self.mode.currentData()
        self._chosen_by_clerk.add(key)
        self._mode_reasons[key] = tr("Do bạn chọn")
        self.mode_reason.setText(self._mode_reasons[key])

    def mode_of(self, component: str) -> str | None:
        """The mode the component of the open dossier will be saved in (None: not looked at yet)."""
        return self._modes.get((self._loaded_for or "", component))

    def _suggest_colour(self, captured: CapturedPage) -> None:
        """A page with red ink (a seal) in a component meant for B&W: switch it to colour, unless the clerk chose."""
        key = self._mode_key()
        if key is None or not captured.red_ink or key in self._chosen_by_clerk or self._modes.get(key) == "colour":
            return
        self._modes[key] = "colour"
        self._mode_reasons[key] = tr("Trang có dấu đỏ")
        self._set_mode("colour")
        self.mode_reason.setText(self._mode_reasons[key])
        self.messages.show_message(
            tr("Trang có dấu đỏ: thành phần {component} sẽ lưu ở chế độ Màu", component=key[1]), "info"
        )

    # -- the camera ----------------------------------------------------------------------------------------
    def toggle_camera(self) -> None:
        if self._feed is not None:
            self.stop_camera()
            return
        if self._opening:
            return
        auto = self.auto_capture.isChecked()
        source = self.camera_chooser.source()
        size = self.resolution.currentData()
        self._opening = True
        self.camera_button.setEnabled(False)
        self._show_idle(tr("Đang mở {camera}…", camera=self.camera_chooser.combo.currentText()))
        Op(self, lambda: self._station.open_feed(auto, source, size)).success(self._camera_opened).failure(
            self._camera_failed
        ).run()

    def _source_changed(self, _source: str) -> None:
        self.resolution.setEnabled(not self.camera_chooser.is_file())
        # A new choice takes effect at once when the camera is on; otherwise at the next "Bật camera".
        if self._feed is not None:
            self.stop_camera()
            self.toggle_camera()

    def _camera_opened(self, feed: LiveFeed) -> None:
        self._opening = False
        self._feed = feed
        self.camera_button.setText(tr("Tắt camera"))
        self.camera_button.setEnabled(True)
        self.edit_button.setChecked(False)
        self.views.setCurrentWidget(self.live_panel)
        self._timer.start(0)
        self._update_buttons()

    def _camera_failed(self, exc: Exception) -> None:
        self._opening = False
        self.camera_button.setEnabled(True)
        self.stop_camera()
        self._show_idle(describe_error(exc))
        self.messages.show_error(exc)

    def _show_idle(self, text: str) -> None:
        """No picture: a sentence in place of the view (never the last frame, which would look live)."""
        self._last = None
        self.live_banner.hide()
        self.live.clear()
        self.live.setText(text)
        self.views.setCurrentWidget(self.live_panel)

    def stop_camera(self) -> None:
        self._timer.stop()
        self._stall_timer.stop()
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.close()
        self.camera_button.setText(tr("Bật camera"))
        self.live_banner.hide()
        self._update_buttons()

    def _auto_toggled(self, on: bool) -> None:
        if self._feed is not None:
            self._feed.auto_capture = on

    def _pull(self) -> None:
        feed = self._feed
        if feed is None or self._pulling:
            return
        self._pulling = True
        self._stall_timer.start(self.STALL_MS)
        Op(self, feed.next).success(self._on_frame).failure(self._on_camera_error).run()

    def _camera_stalled(self) -> None:
        if self._feed is None:
            return
        text = tr("Camera không gửi hình: kiểm tra dây cắm, hoặc tắt camera và chọn camera khác")
        self._show_idle(text)  # the feed stays open: the picture comes back by itself if the camera recovers
        self.messages.show_message(text, "error")

    def _on_frame(self, live: LiveFrame | None) -> None:
        self._pulling = False
        self._stall_timer.stop()
        if self._feed is None:
            return
        if live is None:
            self.stop_camera()
            self._show_idle(tr("Camera không còn hình (nguồn đã hết hoặc bị ngắt)"))
            self.messages.show_message(tr("Camera không còn hình (nguồn đã hết hoặc bị ngắt)"), "info")
            return
        self._last = live
        self._show_live(live)
        if live.capture_now:
            self._capture_frame(live)
        self._timer.start(FRAME_INTERVAL_MS)

    def _show_live(self, live: LiveFrame) -> None:
        warning = live.cut_warning()
        if warning:
            self.live_banner.setText("⚠ " + warning)
            self.live_banner.show()
        else:
            self.live_banner.hide()
        if self.views.currentWidget() is self.live_panel:
            self.live.setPixmap(
                frame_with_outline(
                    live.frame, live.corners, self.live.width(), self.live.height(), live.cut, live.cut_sides()
                )
            )

    def live_warning(self) -> str:
        """The warning shown over the live view ("" when none)."""
        return self.live_banner.text() if self.live_banner.isVisibleTo(self) else ""

    def _on_camera_error(self, exc: Exception) -> None:
        self._pulling = False
        self._stall_timer.stop()
        self.stop_camera()
        self._show_idle(describe_error(exc))
        self.messages.show_error(exc)

    # -- pages ---------------------------------------------------------------------------------------------
    def capture(self) -> None:
        """Capture the frame on screen now (button or Space)."""
        if self._last is None:
            return
        if self._feed is not None:
            self._feed.captured_by_hand()
        self._capture_frame(self._last)

    def _capture_frame(self, live: LiveFrame) -> None:
        fmt = self.page_format.currentData()
        Op(self, lambda: self._station.capture(live.frame, live.corners, fmt)).success(self._add_page).failure(
            self.messages.show_error
        ).run()

    def _add_page(self, captured: CapturedPage) -> None:
        page_id = next(self._ids)
        self._pages[page_id] = captured
        self._order.append(page_id)
        self._suggest_colour(captured)
        self._refresh_strip(page_id)
        if captured.warnings:
            self.messages.show_message(
                tr("Trang {n}: {warnings}", n=len(self._order), warnings=" ".join(captured.warnings)), "error"
            )

    def _add_pages(self, pages: list[CapturedPage]) -> None:
        for captured in pages:
            self._add_page(captured)

    def add_files(self, paths: list[Path]) -> None:
        Op(self, lambda: self._station.pages_from_files(paths)).success(self._add_pages).failure(
            self.messages.show_error
        ).run()

    def _choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, tr("Chọn ảnh hoặc tệp PDF"), "", tr("Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf)")
        )
        if files:
            self.add_files([Path(f) for f in files])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Thư mục máy quét lưu ảnh vào"))
        if folder:
            self.watch_folder(Path(folder))

    def watch_folder(self, folder: Path) -> None:
        """Pick up every new image or PDF the scanner saves into ``folder``."""
        self._folder_watch = self._station.watch_folder(folder)
        self.folder_button.setText(tr("Đang theo dõi: {folder}", folder=folder.name))
        self._folder_timer.start(FOLDER_POLL_MS)

    def _poll_folder(self) -> None:
        watch = self._folder_watch
        if watch is not None:
            Op(self, lambda: self._station.poll_folder(watch)).success(self._add_pages).failure(  # type: ignore[arg-type]
                self.messages.show_error
            ).run()

    def page_count(self) -> int:
        return len(self._order)

    def current_page(self) -> CapturedPage | None:
        page_id = self.strip.current_id()
        return self._pages.get(page_id) if page_id is not None else None

    def _refresh_strip(self, current: int | None = None) -> None:
        rows = [(i, self._pages[i].preview, bool(self._pages[i].warnings)) for i in self._order]
        self.strip.set_pages(rows, current if current is not None else self.strip.current_id())
        self._update_buttons()

    def _reordered(self) -> None:
        self._order = self.strip.order()
        self._refresh_strip()

    def _show_current(self) -> None:
        page_id = self.strip.current_id()
        captured = self._pages.get(page_id) if page_id is not None else None
        if page_id is None or captured is None:
            self._shown = None
            self.preview.clear()
            self.warnings.clear()
            self.warnings.hide()
            self.views.setCurrentWidget(self.live_panel)
            return
        mode = self.mode.currentData()
        station = self._station
        # The small preview at once, then the page at full resolution for a close look at small print.
        Op(self, lambda: station.preview_in_mode(captured.preview, mode)).success(
            lambda img: self._set_preview(page_id, mode, img, captured)
        ).failure(self.messages.show_error).run()
        Op(self, lambda: station.page_in_mode(captured.page, mode)).success(
            lambda img: self._set_preview(page_id, mode, img, captured)
        ).failure(self.messages.show_error).run()
        self.warnings.setText("\n".join(f"⚠ {w}" for w in captured.warnings))
        self.warnings.setVisible(bool(captured.warnings))
        if self.edit_button.isChecked():
            self.editor.show_page(captured.page.frame, captured.page.corners)
            self.views.setCurrentWidget(self.editor)
        else:
            self.views.setCurrentWidget(self.live_panel)

    def _set_preview(self, page_id: int, mode: str, image: np.ndarray, captured: CapturedPage) -> None:
        if self.strip.current_id() != page_id or self.mode.currentData() != mode:
            return  # another page or mode was chosen meanwhile
        if self._pages.get(page_id) is not captured:
            return  # the page was edited meanwhile
        full = image.shape[1] >= captured.size[0]
        if not full and self._shown == (page_id, mode, id(captured), True):
            return  # the full page came first: keep it
        self._shown = (page_id, mode, id(captured), full)
        self.preview.set_image(image, captured.size[0] or None)

    def preview_is_full(self) -> bool:
        """Whether the page preview shows the page at its stored resolution (not the quick small copy)."""
        page_id = self.strip.current_id()
        captured = self._pages.get(page_id) if page_id is not None else None
        return captured is not None and self._shown == (page_id, self.mode.currentData(), id(captured), True)

    def _edit_current(self, rotate: int = 0, page: str | None = None, corners: object = None) -> None:
        page_id = self.strip.current_id()
        if page_id is None:
            return
        p = self._pages[page_id].page
        changed = replace(
            p,
            quarter_turns=(p.quarter_turns + rotate) % 4,
            page=page or p.page,
            corners=corners or p.corners,  # type: ignore[arg-type]
            detected=p.detected and corners is None,
        )
        Op(self, lambda: self._station.prepare(changed)).success(lambda c: self._replace(page_id, c)).failure(
            self.messages.show_error
        ).run()

    def _replace(self, page_id: int, captured: CapturedPage) -> None:
        if page_id in self._pages:
            self._pages[page_id] = captured
            self._refresh_strip(page_id)

    def _corners_edited(self, corners: tuple[tuple[float, float], ...]) -> None:
        self._edit_current(corners=corners)

    def delete_current(self) -> None:
        page_id = self.strip.current_id()
        if page_id is not None:
            self._order.remove(page_id)
            del self._pages[page_id]
            self._refresh_strip(self._order[-1] if self._order else None)

    # -- saving --------------------------------------------------------------------------------------------
    def save(self) -> None:
        code = self._dossier_code()
        component = self.component.currentData()
        if not code or not component or not self._order:
            self.messages.show_message(tr("Hãy mở hồ sơ, chọn thành phần và chụp ít nhất một trang"), "error")
            return
        pages = [self._pages[i].page for i in self._order]
        mode = self.mode.currentData()
        self.save_button.setEnabled(False)
        Op(self, lambda: self._station.save(pages, code, component, mode)).success(self._saved).failure(
            self._save_failed
        ).run()

    def _saved(self, attachment: Attachment) -> None:
        self._pages.clear()
        self._order.clear()
        self._refresh_strip()
        self.messages.show_message(
            tr(
                "Đã lưu {pages} trang vào thành phần {component} của hồ sơ {code} ({size} KB)",
                pages=attachment.pages,
                component=attachment.component_code,
                code=attachment.dossier_code,
                size=max(1, attachment.size // 1024),
            ),
            "ok",
        )
        self.attachment_did_add.emit(attachment)

    def _save_failed(self, exc: Exception) -> None:
        self._update_buttons()
        self.messages.show_error(exc)

    def _update_buttons(self) -> None:
        has_pages = bool(self._order)
        self.capture_button.setEnabled(self._feed is not None)
        for b in (self.rotate_button, self.edit_button, self.delete_button):
            b.setEnabled(has_pages)
        self.save_button.setEnabled(has_pages and self.component.count() > 0)

    def hideEvent(self, event: object) -> None:
        # A hidden station must not keep the camera (the ID-card reader may need it) or pull frames.
        self.stop_camera()
        super().hideEvent(event)  # type: ignore[arg-type]

    def closeEvent(self, event: object) -> None:
        self.stop_camera()
        self._folder_timer.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
