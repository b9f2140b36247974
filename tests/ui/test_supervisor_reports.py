"""The supervisor's reports: the day's summary (archived, previewed, printed), the periodic report as PDF or
workbook, the archive of daily summaries, and the Decision 766 index tab."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest
import test_counter_window as counter
import test_supervisor_window as sup
from PySide6.QtCore import Qt

from motcua.domain.status import Action
from motcua.i18n import set_language
from motcua.services.reception import ReceptionService
from motcua.ui.ops import wait_for_ops
from motcua.ui.supervisor import pdf_preview, reports_tab
from motcua.ui.supervisor.period_picker import QUARTER, RANGE

a4 = counter.a4  # Qt's print dialog answered with a PDF file per print
fake_queue, makers, window = sup.fake_queue, sup.makers, sup.window


def _pages(path) -> int:
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """The save dialog answered with a file in tmp_path (the name it offered is kept)."""
    offered: list[str] = []

    def answer(name: str):
        def get(_parent, _title, suggested: str, _filter: str) -> tuple[str, str]:
            offered.append(suggested)
            return str(tmp_path / name), ""

        monkeypatch.setattr(pdf_preview.QFileDialog, "getSaveFileName", get)
        monkeypatch.setattr(reports_tab.QFileDialog, "getSaveFileName", get)

    answer.offered = offered  # type: ignore[attr-defined]
    return answer


def test_the_days_report_is_official_archived_previewed_saved_and_printed(
    qtbot, window, makers, a4, save_as, ctx, tmp_path
) -> None:
    set_language("en")  # the screen in English: the report is still the Vietnamese official paper
    tab = window.reports_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.daily_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.last_preview is not None and len(tab.last_preview.page_labels) == 2, timeout=5000)
    [summary] = makers.daily
    assert makers.languages == ["vi"]
    assert (summary.day, summary.tickets_issued, summary.unsynced, summary.parked) == (date(2026, 11, 23), 6, 0, 0)
    kept = tmp_path / "reports" / "bao-cao-ngay-2026-11-23.pdf"
    assert kept.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: tab.archive.list.count() == 1 and "23/11/2026" in tab.archive.list.item(0).text())
    preview = tab.last_preview
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Sent 2 pages" in preview.status.text() or "2 trang tới" in preview.status.text(), timeout=5000
    )
    wait_for_ops()
    assert _pages(a4.files[0]) == 2
    save_as("copy.pdf")
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "copy.pdf").exists(), timeout=5000)
    assert (tmp_path / "copy.pdf").read_bytes() == kept.read_bytes()
    assert save_as.offered == [str(tmp_path / "reports" / "bao-cao-ngay-2026-11-23.pdf")]
    preview.close()


def test_a_quarter_as_pdf_with_the_index_and_a_range_as_workbook(qtbot, window, makers, save_as, tmp_path) -> None:
    tab = window.reports_tab
    window.tabs.setCurrentWidget(tab)
    tab.period.set_kind(QUARTER)
    assert tab.period.quarter.isVisible() and not tab.period.start.isVisible()
    tab.period.quarter.setCurrentIndex(3)
    qtbot.mouseClick(tab.period_pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.last_preview is not None and bool(tab.last_preview.page_labels), timeout=5000)
    [(report, index)] = makers.period
    assert (report.start, report.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert [m.month for m in index] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert report.total.group == "Tổng cộng"  # made in Vietnamese
    tab.last_preview.close()

    tab.period.set_kind(RANGE)
    assert tab.period.start.isVisible() and not tab.period.quarter.isVisible()
    tab.period.start.setDate(tab.period.start.date().addMonths(-1))
    tab.with_index.setChecked(False)
    save_as("period.xlsx")
    qtbot.mouseClick(tab.period_xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "period.xlsx").exists(), timeout=5000)
    assert (tmp_path / "period.xlsx").read_bytes() == b"PK-fake-workbook"
    [(report, index)] = makers.xlsx
    assert (report.start, report.end) == (date(2026, 10, 1), date(2026, 11, 23))
    assert index == []
    assert save_as.offered[-1].endswith("bao-cao-20261001-20261123.xlsx")
    qtbot.waitUntil(lambda: "period.xlsx" in window.messages.text(), timeout=3000)


def test_a_range_that_ends_before_it_starts_is_refused(qtbot, window, makers) -> None:
    tab = window.reports_tab
    tab.period.set_kind(RANGE)
    tab.period.end.setDate(tab.period.start.date().addDays(-3))
    qtbot.mouseClick(tab.period_pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.messages.kind() == "error", timeout=3000)
    assert "trước ngày đầu" in window.messages.text()
    assert makers.period == [] and tab.period_pdf_button.isEnabled()


def test_the_archive_lists_the_newest_day_first_and_opens_and_prints(qtbot, ctx, fake_queue, makers, a4, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for day in ("2026-11-19", "2026-11-21", "2026-11-20"):
        (folder / f"bao-cao-ngay-{day}.pdf").write_bytes(sup.tiny_pdf(day))
    (folder / "notes.txt").write_text("not a report")
    w = sup.open_window(qtbot, ctx, fake_queue, makers, folder)
    try:
        archive = w.reports_tab.archive
        qtbot.waitUntil(lambda: archive.list.count() == 3, timeout=3000)
        assert [archive.list.item(i).text() for i in range(3)] == [
            "Thứ Bảy 21/11/2026",
            "Thứ Sáu 20/11/2026",
            "Thứ Năm 19/11/2026",
        ]
        w.tabs.setCurrentWidget(w.reports_tab)
        item = archive.list.item(1)
        rect = archive.list.visualItemRect(item)
        qtbot.mouseClick(archive.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(archive.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(
            lambda: archive.last_preview is not None and bool(archive.last_preview.page_labels), timeout=5000
        )
        assert archive.last_preview.pdf == (folder / "bao-cao-ngay-2026-11-20.pdf").read_bytes()
        archive.last_preview.close()
        qtbot.mouseClick(archive.print_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "đến máy in" in w.messages.text() or "tới máy in" in w.messages.text(), timeout=5000)
        assert len(a4.files) == 1 and _pages(a4.files[0]) == 1
    finally:
        w.live.close()
        wait_for_ops()


def test_the_766_tab_scores_each_month_against_the_maxima(qtbot, ctx, clock, fake_queue, makers, tmp_path) -> None:
    code = sup.receive(ctx, clock, "2026-11-23T08:00")
    ReceptionService(ctx).act(code, Action.RESOLVE)  # resolved the day it was due
    w = sup.open_window(qtbot, ctx, fake_queue, makers, tmp_path / "reports")
    try:
        view = w.index_view
        w.tabs.setCurrentWidget(view)  # the year is read when the tab is first looked at
        qtbot.waitUntil(lambda: view.table.rowCount() == 11, timeout=5000)  # January to November
        headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
        assert headers[2:7] == [
            "2.1 (tối đa 20)",
            "3.3 (tối đa 6)",
            "4.2 (tối đa 4)",
            "4.3 (tối đa 2)",
            "5.4 (tối đa 6)",
        ]
        november = view.table.rowCount() - 1
        row = [view.table.item(november, c).text() for c in range(view.table.columnCount())]
        assert row[:4] == ["11/2026", "Toàn trung tâm", "100% · 20,0/20", "0% · 0,0/6"]
        assert view.table.item(0, 2).text() == "—"  # January: nothing resolved
        assert view.table.item(0, 2).toolTip() == "chưa có số liệu"
        assert "1.1–1.4" in view.not_measured.text() and "PAKN" in view.not_measured.text()
        assert w.charts.on_time.bars == [[0, 1, 0]]  # resolved on its due day: on time
        view.by_sector.setChecked(True)
        qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.table.rowCount() == 12, timeout=5000)  # November for the sector too
        assert view.table.item(11, 1).text() == "Hộ tịch"
    finally:
        w.live.close()
        wait_for_ops()


def test_the_real_daily_report_is_made_and_kept(qtbot, ctx, fake_queue, tmp_path) -> None:
    """The documents' own maker (motcua.documents.reports), called as the tab calls it."""
    from motcua.ui.supervisor.window import SupervisorWindow

    sup.no_catch_up(ctx)
    w = SupervisorWindow(ctx, fake_queue, archive_dir=tmp_path / "reports", poll_ms=100)  # the default makers
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(w)
    try:
        tab = w.reports_tab
        qtbot.mouseClick(tab.daily_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.last_preview is not None and bool(tab.last_preview.page_labels), timeout=15_000)
        doc = pdfium.PdfDocument(str(tmp_path / "reports" / "bao-cao-ngay-2026-11-23.pdf"))
        try:
            text = doc[0].get_textpage().get_text_range()
        finally:
            doc.close()
        assert "CHÍNH CÔNG XÃ BẢO THẮNG" in text and "Báo cáo tổng hợp ngày 23/11/2026" in text
        tab.last_preview.close()
    finally:
        w.live.close()
        wait_for_ops()


def test_the_window_keeps_the_days_summary_at_closing_time_and_the_missed_ones(
    qtbot, ctx, clock, fake_queue, makers, tmp_path
) -> None:
    clock.set("2026-11-23T17:45")  # a Monday, after the closing time (17:30)
    sup.no_catch_up(ctx, days=2)  # and the PC was off on Thursday and Friday
    set_language("en")  # the screen in English: the summaries are still the Vietnamese official papers
    folder = tmp_path / "reports"
    w = sup.open_window(qtbot, ctx, fake_queue, makers, folder)
    try:
        archive = w.reports_tab.archive
        qtbot.waitUntil(lambda: archive.list.count() == 3, timeout=5000)
        assert [archive.list.item(i).text()[-10:] for i in range(3)] == ["23/11/2026", "20/11/2026", "19/11/2026"]
        assert sorted(s.day for s in makers.daily) == [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 23)]
        assert set(makers.languages) == {"vi"}
        w.archive_due()  # a minute later: nothing more to make
        wait_for_ops()
        assert len(makers.daily) == 3
    finally:
        w.live.close()
        wait_for_ops()
