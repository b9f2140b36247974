"""The QR on the chip citizen-ID card (CCCD / thẻ căn cước) and keyboard-wedge scanners that type it.

Payload: ``ID12|CMND9|Họ và tên|DDMMYYYY|Nam/Nữ|Nơi thường trú|DDMMYYYY`` (newer cards add four empty fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from motcua.domain.applicant import Address, Applicant, ApplicantKind, Sex, check_id_number
from motcua.domain.errors import ValidationError
from motcua.domain.numbers import ascii_digits
from motcua.domain.text import nfc
from motcua.i18n import tr

_START = re.compile(r"\d{12}\|")


@dataclass(frozen=True, slots=True)
class CccdData:
    id_number: str
    old_id_number: str
    name: str
    birth_date: date
    sex: Sex
    address: str
    issued: date

    def to_applicant(self) -> Applicant:
        return Applicant(
            kind=ApplicantKind.PERSON,
            name=self.name,
            id_number=self.id_number,
            birth_date=self.birth_date,
            sex=self.sex,
            address=split_address(self.address),
            old_id_number=self.old_id_number,
            id_issued=self.issued,
        )


def _ddmmyyyy(text: str, what: str) -> date:
    if not re.fullmatch(r"\d{8}", text):
        raise ValidationError(tr("QR căn cước: {what} không đúng dạng ngày", what=what))
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise ValidationError(tr("QR căn cước: {what} không đúng dạng ngày", what=what)) from None


def parse_cccd(payload: str) -> CccdData:
    """Parse the QR payload; the *last* complete payload wins when a scanner sent it more than once."""
    # A scanner behind a full-width or Arabic keyboard layout types other digits: the card's numbers are ASCII.
    text = ascii_digits(nfc(payload.replace("\r", "").replace("\n", "")))
    starts = [m.start() for m in _START.finditer(text)]
    if not starts:
        raise ValidationError(tr("Không phải mã QR của thẻ căn cước"))
    fields: list[str] = []
    for start in reversed(starts):
        fields = text[start:].split("|")
        if len(fields) >= 7:
            break
    if len(fields) < 7:
        raise ValidationError(tr("Mã QR căn cước bị thiếu trường (cần ít nhất 7)"))
    fields = [f.strip() for f in fields]
    if len(fields) > 7:
        # Payload sent twice: the 8th field starts the next copy, cut it off.
        tail = fields[7]
        if _START.match(tail + "|"):
            fields = fields[:7]
    number, old, name, birth, sex, address, issued = fields[:7]
    if sex not in (Sex.MALE.value, Sex.FEMALE.value):
        raise ValidationError(tr("QR căn cước: giới tính không hợp lệ"))
    data = CccdData(
        id_number=number,
        old_id_number=old,
        name=name,
        birth_date=_ddmmyyyy(birth, tr("ngày sinh")),
        sex=Sex(sex),
        address=address,
        issued=_ddmmyyyy(issued, tr("ngày cấp")),
    )
    check_id_number(data.id_number, data.birth_date, data.sex)
    return data


def split_address(text: str) -> Address:
    """Split "Thôn 3, Xã A, Huyện B, Tỉnh C" into detail / commune / former district / province."""
    parts = [p.strip() for p in nfc(text).split(",") if p.strip()]
    if not parts:
        return Address()
    province = parts.pop() if len(parts) >= 2 else ""
    district = ""
    if parts and re.match(r"(?i)^(huyện|quận|thị xã|thành phố)\b", parts[-1]) and len(parts) >= 2:
        district = parts.pop()
    commune = parts.pop() if len(parts) >= 2 or (parts and not province) else (parts.pop() if parts else "")
    return Address(detail=", ".join(parts), commune=commune, province=province, former_district=district)


class WedgeBuffer:
    """Collects what a USB keyboard-wedge scanner types into a field and yields a parsed card once.

    Scanners end with Enter, may send the whole payload twice, and Vietnamese IMEs (Unikey, EVKey) rewrite
    keystrokes on the way, so the caller feeds the field's whole *text* (not key events) after each change.
    After a good parse the buffer locks until ``reset()`` so that a repeated payload is not parsed again.
    """

    def __init__(self) -> None:
        self._locked_on: str | None = None

    def reset(self) -> None:
        self._locked_on = None

    @property
    def locked(self) -> bool:
        """A card was read and its repeats are being ignored."""
        return self._locked_on is not None

    def feed(self, text: str, enter: bool = False) -> CccdData | None:
        """Return the card when the text holds a complete payload (on Enter, or with ≥ 7 fields and a date)."""
        if not _START.search(text):
            return None
        complete = enter or re.search(r"\|\d{8}\|?\s*$", text) is not None
        if not complete:
            return None
        try:
            data = parse_cccd(text)
        except ValidationError:
            if enter:
                raise
            return None
        if self._locked_on == data.id_number:
            return None
        self._locked_on = data.id_number
        return data
