"""The kiosk prints after saving; printer faults refuse clearly and cancel; the ESC/POS bytes decode back."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from motcua.devices.printer import FakePrinter, PrinterFault, decode_raster
from motcua.documents.thermal import fitted_text
from motcua.documents.ticket import number_image, priority_line, render_ticket_image
from motcua.domain.queue import TicketState
from motcua.services.queue.kiosk import KioskService, TicketNotPrintedError
from motcua.services.queue.service import QueueService


def test_ticket_bytes_decode_back_to_the_expected_slip(queue: QueueService) -> None:
    printer = FakePrinter()
    kiosk = KioskService(queue, printer, "K1")
    kiosk.take_number("HT")
    issued = kiosk.take_number("HT", "elderly")
    image, data = printer.jobs[-1]
    decoded = decode_raster(data)
    assert len(decoded) == 1 and decoded[0].size == image.size and image.width == 576
    assert np.array_equal(np.asarray(decoded[0]), np.asarray(image))
    symbols = decode(decoded[0].convert("L"))
    assert [s.data.decode() for s in symbols] == [issued.ticket.uid]
    # The big number: the rendering of "A002" appears, pixel for pixel, in the decoded slip.
    ink = np.asarray(decoded[0].convert("L")) < 128
    big = np.asarray(number_image("A002", 576 - 12).point(lambda v: 255 if v >= 150 else 0)) < 128
    rows = big.shape[0]
    found = any(np.array_equal(ink[y : y + rows, 6 : 6 + big.shape[1]], big) for y in range(0, ink.shape[0] - rows))
    assert found and big.sum() > 2000


def contains(slip: Image.Image, part: Image.Image, x: int = 6) -> bool:
    """Whether ``part`` (thresholded as the slip is) appears pixel for pixel in the slip at column ``x``."""
    ink = np.asarray(slip.convert("L")) < 128
    want = np.asarray(part.point(lambda v: 255 if v >= 150 else 0)) < 128
    rows = want.shape[0]
    return any(np.array_equal(ink[y : y + rows, x : x + want.shape[1]], want) for y in range(ink.shape[0] - rows))


def test_a_priority_ticket_names_its_group_and_no_one(queue: QueueService) -> None:
    issued = queue.issue_ticket("HT", "elderly", kiosk="K1", key="k-1")
    labels = dict(queue.kiosk_view().priority_groups)
    slip = render_ticket_image(issued, "TRUNG TÂM THỬ", 576, priority_label=labels["elderly"])
    line = fitted_text("Ưu tiên: Người cao tuổi", 576 - 12, 28, 20, bold=True)
    assert contains(slip, line)
    # A label that carries an identity or phone number is not printed: the group's name only, or nothing.
    assert priority_line("Ông 012345678901") == "ƯU TIÊN"
    assert priority_line("Người gọi 0912.345.678") == "ƯU TIÊN"
    assert priority_line("  Người   khuyết tật ") == "Ưu tiên: Người khuyết tật"
    regular = render_ticket_image(queue.issue_ticket("HT", None, kiosk="K1", key="k-2"), "TRUNG TÂM THỬ", 576)
    assert not contains(regular, fitted_text(priority_line(""), 576 - 12, 28, 20, bold=True))
    # The kiosk prints the group's name from the queue's configuration.
    printer = FakePrinter()
    KioskService(queue, printer, "K1").take_number("HT", "elderly")
    assert contains(printer.jobs[-1][0], line)


def test_out_of_paper_refuses_and_cancels_the_saved_ticket(queue: QueueService) -> None:
    printer = FakePrinter(out_of_paper=True)
    kiosk = KioskService(queue, printer, "K1")
    with pytest.raises(TicketNotPrintedError, match="hết giấy") as err:
        kiosk.take_number("HT")
    assert err.value.fault is PrinterFault.OUT_OF_PAPER
    cancelled = [e for e in queue.events(0) if e.kind == "cancelled"]
    assert len(cancelled) == 1
    assert queue.ticket(cancelled[0].ticket_id).state is TicketState.CANCELLED  # type: ignore[arg-type]
    assert queue.call_next(1) is None  # never called for someone who holds no paper
    printer.out_of_paper = False
    assert kiosk.take_number("HT").ticket.display == "A002"  # numbering goes on; A001 stays in the history


def test_offline_printer_refuses_too(queue: QueueService) -> None:
    kiosk = KioskService(queue, FakePrinter(offline=True), "K1")
    with pytest.raises(TicketNotPrintedError) as err:
        kiosk.take_number("DD")
    assert err.value.fault is PrinterFault.OFFLINE
    assert all(not s.waiting for s in queue.board().services)


def test_no_printer_shows_the_saved_number(queue: QueueService) -> None:
    issued = KioskService(queue, None, "K1").take_number("HT")
    assert queue.ticket(issued.ticket.id).display == issued.ticket.display
