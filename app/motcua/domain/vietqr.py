"""VietQR: the national bank-transfer QR (NAPAS 24/7, EMVCo merchant-presented format).

A citizen pays a fee by scanning the code with any Vietnamese banking app: it names the centre's account (bank BIN
and account number), the amount and a purpose (the dossier code), so the transfer arrives already labelled. The
payload is the EMVCo TLV text: ``ID`` (2 digits), ``length`` (2 digits), ``value``, ending with a CRC-16/CCITT-FALSE
over everything before it (including ``6304``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from motcua.domain.errors import ValidationError
from motcua.i18n import tr

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"  # transfer to an account (QRIBFTTC: to a card)
_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")


@dataclass(frozen=True, slots=True)
class VietQr:
    """What a payment code carries.

    Attributes:
        bank_bin: the beneficiary bank's 6-digit NAPAS BIN (e.g. 970415 VietinBank, 970405 Agribank).
        account: the beneficiary account number.
        amount_vnd: the amount (0: the payer types it; the code is then static).
        purpose: the transfer's content (ASCII only: banking apps show it as sent; at most 25 characters).
    """

    bank_bin: str
    account: str
    amount_vnd: int = 0
    purpose: str = ""


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValidationError(tr("Trường {tag} của mã VietQR quá dài", tag=tag))
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(text: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def ascii_purpose(text: str, limit: int = 25) -> str:
    """The transfer content as banks carry it: no diacritics (đ → d), letters, digits, spaces and ``-._``."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^0-9A-Za-z .\-_]", " ", plain).strip()[:limit].strip()


def payload(qr: VietQr) -> str:
    """The EMVCo text to draw as a QR code."""
    if not _BIN.match(qr.bank_bin):
        raise ValidationError(tr("Mã BIN ngân hàng phải có 6 chữ số"), "bank_bin")
    if not _ACCOUNT.match(qr.account):
        raise ValidationError(tr("Số tài khoản nhận không hợp lệ"), "account")
    if qr.amount_vnd < 0:
        raise ValidationError(tr("Số tiền không được âm"), "amount")
    beneficiary = _tlv("00", qr.bank_bin) + _tlv("01", qr.account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_ACCOUNT)
    body = _tlv("00", "01") + _tlv("01", "12" if qr.amount_vnd else "11") + _tlv("38", merchant) + _tlv("53", "704")
    if qr.amount_vnd:
        body += _tlv("54", str(qr.amount_vnd))
    body += _tlv("58", "VN")
    purpose = ascii_purpose(qr.purpose)
    if purpose:
        body += _tlv("62", _tlv("08", purpose))
    body += "6304"
    return body + crc16_ccitt_false(body)


def parse(text: str) -> dict[str, str]:
    """The top-level fields of an EMVCo payload (tag → value), after checking its CRC."""
    if len(text) < 8 or text[-8:-4] != "6304" or crc16_ccitt_false(text[:-4]) != text[-4:].upper():
        raise ValidationError(tr("Mã QR thanh toán bị hỏng (sai mã kiểm tra)"))
    return _fields(text[:-8])


def _fields(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(text):
        tag, size = text[i : i + 2], text[i + 2 : i + 4]
        if not (tag.isdigit() and size.isdigit()) or i + 4 + int(size) > len(text):
            raise ValidationError(tr("Mã QR thanh toán không đúng cấu trúc"))
        out[tag] = text[i + 4 : i + 4 + int(size)]
        i += 4 + int(size)
    return out


def fields(text: str) -> dict[str, str]:
    """The sub-fields of a template value (the merchant account ``38``, additional data ``62``)."""
    return _fields(text)
