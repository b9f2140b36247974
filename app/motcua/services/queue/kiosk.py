"""The kiosk's one action: take a number, print it, and show it only once it exists and is on paper.

The order is fixed: the centre saves the ticket first (under an idempotency key, so a retry cannot make a
second one); then the kiosk prints it. If printing fails the ticket is **cancelled** (kept in the history as
``cancelled``, never called) and the citizen gets a clear refusal instead of a number: a number that is not on
paper would be called for someone who does not know it. If even the cancellation cannot reach the centre, the
ticket stays waiting and is cleared by a clerk's no-show; it was still never shown. A clerk can print a
ticket's slip again with :meth:`KioskService.slip_bytes` (a lost ticket).
"""

from __future__ import annotations

import logging
import uuid

from PIL import Image

from motcua.devices.printer import PrinterError, PrinterFault, ReceiptPrinter, escpos_raster_bytes
from motcua.documents.ticket import render_ticket_image
from motcua.domain.device_health import PaperState
from motcua.domain.errors import MotcuaError
from motcua.domain.queue_views import IssuedTicket
from motcua.i18n import tr
from motcua.services.queue.api import QueueApi

log = logging.getLogger(__name__)


class TicketNotPrintedError(MotcuaError):
    """The ticket could not be printed, so no number was given; ``fault`` says why (out of paper, offline…)."""

    def __init__(self, message: str, fault: PrinterFault) -> None:
        super().__init__(message)
        self.fault = fault


class KioskService:
    """Take-a-number for one kiosk.

    Args:
        api: the queue (in-process or the centre server).
        printer: the kiosk's ticket printer; None shows the number on screen only (a demo without a printer).
        kiosk_id: this kiosk's name, stored with each ticket.
        width_px: the printer's width in dots.
    """

    def __init__(self, api: QueueApi, printer: ReceiptPrinter | None, kiosk_id: str, width_px: int = 576) -> None:
        self.api = api
        self.printer = printer
        self.kiosk_id = kiosk_id
        self.width_px = width_px
        self._centre_name: str | None = None
        self._groups: dict[str, str] | None = None

    def centre_name(self) -> str:
        if self._centre_name is None:
            view = self.api.kiosk_view()
            self._centre_name, self._groups = view.centre_name, dict(view.priority_groups)
        return self._centre_name

    def _image(self, issued: IssuedTicket) -> Image.Image:
        """The slip, naming the ticket's priority group so the clerk who calls it sees why it went first."""
        self.centre_name()
        label = (self._groups or {}).get(issued.ticket.priority_group or "", "")
        return render_ticket_image(issued, self.centre_name(), self.width_px, priority_label=label)

    def paper_state(self) -> PaperState:
        """The kiosk printer's paper, asked without printing (the health report's; blocking, off the GUI thread)."""
        return PaperState.NONE if self.printer is None else self.printer.paper_state()

    def slip_bytes(self, issued: IssuedTicket) -> bytes:
        """The ESC/POS bytes of the ticket slip (raster image, then cut)."""
        return escpos_raster_bytes(self._image(issued))

    def take_number(self, service: str, priority_group: str | None = None) -> IssuedTicket:
        """Issue a ticket of ``service`` and print it; return it only when both worked.

        Raises:
            ServiceClosedError: the service is not taking tickets now.
            TicketNotPrintedError: the printer failed; the ticket was cancelled and must not be shown.
            CentreUnreachableError: the centre server could not be reached; nothing was issued that anyone saw.
            MotcuaError: any other refusal, with a message to show.
        """
        key = f"{self.kiosk_id}:{uuid.uuid4().hex}"
        issued = self.api.issue_ticket(service, priority_group, kiosk=self.kiosk_id, key=key)
        if self.printer is None:
            return issued
        image = self._image(issued)
        try:
            self.printer.print_image(image)
        except PrinterError as exc:
            try:
                self.api.cancel_ticket(issued.ticket.id, key=key + ":cancel")
            except (MotcuaError, OSError):
                log.exception("could not cancel unprinted ticket %s; a clerk will clear it", issued.ticket.display)
            raise TicketNotPrintedError(
                tr(
                    "Không in được phiếu số thứ tự ({reason}). Chưa cấp số cho bạn; vui lòng báo cán bộ hoặc "
                    "dùng ki-ốt khác.",
                    reason=str(exc),
                ),
                exc.fault,
            ) from exc
        return issued
