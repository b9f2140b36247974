"""Where to send a citizen: another service's queue, one counter, or both (the ticket keeps its number)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from motcua.domain.queue import Ticket
from motcua.domain.queue_views import Board
from motcua.i18n import tr


class TransferDialog(QDialog):
    """Choose the new queue and/or counter for ``ticket`` (at counter ``here``)."""

    def __init__(self, board: Board, ticket: Ticket, here: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Chuyển số {number}", number=ticket.display))
        form = QFormLayout(self)
        form.addRow(QLabel(tr("Số {number} giữ nguyên số thứ tự và chờ lại ở nơi mới.", number=ticket.display)))
        self.service = QComboBox()
        for s in board.services:
            self.service.addItem(tr(s.name), s.code)
        current = self.service.findData(ticket.queue)
        self.service.setCurrentIndex(max(0, current))
        form.addRow(tr("Lĩnh vực"), self.service)
        self.counter = QComboBox()
        self.counter.addItem(tr("Quầy nào cũng được"), None)
        for c in board.counters:
            if c.number != here:
                self.counter.addItem(c.name, c.number)
        form.addRow(tr("Quầy"), self.counter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._from_queue = ticket.queue

    def choose(self, service: str | None, counter: int | None) -> None:
        """Preselect (tests, and a clerk's keyboard)."""
        if service is not None:
            self.service.setCurrentIndex(self.service.findData(service))
        self.counter.setCurrentIndex(max(0, self.counter.findData(counter)))

    def choice(self) -> tuple[str | None, int | None]:
        """(to_service, to_counter); the service is None when it stays the same."""
        service = self.service.currentData()
        return (None if service == self._from_queue else service), self.counter.currentData()
