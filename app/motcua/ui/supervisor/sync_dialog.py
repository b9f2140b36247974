"""Sync problems a person has to look at: changes parked after failing for good (with the reason; put back in line
to be sent again), and conflicts (the same change sent twice with different content; settled with a note).

Conflicts are recorded by the centre's sync node: on a one-PC centre it runs in this process, on a supervisor's PC
of a centre with a LAN it is reached through the centre server; both are settled here (a centre that does not
answer is said in the message bar). Where neither is known, the dialog says they are settled at the centre.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.ui.ops import Op
from motcua.ui.supervisor.tables import Cell, fill, make_table, selected_key
from motcua.ui.widgets.message_bar import MessageBar


class ParkedChange(Protocol):
    """A parked outbox item as the dialog reads it (``motcua.store.outbox.OutboxItem`` is one)."""

    @property
    def key(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def entity(self) -> str: ...

    @property
    def last_error(self) -> str: ...


class Conflict(Protocol):
    """A conflict as the dialog reads it (``motcua.domain.sync_conflicts.ConflictItem`` is one)."""

    @property
    def key(self) -> str: ...

    @property
    def dossier(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def origin(self) -> str: ...

    @property
    def at(self) -> str: ...


class SyncDesk(Protocol):
    """The sync repairs the supervisor may make (each checks the signed-in role)."""

    def parked(self) -> Sequence[ParkedChange]: ...

    def retry(self, keys: Sequence[str]) -> int:
        """Put these parked changes (all when empty) back in line; how many."""
        ...

    def conflicts(self) -> Sequence[Conflict] | None:
        """The unsettled conflicts; None where they are not kept (a workstation: they are the centre's)."""
        ...

    def settle(self, key: str, note: str) -> None: ...


class SyncDialog(QDialog):
    def __init__(self, desk: SyncDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Xử lý đồng bộ"))
        self._desk = desk
        lay = QVBoxLayout(self)
        self.messages = MessageBar()
        lay.addWidget(self.messages)

        parked = QGroupBox(tr("Thay đổi tạm dừng gửi"))
        p = QVBoxLayout(parked)
        self.parked_table = make_table((tr("Hồ sơ"), tr("Loại thay đổi"), tr("Lý do")), 2)
        p.addWidget(self.parked_table, 1)
        row = QHBoxLayout()
        self.retry_button = QPushButton(tr("Gửi lại thay đổi đã chọn"))
        self.retry_button.clicked.connect(self._retry_selected)
        self.retry_all_button = QPushButton(tr("Gửi lại tất cả"))
        self.retry_all_button.clicked.connect(lambda: self._retry(()))
        row.addWidget(self.retry_button)
        row.addWidget(self.retry_all_button)
        row.addStretch(1)
        p.addLayout(row)
        lay.addWidget(parked, 1)

        conflicts = QGroupBox(tr("Xung đột dữ liệu"))
        c = QVBoxLayout(conflicts)
        self.at_centre = QLabel(
            tr("Xung đột được xử lý tại máy chủ của trung tâm (lệnh «motcua sync settle» hoặc màn hình giám sát ở đó).")
        )
        self.at_centre.setWordWrap(True)
        self.at_centre.hide()
        c.addWidget(self.at_centre)
        self.conflicts_table = make_table((tr("Hồ sơ"), tr("Thao tác"), tr("Nguồn"), tr("Lúc")), 0)
        c.addWidget(self.conflicts_table, 1)
        row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Đã xử lý thế nào (bắt buộc)"))
        self.settle_button = QPushButton(tr("Ghi nhận đã xử lý"))
        self.settle_button.clicked.connect(self._settle)
        row.addWidget(self.note, 1)
        row.addWidget(self.settle_button)
        c.addLayout(row)
        lay.addWidget(conflicts, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(900, 600)
        self.refresh()

    def refresh(self) -> None:
        desk = self._desk
        Op(self, lambda: (list(desk.parked()), desk.conflicts())).success(self._show).failure(
            self.messages.show_error
        ).run()

    def _show(self, found: tuple[list[ParkedChange], Sequence[Conflict] | None]) -> None:
        parked, conflicts = found
        fill(
            self.parked_table,
            [(i.key, [Cell(i.entity), Cell(i.kind), Cell(i.last_error, tip=i.last_error)]) for i in parked],
        )
        self.retry_button.setEnabled(bool(parked))
        self.retry_all_button.setEnabled(bool(parked))
        kept = conflicts is not None
        self.at_centre.setVisible(not kept)
        for widget in (self.conflicts_table, self.note, self.settle_button):
            widget.setVisible(kept)
        fill(
            self.conflicts_table,
            [(x.key, [Cell(x.dossier), Cell(x.action), Cell(x.origin), Cell(x.at)]) for x in conflicts or ()],
        )
        self.settle_button.setEnabled(bool(conflicts))

    def _retry_selected(self) -> None:
        key = selected_key(self.parked_table)
        if key is None:
            self.messages.show_message(tr("Hãy chọn một thay đổi trong danh sách"), "warn")
            return
        self._retry((str(key),))

    def _retry(self, keys: tuple[str, ...]) -> None:
        desk = self._desk

        def done(n: Any) -> None:
            self.messages.show_message(tr("Đã đưa {n} thay đổi trở lại hàng đợi gửi", n=n), "ok")
            self.refresh()

        Op(self, lambda: desk.retry(keys)).success(done).failure(self.messages.show_error).run()

    def _settle(self) -> None:
        key = selected_key(self.conflicts_table)
        if key is None:
            self.messages.show_message(tr("Hãy chọn một xung đột trong danh sách"), "warn")
            return
        note = self.note.text().strip()
        if not note:
            self.messages.show_message(tr("Hãy ghi cách đã xử lý xung đột"), "error", topic="note")
            self.note.setFocus()
            return
        desk = self._desk

        def done(_r: object) -> None:
            self.note.clear()
            self.messages.show_message(tr("Đã ghi nhận xử lý xung đột"), "ok")
            self.refresh()

        Op(self, lambda: desk.settle(str(key), note)).success(done).failure(self.messages.show_error).run()
