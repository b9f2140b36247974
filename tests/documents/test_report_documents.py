"""The supervisor's reports as documents: the day's summary (PDF), the periodic report (PDF and workbook).

The PDFs are read back with pdfium (the figures must be in the text, where a reader and a search find them) and,
when poppler is installed, pdffonts (every font embedded); the workbook is read back with openpyxl and its
formulas are worked out here, so that the totals a clerk sees in Excel are checked, not just their spelling.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.dom import minidom

import openpyxl
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from motcua.documents.reports import daily_summary_pdf, period_report_pdf, period_report_xlsx
from motcua.domain.dossier import Event
from motcua.domain.procedures import Channel
from motcua.domain.queue import TicketState
from motcua.domain.reports.daily import (
    HOURS,
    ClerkRow,
    CounterRow,
    DailySummary,
    HourRow,
    OverdueRow,
    RatingSummary,
    SectorRow,
    ServiceRow,
    daily_summary,
)
from motcua.domain.reports.facts import CounterActivity, DossierFact, RatingFact, RatingLevel, TicketFact
from motcua.domain.reports.figures import Spread
from motcua.domain.reports.period import COUNT_COLUMNS, GroupBy, PeriodReport, PeriodRow, period_report
from motcua.domain.reports.service_index import (
    DEFAULT_INDICATORS,
    GROUP_MAX,
    NOT_MEASURED,
    IndexMonth,
    Score,
)
from motcua.domain.status import Action, Status
from motcua.i18n import language

DAY = date(2026, 11, 23)
AS_OF = datetime(2026, 11, 23, 16, 30)
MADE = datetime(2026, 11, 23, 17, 5)
CENTRE_NAME = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ BẢO THẮNG"
WHERE: dict[str, Any] = {
    "centre_name": CENTRE_NAME,
    "parent_name": "UBND XÃ BẢO THẮNG",
    "place": "Bảo Thắng",
    "generated_at": MADE,
}
CLERK = "Nguyễn Thị Ánh Tuyết"
OTHER_CLERK = "Phạm Văn Hùng"


# -- a small day, computed by the domain from hand-made facts -------------------------------------------------


def _dossier(
    n: int,
    sector: str,
    channel: Channel,
    received: datetime,
    due: datetime,
    resolved: datetime | None = None,
) -> DossierFact:
    events = [Event(Action.RECEIVE, Status.RECEIVED, received, CLERK)]
    if resolved:
        events.append(Event(Action.RESOLVE, Status.RESOLVED, resolved, OTHER_CLERK))
    return DossierFact(
        code=f"000.25.38.H38-{received:%y%m%d}-{n:04d}",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh" if sector == "Hộ tịch" else "Đăng ký biến động đất đai",
        sector=sector,
        agency_id="000.25.38.H38",
        channel=channel,
        received_at=received,
        original_due_at=due,
        status=events[-1].status_after,
        received_by=CLERK,
        events=tuple(events),
    )


def at(hm: str) -> datetime:
    """``"08:05"`` on the day of the summary."""
    return datetime.combine(DAY, datetime.strptime(hm, "%H:%M").time())


def _ticket(n: int, service: str, state: TicketState, issued: str, called: str = "", finished: str = "") -> TicketFact:
    call = at(called) if called else None
    end = at(finished) if finished else None
    return TicketFact(n, DAY, service, f"{service}{n:03d}", state, at(issued), 1, call, call, end)


def small_day() -> DailySummary:
    """Three waits of 5, 20 and 2 minutes (mean 9:00, 90th percentile 20:00); one wait still running for 30:00;
    two services of 10 minutes; one dossier resolved early and one late (50,0 %); one open and 4 days late;
    ratings 2 of 3 satisfied (66,7 %)."""
    dossiers = [
        _dossier(1, "Hộ tịch", Channel.DIRECT, at("08:20"), datetime(2026, 11, 25, 17), at("15:00")),
        _dossier(2, "Đất đai", Channel.ONLINE, at("09:00"), datetime(2026, 11, 30, 17)),
        _dossier(3, "Hộ tịch", Channel.DIRECT, at("10:00"), datetime(2026, 11, 27, 17)),
        _dossier(4, "Đất đai", Channel.DIRECT, datetime(2026, 11, 10, 9), datetime(2026, 11, 20, 17), at("11:00")),
        _dossier(5, "Đất đai", Channel.DIRECT, datetime(2026, 11, 9, 9), datetime(2026, 11, 19, 17)),
    ]
    tickets = [
        _ticket(1, "HT", TicketState.DONE, "08:00", "08:05", "08:15"),
        _ticket(2, "HT", TicketState.DONE, "08:10", "08:30", "08:40"),
        _ticket(3, "DD", TicketState.NO_SHOW, "09:00", "09:02"),
        _ticket(4, "DD", TicketState.WAITING, "16:00"),
        _ticket(5, "DD", TicketState.CANCELLED, "10:00"),
    ]
    ratings = [
        RatingFact(at("08:16"), RatingLevel.VERY_SATISFIED, 1, 1, "HT", CLERK),
        RatingFact(at("08:41"), RatingLevel.VERY_SATISFIED, 1, 2, "HT", CLERK),
        RatingFact(at("09:05"), RatingLevel.DISSATISFIED, 1, 3, "DD", CLERK),
    ]
    names = {"HT": "Hộ tịch", "DD": "Đất đai"}
    return daily_summary(DAY, AS_OF, dossiers, tickets, ratings, service_names=names, unsynced=3, parked=0)


# -- a busy day at realistic size, built straight as the summary's dataclasses --------------------------------

SERVICES = [
    "Hộ tịch", "Chứng thực", "Đất đai", "Đăng ký kinh doanh", "Bảo trợ xã hội", "Người có công", "Xây dựng",
    "Tư pháp - Hòa giải", "Giáo dục và Đào tạo", "Y tế", "Lao động - Thương binh và Xã hội", "Nông nghiệp",
    "Tài nguyên và Môi trường", "Văn hóa - Thể thao", "Thu phí, lệ phí",
]  # fmt: skip
PEOPLE = [
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
    "Đặng Quốc Huy", "Bùi Thị Hạnh", "Đỗ Minh Khoa", "Hồ Thị Lan", "Ngô Văn Long", "Dương Thị Mai",
    "Lý Văn Nam", "Trịnh Thị Oanh", "Đinh Công Phúc", "Mai Thị Quyên", "Tạ Văn Sơn", "Lương Thị Thảo",
    "Châu Văn Uy", "Kiều Thị Vân",
]  # fmt: skip
SECTORS = [
    "Hộ tịch", "Chứng thực", "Đất đai", "Đăng ký kinh doanh", "Bảo trợ xã hội", "Người có công", "Xây dựng",
    "Tư pháp", "Giáo dục", "Y tế", "Lao động", "Nông nghiệp", "Môi trường", "Văn hóa", "Thể thao", "Du lịch",
    "Công thương", "Giao thông vận tải", "Thông tin và Truyền thông", "Nội vụ", "Tôn giáo", "Thi đua - Khen thưởng",
    "Dân tộc", "Tài chính", "Kế hoạch và Đầu tư",
]  # fmt: skip


def _spread(n: int, mean: float) -> Spread:
    return Spread(n, mean, mean * 1.8) if n else Spread()


def big_day(**changes: Any) -> DailySummary:
    services = tuple(
        ServiceRow(f"S{i:02d}", name, 40 + 7 * i, 35 + 6 * i, i % 4, i % 3, 300.0 * (i % 5) or None,
                   _spread(35 + 6 * i, 240 + 95 * i + (i == 14) * 2000), _spread(35 + 6 * i, 420 + 30 * i))
        for i, name in enumerate(SERVICES)
    )  # fmt: skip
    counters = tuple(
        CounterRow(n, f"Quầy số {n}", PEOPLE[n - 1], CounterActivity.SERVING, None, None, 30 + n,
                   _spread(30 + n, 400 + 20 * n), 20 + n, 18 + n)
        for n in range(1, 13)
    )  # fmt: skip
    clerks = tuple(ClerkRow(p, 10 + i, 5 + i % 7, 20 + i, 8 + i % 5, 7 + i % 5) for i, p in enumerate(PEOPLE))
    sectors = tuple(SectorRow(s, 5 + i % 9, 3 + i % 4, i % 2) for i, s in enumerate(SECTORS))
    overdue = tuple(
        OverdueRow(
            f"000.25.38.H38-2610{1 + i % 28:02d}-{100 + i:04d}",
            "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất" if i % 3 else "Khai sinh",
            SECTORS[i % len(SECTORS)],
            datetime(2026, 10, 1 + i % 28, 9),
            datetime(2026, 11, 1 + i % 20, 17),
            22 - i % 20,
            PEOPLE[i % len(PEOPLE)],
            "Văn phòng Đăng ký đất đai tỉnh Lào Cai" if i % 2 else "000.25.38.H38",
            Status.PROCESSING,
        )
        for i in range(60)
    )
    hours = tuple(HourRow(h, 10 + 7 * (h % 5) + (h in (8, 9)) * 25, 4 + 3 * (h % 4)) for h in HOURS)
    s = DailySummary(
        day=DAY, as_of=AS_OF, centre=CENTRE_NAME,
        tickets_issued=sum(r.issued for r in services), tickets_served=sum(r.served for r in services),
        tickets_no_show=sum(r.no_show for r in services), tickets_cancelled=4,
        tickets_waiting=sum(r.waiting for r in services), wait=Spread(900, 812.0, 1660.0),
        service=Spread(880, 590.0, 1010.0), services=services, counters=counters, by_hour=hours,
        received=sum(r.total for r in sectors),
        received_by_channel=((Channel.DIRECT, 117), (Channel.ONLINE, 84), (Channel.POSTAL, 12)),
        received_by_sector=sectors, resolved_early=120, resolved_on_time=37, resolved_late=1,
        ended_without_result=6, due_today=41, overdue=overdue, supplements_pending=9, transfers_in=2,
        transfers_out=55, clerks=clerks, ratings=RatingSummary(310, 154, 9), unsynced=None, parked=None,
    )  # fmt: skip
    return replace(s, **changes)


def empty_day() -> DailySummary:
    return big_day(
        services=(), counters=(), clerks=(), received_by_sector=(), overdue=(),
        by_hour=tuple(HourRow(h, 0, 0) for h in HOURS), ratings=RatingSummary(),
        resolved_early=0, resolved_on_time=0, resolved_late=0,
    )  # fmt: skip


# -- the periodic report and the index --------------------------------------------------------------------------


def big_period(group_by: GroupBy = GroupBy.SECTOR) -> PeriodReport:
    rows = []
    for i, sector in enumerate(SECTORS):
        values = [(3 * i + 7 * k) % 23 + (k == 2) * 40 for k in range(len(COUNT_COLUMNS))]
        rows.append(PeriodRow(sector, **dict(zip(COUNT_COLUMNS, values, strict=True))))
    rows[-1] = PeriodRow(SECTORS[-1])  # a sector with nothing resolved: its share is blank, not 0 %
    total = PeriodRow("Tổng cộng")
    for r in rows:
        total.add(r)
    return PeriodReport(date(2026, 1, 1), date(2026, 12, 31), group_by, CENTRE_NAME, tuple(rows), total)


def index_months(n: int = 12) -> list[IndexMonth]:
    """January: 2.1 is 72 of 100 (14,4 of 20 points); 4.3 has nothing to divide every month."""
    out = []
    for m in range(1, n + 1):
        counts = {"2.1": (70 + 2 * m, 100), "3.3": (30 + m, 120), "4.2": (60 + m, 120), "4.3": (0, 0),
                  "5.4": (9000 + 50 * m, 10_000)}  # fmt: skip
        scores = tuple(Score(i, *counts[i.code]) for i in DEFAULT_INDICATORS)
        out.append(IndexMonth(date(2026, m, 1), "", scores, late=m % 4, late_with_apology=min(m % 4, m % 3)))
    return out


# -- reading the documents back ---------------------------------------------------------------------------------


def pages_text(pdf: bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [re.sub(r"\s+", " ", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def flat(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [(doc[i].get_width(), doc[i].get_height()) for i in range(len(doc))]
    finally:
        doc.close()


def weights_after(pdf: bytes, marker: str, length: int) -> list[int]:
    """The font weights of the ``length`` characters after the last ``marker`` in the PDF (spaces left out)."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for page in reversed(list(doc)):
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if marker in text:
                start = text.rindex(marker)
                chars = range(start, start + len(marker) + length)
                return [pdfium_c.FPDFText_GetFontWeight(textpage.raw, i) for i in chars if not text[i].isspace()]
    finally:
        doc.close()
    raise AssertionError(f"{marker!r} not found")


def assert_fonts_embedded(pdf: bytes, tmp_path: Path) -> None:
    # reportlab writes font dictionaries uncompressed: a standard font would show here by name, unembedded.
    assert b"/BaseFont /Helvetica" not in pdf and b"/BaseFont /Times-Roman" not in pdf
    assert pdf.count(b"/FontFile2") >= 2
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        return
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        assert line.split()[-5] == "yes", line  # the "emb" column


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    with language("vi"):
        return daily_summary_pdf(small_day(), **WHERE)


@pytest.fixture(scope="module")
def big_pdf() -> bytes:
    with language("vi"):
        return daily_summary_pdf(big_day(), **WHERE)


@pytest.fixture(scope="module")
def period_pdf() -> bytes:
    with language("vi"):
        return period_report_pdf(big_period(), **WHERE, index=index_months())


# -- the day's summary ------------------------------------------------------------------------------------------


def test_daily_pdf_prints_the_days_figures(small_pdf: bytes) -> None:
    text = flat(small_pdf)
    assert "BÁO CÁO TỔNG HỢP NGÀY 23/11/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Bảo Thắng, ngày 23 tháng 11 năm 2026" in text
    expected = [
        ("Số vé đã phát", "4"),  # the cancelled ticket is not counted as issued
        ("Đã phục vụ xong", "2"),
        ("Vắng mặt khi được gọi", "1"),
        ("Đang chờ", "1"),
        ("Thời gian chờ trung bình", "9:00"),
        ("Thời gian chờ của 90 % lượt không quá", "20:00"),
        ("Thời gian phục vụ trung bình", "10:00"),
        ("Hồ sơ tiếp nhận", "3"),
        ("Trực tiếp", "2"),
        ("Trực tuyến", "1"),
        ("Trước hạn", "1"),
        ("Quá hạn", "1"),
        ("Tỷ lệ giải quyết trước hạn và đúng hạn", "50,0 %"),
        ("Hồ sơ đang quá hạn", "1"),
        ("Tỷ lệ hài lòng", "66,7 %"),
        ("Thay đổi chưa đồng bộ", "3"),
        ("Mục đang tạm giữ, chờ xử lý", "0"),
    ]
    for label, figure in expected:
        assert f"{label} {figure} " in text, (label, figure)
    # The one still waiting has waited 30 minutes: the service table's longest wait.
    assert re.search(r"Đất đai 2 0 1 1 30:00 ", text)
    # The overdue list: the dossier, its due date and days late (due 19/11, four days before the 23rd).
    assert re.search(r"000\.25\.38\.H38- ?261109-0005 .*19/11/2026 4 ", text)


def test_daily_pdf_footer_numbers_pages_and_says_when_it_was_made(big_pdf: bytes) -> None:
    pages = pages_text(big_pdf)
    assert len(pages) >= 4
    for n, page in enumerate(pages, start=1):
        assert f"Trang {n}/{len(pages)}" in page
        assert "Lập lúc 17:05 23/11/2026" in page
    assert all(w < h for w, h in page_sizes(big_pdf))  # portrait
    last = pages[-1]
    assert "NGƯỜI LẬP BIỂU" in last and "THỦ TRƯỞNG ĐƠN VỊ" in last


def test_daily_pdf_long_tables_run_over_with_their_header(big_pdf: bytes) -> None:
    pages = pages_text(big_pdf)
    text = flat(big_pdf)
    # All sixty overdue dossiers, on more than one page, each page of the list headed again.
    codes = re.findall(r"H38- ?2610\d\d-(01\d\d)", text)
    assert sorted(set(codes)) == [f"{100 + i:04d}" for i in range(60)]
    with_codes = [p for p in pages if re.search(r"H38- ?2610\d\d-01\d\d", p)]
    assert len(with_codes) >= 2
    for page in with_codes:
        assert "Số ngày quá hạn" in page and "Cơ quan đang giải quyết" in page
    # Every table's rows are there: 15 services, 12 counters, 20 clerks, 25 sectors and the sector total.
    for name in [*PEOPLE, *SECTORS, "Quầy số 12"]:
        assert name in text, name
    assert re.search(r"Tổng cộng 117 84 12 213 ", text) is None  # the channel split is not the sector total
    total = [sum(getattr(r, f) for r in big_day().received_by_sector) for f in ("direct", "online", "postal", "total")]
    assert f"Tổng cộng {total[0]} {total[1]} {total[2]} {total[3]} " in text


def test_daily_pdf_writes_durations_and_shares_the_vietnamese_way(big_pdf: bytes) -> None:
    text = flat(big_pdf)
    s = big_day()
    assert "Thời gian chờ trung bình 13:32 " in text  # 812 s
    assert "Thời gian chờ của 90 % lượt không quá 27:40 " in text  # 1660 s
    assert "Tỷ lệ giải quyết trước hạn và đúng hạn 99,4 % " in text  # 157 of 158
    assert f"Tỷ lệ hài lòng {(310 + 154) * 100 / 473:.1f} % ".replace(".", ",") in text
    # The longest service's 90th percentile: (420 + 30 × 14) × 1.8 = 1512 s.
    assert "25:12" in text
    # An hour and more is written with "h", so that it never reads as minutes:seconds.
    longest = max(r.wait.p90_s or 0 for r in s.services)
    assert longest >= 3600 and f"{int(longest // 3600)}h{int(longest % 3600 // 60):02d}" in text
    assert not re.search(r"\d\.\d %", text)  # no decimal point in a share


def test_daily_pdf_charts_are_vector_drawings_with_their_text(big_pdf: bytes, small_pdf: bytes) -> None:
    assert b"/Subtype /Image" not in big_pdf
    text = flat(big_pdf)
    assert "Số vé và số hồ sơ theo giờ" in text and "7h" in text and "17h" in text
    assert "Thời gian chờ trung bình theo dịch vụ (phút)" in text
    assert "Trước hạn: 120 (75,9 %)" in text and "Không hài lòng: 9 (1,9 %)" in text
    # The wait-by-service chart labels each bar with its wait: "Hộ tịch" waits 4:00 on average.
    assert "4:00" in text
    assert "Đánh giá của người dân" in flat(small_pdf)


def test_daily_pdf_fonts_are_embedded(big_pdf: bytes, small_pdf: bytes, tmp_path: Path) -> None:
    assert_fonts_embedded(big_pdf, tmp_path)
    assert_fonts_embedded(small_pdf, tmp_path)


def test_daily_pdf_empty_sections_say_so() -> None:
    with language("vi"):
        pdf = daily_summary_pdf(empty_day(), **WHERE)
    text = flat(pdf)
    # Five tables and three charts with nothing to show; the sync lines are left out (the caller did not know).
    assert text.count("Không có") >= 8
    for heading in ("III. HÀNG ĐỢI THEO DỊCH VỤ", "IV. THEO QUẦY", "V. THEO CÁN BỘ", "VII. HỒ SƠ ĐANG QUÁ HẠN"):
        assert heading in text
    assert "Thay đổi chưa đồng bộ" not in text
    assert "Tỷ lệ hài lòng – " in text  # no ratings: a dash, not 0 %


def test_daily_pdf_metadata_names_no_clerk(big_pdf: bytes) -> None:
    doc = pypdfium2.PdfDocument(big_pdf)
    try:
        meta = doc.get_metadata_dict()
    finally:
        doc.close()
    assert meta["Title"] == "Báo cáo tổng hợp ngày 23/11/2026"
    assert meta["Author"] == CENTRE_NAME
    blob = " ".join(meta.values())
    for person in PEOPLE:
        assert person not in blob


# -- the periodic report (PDF) ----------------------------------------------------------------------------------


def test_period_pdf_has_the_grouped_table_and_the_total(period_pdf: bytes) -> None:
    pages = pages_text(period_pdf)
    text = flat(period_pdf)
    assert all(w > h for w, h in page_sizes(period_pdf))  # landscape
    assert "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH" in text
    assert "Từ ngày 01/01/2026 đến ngày 31/12/2026" in text
    first_page = pages[0]
    for head in ("Lĩnh vực", "Tiếp nhận trong kỳ", "Đã giải quyết", "Đang giải quyết", "Trả lại / rút", "Từ chối"):
        assert head in first_page, head
    # Headers that wrap in their narrow column come back a line at a time, between their neighbours' lines.
    for head in ("Tổng số hồ sơ", "Kỳ trước chuyển qua", "Tỷ lệ đúng hạn", "Trong hạn", "Bưu chính"):
        assert all(word in first_page for word in head.split()), head
    assert "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13) (14) (15) (16) (17) (18)" in first_page
    r = big_period()
    t = r.total
    figures = [t.total, t.carried_over, t.received_online, t.received_direct, t.received_postal, t.resolved]
    figures += [t.resolved_early, t.resolved_on_time, t.resolved_late, t.in_progress, t.in_progress_on_time]
    figures += [t.in_progress_overdue, t.refused, t.withdrawn, t.stopped]
    share = f"{100 * (t.resolved_early + t.resolved_on_time) / t.resolved:.1f} %".replace(".", ",")
    row = " ".join(f"{n:,}".replace(",", ".") for n in figures)
    assert f"Tổng cộng {row} {share}" in text
    first = r.rows[0]
    assert f"1 {first.group} {first.total} {first.carried_over} " in text
    # The total row is bold to its last figure; the rows above are not.
    assert min(weights_after(period_pdf, "Tổng cộng", len(row) + len(share) + 1)) >= 600
    assert max(weights_after(period_pdf, SECTORS[-2], 20)) < 600
    assert f"25 {SECTORS[-1]} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 – " in text  # nothing resolved: a dash


def test_period_pdf_by_agency_heads_the_column_with_agency() -> None:
    with language("vi"):
        pdf = period_report_pdf(big_period(GroupBy.AGENCY), **WHERE)
    first = pages_text(pdf)[0]
    assert "Cơ quan" in first and "Lĩnh vực" not in first
    assert "Chỉ số phục vụ" not in flat(pdf)  # no index given: no section


def test_period_pdf_index_section(period_pdf: bytes) -> None:
    text = flat(period_pdf)
    assert "Chỉ số phục vụ (Quyết định 766) — ước tính từ dữ liệu của trung tâm" in text
    assert "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng (chỉ số 2.1)" in text  # the chart, 12 months
    months = index_months()
    for m in months:
        assert f"Tháng {m.month:%m/%Y} — Toàn trung tâm" in text
    # January: 2.1 is 72 of 100 resolved in time, 72,0 %, 14,4 of 20 points.
    assert "2.1 Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn 72 / 100 72,0 % 14,4 / 20" in text
    # 4.3 had nothing to divide: its ratio and points are dashes, and group 4 counts 4.2 alone.
    assert "4.3 Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa 0 / 0 – – / 2" in text
    jan = months[0]
    got, measured = jan.group_points(4) or (0.0, 0.0)
    assert f"Số hóa hồ sơ {got:.2f}".replace(".", ",").rstrip("0") in text
    assert f"/ {measured:g} {GROUP_MAX[4]:g}" in text
    assert "Công khai, minh bạch Chưa đo được 18" in text
    for code, reason in NOT_MEASURED:
        assert code in text and reason[:40] in text


def test_period_pdf_one_month_has_no_monthly_chart() -> None:
    with language("vi"):
        pdf = period_report_pdf(big_period(), **WHERE, index=index_months(1))
    text = flat(pdf)
    assert "Tháng 01/2026" in text and "theo tháng (chỉ số 2.1)" not in text


def test_period_pdf_fonts_footer_and_metadata(period_pdf: bytes, tmp_path: Path) -> None:
    assert_fonts_embedded(period_pdf, tmp_path)
    assert b"/Subtype /Image" not in period_pdf
    pages = pages_text(period_pdf)
    for n, page in enumerate(pages, start=1):
        assert f"Trang {n}/{len(pages)}" in page and "Lập lúc 17:05 23/11/2026" in page
    assert "THỦ TRƯỞNG ĐƠN VỊ" in pages[-1]


def test_period_pdf_from_the_domains_count() -> None:
    """A report computed by ``period_report`` from facts prints its rows: the link between the two layers."""
    facts = [
        _dossier(1, "Hộ tịch", Channel.DIRECT, datetime(2026, 11, 2, 9), datetime(2026, 11, 5, 17),
                 datetime(2026, 11, 3, 10)),
        _dossier(2, "Hộ tịch", Channel.ONLINE, datetime(2026, 11, 4, 9), datetime(2026, 11, 6, 17),
                 datetime(2026, 11, 9, 10)),
        _dossier(3, "Đất đai", Channel.POSTAL, datetime(2026, 11, 20, 9), datetime(2026, 12, 5, 17)),
    ]  # fmt: skip
    r = period_report(date(2026, 11, 1), date(2026, 11, 30), facts, centre=CENTRE_NAME)
    with language("vi"):
        text = flat(period_report_pdf(r, **WHERE))
    # Đất đai: 1 received by post, in progress within time.  Hộ tịch: 2 received, 1 early and 1 late: 50,0 %.
    # in Vietnamese order: Đất đai before Hộ tịch
    assert "1 Đất đai 1 0 0 0 1 0 0 0 0 1 1 0 0 0 0 – " in text
    assert "2 Hộ tịch 2 0 1 1 0 2 1 0 1 0 0 0 0 0 0 50,0 % " in text
    assert "Tổng cộng 3 0 1 1 1 2 1 0 1 1 1 0 0 0 0 50,0 % " in text


# -- the periodic report (workbook) -----------------------------------------------------------------------------


class Sheet:
    """Works out a sheet's formulas as Excel would, for the few shapes the report writes: sums of cells and ranges,
    ``MIN``, and ``IF(X=0,"",…)`` guarding a division (the only IF it writes; its other branch is not evaluated)."""

    GUARD = re.compile(r'^IF\(([A-Z]+\d+)=0,"",(.*)\)$')
    CELLS = re.compile(r"([A-Z]+\d+):([A-Z]+\d+)|([A-Z]+\d+)")

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def value(self, ref: str) -> Any:
        v = self.ws[ref].value
        return self.evaluate(v[1:]) if isinstance(v, str) and v.startswith("=") else v

    def evaluate(self, formula: str) -> Any:
        guard = self.GUARD.match(formula)
        if guard:
            return "" if self.value(guard.group(1)) == 0 else self.evaluate(guard.group(2))
        assert re.fullmatch(r"(SUM|MIN|[A-Z]+\d+|[\d.:,+*/()])+", formula), formula  # nothing else is written

        def cells(m: re.Match[str]) -> str:
            if m.group(3):
                return f'v("{m.group(3)}")'
            return "[" + ",".join(f'v("{c.coordinate}")' for row in self.ws[m.group(0)] for c in row) + "]"

        def numbers(*args: Any) -> list[float]:
            flat = [x for a in args for x in (a if isinstance(a, list) else [a])]
            return [x for x in flat if isinstance(x, int | float)]  # SUM and MIN skip text, as Excel's do

        names = {"v": self.value, "SUM": lambda *a: sum(numbers(*a)), "MIN": lambda *a: min(numbers(*a))}
        return eval(self.CELLS.sub(cells, formula), {"__builtins__": {}}, names)


@pytest.fixture(scope="module")
def workbook() -> Any:
    with language("vi"):
        data = period_report_xlsx(big_period(), centre_name=CENTRE_NAME, generated_at=MADE,
                                  index=index_months())  # fmt: skip
    return data, openpyxl.load_workbook(io.BytesIO(data))


def _find_row(ws: Any, column: int, text: str) -> int:
    return next(int(cell.row) for (cell,) in ws.iter_rows(min_col=column, max_col=column) if cell.value == text)


def test_xlsx_has_the_report_with_merged_two_level_headers(workbook: Any) -> None:
    _, wb = workbook
    assert wb.sheetnames == ["Báo cáo", "Chỉ số 766"]
    ws = wb["Báo cáo"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    # STT, Lĩnh vực, Tổng số and Kỳ trước over both rows; the four groups across their columns.
    assert {"A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:G5", "H5:K5", "L5:N5", "O5:Q5", "R5:R6"} <= merged
    assert [ws.cell(5, c).value for c in (1, 2, 3, 4, 5, 8, 12, 15, 18)] == [
        "STT", "Lĩnh vực", "Tổng số hồ sơ", "Kỳ trước chuyển qua", "Tiếp nhận trong kỳ", "Đã giải quyết",
        "Đang giải quyết", "Trả lại / rút", "Tỷ lệ đúng hạn",
    ]  # fmt: skip
    assert [ws.cell(6, c).value for c in range(5, 18)] == [
        "Trực tuyến", "Trực tiếp", "Bưu chính", "Tổng", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng", "Trong hạn",
        "Quá hạn", "Từ chối", "Rút", "Dừng",
    ]  # fmt: skip
    assert ws.freeze_panes == "C8"
    assert ws.column_dimensions["B"].width >= 30 and ws.column_dimensions["R"].width >= 10
    # A merge holds its value in its first cell only (anything else makes Excel offer to repair the file).
    for m in ws.merged_cells.ranges:
        cells = [c for row in ws[m.coord] for c in row][1:]
        assert all(c.value is None for c in cells), m.coord


def test_xlsx_counts_are_numbers_and_totals_are_formulas_that_add_up(workbook: Any) -> None:
    _, wb = workbook
    ws = wb["Báo cáo"]
    sheet = Sheet(ws)
    r = big_period()
    first, total_row = 8, 8 + len(r.rows)
    assert ws.cell(total_row, 2).value == "Tổng cộng" and ws.cell(total_row, 3).font.b
    keys = ["total", *COUNT_COLUMNS[:4], "resolved", *COUNT_COLUMNS[4:7], "in_progress", *COUNT_COLUMNS[7:]]
    for n, row in enumerate(r.rows):
        at = first + n
        assert ws.cell(at, 2).value == row.group
        for i, key in enumerate(keys):
            cell = ws.cell(at, 3 + i)
            if key in COUNT_COLUMNS:
                assert type(cell.value) is int and cell.value == getattr(row, key), (at, key)
            else:
                assert str(cell.value).startswith("="), (at, key)
            assert sheet.value(cell.coordinate) == getattr(row, key), (at, key)
    assert ws[f"C{first}"].value == f"=SUM(D{first}:G{first})"
    assert ws[f"H{first}"].value == f"=SUM(I{first}:K{first})"
    assert ws[f"L{first}"].value == f"=SUM(M{first}:N{first})"
    # The total row: every column a SUM over the rows above, and the figures are the report's own total.
    for i, key in enumerate(keys):
        cell = ws.cell(total_row, 3 + i)
        assert cell.value == f"=SUM({cell.column_letter}{first}:{cell.column_letter}{total_row - 1})"
        assert sheet.value(cell.coordinate) == getattr(r.total, key), key
    # The share: a formula, formatted as a percentage, blank where nothing was resolved.
    for n, row in enumerate([*r.rows, r.total]):
        cell = ws.cell(first + n, 18)
        assert cell.value.startswith("=IF(") and cell.number_format == "0.0%"
        expected = row.on_time_share
        got = sheet.value(cell.coordinate)
        assert got == "" if expected is None else got == pytest.approx(expected), row.group


def test_xlsx_index_sheet(workbook: Any) -> None:
    _, wb = workbook
    ws = wb["Chỉ số 766"]
    sheet = Sheet(ws)
    months = index_months()
    top = _find_row(ws, 4, "Mã")
    row = top + 1
    for m in months:
        for s in m.scores:
            assert ws.cell(row, 4).value == s.indicator.code
            assert (ws.cell(row, 6).value, ws.cell(row, 7).value) == (s.numerator, s.denominator)
            ratio, pts = sheet.value(f"H{row}"), sheet.value(f"K{row}")
            if s.ratio is None:
                assert ratio == "" and pts == ""
            else:
                assert ratio == pytest.approx(s.ratio) and pts == pytest.approx(s.points)
            row += 1
    groups = _find_row(ws, 1, "Điểm theo nhóm chỉ số") + 2
    for m in months:
        for g in sorted(GROUP_MAX):
            got = m.group_points(g)
            shown = sheet.value(f"F{groups}")
            if got is None:
                assert shown == "Chưa đo được"
            else:
                assert shown == pytest.approx(got[0]) and ws[f"G{groups}"].value == got[1]
            assert ws[f"H{groups}"].value == GROUP_MAX[g]
            groups += 1
    reasons = [ws.cell(r, 2).value for r in range(groups, ws.max_row + 1)]
    assert all(reason in reasons for _, reason in NOT_MEASURED)


def test_xlsx_opens_cleanly(workbook: Any, tmp_path: Path) -> None:
    data, _ = workbook
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                minidom.parseString(z.read(name))  # well-formed
        core = z.read("docProps/core.xml").decode()
    assert "MotCua Desk" in core and "openpyxl" not in core
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("libreoffice is not installed")
    path = tmp_path / "report.xlsx"
    path.write_bytes(data)
    subprocess.run([office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    csv = (tmp_path / "report.csv").read_text(encoding="utf-8", errors="replace")
    assert "Tổng cộng" in csv


def test_xlsx_without_rows_or_index() -> None:
    empty = PeriodReport(date(2026, 11, 1), date(2026, 11, 30), GroupBy.AGENCY, "", ())
    with language("vi"):
        data = period_report_xlsx(empty, centre_name=CENTRE_NAME, generated_at=MADE)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Báo cáo"]
    ws = wb.active
    assert ws["B5"].value == "Cơ quan" and ws["B8"].value == "Không có"
    assert ws["B9"].value == "Tổng cộng" and ws["C9"].value == 0 and Sheet(ws).value("R9") == ""


def test_reports_in_english_still_build() -> None:
    """The functions use tr(): an English session gets English labels (the counters print Vietnamese)."""
    with language("en"):
        pdf = daily_summary_pdf(small_day(), **WHERE)
    assert "Page 1/" in flat(pdf)
