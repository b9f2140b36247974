"""The one question asked before a change that cannot be taken back."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget | None, title: str, question: str, detail: str = "") -> bool:
    """Ask ``question`` (naming the dossier or ticket) with Yes / No; No is the default, so that a stray Enter
    from a scanner or a double press does not answer it."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    if detail:
        box.setInformativeText(detail)
    return box.exec() == QMessageBox.StandardButton.Yes
