"""The devices the centre hears from (kiosks, boards, rating pads, counter PCs): when each was last heard, its
printer's paper, its version. A silent device and a printer that cannot print are in red, paper running low in
amber; the dashboard's tab names how many need someone to go and look."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from motcua.domain.device_health import DeviceHealth, DeviceRole, PaperState
from motcua.i18n import tr
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.tables import Cell, fill, make_table

WARNING = "\u26a0"  # a silent device's mark, beside the colour (not everyone tells red from black)


def seen_ago(seconds: float) -> str:
    """How long ago: "vừa xong" under a minute, then minutes, hours, days."""
    if seconds < 60:
        return tr("vừa xong")
    minutes = int(seconds // 60)
    if minutes < 60:
        return tr("{m} phút trước", m=minutes)
    if minutes < 24 * 60:
        return tr("{h} giờ trước", h=minutes // 60)
    return tr("{d} ngày trước", d=minutes // (24 * 60))


def role_text(d: DeviceHealth) -> str:
    if d.role is DeviceRole.KIOSK:
        return tr("Ki-ốt")
    if d.role is DeviceRole.DISPLAY:
        return tr("Bảng hiển thị")
    if d.role is DeviceRole.RATING:
        return tr("Đánh giá · quầy {n}", n=d.counter) if d.counter else tr("Thiết bị đánh giá")
    return tr("Quầy {n}", n=d.counter) if d.counter else tr("Máy quầy")


def paper_text(d: DeviceHealth) -> tuple[str, str]:
    """The printer's state in words, and its tone."""
    p = d.printer
    if p is PaperState.OK:
        return tr("Còn giấy"), "ok"
    if p is PaperState.LOW:
        return tr("Sắp hết giấy"), "warn"
    if p is PaperState.OUT:
        return tr("Hết giấy"), "error"
    if p is PaperState.OFFLINE:
        return tr("Máy in mất kết nối"), "error"
    if p is PaperState.UNKNOWN:
        return tr("Không rõ"), "off"
    # No printer: a board's or a pad's normal state, but a kiosk without one gives no tickets on paper.
    return (tr("Không có máy in"), "warn") if d.role is DeviceRole.KIOSK else (w.NONE, "")


def needs_attention(d: DeviceHealth) -> bool:
    return d.silent or d.printer_down


def _cells(d: DeviceHealth) -> list[Cell]:
    paper, paper_tone = paper_text(d)
    silent_tip = tr(
        "Trung tâm không nhận được tin từ thiết bị này từ {time}: thiết bị tắt, treo hoặc mất mạng",
        time=d.last_seen.strftime("%H:%M %d/%m"),
    )
    seen = f"{WARNING} {seen_ago(d.seen_ago_s)}" if d.silent else seen_ago(d.seen_ago_s)
    tone = "error" if d.silent else ""
    return [
        Cell(d.device, (not needs_attention(d), d.device), tip=d.device, tone=tone),
        Cell(role_text(d), d.role.value),
        Cell(seen, d.seen_ago_s, tip=silent_tip if d.silent else d.last_seen.strftime("%H:%M:%S %d/%m/%Y"), tone=tone),
        Cell(paper, paper, tone=paper_tone),
        Cell(d.short_version or w.NONE, d.version, tip=d.version),
    ]


class DevicesView(QWidget):
    """The devices' table (``table``), with a note when the centre could not give the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel()
        self.note.setProperty("role", "due")  # the amber notice box, as the dashboard's queue note
        self.note.setWordWrap(True)
        self.note.hide()
        lay.addWidget(self.note)
        headers = (tr("Thiết bị"), tr("Loại"), tr("Lần cuối"), tr("Máy in"), tr("Phiên bản"))
        self.table = make_table(headers, 0, sortable=True)  # a long name is elided (its tooltip has it whole)
        lay.addWidget(self.table, 1)

    def show_devices(self, devices: tuple[DeviceHealth, ...] | None, error: str | None = None) -> int:
        """Show the list (those needing attention first); returns how many need attention."""
        rows = sorted(devices or (), key=lambda d: (not needs_attention(d), d.role.value, d.device))
        fill(self.table, [(f"{d.device}\x1f{d.role.value}", _cells(d)) for d in rows])
        self.note.setVisible(error is not None)
        if error is not None:
            self.note.setText(tr("Chưa đọc được tình trạng thiết bị từ trung tâm ({error}).", error=error))
        return sum(1 for d in rows if needs_attention(d))
