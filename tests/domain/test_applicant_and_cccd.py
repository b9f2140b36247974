from __future__ import annotations

from datetime import date

import pytest

from motcua.domain.applicant import Applicant, ApplicantKind, Sex, check_id_number
from motcua.domain.cccd import WedgeBuffer, parse_cccd, split_address
from motcua.domain.errors import ValidationError

PAYLOAD_7 = "001090123456|012345678|Nguyễn Văn An|01011990|Nam|Thôn 3, Xã Bảo Thắng, Huyện Bảo Thắng, Lào Cai|15042021"
PAYLOAD_11 = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Phường Cam Đường, Lào Cai|23092024||||"


def test_check_id_number_accepts_valid_and_cross_checks() -> None:
    assert check_id_number("001090123456", date(1990, 1, 1), Sex.MALE) == "001090123456"
    assert check_id_number("010301000123", date(2001, 5, 2), Sex.FEMALE) == "010301000123"


@pytest.mark.parametrize(
    ("number", "field"),
    [
        ("00109012345", "id_number"),
        ("0010901234567", "id_number"),
        ("00109012345a", "id_number"),
        ("999090123456", "id_number"),
    ],
)
def test_check_id_number_rejects_bad_shapes(number: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_id_number(number)
    assert err.value.field == field
    assert "12" in str(err.value) or "tỉnh" in str(err.value)


def test_check_id_number_sex_and_year_mismatch() -> None:
    with pytest.raises(ValidationError, match="Giới tính"):
        check_id_number("001090123456", sex=Sex.FEMALE)
    with pytest.raises(ValidationError, match="Năm sinh"):
        check_id_number("001090123456", birth=date(1991, 1, 1))


def test_parse_7_field_payload() -> None:
    d = parse_cccd(PAYLOAD_7)
    assert d.id_number == "001090123456"
    assert d.old_id_number == "012345678"
    assert d.name == "Nguyễn Văn An"
    assert d.birth_date == date(1990, 1, 1)
    assert d.sex is Sex.MALE
    assert d.issued == date(2021, 4, 15)
    a = d.to_applicant()
    assert a.address.province == "Lào Cai"
    assert a.address.commune == "Xã Bảo Thắng"
    assert a.address.former_district == "Huyện Bảo Thắng"
    assert a.address.detail == "Thôn 3"


def test_parse_11_field_payload_and_repeated_payload() -> None:
    assert parse_cccd(PAYLOAD_11).name == "Đặng Hồng Bảo"
    twice = PAYLOAD_11 + PAYLOAD_11
    d = parse_cccd(twice)
    assert d.id_number == "051084009698"
    assert d.issued == date(2024, 9, 23)


def test_parse_rejects_garbage_with_vietnamese_message() -> None:
    with pytest.raises(ValidationError, match="thẻ căn cước"):
        parse_cccd("000.25.38.H38-261120-0361")
    with pytest.raises(ValidationError, match="ngày"):
        parse_cccd("001090123456|012345678|Nguyễn Văn An|3101199|Nam|X|15042021")


def test_wedge_buffer_waits_for_whole_payload_and_ignores_resend() -> None:
    w = WedgeBuffer()
    typed = ""
    results = []
    for ch in PAYLOAD_11:
        typed += ch
        got = w.feed(typed)
        if got:
            results.append(got)
    assert len(results) == 1 and results[0].name == "Đặng Hồng Bảo"
    # The scanner sends it again (and presses Enter): the locked buffer does not fill the form twice.
    assert w.feed(typed + PAYLOAD_11, enter=True) is None
    w.reset()
    assert w.feed(PAYLOAD_11, enter=True) is not None


def test_wedge_buffer_enter_on_broken_payload_says_why() -> None:
    with pytest.raises(ValidationError):
        WedgeBuffer().feed("001090123456|012345678|Nguy", enter=True)


def test_split_address_two_level() -> None:
    a = split_address("Tổ 5, Phường Cam Đường, Tỉnh Lào Cai")
    assert (a.detail, a.commune, a.former_district, a.province) == ("Tổ 5", "Phường Cam Đường", "", "Tỉnh Lào Cai")


def test_applicant_validation_messages() -> None:
    ok = Applicant(ApplicantKind.PERSON, "  Lê  Thị Hoa ", "001190123456", phone="+84 912 345 678").validate()
    assert ok.name == "Lê Thị Hoa" and ok.phone == "+84912345678"
    with pytest.raises(ValidationError) as err:
        Applicant(ApplicantKind.PERSON, "").validate()
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        Applicant(ApplicantKind.PERSON, "A", phone="12").validate()
    assert err.value.field == "phone"
    with pytest.raises(ValidationError):
        Applicant(ApplicantKind.ORGANISATION, "Công ty TNHH Hoa Sen", "12345").validate()
    Applicant(ApplicantKind.ORGANISATION, "Công ty TNHH Hoa Sen", "5300123456").validate()
