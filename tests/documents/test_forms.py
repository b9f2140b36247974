"""The A4 forms (Mẫu 01–06) and the thermal receipt, checked with the tools a person would trust.

poppler (pdftotext, pdftoppm, pdffonts, pdfinfo) and qpdf read the PDFs back; pyzbar reads the barcodes
from a 150 dpi rendering, the resolution of an office scanner.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pyzbar import pyzbar

from motcua.config import CentreSettings
from motcua.documents.forms import (
    FormContext,
    mau01_receipt,
    mau02_supplement,
    mau03_refusal,
    mau04_apology,
    mau05_control_sheet,
    mau06_tracking_book,
)
from motcua.documents.forms.phrases import date_phrase, time_phrase
from motcua.documents.thermal import render_receipt_image
from motcua.domain.applicant import Address, Applicant, ApplicantKind, Sex
from motcua.domain.dossier import Dossier, Event, ReceivedComponent
from motcua.domain.formatting import money
from motcua.domain.status import Action, Status

CENTRE = CentreSettings(phone="0214 3840 123")
CTX = FormContext(centre=CENTRE, clerk="Nguyễn Thị Ánh Tuyết", printed_at=datetime(2023, 10, 27, 9, 35))
RECEIVED = datetime(2023, 10, 27, 9, 32)
DUE = datetime(2023, 11, 3, 9, 0)


def make_dossier(
    seq: int = 361,
    name: str = "Đặng Hồng Bảo",
    received: datetime = RECEIVED,
    procedure: str = "Đăng ký thành lập hộ kinh doanh",
    components: int = 3,
) -> Dossier:
    applicant = Applicant(
        ApplicantKind.PERSON,
        name,
        "010203001234",
        date(1990, 5, 17),
        Sex.MALE,
        Address("Số 12, ngõ 34 đường Hoàng Liên", "Phường Cốc Lếu", "Lào Cai", "Thành phố Lào Cai"),
        "0912345678",
        "dang.hong.bao@example.vn",
    )
    names = [
        "Tờ khai đăng ký hộ kinh doanh (Mẫu số 01, Phụ lục III-1 Thông tư số 01/2021/TT-BKHĐT)",
        "Bản sao hợp lệ giấy tờ pháp lý của cá nhân đối với các thành viên hộ gia đình",
        "Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh",
    ]
    handed = [
        ReceivedComponent(f"TP{i}", names[i % 3] + (f" ({i})" if i >= 3 else ""), originals=1, photocopies=i % 2)
        for i in range(components)
    ]
    parts = (*handed, ReceivedComponent("TPX", "Hợp đồng thuê nhà (không nộp)"))
    clerk = "Nguyễn Thị Ánh Tuyết"
    events = (
        Event(Action.RECEIVE, Status.RECEIVED, received, clerk),
        Event(
            Action.TRANSFER,
            Status.PROCESSING,
            received + timedelta(hours=2),
            clerk,
            agency="Phòng Kinh tế xã Bảo Thắng",
            due_after=received + timedelta(days=5),
        ),
        Event(Action.RESOLVE, Status.RESOLVED, received + timedelta(days=4), "Phạm Thị Hương"),
        Event(Action.RETURN_RESULT, Status.RETURNED, received + timedelta(days=6, hours=1), clerk),
    )
    return Dossier(
        code=f"000.25.38.H38-{received:%y%m%d}-{seq:04d}",
        procedure_code="2.000575.000.00.00.H38",
        procedure_name=procedure,
        applicant=applicant,
        received_at=received,
        due_at=DUE,
        status=Status.RETURNED,
        received_by=clerk,
        agency_id="000.25.38.H38",
        components=parts,
        fee_vnd=100_000,
        result_delivery="Trung tâm Phục vụ hành chính công xã Bảo Thắng",
        events=events,
    )


DOSSIER = make_dossier()


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (poppler-utils / qpdf)")
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def write(tmp_path: Path, pdf: bytes, name: str = "form.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pdf_text(path: Path, *pages: int) -> str:
    """The text of the pages, lines joined by single spaces: where a line wraps depends on the font."""
    args = [tool("pdftotext"), "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = run(*args, str(path), "-")
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.split())


def page_count(path: Path) -> int:
    info = run(tool("pdfinfo"), str(path)).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def assert_valid_pdf(path: Path) -> None:
    out = run(tool("qpdf"), "--check", str(path))
    assert out.returncode == 0, out.stdout + out.stderr


def assert_fonts_embedded(path: Path) -> None:
    lines = run(tool("pdffonts"), str(path)).stdout.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:]
    assert rows, "no fonts listed"
    # The columns are as wide as the dashes under their names.
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    emb = spans[_emb_column(header, spans)]
    for row in rows:
        assert row[emb[0] : emb[1]].strip() == "yes", row


def _emb_column(header: str, spans: list[tuple[int, int]]) -> int:
    start = header.index(" emb ") + 1
    return next(i for i, (a, b) in enumerate(spans) if a <= start < b)


def render_page(path: Path, page: int = 1, dpi: int = 150) -> Image.Image:
    prefix = path.with_suffix("")
    out = run(tool("pdftoppm"), "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(path), str(prefix))
    assert out.returncode == 0, out.stderr
    png = sorted(path.parent.glob(f"{prefix.name}-*{page}.png"))[-1]
    return Image.open(png).convert("L")


def symbols(image: Image.Image) -> dict[str, str]:
    return {s.type: s.data.decode() for s in pyzbar.decode(image)}


def words_inside_margins(path: Path, left_mm: float, right_mm: float) -> list[str]:
    """Words whose box crosses the left or right margin (pdftotext -bbox gives boxes in points)."""
    html = run(tool("pdftotext"), "-bbox", str(path), "-").stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    pt = 72 / 25.4
    bad = []
    for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', html):
        if float(x_min) < left_mm * pt - 1 or float(x_max) > width - right_mm * pt + 1:
            bad.append(word)
    return bad


# ---------------------------------------------------------------------------------------------- the forms

FORMS: dict[str, tuple[str, Callable[[Dossier], bytes]]] = {
    "mau01": ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", lambda d: mau01_receipt(d, CTX, "05 ngày làm việc")),
    "mau02": (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        lambda d: mau02_supplement(
            d,
            CTX,
            ["Bản sao Giấy chứng nhận quyền sử dụng đất của địa điểm kinh doanh", "Kê khai lại mục 4 của Tờ khai"],
            "Tờ khai chưa ghi đủ ngành, nghề kinh doanh.",
        ),
    ),
    "mau03": (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        lambda d: mau03_refusal(d, CTX, "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã."),
    ),
    "mau04": (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        lambda d: mau04_apology(
            d, CTX, "Cơ quan thuế cần xác minh thêm địa điểm kinh doanh.", datetime(2023, 11, 8, 14, 0), "15/HCC"
        ),
    ),
    "mau05": ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", lambda d: mau05_control_sheet(d, CTX)),
}


@pytest.fixture(scope="module", params=sorted(FORMS))
def form(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    title, build = FORMS[request.param]
    path = tmp_path_factory.mktemp(request.param) / f"{request.param}.pdf"
    path.write_bytes(build(DOSSIER))
    return title, path


def test_form_is_a_valid_pdf_with_embedded_fonts(form: tuple[str, Path]) -> None:
    _, path = form
    assert path.read_bytes().startswith(b"%PDF-")
    assert_valid_pdf(path)
    assert_fonts_embedded(path)


def test_form_text_comes_back_exactly(form: tuple[str, Path]) -> None:
    title, path = form
    text = pdf_text(path)
    assert text == unicodedata.normalize("NFC", text)
    assert title in text
    assert "Đặng Hồng Bảo" in text
    assert DOSSIER.code in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_form_metadata(form: tuple[str, Path]) -> None:
    title, path = form
    info = run(tool("pdfinfo"), str(path)).stdout
    assert re.search(rf"^Title:\s+{re.escape(title)}", info, re.M), info
    assert re.search(rf"^Author:\s+{re.escape(CENTRE.name)}", info, re.M), info


def test_form_metadata_holds_no_personal_data(form: tuple[str, Path]) -> None:
    # Desktop search, mail previews and document managers index a PDF's metadata: names and ID numbers stay out.
    _, path = form
    info = run(tool("pdfinfo"), str(path)).stdout + run(tool("pdfinfo"), "-meta", str(path)).stdout
    a = DOSSIER.applicant
    for personal in (a.name, a.id_number, a.phone, a.email, CTX.clerk, "Phạm Thị Hương"):
        assert personal not in info, personal
    assert re.search(rf"^Subject:.*{re.escape(DOSSIER.code)}", info, re.M), info


def dossier_with_transfers(count: int, agency: str = "Phòng Kinh tế xã Bảo Thắng") -> Dossier:
    """A dossier handed on ``count`` times and not yet resolved: ``count`` known rows on its control sheet."""
    base = make_dossier()
    transfers = tuple(
        Event(Action.TRANSFER, Status.PROCESSING, RECEIVED + timedelta(hours=3 + n), "Nguyễn Văn An", agency=agency)
        for n in range(count)
    )
    return replace(base, events=(base.events[0], *transfers), status=Status.PROCESSING)


MULTI_PAGE: dict[str, Callable[[], bytes]] = {
    "mau01-runs-over": lambda: mau01_receipt(make_dossier(components=25), CTX, "05 ngày làm việc"),
    "mau05-runs-over": lambda: mau05_control_sheet(dossier_with_transfers(9), CTX),
}


@pytest.mark.parametrize("name", [*sorted(FORMS), *sorted(MULTI_PAGE)])
def test_every_page_carries_the_code_its_barcode_and_its_number(name: str, tmp_path: Path) -> None:
    build = MULTI_PAGE.get(name) or (lambda: FORMS[name][1](DOSSIER))
    path = write(tmp_path, build())
    pages = page_count(path)
    sections = ("(Liên 1: Lưu)", "(Liên 2: Giao người nộp hồ sơ)") if name.startswith("mau01") else ("",)
    per = pages // len(sections)
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        number = (page - 1) % per + 1
        assert DOSSIER.code in text, (name, page)
        assert f"Trang {number}/{per}" in text, (name, page, text[-120:])
        found = symbols(render_page(path, page, 200))
        assert found.get("CODE128") == DOSSIER.code, (name, page)


def test_control_sheet_never_leaves_one_row_alone_on_a_page(tmp_path: Path) -> None:
    # Five hand-overs fill the first page: the one blank row after them used to open a page on its own.
    for count in range(3, 14):
        path = write(tmp_path, mau05_control_sheet(dossier_with_transfers(count), CTX), f"m05-{count}.pdf")
        pages = page_count(path)
        rows = [pdf_text(path, page).count("1. Giao:") for page in range(1, pages + 1)]
        assert sum(rows) >= count + 1, (count, rows)  # every hand-over, and room for the next one
        assert min(rows) >= 2, (count, rows)


def test_receipt_that_runs_over_keeps_its_last_rows_with_the_signatures(tmp_path: Path) -> None:
    d = make_dossier(components=25)
    path = write(tmp_path, mau01_receipt(d, CTX, "05 ngày làm việc", copies=1))
    last = pdf_text(path, page_count(path))
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in last and "qua dịch vụ bưu chính" in last  # the whole note too
    assert "(23)" in last and "(24)" in last  # the last two components (their names end with the number)


PLACEHOLDER = FormContext(centre=CentreSettings(), clerk="Cán bộ tiếp nhận", printed_at=CTX.printed_at)


def test_receipt_fills_in_the_book_entry_delivery_clerk_and_phone(tmp_path: Path) -> None:
    d = replace(DOSSIER, received_by="Lò Thị Mai", result_delivery="post", sets=2)
    with_phone = replace(PLACEHOLDER, centre=CENTRE)
    text = pdf_text(write(tmp_path, mau01_receipt(d, with_phone, "05 ngày làm việc")), 1)
    assert "Quyển số: 2023 Số thứ tự: 0361" in text  # the year's book, the dossier's number of its day
    assert "Số lượng hồ sơ: 02 bộ" in text
    assert "Đăng ký nhận kết quả tại: Nhận qua dịch vụ bưu chính công ích" in text
    assert "Lò Thị Mai" in text and "Cán bộ tiếp nhận" not in text  # who received it, not the settings' role
    assert "Số điện thoại liên hệ: 0214 3840 123" in text
    no_phone = pdf_text(write(tmp_path, mau01_receipt(d, PLACEHOLDER, "05 ngày làm việc"), "b.pdf"), 1)
    assert "Số điện thoại liên hệ" not in no_phone


def test_forms_name_the_clerk_who_acted_and_leave_out_a_missing_phone(tmp_path: Path) -> None:
    refused = replace(
        DOSSIER,
        status=Status.REFUSED,
        received_by="Cán bộ tiếp nhận",
        events=(Event(Action.REFUSE, Status.REFUSED, RECEIVED, "Hà Văn Sơn", note="Sai thẩm quyền"),),
    )
    m03 = pdf_text(write(tmp_path, mau03_refusal(refused, PLACEHOLDER, "Sai thẩm quyền."), "m03.pdf"))
    assert "Hà Văn Sơn" in m03 and "Cán bộ tiếp nhận" not in m03 and "số điện thoại" not in m03
    asked = replace(
        DOSSIER,
        received_by="Lò Thị Mai",
        events=(
            *DOSSIER.events[:1],
            Event(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, RECEIVED, "Hà Văn Sơn"),
        ),
    )
    m02 = pdf_text(write(tmp_path, mau02_supplement(asked, PLACEHOLDER, ["Tờ khai"], "Thiếu tờ khai."), "m02.pdf"))
    assert "liên hệ với công chức Hà Văn Sơn để được hướng dẫn" in m02
    assert "số điện thoại" not in m02  # no phone on record: no empty "số điện thoại ……"
    with_phone = mau02_supplement(asked, replace(PLACEHOLDER, centre=CENTRE), ["Tờ khai"], "Thiếu tờ khai.")
    assert "công chức Hà Văn Sơn, số điện thoại 0214 3840 123" in pdf_text(write(tmp_path, with_phone, "p.pdf"))


def test_receipt_has_one_page_per_copy(tmp_path: Path) -> None:
    path = write(tmp_path, mau01_receipt(DOSSIER, CTX, "05 ngày làm việc"))
    assert page_count(path) == 2
    first, second = pdf_text(path, 1), pdf_text(path, 2)
    assert "(Liên 1: Lưu)" in first and "Liên 2" not in first
    assert "(Liên 2: Giao người nộp hồ sơ)" in second
    assert "NGƯỜI NỘP HỒ SƠ" in first and "NGƯỜI TIẾP NHẬN HỒ SƠ" in first
    assert CTX.clerk in first
    assert time_phrase(RECEIVED) == "9 giờ 32 phút, ngày 27 tháng 10 năm 2023"
    assert time_phrase(RECEIVED) in first
    assert time_phrase(DUE) in first
    assert "05 ngày làm việc" in first
    assert money(100_000) in first
    assert "Quyển số" in first and "Số thứ tự" in first
    assert "Bảo Thắng, ngày 27 tháng 10 năm 2023" in first
    # Only the components actually handed over are listed.
    assert "Văn bản ủy quyền" in first and "Hợp đồng thuê nhà" not in first


def test_receipt_barcode_and_qr_read_back_at_150_dpi(tmp_path: Path) -> None:
    path = write(tmp_path, mau01_receipt(DOSSIER, CTX, "05 ngày làm việc"))
    found = symbols(render_page(path, 1, 150))
    assert found.get("CODE128") == DOSSIER.code
    assert found.get("QRCODE") == CENTRE.tracking_url.format(code=DOSSIER.code)


def test_receipt_with_a_few_more_components_still_fits_one_page(tmp_path: Path) -> None:
    path = write(tmp_path, mau01_receipt(make_dossier(components=5), CTX, "05 ngày làm việc"))
    assert page_count(path) == 2
    assert "Văn bản ủy quyền" in pdf_text(path, 1)
    # Shrunk to fit, the barcode still has two pixels a module at 150 dpi.
    found = symbols(render_page(path, 1, 150))
    assert found.get("CODE128") == DOSSIER.code
    assert found.get("QRCODE") == CENTRE.tracking_url.format(code=DOSSIER.code)


def test_receipt_with_many_components_runs_over_per_copy(tmp_path: Path) -> None:
    path = write(tmp_path, mau01_receipt(make_dossier(components=25), CTX, "05 ngày làm việc", copies=3))
    pages = page_count(path)
    assert pages % 3 == 0 and pages >= 6  # two pages a copy with Times metrics, more with a wider face
    per = pages // 3
    for copy, label in enumerate(["(Liên 1: Lưu)", "(Liên 2: Giao người nộp hồ sơ)", "(Liên 3)"]):
        first, last = pdf_text(path, per * copy + 1), pdf_text(path, per * copy + per)
        assert first.count(label) == 2, first  # under the title and at the foot
        assert f"{label} — Trang 1/{per}" in first
        assert f"{label} — Trang {per}/{per}" in last
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in last
    # The barcode keeps its size: it still scans.
    assert symbols(render_page(path, 2 * per + 1, 150)).get("CODE128") == DOSSIER.code


def test_receipt_rejects_zero_copies() -> None:
    with pytest.raises(ValueError):
        mau01_receipt(DOSSIER, CTX, "05 ngày làm việc", copies=0)


def test_long_names_wrap_inside_the_margins(tmp_path: Path) -> None:
    long_name = "Công ty Trách nhiệm hữu hạn Một thành viên Thương mại Dịch vụ Xuất nhập khẩu Nông lâm sản Bảo Thắng"
    long_procedure = (
        "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu "
        "cho hộ gia đình, cá nhân đã được giao đất, cho thuê đất để sử dụng vào mục đích nông nghiệp"
    )
    d = make_dossier(name=long_name, procedure=long_procedure)
    d = replace(d, applicant=replace(d.applicant, email="phong.hanh.chinh.tong.hop.cong.ty.bao.thang@example.vn"))
    for name, build in (("m01", FORMS["mau01"][1]), ("m03", FORMS["mau03"][1]), ("m05", FORMS["mau05"][1])):
        path = write(tmp_path, build(d), f"{name}.pdf")
        assert words_inside_margins(path, left_mm=30, right_mm=20) == [], name
        text = pdf_text(path)
        assert long_name in text
        assert long_procedure in text


def test_control_sheet_lists_hand_overs(tmp_path: Path) -> None:
    path = write(tmp_path, mau05_control_sheet(DOSSIER, CTX))
    text = pdf_text(path)
    # Header cells wrap (and then come out interleaved) differently with each face: check pieces.
    for heading in ("TÊN CƠ QUAN", "THỜI GIAN GIAO", "KẾT QUẢ", "GHI CHÚ", "(Trước hạn/đúng"):
        assert heading in text
    assert "Phòng Kinh tế xã Bảo Thắng" in text
    assert "1. Giao:" in text and "2. Nhận:" in text
    # Resolved on day 4 of 7, returned on day 6: both before the due date.
    assert "Trước hạn" in text


def test_apology_states_old_and_new_appointments(tmp_path: Path) -> None:
    path = write(tmp_path, FORMS["mau04"][1](DOSSIER))
    text = pdf_text(path)
    assert "Kính gửi: Ông Đặng Hồng Bảo" in text
    # A man is addressed as "Ông", not the "Ông/Bà" of an unknown sex.
    assert "Ông/Bà" not in text
    assert time_phrase(DUE) in text
    assert "14 giờ 00 phút, ngày 08 tháng 11 năm 2023" in text
    assert "Số: 15/HCC" in text


def test_date_phrases_follow_decree_30() -> None:
    assert date_phrase(date(2024, 1, 5)) == "ngày 05 tháng 01 năm 2024"
    assert date_phrase(date(2023, 11, 3)) == "ngày 03 tháng 11 năm 2023"
    assert time_phrase(None).startswith("…… giờ")


# ---------------------------------------------------------------------------------------------- Mẫu 06


def test_tracking_book_paginates_300_dossiers_with_headers(tmp_path: Path) -> None:
    names = ["Đặng Hồng Bảo", "Nguyễn Thị Ánh Tuyết", "Trần Văn Ổn", "Lê Thị Ngọc Ẩn"]
    start = datetime(2023, 10, 2, 7, 30)
    dossiers = [
        make_dossier(seq=n % 9999 + 1, name=names[n % 4], received=start + timedelta(minutes=37 * n))
        for n in range(300)
    ]
    outside = make_dossier(seq=1, name="Hồ Sơ Ngoài Kỳ", received=datetime(2023, 9, 30, 10, 0))
    path = write(tmp_path, mau06_tracking_book([*dossiers, outside], date(2023, 10, 1), date(2023, 10, 31), CTX))
    assert_valid_pdf(path)
    assert_fonts_embedded(path)
    pages = page_count(path)
    assert pages > 5
    info = run(tool("pdfinfo"), str(path)).stdout
    assert re.search(r"^Page size:\s+841\.89 x 595\.2\d* pts \(A4\)", info, re.M), info  # landscape
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        # Header cells that wrap come out interleaved; these do not wrap.
        for heading in ("Mã hồ sơ", "Ngày, tháng, năm", "(1)", "(13)"):
            assert heading in text, (page, heading)
        assert f"Trang {page}/{pages}" in text, page
    text = pdf_text(path)
    assert "SỔ THEO DÕI HỒ SƠ" in pdf_text(path, 1)
    assert "Hồ Sơ Ngoài Kỳ" not in text
    assert text.count("000.25.38.H38-") == 300
    for d in dossiers:
        assert d.code.partition("-")[2] in text
    assert words_inside_margins(path, left_mm=20, right_mm=15) == []


def test_tracking_book_with_no_dossiers(tmp_path: Path) -> None:
    path = write(tmp_path, mau06_tracking_book([], date(2023, 10, 1), date(2023, 10, 31), CTX))
    assert page_count(path) == 1
    assert "Không có hồ sơ nào" in pdf_text(path)


# ---------------------------------------------------------------------------------------------- thermal


def with_paper_margin(image: Image.Image) -> Image.Image:
    # The paper beyond the head's printable width is the barcode's quiet zone; the image alone has none.
    return ImageOps.expand(image.convert("L"), border=24, fill=255)


def test_thermal_receipt_is_576_dots_wide_and_one_bit() -> None:
    image = render_receipt_image(DOSSIER, CTX)
    assert image.width == 576
    assert image.mode == "1"
    assert 800 < image.height < 2400


@pytest.mark.parametrize("width", [384, 576, 832])
def test_thermal_receipt_codes_read_back(width: int) -> None:
    image = render_receipt_image(DOSSIER, CTX, width_px=width)
    assert image.width == width
    found = symbols(with_paper_margin(image))
    assert found.get("CODE128") == DOSSIER.code
    assert found.get("QRCODE") == CENTRE.tracking_url.format(code=DOSSIER.code)


def test_thermal_receipt_barcode_modules_are_at_least_two_dots() -> None:
    image = render_receipt_image(DOSSIER, CTX)
    barcode = pyzbar.decode(with_paper_margin(image), symbols=[pyzbar.ZBarSymbol.CODE128])[0]
    # 288 modules + quiet zones; along the paper when it does not fit across.
    length = max(barcode.rect.width, barcode.rect.height)
    assert length >= 2 * 288


# ---------------------------------------------------------------------------------------------- fonts


def test_serif_family_skips_faces_without_vietnamese(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from motcua.documents import fonts
    from motcua.paths import resource_path

    not_a_font = tmp_path / "Times.ttf"
    not_a_font.write_bytes(b"\x00\x01\x00\x00 not really a font")
    broken = fonts.FontFamily("broken", not_a_font, not_a_font, not_a_font, not_a_font)
    missing = fonts.FontFamily("missing", *(tmp_path / f"{n}.ttf" for n in "abcd"))
    sans = resource_path("fonts", "DejaVuSans.ttf")
    fallback = fonts.FontFamily("DejaVu Sans", sans, sans, sans, sans)
    monkeypatch.setattr(fonts, "_serif_candidates", lambda: [broken, missing, fallback])
    fonts.serif_family.cache_clear()
    try:
        assert fonts.serif_family() is fallback
        assert fonts.covers_vietnamese(sans)
        assert not fonts.covers_vietnamese(not_a_font)
    finally:
        fonts.serif_family.cache_clear()
