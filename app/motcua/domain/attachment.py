"""A digitized document attached to one component of a dossier (Decision 766 counts a dossier as digitized
only when its components carry files)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Attachment:
    """One stored PDF on a dossier component.

    Attributes:
        dossier_code: the dossier it belongs to.
        component_code: the procedure component (TP1, TP2, …) it digitizes.
        sha256: hex SHA-256 of the file's bytes; the file is stored under this name.
        path: the file's path relative to the workstation's data folder.
        pages, mode, size: page count, "bw" / "grey" / "colour", bytes.
        reused_from: the attachment id this one re-uses (the citizen's earlier dossier), if any.
    """

    id: int
    dossier_code: str
    component_code: str
    sha256: str
    path: str
    pages: int
    mode: str
    size: int
    created_at: datetime
    created_by: str
    reused_from: int | None = None
    applicant_id_number: str = ""
    component_name: str = ""  # filled in for display from the dossier's components
