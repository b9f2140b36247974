"""What an operation changed, so that each window can decide what to refresh."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    dossiers: bool = False
    catalog: bool = False
    outbox: bool = False
    printers: bool = False
