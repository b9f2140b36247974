"""The fee's VietQR code: made from the centre's [payment] account, labelled with the dossier code, and a bad
account named for the administrator instead of a wrong code on a receipt."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.config import ConfigError, PaymentSettings, load_settings
from motcua.domain import vietqr
from motcua.services.payments import fee_qr

ACCOUNT = PaymentSettings(
    bank_bin="970415", bank_name="VietinBank", account="113366668888", account_name="TT PVHCC XA BAO THANG"
)


def test_the_code_carries_the_account_amount_and_dossier_code() -> None:
    qr = fee_qr(ACCOUNT, "000.25.38.H38-261201-0007", 12_000)
    assert qr is not None
    top = vietqr.parse(qr.payload)
    merchant = vietqr.fields(top["38"])
    assert vietqr.fields(merchant["01"]) == {"00": "970415", "01": "113366668888"}
    assert (top["54"], top["53"], top["01"]) == ("12000", "704", "12")  # dynamic: the amount is fixed
    # The dossier code is 25 characters: it fits whole, so the transfer finds its dossier.
    assert vietqr.fields(top["62"])["08"] == qr.purpose == "000.25.38.H38-261201-0007"
    assert (qr.bank_name, qr.account_name) == ("VietinBank", "TT PVHCC XA BAO THANG")


def test_no_account_or_nothing_to_pay_makes_no_code() -> None:
    assert fee_qr(PaymentSettings(), "X", 10_000) is None
    assert fee_qr(ACCOUNT, "X", 0) is None


def test_a_bad_account_is_named_in_the_configuration() -> None:
    with pytest.raises(ConfigError, match=r"\[payment\].*BIN"):
        fee_qr(PaymentSettings(bank_bin="97041", account="1133"), "X", 1000)
    with pytest.raises(ConfigError, match=r"payment\.purpose.* \{code\}$"):
        fee_qr(PaymentSettings(bank_bin="970415", account="1133", purpose="{ma_ho_so}"), "X", 1000)


def test_the_account_is_read_from_centre_toml(tmp_path: Path) -> None:
    path = tmp_path / "centre.toml"
    path.write_text('[payment]\nbank_bin = "970405"\naccount = "8888"\naccount_name = "TT PVHCC"\n', encoding="utf-8")
    assert load_settings(path).payment == PaymentSettings(bank_bin="970405", account="8888", account_name="TT PVHCC")
