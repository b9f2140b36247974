"""The kiosk's ticket printer, chosen from the settings, for a UI that may not import ``devices`` itself.

With no printer configured (``[printer] kind = "none"``: a demo or a PC without one) the kiosk still runs the
whole take-a-number path, rendering and ESC/POS encoding included, into a fake printer, and says so on screen:
a real centre must never believe tickets are being printed when they are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from motcua.config import Settings
from motcua.devices.printer import FakePrinter, ReceiptPrinter, make_printer
from motcua.domain.device_health import PaperState
from motcua.services.queue.api import QueueApi
from motcua.services.queue.kiosk import KioskService


class _DemoPrinter:
    """A :class:`FakePrinter` that keeps only the last job (a kiosk left running all day must not fill memory)."""

    def __init__(self, width_px: int) -> None:
        self.fake = FakePrinter(width_px)

    def print_image(self, image: Image.Image, cut: bool = True) -> None:
        self.fake.print_image(image, cut)
        del self.fake.jobs[:-1]

    def print_escpos(self, data: bytes) -> None:
        self.fake.print_escpos(data)
        del self.fake.jobs[:-1]

    def paper_state(self) -> PaperState:
        return PaperState.NONE  # nothing is printed: the supervisor sees a kiosk without a printer


@dataclass(frozen=True, slots=True)
class KioskPrinter:
    """The printer a kiosk prints on; ``demo`` is True when no real printer is configured."""

    printer: ReceiptPrinter
    demo: bool


def kiosk_printer(settings: Settings) -> KioskPrinter:
    """The configured ESC/POS printer, or a fake one in demo mode (no printer configured)."""
    real = make_printer(settings.printer)
    if real is None:
        return KioskPrinter(_DemoPrinter(settings.printer.width_px), True)
    return KioskPrinter(real, False)


def make_kiosk_service(
    api: QueueApi, settings: Settings, printer: ReceiptPrinter | None = None
) -> tuple[KioskService, bool]:
    """The kiosk's take-a-number service and whether it runs without a real printer.

    Args:
        api: the queue (in-process or the centre server).
        settings: the kiosk id is ``K-<station_id>``; the printer and its width come from ``[printer]``.
        printer: a printer to use instead of the configured one (tests pass a ``FakePrinter``).
    """
    demo = False
    if printer is None:
        chosen = kiosk_printer(settings)
        printer, demo = chosen.printer, chosen.demo
    kiosk_id = f"K-{settings.counter.station_id}"
    return KioskService(api, printer, kiosk_id, settings.printer.width_px), demo
