"""Applicants (người nộp / chủ hồ sơ): a person with a chip ID card, or an organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from motcua.domain.errors import ValidationError
from motcua.domain.numbers import ascii_digits, number
from motcua.domain.text import nfc
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


def check_id_number(id_text: str, birth: date | None = None, sex: Sex | None = None) -> str:
    """Validate a 12-digit personal identification number (số định danh cá nhân, on the CCCD).

    Digits 1–3 are the province of birth registration (001–096), digit 4 encodes sex and century
    (0/1 → 1900s male/female, 2/3 → 2000s, 4/5 → 2100s), digits 5–6 the last two digits of the birth year.
    Cross-checks with ``birth`` and ``sex`` are made only when they are known.

    Returns:
        The number, ASCII digits only (typed in any script, with spaces, dots or dashes between groups).
    """
    n = number(id_text)
    if n is None:
        raise ValidationError(tr("Số định danh chỉ được gồm 12 chữ số 0–9 (có thể cách nhóm bằng dấu cách, dấu chấm)"),
                              "id_number")  # fmt: skip
    if len(n) != 12:
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
    """Two-level address since 1/7/2025 (xã/phường → tỉnh); papers issued earlier may name a district.

    Attributes:
        province_code, commune_code: today's national codes (0: not placed yet).
        as_printed: the address as an older paper printed it, when it was converted to today's units.
    """

    detail: str = ""
    commune: str = ""
    province: str = ""
    former_district: str = ""
    province_code: int = 0
    commune_code: int = 0
    as_printed: str = ""

    def one_line(self) -> str:
        parts = [self.detail, self.commune, self.former_district, self.province]
        return ", ".join(p for p in parts if p)

    def normalised(self) -> Address:
        return replace(
            self,
            detail=nfc(self.detail),
            commune=nfc(self.commune),
            province=nfc(self.province),
            former_district=nfc(self.former_district),
            as_printed=nfc(self.as_printed),
        )


class IdKind(StrEnum):
    """The paper that identifies an applicant (DinhDanhCHS.LoaiDinhDanh in the national sync)."""

    NONE = ""
    CCCD = "cccd"  # the 12-digit personal identification number (chip ID card, VNeID)
    PASSPORT = "passport"  # hộ chiếu (Vietnamese or foreign)
    FOREIGN_ID = "foreign_id"  # a foreigner's ID paper other than a passport (thẻ thường trú, giấy tờ nước ngoài)
    TAX_CODE = "tax_code"  # an organisation's tax code

    @property
    def label(self) -> str:
        return tr(
            {
                "": "Không có giấy tờ",
                "cccd": "Số định danh cá nhân",
                "passport": "Hộ chiếu",
                "foreign_id": "Giấy tờ tùy thân nước ngoài",
                "tax_code": "Mã số thuế",
            }[self.value]
        )


_PASSPORT = re.compile(r"^[A-Z0-9]{6,15}$")
_FOREIGN_ID = re.compile(r"^[A-Z0-9-]{4,20}$")


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
    id_kind: IdKind = IdKind.NONE  # NONE: a 12-digit number for a person, a tax code for an organisation
    nationality: str = ""  # for a passport or a foreign paper: the issuing country (ISO code or name)

    @property
    def identity(self) -> IdKind:
        """The kind of ``id_number``, said or understood."""
        if self.id_kind is not IdKind.NONE:
            return self.id_kind
        if not self.id_number:
            return IdKind.NONE
        return IdKind.TAX_CODE if self.kind is ApplicantKind.ORGANISATION else IdKind.CCCD

    def salutation(self) -> str:
        """How a form addresses them: "Ông"/"Bà" for a person, nothing for an organisation (no "Ông/Bà" to a
        company)."""
        if self.kind is ApplicantKind.ORGANISATION:
            return ""
        if self.sex is Sex.MALE:
            return "Ông"
        if self.sex is Sex.FEMALE:
            return "Bà"
        return "Ông/Bà"

    def normalised(self) -> Applicant:
        """NFC everywhere; ID numbers and phone in ASCII digits (what cannot be read as one is left for
        :meth:`validate` to refuse); the form every stored applicant takes."""
        a = self.address
        return replace(
            self,
            name=nfc(self.name),
            id_number=_clean_id(self.id_number, self.identity),
            old_id_number=_or_text(number(self.old_id_number), self.old_id_number),
            phone=_clean_phone(self.phone),
            email=self.email.strip(),
            address=a.normalised(),
            nationality=nfc(self.nationality).strip(),
        )

    def validate(self) -> Applicant:
        """Return the normalised applicant or raise a ValidationError naming the first bad field."""
        a = self.normalised()
        if not a.name:
            raise ValidationError(tr("Chưa nhập họ tên người nộp hồ sơ"), "name")
        kind = a.identity
        if a.kind is ApplicantKind.PERSON:
            if kind is IdKind.TAX_CODE:
                raise ValidationError(tr("Người nộp là cá nhân: hãy ghi số định danh, hộ chiếu hoặc giấy tờ khác"),
                                      "id_kind")  # fmt: skip
            if kind is IdKind.CCCD:
                check_id_number(a.id_number, a.birth_date, a.sex)
            elif kind is IdKind.PASSPORT and not _PASSPORT.match(a.id_number):
                raise ValidationError(tr("Số hộ chiếu gồm 6–15 chữ cái in hoa hoặc chữ số"), "id_number")
            elif kind is IdKind.FOREIGN_ID and not _FOREIGN_ID.match(a.id_number):
                raise ValidationError(tr("Số giấy tờ gồm 4–20 chữ cái in hoa, chữ số hoặc gạch ngang"), "id_number")
            if kind in _FOREIGN_PAPERS and not a.nationality:
                raise ValidationError(tr("Hãy ghi quốc gia cấp giấy tờ"), "nationality")
            if a.birth_date and a.birth_date > date.today():
                raise ValidationError(tr("Ngày sinh ở tương lai"), "birth_date")
        elif a.id_number and not _TAX.match(a.id_number):
            raise ValidationError(tr("Mã số thuế phải có 10 chữ số (hoặc 10 số, gạch ngang, 3 số)"), "id_number")
        if a.phone and not _PHONE.match(a.phone):
            if number(a.phone, keep="+") is None:
                raise ValidationError(_phone_digits_only(), "phone")
            raise ValidationError(tr("Số điện thoại không hợp lệ"), "phone")
        if a.email and not _EMAIL.match(a.email):
            raise ValidationError(tr("Địa chỉ email không hợp lệ"), "email")
        return a


_FOREIGN_PAPERS = (IdKind.PASSPORT, IdKind.FOREIGN_ID)


def _phone_digits_only() -> str:
    return tr("Số điện thoại chỉ được gồm chữ số 0–9 (có thể có dấu cách, dấu chấm, gạch ngang)")


def _or_text(n: str | None, text: str) -> str:
    return n if n is not None else ascii_digits(text).strip()


def _clean_id(text: str, kind: IdKind) -> str:
    if kind in _FOREIGN_PAPERS:
        # Letters and digits; spaces between groups dropped, a foreign ID's dashes kept.
        return "".join(ch for ch in ascii_digits(text).upper() if not ch.isspace())
    if kind is IdKind.TAX_CODE:
        return _or_text(number(text, keep="-"), text)  # 0101234567-001: the dash is the branch's
    if kind is IdKind.CCCD:
        return _or_text(number(text), text)
    return text.strip()


def _clean_phone(phone: str) -> str:
    """A phone in ASCII digits, "+" kept in front; brackets, spaces, dots and dashes between groups dropped."""
    p = ascii_digits(phone).strip()
    plus = p.startswith("+")
    n = number(p[1:] if plus else p, drop="()")
    if n is None:
        return p  # validate() says what is wrong with it
    return ("+" + n) if plus else n
