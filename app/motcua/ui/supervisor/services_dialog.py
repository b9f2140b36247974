"""Choosing the services a counter takes for the rest of today (a clerk away, a queue growing): a box per service."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from motcua.domain.queue_views import ServiceView
from motcua.i18n import tr


class ServicesDialog(QDialog):
    """Args:
    services: every service of the centre.
    current: the codes the counter takes now (ticked).
    """

    def __init__(
        self,
        counter: str,
        services: Sequence[ServiceView],
        current: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Phân công dịch vụ — {counter}", counter=counter))
        lay = QVBoxLayout(self)
        note = QLabel(tr("Chỉ áp dụng trong hôm nay; từ ngày mai quầy nhận lại các dịch vụ theo cấu hình."))
        note.setWordWrap(True)
        lay.addWidget(note)
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        rows = max(1, (len(services) + 1) // 2)  # two columns: twelve services stay on a small screen
        for i, s in enumerate(services):
            box = QCheckBox(f"{s.name} ({s.waiting})" if s.waiting else s.name)
            box.setToolTip(tr("{name}: {n} người đang chờ", name=s.name, n=s.waiting))
            box.setChecked(s.code in current)
            box.toggled.connect(self._enable)
            self.boxes[s.code] = box
            grid.addWidget(box, i % rows, i // rows)
        lay.addLayout(grid)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._enable()

    def chosen(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.boxes.items() if box.isChecked())

    def _enable(self) -> None:
        # A counter with no service would take nobody: pause it instead.
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.chosen()))
        ok.setToolTip("" if self.chosen() else tr("Chọn ít nhất một dịch vụ (muốn quầy nghỉ thì tạm dừng quầy)"))
