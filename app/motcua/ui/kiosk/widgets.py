"""The kiosk's building blocks: a two-line touch button, and its style (huge type, high contrast)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

KIOSK_STYLE = """
QMainWindow, #kioskRoot { background: #f3f6fa; }
#kioskHeader { background: #0b3d6e; }
#kioskHeader QLabel { color: white; }
QLabel#centreName { font-size: 26pt; font-weight: bold; }
QLabel#prompt { font-size: 22pt; color: #0b3d6e; font-weight: bold; }
QPushButton#langButton { font-size: 16pt; color: #0b3d6e; background: white; border-radius: 10px; padding: 10px 22px; }
QPushButton#serviceButton { background: #0b5cad; border-radius: 18px; border: none; }
QPushButton#serviceButton:pressed { background: #084a8c; }
QPushButton#serviceButton:disabled { background: #c9d2dc; }
QLabel#serviceTitle { color: white; font-size: 28pt; font-weight: bold; }
QLabel#serviceDetail { color: #dbe9f8; font-size: 17pt; }
QLabel#serviceTitle[closed="true"], QLabel#serviceDetail[closed="true"] { color: #4a545e; }
QPushButton#priorityToggle { font-size: 20pt; font-weight: bold; padding: 16px 28px; border-radius: 14px;
                             background: white; color: #8a4b00; border: 3px solid #e69b00; }
QPushButton#priorityToggle:checked { background: #e69b00; color: white; }
QPushButton#groupButton { font-size: 18pt; padding: 14px 22px; border-radius: 12px; background: white;
                          color: #5a3200; border: 2px solid #e69b00; }
QPushButton#groupButton:checked { background: #8a4b00; color: white; }
QLabel#priorityHint { font-size: 17pt; color: #8a1c14; }
QLabel#banner { font-size: 16pt; padding: 10px; border-radius: 8px; background: #fff3cd; color: #5c4400; }
QLabel#offline { font-size: 16pt; padding: 10px; border-radius: 8px; background: #fdecea; color: #8a1c14; }
QLabel#bigCaption { font-size: 28pt; color: #0b3d6e; }
QLabel#bigNumber { font-size: 150pt; font-weight: bold; color: #0b3d6e; }
QLabel#resultLine { font-size: 24pt; color: #1f2933; }
QLabel#priorityMark { font-size: 24pt; font-weight: bold; color: #8a4b00; }
QLabel#errorTitle { font-size: 34pt; font-weight: bold; color: #8a1c14; }
QLabel#errorText { font-size: 24pt; color: #1f2933; }
QLabel#busy { font-size: 30pt; color: #0b3d6e; }
QPushButton#doneButton { font-size: 22pt; font-weight: bold; padding: 18px 60px; border-radius: 14px;
                         background: #0b5cad; color: white; }
QLabel#countdown { font-size: 15pt; color: #59636e; }
"""


class ServiceButton(QPushButton):
    """A large touch target with the service name and, smaller, its state (people waiting, or closed)."""

    def __init__(self, title: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceButton")
        self.setMinimumHeight(130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 12, 24, 12)
        lay.addStretch(1)
        self.title = QLabel(title)
        self.title.setObjectName("serviceTitle")
        self.detail = QLabel(detail)
        self.detail.setObjectName("serviceDetail")
        for label in (self.title, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            # The labels are decoration: a touch anywhere on the button must press the button.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(label)
        lay.addStretch(1)
        self.setAccessibleName(f"{title}. {detail}")

    def set_state(self, detail: str, open_now: bool) -> None:
        """Show the service as open (blue, white text) or closed (grey, disabled)."""
        self.detail.setText(detail)
        self.setEnabled(open_now)
        # A property rather than ":disabled" on the button: Qt style sheets do not pass a parent's pseudo-state
        # down to its child labels.
        for label in (self.title, self.detail):
            label.setProperty("closed", not open_now)
            label.style().unpolish(label)
            label.style().polish(label)
        self.setAccessibleName(f"{self.title.text()}. {detail}")

    def text(self) -> str:  # type: ignore[override]  # tests and screen readers read the title
        return self.title.text()
