"""About MotCua Desk (F1 in the counter and supervisor windows, and the kiosk/display administrator dialog):
the build's one line, to read out or copy when calling support, and where this PC keeps its data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.version import build_info


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, data_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Giới thiệu MotCua Desk"))
        info = build_info()
        self.line = info.one_line()
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>MotCua Desk {info.version}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        what = QLabel(tr("Phần mềm Bộ phận Một cửa: tiếp nhận hồ sơ, hàng đợi, bảng hiển thị, báo cáo."))
        what.setWordWrap(True)
        layout.addWidget(what)
        build = QLabel(self.line)
        build.setWordWrap(True)
        build.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(build)
        if data_folder is not None:
            folder = QLabel(tr("Thư mục dữ liệu: {path}", path=str(data_folder)))
            folder.setWordWrap(True)
            folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(folder)
        support = QLabel(tr("Khi gọi hỗ trợ, hãy đọc hoặc gửi dòng phiên bản ở trên."))
        support.setWordWrap(True)
        layout.addWidget(support)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(tr("Sao chép dòng phiên bản"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.line)


def about_action(window: QWidget, data_folder: Path | None) -> QAction:
    """ "About" with F1, for the whole window; add it to a menu or the window itself."""
    act = QAction(tr("Giới thiệu MotCua Desk…"), window)
    act.setShortcut(QKeySequence(Qt.Key.Key_F1))
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    act.triggered.connect(lambda: AboutDialog(window, data_folder).exec())
    window.addAction(act)
    return act
