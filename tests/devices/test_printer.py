"""The receipt printer: ESC/POS bytes, their decoding, the fake printer and real connections to local stand-ins."""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from escpos.printer import Serial, Usb
from PIL import Image, ImageOps
from pyzbar import pyzbar

from motcua.config import CentreSettings, PrinterSettings
from motcua.devices.printer import (
    EscposPrinter,
    FakePrinter,
    PrinterError,
    PrinterFault,
    configuration_error,
    decode_raster,
    escpos_raster_bytes,
    make_printer,
)
from motcua.documents.forms import FormContext
from motcua.documents.thermal import compact_raster_bytes, raster_bands, render_receipt_image
from motcua.domain.applicant import Address, Applicant, ApplicantKind
from motcua.domain.device_health import PaperState
from motcua.domain.dossier import Dossier
from motcua.domain.status import Status

ESC_INIT = b"\x1b@"
FEED_AND_CUT = b"\x1bd\x06\x1dV\x00"
DLE_EOT_PAPER = b"\x10\x04\x04"


def receipt() -> Image.Image:
    applicant = Applicant(
        ApplicantKind.PERSON, "Nguyễn Thị Ánh Tuyết", address=Address(commune="Phường Cốc Lếu", province="Lào Cai")
    )
    d = Dossier(
        code="000.25.38.H38-231027-0361",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        applicant=applicant,
        received_at=datetime(2023, 10, 27, 9, 32),
        due_at=datetime(2023, 10, 27, 15, 0),
        status=Status.RECEIVED,
        received_by="Đặng Hồng Bảo",
        agency_id="000.25.38.H38",
    )
    ctx = FormContext(CentreSettings(), "Đặng Hồng Bảo", datetime(2023, 10, 27, 9, 33))
    return render_receipt_image(d, ctx)


def random_image(width: int, height: int, seed: int = 7) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes("1", (width, height), rng.randbytes(width // 8 * height))


def joined(images: list[Image.Image], width: int | None = None) -> Image.Image:
    """Blocks one under the other; narrower blocks (a compact job's bands) padded with white on the right."""
    out = Image.new("1", (width or images[0].width, sum(i.height for i in images)), 1)
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height
    return out


# ---------------------------------------------------------------------------------------------- bytes


def test_raster_bytes_decode_to_the_same_pixels() -> None:
    image = receipt()
    data = escpos_raster_bytes(image)
    assert data.startswith(ESC_INIT + b"\x1dv0")
    assert data.endswith(FEED_AND_CUT)
    blocks = decode_raster(data)
    assert len(blocks) == -(-image.height // 960)  # python-escpos sends at most 960 rows per block
    back = joined(blocks)
    assert back.size == image.size
    assert back.tobytes() == image.tobytes()


def test_compact_job_decodes_to_the_same_pixels_in_about_half_the_bytes() -> None:
    image = receipt()
    whole, compact = escpos_raster_bytes(image), compact_raster_bytes(image)
    assert compact.startswith(ESC_INIT + b"\x1dv0")
    assert compact.endswith(FEED_AND_CUT)
    blocks = decode_raster(compact)
    assert [(b.height, b.width // 8) for b in blocks] == [(rows, width) for _, rows, width in raster_bands(image)]
    assert max(b.width for b in blocks) <= image.width
    assert joined(blocks, image.width).tobytes() == image.tobytes()
    assert len(compact) <= 0.55 * len(whole), (len(compact), len(whole))  # 49 381 of 90 240 bytes


def test_white_rows_cost_a_byte_and_ink_sets_the_width() -> None:
    image = Image.new("1", (576, 300), 1)
    image.paste(0, (0, 100, 20, 110))  # a short black bar: three bytes wide
    bands = raster_bands(image)
    assert sum(rows for _, rows, _ in bands) == 300
    assert max(width for _, _, width in bands) == 3
    assert len(compact_raster_bytes(image, cut=False)) < 400  # not 300 rows × 72 bytes
    back = joined(decode_raster(compact_raster_bytes(image, cut=False)), 576)
    assert back.tobytes() == image.tobytes()


def test_decoded_receipt_still_scans() -> None:
    back = joined(decode_raster(escpos_raster_bytes(receipt())))
    found = {s.type: s.data.decode() for s in pyzbar.decode(ImageOps.expand(back.convert("L"), 24, 255))}
    assert found["CODE128"] == "000.25.38.H38-231027-0361"


def test_raster_of_random_bits_survives_fragmenting() -> None:
    # Random bits contain every byte value, GS v 0 included: a block must be consumed whole.
    image = random_image(576, 2500)
    back = decode_raster(escpos_raster_bytes(image, cut=False))
    assert [b.height for b in back] == [960, 960, 580]
    assert joined(back).tobytes() == image.tobytes()


def test_no_cut_means_no_cut_command() -> None:
    data = escpos_raster_bytes(random_image(64, 8), cut=False)
    assert b"\x1dV" not in data[-4:]


def test_image_narrower_than_a_byte_multiple_is_padded() -> None:
    image = Image.new("1", (100, 10), 1)
    image.putpixel((99, 9), 0)
    (back,) = decode_raster(escpos_raster_bytes(image))
    assert back.size == (104, 10)
    assert back.crop((0, 0, 100, 10)).tobytes() == image.tobytes()


def test_truncated_block_is_an_error() -> None:
    data = escpos_raster_bytes(random_image(64, 16), cut=False)
    with pytest.raises(ValueError, match="truncated"):
        decode_raster(data[:-5])


# ---------------------------------------------------------------------------------------------- fake


def test_fake_printer_records_jobs() -> None:
    printer = FakePrinter()
    image = receipt()
    printer.print_image(image)
    printer.print_image(image, cut=False)
    assert len(printer.jobs) == 2
    assert printer.jobs[0][0].tobytes() == image.tobytes()
    assert printer.jobs[0][1] == escpos_raster_bytes(image)
    assert not printer.jobs[1][1].endswith(FEED_AND_CUT)


@pytest.mark.parametrize(
    ("flags", "fault", "words"),
    [
        ({"out_of_paper": True}, PrinterFault.OUT_OF_PAPER, "Máy in hết giấy"),
        ({"offline": True}, PrinterFault.OFFLINE, "Không kết nối được máy in"),
    ],
)
def test_fake_printer_failures(flags: dict[str, bool], fault: PrinterFault, words: str) -> None:
    printer = FakePrinter(**flags)
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    assert caught.value.fault is fault
    assert words in str(caught.value)
    assert printer.jobs == []


def test_fake_printer_refuses_an_image_wider_than_the_paper() -> None:
    with pytest.raises(PrinterError, match="vượt khổ in"):
        FakePrinter(width_px=384).print_image(receipt())


# ---------------------------------------------------------------------------------------------- real kinds


def test_file_printer_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = make_printer(PrinterSettings(kind="file", path=str(target)))
    assert isinstance(printer, EscposPrinter)
    image = receipt()
    printer.print_image(image)
    data = target.read_bytes()
    assert data == escpos_raster_bytes(image)
    assert joined(decode_raster(data)).tobytes() == image.tobytes()


def test_file_printer_in_a_missing_folder_is_offline(tmp_path: Path) -> None:
    printer = make_printer(PrinterSettings(kind="file", path=str(tmp_path / "no" / "such" / "lp0")))
    assert printer is not None
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    assert caught.value.fault is PrinterFault.OFFLINE


class StandInPrinter:
    """A TCP server on the loopback that answers DLE EOT 4 like an ESC/POS printer and keeps what it gets."""

    def __init__(self, paper_byte: int | None) -> None:
        self.paper_byte = paper_byte
        self.received = bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            answered = False
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.received += chunk
                if not answered and DLE_EOT_PAPER in self.received and self.paper_byte is not None:
                    conn.sendall(bytes([self.paper_byte]))
                    answered = True

    def close(self) -> None:
        self.server.close()
        self.thread.join(timeout=10)


@pytest.fixture
def stand_in(request: pytest.FixtureRequest) -> Iterator[StandInPrinter]:
    server = StandInPrinter(request.param)
    yield server
    server.close()


# Status bytes of DLE EOT 4: bits 1 and 4 always set; bits 2–3 near end; bits 5–6 paper out.
PAPER_OK, PAPER_LOW, PAPER_OUT = 0x12, 0x1E, 0x72


@pytest.mark.parametrize("stand_in", [PAPER_OK], indirect=True)
def test_network_printer_prints(stand_in: StandInPrinter) -> None:
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    image = receipt()
    printer.print_image(image)
    stand_in.close()
    data = bytes(stand_in.received)
    assert data.startswith(DLE_EOT_PAPER)
    assert data[len(DLE_EOT_PAPER) :] == escpos_raster_bytes(image)
    assert not printer.paper_low


@pytest.mark.parametrize("stand_in", [PAPER_OK], indirect=True)
def test_a_ready_job_goes_to_the_printer_as_it_is(stand_in: StandInPrinter, tmp_path: Path) -> None:
    job = b"\x1b@" + "Biên nhận".encode() + b"\n\x1dV\x00"
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    printer.print_escpos(job)
    stand_in.close()
    # The paper is checked first, as for a picture; then the job, byte for byte.
    assert bytes(stand_in.received) == DLE_EOT_PAPER + job
    target = tmp_path / "lp0"
    EscposPrinter(PrinterSettings(kind="file", path=str(target))).print_escpos(job)
    assert target.read_bytes() == job


@pytest.mark.parametrize("stand_in", [PAPER_OUT], indirect=True)
def test_a_ready_job_is_not_sent_without_paper(stand_in: StandInPrinter) -> None:
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    with pytest.raises(PrinterError) as caught:
        printer.print_escpos(b"\x1b@text\x1dV\x00")
    assert caught.value.fault is PrinterFault.OUT_OF_PAPER
    stand_in.close()
    assert b"text" not in stand_in.received


@pytest.mark.parametrize("stand_in", [PAPER_LOW], indirect=True)
def test_network_printer_near_paper_end_still_prints(stand_in: StandInPrinter) -> None:
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    printer.print_image(receipt())
    stand_in.close()
    assert printer.paper_low
    assert b"\x1dv0" in stand_in.received


@pytest.mark.parametrize("stand_in", [PAPER_OUT], indirect=True)
def test_network_printer_out_of_paper(stand_in: StandInPrinter) -> None:
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    assert str(caught.value) == "Máy in hết giấy"
    assert caught.value.fault is PrinterFault.OUT_OF_PAPER
    stand_in.close()
    assert b"\x1dv0" not in stand_in.received


def test_network_printer_that_is_off_is_offline() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=port))
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    assert caught.value.fault is PrinterFault.OFFLINE
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "Không kết nối được máy in" in str(caught.value)


def test_usb_printer_without_pyusb_or_device() -> None:
    printer = EscposPrinter(PrinterSettings(kind="usb", usb_vendor=0x0416, usb_product=0x5011))
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    expected = PrinterFault.OFFLINE if Usb.is_usable() else PrinterFault.DRIVER_MISSING
    assert caught.value.fault is expected
    if expected is PrinterFault.DRIVER_MISSING:
        assert "pyusb" in str(caught.value)


def test_serial_printer_without_pyserial_or_port(tmp_path: Path) -> None:
    printer = EscposPrinter(PrinterSettings(kind="serial", path=str(tmp_path / "ttyUSB9")))
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    expected = PrinterFault.OFFLINE if Serial.is_usable() else PrinterFault.DRIVER_MISSING
    assert caught.value.fault is expected


# ---------------------------------------------------------------------------------------------- settings


def test_make_printer_none_is_no_printer() -> None:
    assert make_printer(PrinterSettings()) is None


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (PrinterSettings(kind="network"), "địa chỉ mạng"),
        (PrinterSettings(kind="file"), "đường dẫn"),
        (PrinterSettings(kind="serial"), "cổng nối tiếp"),
        (PrinterSettings(kind="usb", usb_vendor=0x0416), "mã USB"),
        (PrinterSettings(kind="bluetooth"), "Loại kết nối máy in không hợp lệ: bluetooth"),
    ],
)
def test_incomplete_settings_are_reported_in_vietnamese(settings: PrinterSettings, words: str) -> None:
    problem = configuration_error(settings)
    assert problem is not None and words in str(problem)
    printer = make_printer(settings)  # the application still starts
    assert printer is not None
    with pytest.raises(PrinterError) as caught:
        printer.print_image(receipt())
    assert caught.value.fault is PrinterFault.NOT_CONFIGURED
    assert words in str(caught.value)


def test_complete_settings_have_no_configuration_error() -> None:
    assert configuration_error(PrinterSettings(kind="network", host="10.0.0.5")) is None
    assert configuration_error(PrinterSettings(kind="usb", usb_vendor=0x0416, usb_product=0x5011)) is None


def test_printer_refuses_an_image_wider_than_configured(tmp_path: Path) -> None:
    printer = EscposPrinter(PrinterSettings(kind="file", path=str(tmp_path / "lp0"), width_px=384))
    with pytest.raises(PrinterError, match="vượt khổ in 384"):
        printer.print_image(random_image(576, 8))
    assert not (tmp_path / "lp0").exists()


def test_receipt_rendering_is_deterministic() -> None:
    # A reprint is the same picture: the receipt depends only on its inputs.
    assert receipt().tobytes() == receipt().tobytes()


# -- the paper, asked without printing (the device's health report) ---------------------------------------------
@pytest.mark.parametrize(
    ("stand_in", "state"),
    [(PAPER_OK, PaperState.OK), (PAPER_LOW, PaperState.LOW), (PAPER_OUT, PaperState.OUT)],
    indirect=["stand_in"],
)
def test_the_paper_state_is_asked_without_printing(stand_in: StandInPrinter, state: PaperState) -> None:
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    assert printer.paper_state() is state
    stand_in.close()
    assert bytes(stand_in.received) == DLE_EOT_PAPER  # the status query, and nothing printed
    assert printer.paper_low is (state is PaperState.LOW)


def test_the_paper_state_of_a_printer_that_cannot_tell_or_be_reached(tmp_path: Path) -> None:
    assert EscposPrinter(PrinterSettings(kind="file", path=str(tmp_path / "lp0"))).paper_state() is PaperState.UNKNOWN
    assert EscposPrinter(PrinterSettings(kind="network", host="")).paper_state() is PaperState.OFFLINE  # no address
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    assert EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=port)).paper_state() is (
        PaperState.OFFLINE
    )


@pytest.mark.parametrize("stand_in", [PAPER_OUT], indirect=True)
def test_a_status_query_gives_way_to_a_job_being_printed(stand_in: StandInPrinter) -> None:
    printer = EscposPrinter(PrinterSettings(kind="network", host="127.0.0.1", port=stand_in.port))
    assert printer.paper_state() is PaperState.OUT
    stand_in.close()  # (it would not answer a second connection)
    with printer._lock:  # a ticket is being printed on another thread
        assert printer.paper_state() is PaperState.OUT  # the last known state, at once, without a connection


def test_the_fake_printer_reports_its_flags() -> None:
    fake = FakePrinter()
    assert fake.paper_state() is PaperState.OK
    fake.paper_low = True
    assert fake.paper_state() is PaperState.LOW
    fake.out_of_paper = True
    assert fake.paper_state() is PaperState.OUT
    fake.offline = True
    assert fake.paper_state() is PaperState.OFFLINE
