"""Each device's health as the centre last heard it: when it was last seen, its printer's paper, its version.

A kiosk, a board, a rating pad and a counter PC each report every :data:`REPORT_INTERVAL_S` seconds; the centre
keeps the last report per device and role, stamped with the centre's own clock (a device's clock may be wrong).
A device not heard for :data:`SILENT_AFTER_S` (three missed reports) is *silent*: switched off, frozen, or cut
from the network. Nothing here is personal: a device's name is the station's or the token's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

REPORT_INTERVAL_S = 60.0
SILENT_AFTER_S = 3 * REPORT_INTERVAL_S
MAX_DEVICE = 64  # a device's name, as the tokens' (store.device_tokens) and the stations' ids are
MAX_VERSION = 200  # motcua.version.BuildInfo.one_line() with room to spare


class DeviceRole(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    RATING = "rating"
    COUNTER = "counter"


class PaperState(StrEnum):
    """A receipt printer's paper as its status query answers (ESC/POS ``DLE EOT 4``).

    ``NONE``: the device has no printer (a board, a pad); ``UNKNOWN``: it has one that cannot tell (a printer
    written to as a file, or one that did not answer in time).
    """

    OK = "ok"
    LOW = "low"
    OUT = "out"
    OFFLINE = "offline"
    UNKNOWN = "unknown"
    NONE = "none"


def paper_from_status(status: int | None) -> PaperState:
    """python-escpos's ``paper_status()`` (2 plenty, 1 near the end, 0 none; None: no answer) as a state."""
    if status is None:
        return PaperState.UNKNOWN
    return {2: PaperState.OK, 1: PaperState.LOW, 0: PaperState.OUT}.get(status, PaperState.UNKNOWN)


@dataclass(frozen=True, slots=True)
class DeviceHealth:
    """One device (in one role) as the centre last heard it.

    Attributes:
        device: the device's name (a token's device over HTTP; ``K-Q01``, ``D-Q01``… on a one-PC centre).
        role: what it runs as; one PC running a kiosk and a board reports twice, once per role.
        last_seen: when the centre last heard it (the centre's clock).
        printer: its receipt printer's paper then.
        version: the app's build line (``motcua --version``).
        counter: the counter it belongs to (a rating pad, a counter PC), if any.
        seen_ago_s: seconds from ``last_seen`` to the centre's "now" when the list was read.
        silent: not heard for longer than the threshold the list was read with.
    """

    device: str
    role: DeviceRole
    last_seen: datetime
    printer: PaperState = PaperState.NONE
    version: str = ""
    counter: int | None = None
    seen_ago_s: float = 0.0
    silent: bool = False

    @property
    def short_version(self) -> str:
        """The version number alone ("1.4.2" of "MotCua Desk 1.4.2 (deb …; Python …)"): a device left behind at an
        older version stands out in a column of them."""
        words = self.version.removeprefix("MotCua Desk ").split()
        return words[0] if words else ""

    @property
    def printer_down(self) -> bool:
        """The printer cannot print: out of paper, or not answering."""
        return self.printer in (PaperState.OUT, PaperState.OFFLINE)


def seen(device: DeviceHealth, now: datetime, silent_after_s: float = SILENT_AFTER_S) -> DeviceHealth:
    """``device`` with its age at ``now`` and whether that makes it silent (more than ``silent_after_s``)."""
    ago = max((now - device.last_seen).total_seconds(), 0.0)
    return replace(device, seen_ago_s=ago, silent=ago > silent_after_s)
