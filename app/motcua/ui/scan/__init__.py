"""The counter's scanning station (``ScanStation``) and a dossier's digitized documents (``AttachmentsList``)."""

from __future__ import annotations

from motcua.ui.scan.attachments import AttachmentsList
from motcua.ui.scan.station import ScanStation

__all__ = ["AttachmentsList", "ScanStation"]
