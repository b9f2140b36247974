"""The VietQR code a citizen scans to pay a dossier's fees into the centre's account."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.config import ConfigError, PaymentSettings
from motcua.domain.errors import ValidationError
from motcua.domain.vietqr import VietQr, ascii_purpose, payload
from motcua.i18n import tr


@dataclass(frozen=True, slots=True)
class FeeQr:
    """What the receipt and the counter's screen show: the code, and the account written out so the citizen can
    check what their banking app displays before confirming."""

    payload: str
    amount_vnd: int
    purpose: str
    bank_name: str
    account: str
    account_name: str


def fee_qr(settings: PaymentSettings, code: str, amount_vnd: int) -> FeeQr | None:
    """The code for ``amount_vnd`` labelled with the dossier ``code``; None when no account is configured or
    there is nothing to pay.

    Raises:
        ConfigError: the configured account cannot make a code (a BIN that is not 6 digits, ...), named so the
            administrator can fix ``[payment]``.
    """
    if not settings.account or amount_vnd <= 0:
        return None
    try:
        purpose = ascii_purpose(settings.purpose.format(code=code))
    except (KeyError, IndexError, ValueError):
        raise ConfigError(tr("Cấu hình: payment.purpose chỉ được dùng {placeholder}", placeholder="{code}")) from None
    qr = VietQr(settings.bank_bin, settings.account, amount_vnd, purpose)
    try:
        text = payload(qr)
    except ValidationError as exc:
        raise ConfigError(tr("Cấu hình [payment]: {error}", error=str(exc))) from None
    return FeeQr(text, amount_vnd, purpose, settings.bank_name, settings.account, settings.account_name)
