"""ID numbers, phones and codes in ASCII digits whatever keyboard typed them (property-based)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.domain.applicant import Applicant, ApplicantKind, check_id_number
from motcua.domain.cccd import parse_cccd
from motcua.domain.errors import ValidationError
from motcua.domain.numbers import SEPARATORS, ascii_digits, number
from motcua.domain.text import digits
from motcua.services.reception import ReceptionService
from privacy.helpers import ID_NUMBER, PHONE, QR, receive

# Every script's ten digits: each character of category Nd, with the value unicodedata gives it.
unicode_digit = st.characters(categories=["Nd"])
separator = st.sampled_from(sorted(SEPARATORS))


def _script_of(value: str, zero: str) -> str:
    """``value`` (ASCII digits) written with the digits of the script whose zero is ``zero``."""
    return "".join(chr(ord(zero) + int(c)) for c in value)


ZEROS = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c)) == 0]


@given(st.text(alphabet=st.one_of(unicode_digit, separator, st.characters()), max_size=40))
def test_normalising_twice_is_normalising_once(text: str) -> None:
    once = ascii_digits(text)
    assert ascii_digits(once) == once
    n = number(text)
    if n is not None:
        assert number(n) == n
        assert n.isascii() and (n.isdigit() or n == "")


@given(st.lists(unicode_digit, min_size=1, max_size=20), st.data())
def test_any_unicode_digits_give_the_same_ascii_digits(chars: list[str], data: st.DataObject) -> None:
    text = "".join(chars)
    expected = "".join(str(unicodedata.digit(c)) for c in chars)
    assert ascii_digits(text) == expected == digits(text)
    # Separators between groups change nothing.
    spaced = "".join(c + (data.draw(separator) if data.draw(st.booleans()) else "") for c in chars)
    assert number(spaced) == expected


@given(st.text(min_size=1, max_size=10).filter(lambda t: any(not c.isdecimal() and c not in SEPARATORS for c in t)))
def test_anything_else_is_refused(junk: str) -> None:
    assert number("0912" + junk + "345") is None


@given(st.sampled_from(ZEROS), st.sampled_from(ZEROS))
def test_an_id_number_typed_in_any_script_is_the_ascii_one(zero: str, other: str) -> None:
    mixed = _script_of(ID_NUMBER[:6], zero) + " " + _script_of(ID_NUMBER[6:], other)
    assert check_id_number(mixed) == ID_NUMBER
    a = Applicant(ApplicantKind.PERSON, "Đặng Hồng Bảo", id_number=mixed, phone=_script_of(PHONE, other))
    v = a.validate()
    assert (v.id_number, v.phone) == (ID_NUMBER, PHONE)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０９１２ ３４５ ６７８", "0912345678"),
        ("+84 912.345.678", "+84912345678"),
        ("(028) 3823-4567", "02838234567"),
        ("٠٩١٢٣٤٥٦٧٨", "0912345678"),
    ],
)
def test_phones_are_stored_in_ascii_digits(typed: str, stored: str) -> None:
    assert Applicant(ApplicantKind.PERSON, "A", phone=typed).validate().phone == stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "05108400969O", "chỉ được gồm 12 chữ số"),
        ("id_number", "051084009698x", "chỉ được gồm 12 chữ số"),
        ("phone", "0912 345 678 nhà", "chỉ được gồm chữ số"),
        ("phone", "0912/345/678", "chỉ được gồm chữ số"),
    ],
)
def test_letters_in_a_number_are_refused_in_vietnamese(field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        Applicant(ApplicantKind.PERSON, "A", **{field: value}).validate()
    assert message in str(err.value) and err.value.field == field


def test_a_tax_code_keeps_its_branch_dash() -> None:
    org = Applicant(ApplicantKind.ORGANISATION, "Công ty A", id_number="０１０１２３４５６７-００１").validate()
    assert org.id_number == "0101234567-001"


def test_a_card_scanned_through_a_full_width_layout_reads_as_ascii() -> None:
    card = parse_cccd(ascii_to_fullwidth(QR))
    assert card.id_number == ID_NUMBER and card.birth_date.year == 1984


def ascii_to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else c for c in text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(zero=st.sampled_from(ZEROS), sep=st.sampled_from(["", " ", ".", "-", "\u3000"]))
def test_search_finds_the_dossier_whatever_digits_were_typed(ctx, zero: str, sep: str) -> None:
    svc = ReceptionService(ctx)
    if not svc.search(ID_NUMBER):
        receive(ctx)
    code = svc.search(ID_NUMBER)[0].code
    as_typed = sep.join(_script_of(ID_NUMBER[i : i + 3], zero) for i in range(0, 12, 3))
    assert [d.code for d in svc.search(as_typed)] == [code]
    assert [d.code for d in svc.search(_script_of(ID_NUMBER[:8], zero))] == [code]  # the start of it, as typed so far
    phone = sep.join(_script_of(PHONE[i : i + 4], zero) for i in (0, 4, 8))
    assert [d.code for d in svc.search(phone)] == [code]
    scanned = "".join(_script_of(c, zero) if c.isdigit() else c for c in code)
    assert svc.find_scanned(scanned).code == code
