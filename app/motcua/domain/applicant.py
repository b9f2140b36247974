"""Applicants (người nộp / chủ hồ sơ): a person with a chip ID card, or an organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from motcua.domain.errors import ValidationError
from motcua.domain.text import digits, nfc
from motcua.i18n import tr

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
_TAX = re.compile(r"^\d{10}(-\d{3})?$")


class Sex(StrEnum):
    MALE = "Nam"
    FEMALE = "Nữ"


class ApplicantKind(StrEnum):
    """LoaiDoiTuong in the national sync format."""

    PERSON = "1"
    ORGANISATION = "2"


def check_id_number(number: str, birth: date | None = None, sex: Sex | None = None) -> str:
    """Validate a 12-digit personal identification number (số định danh cá nhân, on the CCCD).

    Digits 1–3 are the province of birth registration (001–096), digit 4 encodes sex and century
    (0/1 → 1900s male/female, 2/3 → 2000s, 4/5 → 2100s), digits 5–6 the last two digits of the birth year.
    Cross-checks with ``birth`` and ``sex`` are made only when they are known.

    Returns:
        The number, digits only.
    """
    n = digits(number)
    if len(n) != 12 or n != number.strip().replace(" ", ""):
        raise ValidationError(tr("Số định danh phải gồm đúng 12 chữ số"), "id_number")
    province = int(n[:3])
    if not 1 <= province <= 96:
        raise ValidationError(tr("Mã tỉnh nơi đăng ký khai sinh (3 số đầu) không hợp lệ"), "id_number")
    gender_century = int(n[3])
    if gender_century > 9:
        raise ValidationError(tr("Số định danh không hợp lệ"), "id_number")
    century = 1900 + 100 * (gender_century // 2)
    if sex is not None:
        expected = Sex.MALE if gender_century % 2 == 0 else Sex.FEMALE
        if sex != expected:
            raise ValidationError(tr("Giới tính không khớp với số định danh"), "sex")
    if birth is not None and (birth.year != century + int(n[4:6])):
        raise ValidationError(tr("Năm sinh không khớp với số định danh"), "birth_date")
    return n


@dataclass(frozen=True, slots=True)
class Address:
    """Two-level address since 1/7/2025 (xã/phường → tỉnh); papers issued earlier may name a district."""

    detail: str = ""
    commune: str = ""
    province: str = ""
    former_district: str = ""

    def one_line(self) -> str:
        parts = [self.detail, self.commune, self.former_district, self.province]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Applicant:
    kind: ApplicantKind
    name: str
    id_number: str = ""  # 12 digits for a person; the tax code for an organisation
    birth_date: date | None = None
    sex: Sex | None = None
    address: Address = Address()
    phone: str = ""
    email: str = ""
    old_id_number: str = ""  # the 9-digit CMND some people still carry
    id_issued: date | None = None

    def normalised(self) -> Applicant:
        """NFC everywhere, phone digits only; the form every stored applicant takes."""
        a = self.address
        return replace(
            self,
            name=nfc(self.name),
            id_number=self.id_number.strip(),
            phone=_clean_phone(self.phone),
            email=self.email.strip(),
            address=Address(nfc(a.detail), nfc(a.commune), nfc(a.province), nfc(a.former_district)),
        )

    def validate(self) -> Applicant:
        """Return the normalised applicant or raise a ValidationError naming the first bad field."""
        a = self.normalised()
        if not a.name:
            raise ValidationError(tr("Chưa nhập họ tên người nộp hồ sơ"), "name")
        if a.kind is ApplicantKind.PERSON:
            if a.id_number:
                check_id_number(a.id_number, a.birth_date, a.sex)
            if a.birth_date and a.birth_date > date.today():
                raise ValidationError(tr("Ngày sinh ở tương lai"), "birth_date")
        elif a.id_number and not _TAX.match(a.id_number):
            raise ValidationError(tr("Mã số thuế phải có 10 chữ số (hoặc 10 số, gạch ngang, 3 số)"), "id_number")
        if a.phone and not _PHONE.match(a.phone):
            raise ValidationError(tr("Số điện thoại không hợp lệ"), "phone")
        if a.email and not _EMAIL.match(a.email):
            raise ValidationError(tr("Địa chỉ email không hợp lệ"), "email")
        return a


def _clean_phone(phone: str) -> str:
    p = phone.strip()
    plus = p.startswith("+")
    d = digits(p)
    return ("+" + d) if plus else d
