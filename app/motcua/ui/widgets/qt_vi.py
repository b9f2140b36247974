"""Qt's own words (Yes/No, OK/Cancel, the file and print dialogs, a field's context menu) in Vietnamese.

Qt ships no ``qtbase_vi.qm`` (PySide6 6.12 has qtbase_en and qtbase_es only, and upstream has no Vietnamese
translation), so this translator answers Qt's lookups from the table below, through :func:`motcua.i18n.tr` like
every other string. When a ``qtbase_vi.qm`` appears in Qt's translations folder it is used instead.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QTranslator

from motcua.i18n import get_language, tr


@cache
def _table(lang: str) -> dict[str, str]:
    """Qt's English source text → Vietnamese (shortcut ampersands where Qt has them); ``lang`` keys the cache."""
    return {
        # QPlatformTheme / QGnomeTheme: the standard buttons of QMessageBox, QInputDialog, QDialogButtonBox.
        "OK": tr("Đồng ý"),
        "&OK": tr("Đồ&ng ý"),
        "Cancel": tr("Hủy"),
        "&Cancel": tr("&Hủy"),
        "&Yes": tr("&Có"),
        "Yes": tr("Có"),
        "Yes to &All": tr("Có với &tất cả"),
        "&No": tr("&Không"),
        "No": tr("Không"),
        "N&o to All": tr("K&hông với tất cả"),
        "Save": tr("Lưu"),
        "&Save": tr("&Lưu"),
        "Save All": tr("Lưu tất cả"),
        "Open": tr("Mở"),
        "&Open": tr("&Mở"),
        "Close": tr("Đóng"),
        "&Close": tr("Đó&ng"),
        "Apply": tr("Áp dụng"),
        "Reset": tr("Đặt lại"),
        "Restore Defaults": tr("Khôi phục mặc định"),
        "Help": tr("Trợ giúp"),
        "Discard": tr("Bỏ qua"),
        "Close without Saving": tr("Đóng không lưu"),
        "Don't Save": tr("Không lưu"),
        "Abort": tr("Hủy bỏ"),
        "Retry": tr("Thử lại"),
        "Ignore": tr("Bỏ qua"),
        # QLineEdit / QWidgetTextControl: the right-click menu of every field.
        "&Undo": tr("&Hoàn tác"),
        "&Redo": tr("&Làm lại"),
        "Cu&t": tr("&Cắt"),
        "&Copy": tr("&Sao chép"),
        "&Paste": tr("&Dán"),
        "Delete": tr("Xóa"),
        "Select All": tr("Chọn tất cả"),
        # QFileDialog / QFileSystemModel (the widget dialog; Windows shows its own, already in its language).
        "Look in:": tr("Tìm trong:"),
        "File &name:": tr("&Tên tệp:"),
        "Files of type:": tr("Loại tệp:"),
        "Back": tr("Quay lại"),
        "Forward": tr("Tiến tới"),
        "Parent Directory": tr("Thư mục cha"),
        "Create New Folder": tr("Tạo thư mục mới"),
        "New Folder": tr("Thư mục mới"),
        "List View": tr("Dạng danh sách"),
        "Detail View": tr("Dạng chi tiết"),
        "All Files (*)": tr("Mọi tệp (*)"),
        "Directory:": tr("Thư mục:"),
        "&Choose": tr("&Chọn"),
        "Save As": tr("Lưu thành"),
        "&Rename": tr("Đổi &tên"),
        "&Delete": tr("&Xóa"),
        "Show &hidden files": tr("Hiện tệp ẩn"),
        "&New Folder": tr("Thư mục &mới"),
        "Name": tr("Tên"),
        "Size": tr("Kích thước"),
        "Type": tr("Loại"),
        "Kind": tr("Loại"),
        "Date Modified": tr("Ngày sửa"),
        "My Computer": tr("Máy tính"),
        "Computer": tr("Máy tính"),
        # QPrintDialog (the widget dialog on Linux; Windows shows its own).
        "Print": tr("In"),
        "&Print": tr("&In"),
        "Printer": tr("Máy in"),
        "&Name:": tr("&Tên:"),
        "P&roperties": tr("&Thuộc tính"),
        "Location:": tr("Vị trí:"),
        "Type:": tr("Loại:"),
        "Output &file:": tr("&Tệp xuất:"),
        "Print range": tr("Phạm vi in"),
        "Print all": tr("In tất cả"),
        "Pages from": tr("Các trang từ"),
        "to": tr("đến"),
        "Current Page": tr("Trang hiện tại"),
        "Selection": tr("Vùng chọn"),
        "Copies": tr("Số bản"),
        "Copies:": tr("Số bản:"),
        "Collate": tr("Xếp theo bộ"),
        "Reverse": tr("In ngược"),
        "Options": tr("Tùy chọn"),
        "Color Mode": tr("Chế độ màu"),
        "Color": tr("Màu"),
        "Grayscale": tr("Thang xám"),
        "Duplex Printing": tr("In hai mặt"),
        "None": tr("Không"),
        "Long side": tr("Cạnh dài"),
        "Short side": tr("Cạnh ngắn"),
        "Print to File (PDF)": tr("In ra tệp (PDF)"),
        "Page": tr("Trang"),
        "Paper": tr("Giấy"),
        "Page size:": tr("Khổ giấy:"),
        "Orientation": tr("Hướng giấy"),
        "Portrait": tr("Dọc"),
        "Landscape": tr("Ngang"),
        "Margins": tr("Lề"),
    }


class VietnameseQtTranslator(QTranslator):
    """Answers Qt's own lookups (any context) from the table above; anything else stays as Qt says it."""

    def translate(  # Qt's signature
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return _table(get_language()).get(source_text, "")

    def isEmpty(self) -> bool:  # Qt's name: an empty translator is skipped
        return False
