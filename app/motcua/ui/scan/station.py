"""The scanning station inside the counter window: live camera view with the page outline, capture by button,
Space or automatically when the page is still, a strip of pages to fix, and "save to the dossier".

Frames are pulled one at a time by an ``Op`` (read + detect off the GUI thread); the next pull is scheduled
only when the previous one has come back, so a slow camera never piles up work.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
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
from motcua.ui.scan.corner_editor import CornerEditor
from motcua.ui.scan.images import frame_with_outline, to_qimage
from motcua.ui.scan.page_strip import PageStrip
from motcua.ui.widgets.message_bar import MessageBar

FRAME_INTERVAL_MS = 120
FOLDER_POLL_MS = 2000


class ScanStation(QWidget):
    """Args:
        station: the scanning service.
        dossier_code_provider: returns the dossier being digitized (None when none is open).
        messages: where to say what happened (a MessageBar of the window, or an own one).

    Signals:
        attachment_did_add(object): a PDF was saved to the dossier (the Attachment).
    """

    attachment_did_add = Signal(object)

    def __init__(
        self,
        station: ScanningStation,
        dossier_code_provider: Callable[[], str | None],
        messages: MessageBar | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._station = station
        self._dossier_code = dossier_code_provider
        self._feed: LiveFeed | None = None
        self._last: LiveFrame | None = None
        self._pulling = False
        self._pages: dict[int, CapturedPage] = {}
        self._order: list[int] = []
        self._ids = itertools.count(1)
        self._folder_watch: object | None = None
        self._loaded_for: str | None = None
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
        sources = QHBoxLayout()
        self.camera_button = QPushButton(tr("Bật camera"))
        self.camera_button.clicked.connect(self.toggle_camera)
        self.capture_button = QPushButton(tr("Chụp trang (Space)"))
        self.capture_button.clicked.connect(self.capture)
        self.auto_capture = QCheckBox(tr("Tự chụp khi giấy đứng yên"))
        self.auto_capture.setChecked(True)
        self.auto_capture.toggled.connect(self._auto_toggled)
        files = QPushButton(tr("Thêm từ tệp ảnh/PDF…"))
        files.clicked.connect(self._choose_files)
        self.folder_button = QPushButton(tr("Theo dõi thư mục máy quét…"))
        self.folder_button.clicked.connect(self._choose_folder)
        self.camera_source = QComboBox()
        self.camera_source.setEditable(True)  # a device index, or the path of a video file (demo, training)
        self.camera_source.setToolTip(tr("Camera: số thiết bị (0, 1, …) hoặc đường dẫn tệp video"))
        configured = self._station.ctx.settings.camera
        for item in dict.fromkeys([configured.source, "0", "1", "2"]):
            self.camera_source.addItem(item)
        self.resolution = QComboBox()
        for w, h in dict.fromkeys(
            [(configured.width, configured.height), (1280, 720), (1920, 1080), (2592, 1944), (3264, 2448)]
        ):
            self.resolution.addItem(f"{w}×{h}", (w, h))
        sources.addWidget(QLabel(tr("Camera")))
        sources.addWidget(self.camera_source)
        sources.addWidget(self.resolution)
        for w in (self.camera_button, self.capture_button, self.auto_capture, files, self.folder_button):
            sources.addWidget(w)
        sources.addStretch(1)
        lay.addLayout(sources)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.views = QStackedWidget()
        self.live = QLabel(tr("Bật camera hoặc thêm tệp để bắt đầu số hóa"))
        self.live.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live.setMinimumSize(480, 360)
        self.live.setStyleSheet("background:#263238;color:#eceff1;")
        self.editor = CornerEditor()
        self.editor.corners_did_change.connect(self._corners_edited)
        self.views.addWidget(self.live)
        self.views.addWidget(self.editor)
        split.addWidget(self.views)
        right = QWidget()
        rlay = QVBoxLayout(right)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(300, 360)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color:#8a1c14;font-weight:bold;")
        rlay.addWidget(self.preview, 1)
        rlay.addWidget(self.warnings)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)

        self.strip = PageStrip()
        self.strip.currentItemChanged.connect(lambda *_a: self._show_current())
        self.strip.order_did_change.connect(self._reordered)
        lay.addWidget(self.strip)
        edit = QHBoxLayout()
        self.rotate_button = QPushButton(tr("Xoay 90°"))
        self.rotate_button.clicked.connect(lambda: self._edit_current(rotate=1))
        self.edit_button = QPushButton(tr("Sửa góc trang"))
        self.edit_button.setCheckable(True)
        self.edit_button.toggled.connect(self._show_current)
        self.delete_button = QPushButton(tr("Xóa trang"))
        self.delete_button.clicked.connect(self.delete_current)
        for w in (self.rotate_button, self.edit_button, self.delete_button):
            edit.addWidget(w)
        edit.addStretch(1)
        edit.addWidget(QLabel(tr("Thành phần:")))
        self.component = QComboBox()
        self.component.setMinimumWidth(280)
        edit.addWidget(self.component)
        edit.addWidget(QLabel(tr("Chế độ:")))
        self.mode = QComboBox()
        for label, value in ((tr("Đen trắng"), "bw"), (tr("Xám"), "grey"), (tr("Màu"), "colour")):
            self.mode.addItem(label, value)
        self.mode.currentIndexChanged.connect(lambda _i: self._show_current())
        edit.addWidget(self.mode)
        edit.addWidget(QLabel(tr("Khổ giấy:")))
        self.page_format = QComboBox()
        for label, value in ((tr("Tự động"), "auto"), ("A4", "A4"), ("A5", "A5")):
            self.page_format.addItem(label, value)
        self.page_format.activated.connect(lambda _i: self._edit_current(page=self.page_format.currentData()))
        edit.addWidget(self.page_format)
        self.save_button = QPushButton(tr("Lưu vào hồ sơ"))
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save)
        edit.addWidget(self.save_button)
        lay.addLayout(edit)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._pull)
        self._folder_timer = QTimer(self)
        self._folder_timer.timeout.connect(self._poll_folder)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.capture)
        self._update_buttons()

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
        self.component.clear()
        for code, name in components:
            self.component.addItem(f"{code} — {name}", code)
        self._update_buttons()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._dossier_code() != self._loaded_for:
            self.refresh_dossier()

    # -- the camera ----------------------------------------------------------------------------------------
    def toggle_camera(self) -> None:
        if self._feed is not None:
            self.stop_camera()
            return
        auto = self.auto_capture.isChecked()
        chosen = self.camera_source.currentText().strip()
        source = None if chosen == self._station.ctx.settings.camera.source else chosen
        size = self.resolution.currentData()
        Op(self, lambda: self._station.open_feed(auto, source, size)).success(self._camera_opened).failure(
            self.messages.show_error
        ).run()

    def _camera_opened(self, feed: LiveFeed) -> None:
        self._feed = feed
        self.camera_button.setText(tr("Tắt camera"))
        self.edit_button.setChecked(False)
        self.views.setCurrentWidget(self.live)
        self._timer.start(0)
        self._update_buttons()

    def stop_camera(self) -> None:
        self._timer.stop()
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.close()
        self.camera_button.setText(tr("Bật camera"))
        self._update_buttons()

    def _auto_toggled(self, on: bool) -> None:
        if self._feed is not None:
            self._feed.auto_capture = on

    def _pull(self) -> None:
        feed = self._feed
        if feed is None or self._pulling:
            return
        self._pulling = True
        Op(self, feed.next).success(self._on_frame).failure(self._on_camera_error).run()

    def _on_frame(self, live: LiveFrame | None) -> None:
        self._pulling = False
        if self._feed is None:
            return
        if live is None:
            self.stop_camera()
            self.messages.show_message(tr("Camera không còn hình (nguồn đã hết hoặc bị ngắt)"), "info")
            return
        self._last = live
        if self.views.currentWidget() is self.live:
            self.live.setPixmap(frame_with_outline(live.frame, live.corners, self.live.width(), self.live.height()))
        if live.capture_now:
            self._capture_frame(live)
        self._timer.start(FRAME_INTERVAL_MS)

    def _on_camera_error(self, exc: Exception) -> None:
        self._pulling = False
        self.stop_camera()
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
        self._refresh_strip(page_id)
        if captured.warnings:
            self.messages.show_message(
                tr("Trang {n}: {warnings}", n=len(self._order), warnings=" ".join(captured.warnings)), "error"
            )

    def add_files(self, paths: list[Path]) -> None:
        Op(self, lambda: self._station.pages_from_files(paths)).success(
            lambda pages: [self._add_page(p) for p in pages]
        ).failure(self.messages.show_error).run()

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
            Op(self, lambda: self._station.poll_folder(watch)).success(  # type: ignore[arg-type]
                lambda pages: [self._add_page(p) for p in pages]
            ).failure(self.messages.show_error).run()

    def page_count(self) -> int:
        return len(self._order)

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
        if captured is None:
            self.preview.clear()
            self.warnings.clear()
            self.views.setCurrentWidget(self.live)
            return
        mode = self.mode.currentData()
        Op(self, lambda: self._station.preview_in_mode(captured.preview, mode)).success(
            lambda img: self._set_preview(page_id, img)
        ).failure(self.messages.show_error).run()
        self.warnings.setText("\n".join(captured.warnings))
        if self.edit_button.isChecked():
            self.editor.show_page(captured.page.frame, captured.page.corners)
            self.views.setCurrentWidget(self.editor)
        else:
            self.views.setCurrentWidget(self.live)

    def _set_preview(self, page_id: int, image: object) -> None:
        if self.strip.current_id() != page_id:
            return  # another page was chosen meanwhile
        pix = QPixmap.fromImage(to_qimage(image))  # type: ignore[arg-type]
        self.preview.setPixmap(
            pix.scaled(
                self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

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
