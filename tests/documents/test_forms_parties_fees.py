"""Who the papers speak to and what they charge: the person at the counter and the owner they act for, each with
their own paper (12-digit number, passport, tax code); "Ông"/"Bà" for a person and never for a company; the place a
territorial procedure concerns; the fee paper with its VietQR code; Mẫu 02 for a citizen guided without a
reception."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from test_forms import CTX, DOSSIER, pdf_text, render_page, run, tool, write

from motcua.documents.forms import mau01_receipt, mau02_supplement, mau03_refusal, mau04_apology
from motcua.documents.forms.fee_receipt import PayBy, fee_receipt
from motcua.documents.forms.supplement import mau02_guidance
from motcua.domain import vietqr
from motcua.domain.applicant import Address, Applicant, ApplicantKind, IdKind, Sex
from motcua.domain.fees import FeeLine, Payment, PaymentMethod
from motcua.domain.procedures import FeeBasis, Territory

COMPANY = Applicant(
    ApplicantKind.ORGANISATION,
    "Công ty TNHH Xây dựng Ánh Dương",
    "5300123456",
    address=Address("Số 8 đường Trần Phú", "Phường Cam Đường", "Lào Cai"),
    phone="02143840999",
)
EMPLOYEE = DOSSIER.applicant  # Đặng Hồng Bảo, a man
FOR_COMPANY = replace(
    DOSSIER,
    applicant=COMPANY,
    submitter=EMPLOYEE,
    territory=Territory.LOCATION,
    place=Address("Thôn Tân Tiến", "Xã Bảo Thắng", "Lào Cai"),
)


def test_a_company_is_never_called_ong_ba_and_its_employee_signs(tmp_path: Path) -> None:
    refusal = pdf_text(write(tmp_path, mau03_refusal(FOR_COMPANY, CTX, "Thiếu giấy phép."), "r.pdf"))
    supplement = pdf_text(write(tmp_path, mau02_supplement(FOR_COMPANY, CTX, ["Bản vẽ"], "Thiếu bản vẽ"), "s.pdf"))
    apology = pdf_text(
        write(tmp_path, mau04_apology(FOR_COMPANY, CTX, "Chờ xác minh.", datetime(2023, 11, 8)), "a.pdf")
    )
    for text in (refusal, supplement, apology):
        assert "Ông/Bà" not in text and "Quý tổ chức" in text
    assert "Kính gửi: Công ty TNHH Xây dựng Ánh Dương" in apology
    # The company owns the dossier; the person who brought it is named with their own paper.
    assert "tiếp nhận hồ sơ của Quý tổ chức: Công ty TNHH Xây dựng Ánh Dương Mã số thuế: 5300123456" in refusal
    assert "Người nộp hồ sơ: Đặng Hồng Bảo Số định danh cá nhân: 010203001234" in refusal
    assert "Địa chỉ: Số 8 đường Trần Phú, Phường Cam Đường, Lào Cai" in refusal  # the owner's seat
    receipt = pdf_text(write(tmp_path, mau01_receipt(FOR_COMPANY, CTX, "15 ngày làm việc", copies=1), "m1.pdf"))
    assert "Nơi có đất, công trình: Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai" in receipt
    assert "Tiếp nhận hồ sơ của: Công ty TNHH Xây dựng Ánh Dương" in receipt
    assert receipt.count("Đặng Hồng Bảo") == 2  # who brought it, and who signs as "người nộp hồ sơ"


def test_a_person_is_spoken_to_as_the_card_says(tmp_path: Path) -> None:
    woman = replace(DOSSIER, applicant=replace(EMPLOYEE, name="Nguyễn Thị An", sex=Sex.FEMALE))
    unknown = replace(DOSSIER, applicant=replace(EMPLOYEE, sex=None))
    assert "Rất mong nhận được sự thông cảm của Bà./." in pdf_text(
        write(tmp_path, mau04_apology(woman, CTX, "Chờ.", datetime(2023, 11, 8)), "w.pdf")
    )
    text = pdf_text(write(tmp_path, mau03_refusal(DOSSIER, CTX, "Thiếu."), "m.pdf"))
    assert "tiếp nhận hồ sơ của Ông:" in text and "Xin thông báo cho Ông được biết" in text
    assert "tiếp nhận hồ sơ của Ông/Bà:" in pdf_text(write(tmp_path, mau03_refusal(unknown, CTX, "Thiếu."), "u.pdf"))


def test_a_passport_and_an_address_from_before_the_merger_print_as_given(tmp_path: Path) -> None:
    printed = "Thôn 3, xã Sơn Hải, huyện Bảo Thắng"
    home = Address("Thôn 3", "Xã Bảo Thắng", "Lào Cai", as_printed=printed)
    foreigner = Applicant(
        ApplicantKind.PERSON, "KIM MIN JUN", "M12345678", id_kind=IdKind.PASSPORT, nationality="Hàn Quốc", address=home
    )
    text = pdf_text(write(tmp_path, mau03_refusal(replace(DOSSIER, applicant=foreigner), CTX, "Thiếu."), "p.pdf"))
    assert "Hộ chiếu: M12345678 (Quốc tịch: Hàn Quốc)" in text
    assert "Địa chỉ: Thôn 3, Xã Bảo Thắng, Lào Cai (trên giấy tờ: Thôn 3, xã Sơn Hải, huyện Bảo Thắng)" in text


CHARGED = replace(
    DOSSIER,
    fee_vnd=14_000,
    fees=(FeeLine("Phí chứng thực bản sao từ bản chính", FeeBasis.PAGE, 5, 14_000, copies=2),),
)
ACCOUNT = vietqr.VietQr("970415", "113366668888", 14_000, DOSSIER.code)


def test_the_fee_notice_carries_a_code_the_bank_app_reads(tmp_path: Path) -> None:
    payload = vietqr.payload(ACCOUNT)
    pay_by = PayBy(payload, "VietinBank", "113366668888", "TT PVHCC XA BAO THANG", DOSSIER.code)
    path = write(tmp_path, fee_receipt(CHARGED, CTX, pay_by), "fee.pdf")
    text = pdf_text(path)
    assert "THÔNG BÁO NỘP PHÍ, LỆ PHÍ" in text
    table = " ".join(run(tool("pdftotext"), "-layout", str(path), "-").stdout.split())
    assert "1 Phí chứng thực bản sao từ bản chính 5 trang × 2 bản 14.000 đồng Tổng cộng 14.000 đồng" in table
    assert "Số tiền bằng chữ: Mười bốn nghìn đồng" in text
    assert "Còn phải nộp: 14.000 đồng" in text and "Số tài khoản: 113366668888" in text
    import zxingcpp

    found = [r.text for r in zxingcpp.read_barcodes(render_page(path, dpi=150)) if r.format.name == "QRCode"]
    assert found == [payload]
    fields = vietqr.parse(found[0])
    assert fields["54"] == "14000" and vietqr.fields(fields["62"])["08"] == DOSSIER.code


def test_a_paid_fee_gets_a_receipt_without_a_code(tmp_path: Path) -> None:
    paid = replace(CHARGED, payment=Payment(PaymentMethod.TRANSFER, 14_000, "FT2630112345"))
    pay_by = PayBy(vietqr.payload(ACCOUNT), "VietinBank", "113366668888", "", DOSSIER.code)
    path = write(tmp_path, fee_receipt(paid, CTX, pay_by), "paid.pdf")
    text = pdf_text(path)
    assert "BIÊN NHẬN THU PHÍ, LỆ PHÍ" in text
    assert "Đã thu: 14.000 đồng (Chuyển khoản)" in text and "FT2630112345" in text
    assert "Còn phải nộp" not in text and "Số tài khoản" not in text
    receipt = pdf_text(write(tmp_path, mau01_receipt(paid, CTX, "1 ngày", copies=1), "m1.pdf"))
    assert "Phí, lệ phí: 14.000 đồng (đã nộp: Chuyển khoản)" in receipt
    unpaid = pdf_text(write(tmp_path, mau01_receipt(CHARGED, CTX, "1 ngày", copies=1), "m1u.pdf"))
    assert "Phí, lệ phí: 14.000 đồng (chưa nộp)" in unpaid


def test_guidance_without_a_reception_has_no_dossier_code(tmp_path: Path) -> None:
    pdf = mau02_guidance(
        EMPLOYEE,
        "Đăng ký khai sinh",
        ["Giấy chứng sinh (bản chính)", "Giấy đăng ký kết hôn của cha mẹ"],
        "Chưa có giấy chứng sinh",
        CTX,
        at=datetime(2023, 10, 27, 10, 5),
        clerk="Nguyễn Thị Ánh Tuyết",
        reference="VISIT-0A1B2C3D4E5F",
    )
    text = pdf_text(write(tmp_path, pdf, "g.pdf"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "hướng dẫn Ông: Đặng Hồng Bảo" in text
    assert "1 Giấy chứng sinh (bản chính) 2 Giấy đăng ký kết hôn của cha mẹ" in text
    assert "Mã hồ sơ" not in text and "VISIT-0A1B2C3D4E5F" in text
    assert "10 giờ 05 phút, ngày 27 tháng 10 năm 2023" in text
