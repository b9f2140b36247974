"""The fee receipt (or notice) and Mẫu 02 keep the citizen out of their PDF metadata, as the other forms do
(test_forms.py checks Mẫu 01–05 by a dossier): desktop search, mail previews and document managers index it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from test_forms import CTX, DOSSIER, run, tool, write
from test_forms_parties_fees import ACCOUNT, CHARGED, EMPLOYEE

from motcua.documents.forms import mau02_supplement
from motcua.documents.forms.fee_receipt import PayBy, fee_receipt
from motcua.documents.forms.supplement import mau02_guidance
from motcua.domain import vietqr
from motcua.domain.fees import Payment, PaymentMethod

PAY_BY = PayBy(vietqr.payload(ACCOUNT), "VietinBank", "113366668888", "TT PVHCC", DOSSIER.code)

PAPERS = {
    "fee_notice": lambda: fee_receipt(CHARGED, CTX, PAY_BY),
    "fee_receipt": lambda: fee_receipt(
        replace(CHARGED, payment=Payment(PaymentMethod.TRANSFER, 14_000, "FT2630112345")), CTX, PAY_BY
    ),
    "mau02": lambda: mau02_supplement(DOSSIER, CTX, ["Bản sao giấy khai sinh"], "Thiếu giấy tờ"),
    "mau02_guidance": lambda: mau02_guidance(
        EMPLOYEE,
        "Đăng ký khai sinh",
        ["Giấy chứng sinh (bản chính)"],
        "Chưa có giấy chứng sinh",
        CTX,
        at=datetime(2023, 10, 27, 10, 5),
        clerk="Nguyễn Thị Ánh Tuyết",
        reference="VISIT-0A1B2C3D4E5F",
    ),
}


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_metadata_holds_no_personal_data(paper: str, tmp_path: Path) -> None:
    path = write(tmp_path, PAPERS[paper](), f"{paper}.pdf")
    info = run(tool("pdfinfo"), str(path)).stdout + run(tool("pdfinfo"), "-meta", str(path)).stdout
    assert "Title:" in info
    a = DOSSIER.applicant
    for personal in (a.name, a.id_number, a.phone, a.email, a.address.detail, CTX.clerk, "Nguyễn Thị Ánh Tuyết"):
        assert not personal or personal not in info, (paper, personal)
