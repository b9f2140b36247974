"""Applicants with a passport or a foreign paper, how forms address them, and addresses on today's two levels."""

from __future__ import annotations

from dataclasses import replace

import pytest

from motcua.domain.applicant import Address, Applicant, ApplicantKind, IdKind, Sex
from motcua.domain.errors import ValidationError
from motcua.services import addresses


def test_a_passport_or_a_foreign_paper_identifies_a_person_with_its_country() -> None:
    visitor = Applicant(ApplicantKind.PERSON, "John Smith", "c1234567", id_kind=IdKind.PASSPORT, nationality="GB")
    ok = visitor.validate()
    assert ok.id_number == "C1234567" and ok.identity is IdKind.PASSPORT
    with pytest.raises(ValidationError, match="quốc gia") as err:
        replace(visitor, nationality="").validate()
    assert err.value.field == "nationality"
    with pytest.raises(ValidationError, match="hộ chiếu"):
        replace(visitor, id_number="A1").validate()
    # A 12-digit number is still checked as one; an organisation is known by its tax code.
    with pytest.raises(ValidationError, match="12 chữ số"):
        Applicant(ApplicantKind.PERSON, "Lê Văn Tám", "123").validate()
    assert Applicant(ApplicantKind.ORGANISATION, "Công ty A", "5300123456").identity is IdKind.TAX_CODE


def test_forms_say_ong_or_ba_to_a_person_and_nothing_to_a_company() -> None:
    assert Applicant(ApplicantKind.PERSON, "Đặng Hồng Bảo", sex=Sex.MALE).salutation() == "Ông"
    assert Applicant(ApplicantKind.PERSON, "Nguyễn Thị An", sex=Sex.FEMALE).salutation() == "Bà"
    assert Applicant(ApplicantKind.PERSON, "Nguyễn An").salutation() == "Ông/Bà"
    assert Applicant(ApplicantKind.ORGANISATION, "Công ty TNHH Bảo Thắng").salutation() == ""


def test_today_units_get_their_codes() -> None:
    a = addresses.resolve(Address("Thôn 1", "Xã Bảo Thắng", "Tỉnh Lào Cai"))
    assert (a.commune, a.province, a.commune_code, a.province_code) == ("Xã Bảo Thắng", "Lào Cai", 2905, 15)
    assert len(addresses.provinces()) == 34 and len(addresses.communes()) == 3321


def test_an_address_printed_before_the_merger_is_placed_in_today_units_keeping_the_printed_text() -> None:
    old = Address("Thôn Tân Tiến", "Xã Sơn Hải", "Tỉnh Lào Cai", former_district="Huyện Bảo Thắng")
    a = addresses.resolve(old)
    assert (a.commune, a.province, a.commune_code) == ("Xã Bảo Thắng", "Lào Cai", 2905)
    assert a.as_printed == "Thôn Tân Tiến, Xã Sơn Hải, Huyện Bảo Thắng, Tỉnh Lào Cai"
    # A province merged away: Yên Bái is part of Lào Cai since 1/7/2025.
    yb = addresses.resolve(Address("Tổ 5", "Phường Nguyễn Thái Học", "Tỉnh Yên Bái", "Thành phố Yên Bái"))
    assert yb.province == "Lào Cai" and yb.province_code == 15 and "Yên Bái" in yb.as_printed
    # A place that cannot be found stays as typed: nothing is lost.
    unknown = Address("Số 1", "Xã Không Có", "Tỉnh Không Có")
    assert addresses.resolve(unknown) == unknown
