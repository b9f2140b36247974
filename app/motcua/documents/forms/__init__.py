"""The standard forms of the one-stop counter (TT 01/2018/TT-VPCP numbering) as A4 PDFs.

Every function returns the PDF bytes: fonts embedded as subsets (so the Vietnamese text extracts exactly),
title and author set, A4 with the margins of an official document.

The forms are loaded when first asked for (``from motcua.documents.forms import mau01_receipt`` still works):
they bring reportlab, which a command or a window that prints nothing should not wait for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from motcua.documents.forms.apology import mau04_apology
    from motcua.documents.forms.context import FormContext
    from motcua.documents.forms.control_sheet import mau05_control_sheet
    from motcua.documents.forms.receipt import mau01_receipt
    from motcua.documents.forms.refusal import mau03_refusal
    from motcua.documents.forms.supplement import mau02_supplement
    from motcua.documents.forms.tracking_book import mau06_tracking_book

_HOMES = {
    "FormContext": "context",
    "mau01_receipt": "receipt",
    "mau02_supplement": "supplement",
    "mau03_refusal": "refusal",
    "mau04_apology": "apology",
    "mau05_control_sheet": "control_sheet",
    "mau06_tracking_book": "tracking_book",
}

__all__ = [
    "FormContext",
    "mau01_receipt",
    "mau02_supplement",
    "mau03_refusal",
    "mau04_apology",
    "mau05_control_sheet",
    "mau06_tracking_book",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
