"""The standard forms of the one-stop counter (TT 01/2018/TT-VPCP numbering) as A4 PDFs.

Every function returns the PDF bytes: fonts embedded as subsets (so the Vietnamese text extracts exactly),
title and author set, A4 with the margins of an official document.
"""

from __future__ import annotations

from motcua.documents.forms.apology import mau04_apology
from motcua.documents.forms.context import FormContext
from motcua.documents.forms.control_sheet import mau05_control_sheet
from motcua.documents.forms.receipt import mau01_receipt
from motcua.documents.forms.refusal import mau03_refusal
from motcua.documents.forms.supplement import mau02_supplement
from motcua.documents.forms.tracking_book import mau06_tracking_book

__all__ = [
    "FormContext",
    "mau01_receipt",
    "mau02_supplement",
    "mau03_refusal",
    "mau04_apology",
    "mau05_control_sheet",
    "mau06_tracking_book",
]
