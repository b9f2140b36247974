"""Printing at the counter: "Lưu và in" prints the A4 receipt through Qt's print dialog and the thermal receipt, and
keeps a PDF copy; plain "Lưu" prints nothing; a print is recorded only once its printer has taken it.

Qt's print dialog is answered with a PDF file as the printer (the ``a4`` fixture); the page it prints is rendered
back with pdftoppm and its barcode read, so the test sees what the paper would show.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import test_counter_window as counter
from PySide6.QtCore import Qt

from motcua.devices.barcode import decode_file
from motcua.services.reception import ReceptionService
from motcua.store import audit
from motcua.ui.ops import wait_for_ops

questions, a4, window = counter.questions, counter.a4, counter.window  # fixtures


def _ready(qtbot, w) -> None:
    counter.choose_procedure(qtbot, w, "khai sinh", "1.001193")
    counter.scan_card(qtbot, w)
    w.reception_tab.components.tick_required()


def _code(ctx) -> str:
    return ReceptionService(ctx).search("dang hong bao")[0].code


def _prints(ctx, code: str) -> list[str]:
    return [e["action"] for e in audit.history(ctx.store.read(), code) if "print" in e["action"]]


def _pages(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page*.png"))


def test_save_and_print_prints_the_a4_receipt_and_the_thermal_one(qtbot, window, ctx, a4, tmp_path) -> None:
    _ready(qtbot, window)
    qtbot.keyClick(window.reception_tab.applicant.phone, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Đã lưu và in" in window.messages.text(), timeout=20_000)
    code = _code(ctx)
    assert a4.dialogs == 1 and len(a4.files) == 1
    pages = _pages(a4.files[0], tmp_path)
    assert len(pages) == ctx.settings.printer.copies_a4  # Liên 1 kept, Liên 2 for the citizen
    assert code in [s.text for s in decode_file(pages[0])]  # the printed sheet carries the dossier's barcode
    assert (ctx.out_dir / f"{code}-mau01.pdf").read_bytes().startswith(b"%PDF")  # the copy kept
    assert len(ctx.printer.jobs) == 1
    assert sorted(_prints(ctx, code)) == ["print_receipt", "print_receipt_a4"]  # each printer's job, once


def test_plain_save_prints_nothing(qtbot, window, ctx, a4) -> None:
    _ready(qtbot, window)
    qtbot.keyClick(window.reception_tab.applicant.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.messages.text().startswith("Đã lưu hồ sơ"), timeout=5000)
    wait_for_ops()
    code = _code(ctx)
    assert a4.dialogs == 0 and a4.files == []
    assert ctx.printer.jobs == []
    assert _prints(ctx, code) == []
    assert not (ctx.out_dir / f"{code}-mau01.pdf").exists()


def test_a_cancelled_print_dialog_still_gives_the_thermal_receipt(qtbot, window, ctx, a4) -> None:
    a4.accept = False
    _ready(qtbot, window)
    window.reception_tab.save(print_after=True)
    qtbot.waitUntil(lambda: "chưa in khổ A4" in window.messages.text(), timeout=20_000)
    code = _code(ctx)
    assert a4.dialogs == 1 and a4.files == []
    assert len(ctx.printer.jobs) == 1
    assert (ctx.out_dir / f"{code}-mau01.pdf").exists()


def test_a_print_is_recorded_only_after_the_printer_took_it(qtbot, window, ctx, a4, monkeypatch) -> None:
    recorded: list[tuple[str, bool]] = []

    def record_a4_print(d) -> None:  # stands in for the audit entry, to see when it is made
        recorded.append((d.code, a4.files[-1].exists()))

    monkeypatch.setattr(window.printing, "record_a4_print", record_a4_print)
    ctx.printer.out_of_paper = True
    _ready(qtbot, window)
    window.reception_tab.save(print_after=True)
    qtbot.waitUntil(lambda: "chưa in được" in window.messages.text(), timeout=20_000)
    code = _code(ctx)
    assert "hết giấy" in window.messages.text().lower()
    assert _prints(ctx, code) == []  # the thermal printer refused: nothing recorded
    assert recorded == [(code, True)]  # the A4 one was recorded, once its file was complete
    ctx.printer.out_of_paper = False
    [again] = [b for b in window.messages.buttons() if b.text() == "In lại"]
    again.click()
    qtbot.waitUntil(lambda: "Đã lưu và in" in window.messages.text(), timeout=20_000)
    assert _prints(ctx, code) == ["print_receipt"]
    assert len(recorded) == 2 and len(ctx.printer.jobs) == 1


def test_an_a4_printer_that_fails_is_said_and_not_recorded(qtbot, window, ctx, a4, monkeypatch, tmp_path) -> None:
    recorded: list[str] = []
    monkeypatch.setattr(window.printing, "record_a4_print", recorded.append)
    a4.folder = tmp_path / "no such folder"  # the "printer" cannot open its output
    _ready(qtbot, window)
    window.reception_tab.save(print_after=True)
    qtbot.waitUntil(lambda: "chưa in được" in window.messages.text(), timeout=20_000)
    assert "A4" in window.messages.text()
    assert recorded == []
    assert len(ctx.printer.jobs) == 1  # the thermal receipt is not held back by the A4 printer
