"""The 80 mm receipt printer, spoken to in ESC/POS through python-escpos.

Receipts arrive as 1-bit images (ESC/POS code pages have no Vietnamese) and leave as ``GS v 0`` raster blocks,
cut after the last one. A connection is opened per job and closed after it, so a printer that was switched
off and on again, or a USB cable that was replugged, works again at the next receipt.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from motcua.config import PrinterSettings
from motcua.domain.device_health import PaperState, paper_from_status
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr

if TYPE_CHECKING:
    from escpos.escpos import Escpos
    from PIL import Image

# python-escpos is imported where a job is made, not with this module: loading its printer profiles takes a
# quarter of a second that the counter window and the one-shot commands should not wait for.

log = logging.getLogger(__name__)

GS_V0 = b"\x1dv0"  # GS v 0 m xL xH yL yH d1…dk: print raster bit image
FRAGMENT_HEIGHT = 960  # python-escpos's default: rows per GS v 0 block, within every common printer's buffer
NETWORK_TIMEOUT_S = 10.0
STATUS_TIMEOUT_S = 2.0  # some network printers never answer a status query; do not hold the counter for it
USB_TIMEOUT_MS = 10_000  # python-escpos's default of 0 would wait for ever on a jammed printer
KINDS = ("none", "file", "usb", "network", "serial")


class PrinterFault(StrEnum):
    NOT_CONFIGURED = "not_configured"
    DRIVER_MISSING = "driver_missing"
    OFFLINE = "offline"
    OUT_OF_PAPER = "out_of_paper"
    FAILED = "failed"


class PrinterError(MotcuaError):
    """A receipt could not be printed; ``str(err)`` says why in the user's language, ``fault`` says what kind."""

    def __init__(self, message: str, fault: PrinterFault = PrinterFault.FAILED) -> None:
        super().__init__(message)
        self.fault = fault


class ReceiptPrinter(Protocol):
    def print_image(self, image: Image.Image, cut: bool = True) -> None:
        """Print ``image`` (at most the paper's width in dots), then cut the paper if ``cut``.

        Raises:
            PrinterError: the printer is missing, offline, out of paper or refused the job.
        """
        ...

    def print_escpos(self, data: bytes) -> None:
        """Send a finished ESC/POS job (a text receipt, or a picture in trimmed bands), cut included.

        Raises:
            PrinterError: as :meth:`print_image`.
        """
        ...

    def paper_state(self) -> PaperState:
        """The paper now, asked without printing (for the device's health report); never raises."""
        ...


def out_of_paper_error() -> PrinterError:
    return PrinterError(tr("Máy in hết giấy"), PrinterFault.OUT_OF_PAPER)


def offline_error(where: str) -> PrinterError:
    return PrinterError(
        tr("Không kết nối được máy in ({where}). Kiểm tra nguồn điện, cáp và địa chỉ máy in.", where=where),
        PrinterFault.OFFLINE,
    )


def _too_wide_error(width: int, limit: int) -> PrinterError:
    return PrinterError(
        tr("Ảnh biên nhận rộng {width} điểm, vượt khổ in {limit} điểm của máy in", width=width, limit=limit)
    )


@cache
def _media_profile_class() -> type:
    from escpos.capabilities import Profile, get_profile_class

    class MediaProfile(Profile):  # type: ignore[misc]  # python-escpos builds its profile classes at run time
        """python-escpos's default profile with the paper width filled in.

        With the width unknown, ``Escpos.image`` prints a warning to stdout on every call; with it known it also
        refuses an image wider than the paper instead of letting the printer garble it.
        """

        def __init__(self, width_px: int) -> None:
            base: dict[str, Any] = get_profile_class("default").profile_data
            super().__init__(features=dict(base["features"]))
            self.profile_data = {**base, "media": {"dpi": 203, "width": {"mm": "Unknown", "pixels": width_px}}}

    return MediaProfile


def _media_profile(width_px: int) -> Any:
    return _media_profile_class()(width_px)


def _emit(printer: Escpos, image: Image.Image, cut: bool) -> None:
    # ESC @ first: a previous job may have left centring or another line spacing set.
    printer.hw("INIT")
    printer.image(image, impl="bitImageRaster", fragment_height=FRAGMENT_HEIGHT, center=False)
    if cut:
        printer.cut()


def escpos_raster_bytes(image: Image.Image, cut: bool = True) -> bytes:
    """The exact bytes python-escpos sends for ``image``: ESC @, ``GS v 0`` blocks, then feed and cut."""
    from escpos.printer import Dummy

    dummy = Dummy(profile=_media_profile(image.width))
    _emit(dummy, image, cut)
    return bytes(dummy.output)


def decode_raster(data: bytes) -> list[Image.Image]:
    """Read the ``GS v 0`` raster blocks of an ESC/POS stream back into mode "1" images, in order.

    Other commands are skipped a byte at a time; a raster block is consumed whole, so image data that happens
    to contain ``GS v 0`` is never mistaken for a command. Each image is as wide as its block (a multiple of
    eight dots).

    Raises:
        ValueError: a block is cut short.
    """
    from PIL import Image as PILImage  # Pillow loads with the first job, not with the app

    images: list[Image.Image] = []
    i = 0
    while i < len(data):
        if not data.startswith(GS_V0, i):
            i += 1
            continue
        header = data[i + 3 : i + 8]
        if len(header) < 5:
            raise ValueError(f"truncated GS v 0 header at byte {i}")
        width_bytes = header[1] | header[2] << 8
        height = header[3] | header[4] << 8
        size = width_bytes * height
        block = data[i + 8 : i + 8 + size]
        if len(block) < size:
            raise ValueError(f"truncated GS v 0 block at byte {i}: {len(block)} of {size} bytes")
        # In ESC/POS a set bit prints (black); in PIL's plain "1" raw mode a set bit is white, hence "1;I".
        images.append(PILImage.frombytes("1", (width_bytes * 8, height), block, "raw", "1;I"))
        i += 8 + size
    return images


class FakePrinter:
    """A printer for tests and demonstrations: records each job, or fails as told.

    Attributes:
        jobs: (image, ESC/POS bytes) for every job printed.
        out_of_paper: make the next jobs fail with "Máy in hết giấy".
        offline: make the next jobs fail as if the printer were unreachable.
        paper_low: the near-end sensor has fired (jobs still print).
    """

    def __init__(self, width_px: int = 576, out_of_paper: bool = False, offline: bool = False) -> None:
        self.width_px = width_px
        self.out_of_paper = out_of_paper
        self.offline = offline
        self.paper_low = False
        self.jobs: list[tuple[Image.Image, bytes]] = []

    def paper_state(self) -> PaperState:
        if self.offline:
            return PaperState.OFFLINE
        if self.out_of_paper:
            return PaperState.OUT
        return PaperState.LOW if self.paper_low else PaperState.OK

    def print_image(self, image: Image.Image, cut: bool = True) -> None:
        if self.offline:
            raise offline_error(tr("máy in thử"))
        if self.out_of_paper:
            raise out_of_paper_error()
        if image.width > self.width_px:
            raise _too_wide_error(image.width, self.width_px)
        self.jobs.append((image.copy(), escpos_raster_bytes(image, cut)))

    def print_escpos(self, data: bytes) -> None:
        """Record a ready job with the picture its raster blocks draw (blank for text), as wide as the paper."""
        if self.offline:
            raise offline_error(tr("máy in thử"))
        if self.out_of_paper:
            raise out_of_paper_error()
        bands = decode_raster(data)
        widest = max((b.width for b in bands), default=0)
        if widest > self.width_px:
            raise _too_wide_error(widest, self.width_px)
        from PIL import Image as PILImage

        picture = PILImage.new("1", (self.width_px, max(sum(b.height for b in bands), 1)), 1)
        y = 0
        for band in bands:
            picture.paste(band, (0, y))
            y += band.height
        self.jobs.append((picture, data))


def configuration_error(settings: PrinterSettings) -> PrinterError | None:
    """What the settings lack for their connection kind, as the error printing would raise; None if usable."""
    kind = settings.kind
    if kind not in KINDS:
        return PrinterError(tr("Loại kết nối máy in không hợp lệ: {kind}", kind=kind), PrinterFault.NOT_CONFIGURED)
    if kind == "none":
        return PrinterError(tr("Chưa cấu hình máy in biên nhận"), PrinterFault.NOT_CONFIGURED)
    missing = {
        "file": not settings.path,
        "serial": not settings.path,
        "network": not settings.host,
        "usb": not (settings.usb_vendor and settings.usb_product),
    }[kind]
    if not missing:
        return None
    what = {
        "file": tr("đường dẫn tệp hoặc thiết bị"),
        "serial": tr("cổng nối tiếp"),
        "network": tr("địa chỉ mạng"),
        "usb": tr("mã USB (vendor, product)"),
    }[kind]
    return PrinterError(tr("Chưa khai báo {what} của máy in biên nhận", what=what), PrinterFault.NOT_CONFIGURED)


class EscposPrinter:
    """A real ESC/POS printer over USB, the network, a serial port or a device file.

    Incomplete settings do not stop the application from starting: every job then fails with the
    :func:`configuration_error`, which a settings screen can also show before anyone prints.
    """

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self.paper_low = False  # the near-end sensor fired on the last job: time to fetch a roll
        # One connection at a time: a health report's status query must never make a ticket's job fail to open
        # the printer (a USB interface is claimed by one handle); the report gives way to a job, not the reverse.
        self._lock = threading.Lock()
        self._last_paper = PaperState.UNKNOWN

    @property
    def where(self) -> str:
        """The connection in words, for messages: "192.168.1.50:9100", "USB 0416:5011"…"""
        s = self.settings
        if s.kind == "network":
            return f"{s.host}:{s.port}"
        if s.kind == "usb":
            return f"USB {s.usb_vendor:04x}:{s.usb_product:04x}"
        return s.path

    def _connect(self) -> Escpos:
        from escpos.printer import File, Network, Serial, Usb

        s = self.settings
        profile = _media_profile(s.width_px)
        if s.kind == "usb":
            if not Usb.is_usable():
                raise self._driver_missing("pyusb", "USB")
            return Usb(s.usb_vendor, s.usb_product, timeout=USB_TIMEOUT_MS, profile=profile)
        if s.kind == "serial":
            if not Serial.is_usable():
                raise self._driver_missing("pyserial", tr("nối tiếp"))
            return Serial(s.path, baudrate=s.baudrate, profile=profile)
        if s.kind == "network":
            return Network(s.host, s.port, timeout=NETWORK_TIMEOUT_S, profile=profile)
        return File(s.path, profile=profile)

    @staticmethod
    def _driver_missing(package: str, port: str) -> PrinterError:
        return PrinterError(
            tr("Chưa cài thư viện {package} để in qua cổng {port}", package=package, port=port),
            PrinterFault.DRIVER_MISSING,
        )

    def _open(self, printer: Escpos) -> None:
        from escpos.printer import Network

        if isinstance(printer, Network):
            # python-escpos's Network.open leaves its socket unclosed when the connection is refused;
            # create_connection closes it, and the printer takes the connected socket as its device.
            s = self.settings
            printer.device = socket.create_connection((s.host, s.port), timeout=NETWORK_TIMEOUT_S)
            return
        printer.open()

    def _paper_status(self, printer: Escpos) -> int | None:
        """2 plenty, 1 near the end, 0 none; None when the connection cannot tell."""
        from escpos.printer import File, Network

        if isinstance(printer, File):
            return None  # a file or a write-only device node has nothing to answer with
        sock = printer.device if isinstance(printer, Network) else None
        previous = sock.gettimeout() if sock is not None else None
        try:
            if sock is not None:
                sock.settimeout(STATUS_TIMEOUT_S)
            status: int = printer.paper_status()
            return status
        except (NotImplementedError, OSError) as exc:  # no answer in time: print anyway, the write will tell
            log.info("printer %s did not report its paper status: %s", self.where, exc)
            return None
        finally:
            if sock is not None:
                sock.settimeout(previous)

    def paper_state(self) -> PaperState:
        """The paper as the printer's status query answers now, without printing anything.

        While a job is printing, the state that job found is returned instead: the query never waits for a job (a
        job may wait for one query, a couple of seconds at most). A printer that cannot be opened (or is not fully
        configured) is OFFLINE; one whose connection cannot answer (a device file) or did not answer in time,
        UNKNOWN.
        """
        if configuration_error(self.settings) is not None:
            return PaperState.OFFLINE
        if not self._lock.acquire(blocking=False):
            return self._last_paper
        try:
            try:
                printer = self._connect()
            except PrinterError:  # a driver missing
                self._last_paper = PaperState.OFFLINE
                return self._last_paper
            try:
                try:
                    self._open(printer)
                except Exception as exc:  # as in _send: python-escpos, pyusb and pyserial errors alike
                    log.info("printer %s unreachable for its status: %s", self.where, exc)
                    self._last_paper = PaperState.OFFLINE
                    return self._last_paper
                state = paper_from_status(self._paper_status(printer))
            finally:
                self._close(printer)
            self.paper_low = state is PaperState.LOW
            self._last_paper = state
            return state
        finally:
            self._lock.release()

    def _close(self, printer: Escpos) -> None:
        try:
            printer.close()
        except Exception as exc:  # closing a dead connection must not hide the error that killed it
            log.debug("closing printer %s: %s", self.where, exc)

    def print_image(self, image: Image.Image, cut: bool = True) -> None:
        if image.width > self.settings.width_px:
            problem = configuration_error(self.settings)
            raise problem if problem is not None else _too_wide_error(image.width, self.settings.width_px)
        self._send(lambda printer: _emit(printer, image, cut))

    def print_escpos(self, data: bytes) -> None:
        # python-escpos has no public call for a finished job; _raw is what every one of its commands writes with.
        self._send(lambda printer: printer._raw(data))

    def _send(self, job: Callable[[Escpos], None]) -> None:
        """Connect, check the paper, run ``job`` on the connection, close; every failure as a PrinterError."""
        problem = configuration_error(self.settings)
        if problem is not None:
            raise problem
        with self._lock:
            self._send_locked(job)

    def _send_locked(self, job: Callable[[Escpos], None]) -> None:
        from escpos import exceptions as escpos_errors

        printer = self._connect()
        try:
            try:
                self._open(printer)
            except Exception as exc:  # besides its own errors python-escpos lets pyusb's and pyserial's through
                log.warning("printer %s unreachable: %s", self.where, exc)
                self._last_paper = PaperState.OFFLINE
                raise offline_error(self.where) from exc
            status = self._paper_status(printer)
            self._last_paper = paper_from_status(status)
            if status == 0:
                raise out_of_paper_error()
            self.paper_low = status == 1
            job(printer)
        except PrinterError:
            raise
        except escpos_errors.Error as exc:
            raise PrinterError(tr("Máy in báo lỗi: {error}", error=str(exc))) from exc
        except OSError as exc:  # socket, USB and serial errors all derive from OSError
            raise PrinterError(
                tr("Mất kết nối với máy in ({where}) khi đang in: {error}", where=self.where, error=str(exc)),
                PrinterFault.OFFLINE,
            ) from exc
        finally:
            self._close(printer)


def make_printer(settings: PrinterSettings) -> ReceiptPrinter | None:
    """The printer the settings describe, or None when there is none (``kind = "none"``).

    Never raises: a printer with incomplete settings reports them when asked to print.
    """
    if settings.kind == "none":
        return None
    return EscposPrinter(settings)
