from __future__ import annotations

import unicodedata

from motcua.domain.text import fold, nfc, phone_key


def test_fold_strips_diacritics_and_d_stroke() -> None:
    assert fold("Đặng Hồng Bảo") == "dang hong bao"
    assert fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh"
    assert fold("Nguyễn  Thị\tÁnh-Tuyết") == "nguyen thi anh tuyet"


def test_fold_is_the_same_for_nfc_and_nfd() -> None:
    s = "Trần Quốc Tuấn"
    assert fold(unicodedata.normalize("NFD", s)) == fold(s) == "tran quoc tuan"


def test_nfc_normalises_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Lê   Thị Hồng ")
    out = nfc(decomposed)
    assert out == "Lê Thị Hồng"
    assert unicodedata.is_normalized("NFC", out)


def test_phone_key_national_form() -> None:
    assert phone_key("+84 912 345 678") == "0912345678"
    assert phone_key("0912.345.678") == "0912345678"
    assert phone_key("84912345678") == "0912345678"
