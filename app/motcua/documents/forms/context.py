"""What every form needs besides the dossier: who issues it, who prints it, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.config import CentreSettings


@dataclass(frozen=True, slots=True)
class FormContext:
    """The issuing centre, the clerk at the counter and the time of printing.

    Attributes:
        centre: the centre's settings (names for the header, place for the date line, tracking URL).
        clerk: the clerk's full name, printed under the receiving officer's signature.
        printed_at: when the document is issued; dates the forms other than the receipt.
    """

    centre: CentreSettings
    clerk: str
    printed_at: datetime
