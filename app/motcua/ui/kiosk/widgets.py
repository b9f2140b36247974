"""The kiosk's building blocks: a two-line touch button, and its style (huge type, high contrast)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from motcua.ui.display.big_type import scaled_style

# Sizes are for a 1366x768 screen (the smallest kiosk); `kiosk_style` scales them to the kiosk's own. Every touch
# target is at least 48 px tall there (about 1 cm on a 15.6" screen), most of them far more.
KIOSK_TEMPLATE = """
QMainWindow, #kioskRoot { background: #f3f6fa; }
#kioskHeader { background: #0b3d6e; }
#kioskHeader QLabel { color: white; }
QLabel#centreName { font-size: 30px; font-weight: bold; padding-top: room(30); }
QLabel#prompt { font-size: 26px; color: #0b3d6e; font-weight: bold; padding-top: room(26); }
QPushButton#langButton { font-size: 20px; color: #0b3d6e; background: white; border-radius: 10px;
                         padding: 8px 22px; min-height: 40px; min-width: 110px; }
QPushButton#ratingButton { font-size: 20px; font-weight: bold; color: white; background: #0b5cad;
                           border: 2px solid white; border-radius: 10px; padding: 8px 22px; min-height: 40px; }
QPushButton#ratingButton:pressed { background: #084a8c; }
QPushButton#serviceButton { background: #0b5cad; border-radius: 18px; border: none; min-height: 110px; }
QPushButton#serviceButton:pressed { background: #084a8c; }
QPushButton#serviceButton:disabled { background: #c9d2dc; }
QLabel#serviceTitle { color: white; font-size: 32px; font-weight: bold; padding-top: room(32); }
QLabel#serviceDetail { color: #dbe9f8; font-size: 20px; padding-top: room(20); }
QLabel#serviceTitle[closed="true"], QLabel#serviceDetail[closed="true"] { color: #4a545e; }
QPushButton#priorityToggle { font-size: 22px; font-weight: bold; padding: 10px 24px; border-radius: 14px;
                             background: white; color: #8a4b00; border: 3px solid #e69b00; min-height: 36px; }
QPushButton#priorityToggle:checked { background: #8a4b00; color: white; border-color: #8a4b00; }
QPushButton#groupButton { padding: 6px 14px; border-radius: 12px; background: white; border: 2px solid #e69b00;
                          min-height: 44px; }
QPushButton#groupButton:checked { background: #8a4b00; border-color: #8a4b00; }
QLabel#groupLabel { font-size: 20px; color: #5a3200; padding-top: room(20); }
QLabel#groupLabel[checked="true"] { color: white; }
QLabel#priorityHint { font-size: 20px; color: #8a1c14; padding-top: room(20); }
QLabel#banner { font-size: 18px; padding: room(18, 6) 10px 6px 10px; border-radius: 8px; background: #fff3cd;
                color: #5c4400; margin: 0px 28px; }
QLabel#offline { font-size: 18px; padding: room(18, 6) 10px 6px 10px; border-radius: 8px; background: #fdecea;
                 color: #8a1c14; margin: 0px 28px; }
QLabel#bigCaption { font-size: 30px; color: #0b3d6e; padding-top: room(30); }
QLabel#bigNumber { font-size: 150px; font-weight: bold; color: #0b3d6e; }
QLabel#resultLine { font-size: 26px; color: #1f2933; padding-top: room(26); }
QLabel#priorityMark { font-size: 26px; font-weight: bold; color: #8a4b00; padding-top: room(26); }
QLabel#errorTitle { font-size: 36px; font-weight: bold; color: #8a1c14; padding-top: room(36); }
QLabel#errorText { font-size: 26px; color: #1f2933; padding-top: room(26); }
QLabel#busy { font-size: 34px; color: #0b3d6e; padding-top: room(34); }
QPushButton#doneButton { font-size: 26px; font-weight: bold; padding: 10px 60px; border-radius: 14px;
                         background: #0b5cad; color: white; min-height: 40px; }
QLabel#countdown { font-size: 18px; color: #59636e; padding-top: room(18); }
"""


def kiosk_style(scale: float) -> str:
    """The kiosk's style sheet for a screen ``scale`` times the reference one (1366x768, or 768x1366 upright)."""
    return scaled_style(KIOSK_TEMPLATE, scale)


def _restyle(label: QLabel, name: str, on: bool) -> None:
    # A property rather than a pseudo-state on the button: Qt style sheets do not pass a parent's pseudo-state
    # (":disabled", ":checked") down to its child labels.
    label.setProperty(name, on)
    label.style().unpolish(label)
    label.style().polish(label)


class WrapButton(QPushButton):
    """A checkable touch button whose text wraps (a priority group's name can be a whole line in English)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupButton")
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 4, 12, 4)
        self.label = QLabel(text)
        self.label.setObjectName("groupLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(self.label)
        self.setAccessibleName(text)
        self.toggled.connect(lambda on: _restyle(self.label, "checked", on))

    def text(self) -> str:  # type: ignore[override]  # tests and screen readers read the label
        return self.label.text()

    def sizeHint(self) -> QSize:
        lay = self.layout()
        return lay.sizeHint() if lay is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        lay = self.layout()
        return lay.minimumSize() if lay is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        lay = self.layout()
        return lay.totalHeightForWidth(width) if lay is not None else super().heightForWidth(width)


class ServiceButton(QPushButton):
    """A large touch target with the service name and, smaller, its state (people waiting, or closed)."""

    def __init__(self, title: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceButton")
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
        for label in (self.title, self.detail):
            _restyle(label, "closed", not open_now)
        self.setAccessibleName(f"{self.title.text()}. {detail}")

    def text(self) -> str:  # type: ignore[override]  # tests and screen readers read the title
        return self.title.text()
