"""Nothing personal in the logs: a day's work at DEBUG, and what the filter masks when something slips through."""

from __future__ import annotations

import logging

import pytest

from motcua.services import log_privacy
from motcua.services.printing import PrintingService
from motcua.services.reception import ReceptionService
from privacy.helpers import EMAIL, ID_NUMBER, NAME, PHONE, receive, sync_with_centre

PERSONAL = (ID_NUMBER, PHONE, NAME, EMAIL, "051 084 009 698", "Đặng", "Dang Hong Bao", "dang hong bao")


@pytest.fixture(autouse=True)
def _masked() -> None:
    log_privacy.install()


def test_receive_sync_and_print_at_debug_log_nothing_personal(ctx, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("motcua").debug("debug logging reaches the capture")
    d = receive(ctx)
    sync_with_centre(ctx)
    svc = ReceptionService(ctx)
    assert [x.code for x in svc.search(ID_NUMBER)] == [d.code]
    assert [x.code for x in svc.search(NAME)] == [d.code]
    printing = PrintingService(ctx)
    printing.save(printing.receipt_pdf(d), f"{d.code}-mau01.pdf")
    printing.receipt_thermal_bytes(d)
    printing.print_receipt(d) if hasattr(printing, "print_receipt") else None
    assert any(r.name.startswith("motcua") for r in caplog.records)
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for personal in PERSONAL:
        assert personal not in logged, personal


def test_what_slips_through_is_masked(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("motcua.some.module")
    log.info("applicant %s phone %s mail %s", ID_NUMBER, "+84 912 345 678", EMAIL)
    try:
        raise ValueError(f"bad id {ID_NUMBER} or phone 0912.345.678")
    except ValueError:
        log.exception("while saving")
    text = caplog.text
    assert ID_NUMBER not in text and "912 345 678" not in text and "345.678" not in text and EMAIL not in text
    assert text.count("[id]") >= 2 and text.count("[phone]") >= 2 and "[email]" in text


@pytest.mark.parametrize(
    "kept",
    [
        "000.25.38.H38-261123-0001",  # a dossier code
        "2026-11-23 09:30:00",
        "sha 5f1c0e0123456789ab",
        "pushed 12 events (123456 bytes) in 0.25s",
        "3f2a0c1e-9b1d-4c2e-8a7f-0b1c2d3e4f5a",
    ],
)
def test_what_is_not_personal_is_kept(kept: str) -> None:
    assert log_privacy.mask(kept) == kept
