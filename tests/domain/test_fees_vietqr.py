"""Fees counted as the procedure prices them, and the VietQR payment code."""

from __future__ import annotations

import pytest

from motcua.domain.errors import ValidationError
from motcua.domain.fees import fee_amount, fee_lines, total
from motcua.domain.procedures import Fee, FeeBasis
from motcua.domain.vietqr import VietQr, ascii_purpose, crc16_ccitt_false, fields, parse, payload

CERTIFY = Fee("Phí chứng thực bản sao", 2_000, "", FeeBasis.PAGE, 1_000, 3, 200_000)


@pytest.mark.parametrize(
    ("pages", "copies", "expected"),
    [
        (1, 1, 2_000),
        (2, 1, 4_000),
        (3, 1, 5_000),  # pages 1–2 at 2.000 đ, page 3 at 1.000 đ
        (10, 2, 2 * 12_000),
        (500, 1, 200_000),  # at most 200.000 đ a copy
        (500, 3, 600_000),
    ],
)
def test_a_per_page_fee_has_its_second_tier_and_its_cap_per_copy(pages: int, copies: int, expected: int) -> None:
    assert fee_amount(CERTIFY, copies, pages) == expected


def test_fees_per_dossier_and_per_copy_and_a_whole_dossier() -> None:
    from motcua.domain.procedures import Level, Procedure, ProcessingTime, TimeUnit

    p = Procedure(
        "2.000815", "Chứng thực bản sao", "Chứng thực", Level.COMMUNE, "UBND xã", ProcessingTime(0, TimeUnit.SAME_DAY),
        fees=(CERTIFY, Fee("Lệ phí", 5_000), Fee("Bản sao", 3_000, per=FeeBasis.COPY)),
    )  # fmt: skip
    lines = fee_lines(p, copies=2, pages=4)
    assert [(line.quantity, line.amount_vnd) for line in lines] == [(4, 2 * 6_000), (1, 5_000), (2, 6_000)]
    assert total(lines) == 23_000
    with pytest.raises(ValidationError):
        fee_lines(p, copies=0)


def test_the_payment_code_is_what_banks_produce() -> None:
    # The same account, amount and content as NAPAS's own generator (api.vietqr.io) answers.
    assert (
        payload(VietQr("970415", "113366668888", 79_000, "Ung Ho Quy Vac Xin"))
        == "00020101021238560010A0000007270126000697041501121133666688880208QRIBFTTA53037045405790005802VN"
        "62220818Ung Ho Quy Vac Xin63043ACF"
    )
    assert (
        payload(VietQr("970415", "113366668888"))  # no amount: a static code, the payer types it
        == "00020101021138560010A0000007270126000697041501121133666688880208QRIBFTTA53037045802VN6304F443"
    )
    assert crc16_ccitt_false("123456789") == "29B1"  # the CRC's standard check value


def test_the_purpose_carries_the_dossier_code_without_diacritics_and_a_broken_code_is_refused() -> None:
    code = payload(VietQr("970405", "1500201012345", 12_000, "Phí HS 000.25.38.H38-261201-0007 Đặng"))
    top = parse(code)
    assert top["54"] == "12000"
    assert fields(top["62"])["08"] == "Phi HS 000.25.38.H38-2612"  # 25 characters at most, as banks carry it
    assert fields(fields(top["38"])["01"]) == {"00": "970405", "01": "1500201012345"}
    assert ascii_purpose("Đăng ký khai sinh") == "Dang ky khai sinh"
    broken = code[:-5] + ("0" if code[-5] != "0" else "1") + code[-4:]
    with pytest.raises(ValidationError, match="mã kiểm tra"):
        parse(broken)
    with pytest.raises(ValidationError):
        payload(VietQr("97041", "1"))
