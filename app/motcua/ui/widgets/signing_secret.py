"""The digital signature's secret, asked on the screen before the signing work goes to its thread."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from motcua.config import SigningSettings
from motcua.i18n import tr


def signing_secret(parent: QWidget, s: SigningSettings) -> str | None:
    """The token's PIN or the .p12 password: from the settings when there, else asked; None when cancelled."""
    secret = s.pin if s.kind == "pkcs11" else s.pkcs12_password
    if secret:
        return secret
    typed, ok = QInputDialog.getText(parent, tr("Ký số"), tr("Mã PIN của chữ ký số"), QLineEdit.EchoMode.Password)
    return typed if ok else None
