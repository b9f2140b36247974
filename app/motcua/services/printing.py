"""Printing: the A4 forms as PDF and the 80 mm thermal receipt, always after the save has committed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from motcua.devices.printer import PrinterError, escpos_raster_bytes
from motcua.documents.forms import (
    FormContext,
    mau01_receipt,
    mau02_supplement,
    mau03_refusal,
    mau04_apology,
    mau05_control_sheet,
    mau06_tracking_book,
)
from motcua.documents.thermal import render_receipt_image
from motcua.domain.dossier import Dossier
from motcua.domain.errors import NotFoundError
from motcua.i18n import language, tr
from motcua.services.context import AppContext
from motcua.store import audit
from motcua.store import catalog as catalog_repo
from motcua.store import dossiers as repo

P = ParamSpec("P")
R = TypeVar("R")


def official(fn: Callable[P, R]) -> Callable[P, R]:
    """Official papers are in Vietnamese whatever language the clerk's screen is in."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with language("vi"):
            return fn(*args, **kwargs)

    return wrapper


class PrintingService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _form_context(self) -> FormContext:
        return FormContext(centre=self.ctx.settings.centre, clerk=self.ctx.clerk, printed_at=self.ctx.clock())

    def _time_text(self, d: Dossier) -> str:
        try:
            return catalog_repo.get(self.ctx.store.read(), d.procedure_code).processing_time.describe()
        except NotFoundError:
            return ""

    @official
    def receipt_pdf(self, d: Dossier) -> bytes:
        """Mẫu 01 in two copies (Liên 1 kept, Liên 2 for the citizen)."""
        return mau01_receipt(d, self._form_context(), self._time_text(d), copies=self.ctx.settings.printer.copies_a4)

    @official
    def receipt_thermal_bytes(self, d: Dossier) -> bytes:
        img = render_receipt_image(d, self._form_context(), self.ctx.settings.printer.width_px)
        return escpos_raster_bytes(img)

    @official
    def print_thermal(self, d: Dossier, reprint: bool = False) -> None:
        """Send the receipt to the configured printer; raises PrinterError with a clear message."""
        if self.ctx.printer is None:
            raise PrinterError(tr("Chưa cấu hình máy in biên nhận (mục [printer] trong cấu hình)"))
        img = render_receipt_image(d, self._form_context(), self.ctx.settings.printer.width_px)
        self.ctx.printer.print_image(img)
        with self.ctx.store.write() as db:
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action="reprint_receipt" if reprint else "print_receipt",
                entity=d.code,
                at=self.ctx.clock(),
            )

    @official
    def supplement_pdf(self, d: Dossier, items: list[str], reason: str, contact: str = "") -> bytes:
        return mau02_supplement(d, self._form_context(), items, reason, contact)

    @official
    def refusal_pdf(self, d: Dossier, reason: str) -> bytes:
        return mau03_refusal(d, self._form_context(), reason)

    @official
    def apology_pdf(self, d: Dossier, reason: str, new_due: datetime) -> bytes:
        return mau04_apology(d, self._form_context(), reason, new_due)

    @official
    def control_sheet_pdf(self, d: Dossier) -> bytes:
        return mau05_control_sheet(d, self._form_context())

    @official
    def tracking_book_pdf(self, start: date, end: date) -> bytes:
        dossiers = repo.list_between(self.ctx.store.read(), start, end)
        return mau06_tracking_book(dossiers, start, end, self._form_context())

    def save(self, data: bytes, name: str) -> Path:
        """Write a document under the data folder's ``out/`` and return its path (for "open" and reprint)."""
        self.ctx.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.ctx.out_dir / name
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path
