"""Any dossier of the centre, opened by the supervisor: the counter's search and dossier view in one dialog.

The same widgets as at the counter, so the supervisor sees the same history and has the same actions (the role
decides which of them the services allow: a supervisor may move a dossier another clerk closed).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QSplitter, QVBoxLayout, QWidget

from motcua.domain.dossier import Dossier
from motcua.i18n import tr
from motcua.services.printing import PrintingService
from motcua.services.reception import ReceptionService
from motcua.ui.counter.dossier_view import DossierView
from motcua.ui.counter.search_tab import SearchTab
from motcua.ui.ops import Op
from motcua.ui.widgets.message_bar import MessageBar


class DossierDialog(QDialog):
    """Search on top, the dossier below.

    Args:
        code: a dossier to open straight away (a double click in the overdue list).
    """

    def __init__(
        self,
        reception: ReceptionService,
        printing: PrintingService,
        code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Mở hồ sơ"))
        self._reception = reception
        lay = QVBoxLayout(self)
        self.messages = MessageBar()
        lay.addWidget(self.messages)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.search = SearchTab(reception)
        self.view = DossierView(reception, printing, self.messages)
        split.addWidget(self.search)
        split.addWidget(self.view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.search.dossier_wanted.connect(self.open_code)
        self.resize(1100, 680)  # inside a 1366×768 screen with its frame
        if code:
            self.search.query.setText(code)
            self.open_code(code)

    def open_code(self, code: str) -> None:
        Op(self, lambda: self._reception.get(code)).success(self._show).failure(self.messages.show_error).run()

    def _show(self, d: Dossier) -> None:
        self.view.show_dossier(d)

    def dossier(self) -> Dossier | None:
        return self.view.dossier()
