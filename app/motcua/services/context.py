"""The composition root of the non-UI app: settings, databases, calendar, lease source and printer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from motcua.config import Settings
from motcua.devices.printer import ReceiptPrinter, make_printer
from motcua.domain.accounts import Role, Session
from motcua.domain.calendar import CalendarOverrides, WorkingCalendar
from motcua.domain.codes import check_agency_id
from motcua.paths import data_dir
from motcua.services.leases import EmbeddedCentreLeases, LeaseSource
from motcua.services.sync_link import SyncLink
from motcua.store import audit
from motcua.store.db import Store
from motcua.store.permissions import secure_data_folder
from motcua.store.projection import adopt_legacy, project
from motcua.store.replica import Replica
from motcua.store.schema import migrate_centre, migrate_workstation

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class AppContext:
    """Everything a service needs, passed explicitly (no global registry).

    Attributes:
        settings: the validated settings.
        store: this workstation's own database (what the clerk saved is safe here, whatever the network does).
        leases: where blocks of dossier numbers come from.
        replica: this workstation's sync replica (every change becomes an event there, with its outbox item).
        calendar: working days and hours, with the admin overrides applied (built on first use: the announced
            days are parsed then, not by every command that opens the workstation).
        printer: the receipt printer, or None when none is configured.
        clock: "now" (tests pass a fixed clock).
    """

    settings: Settings
    store: Store
    leases: LeaseSource
    replica: Replica
    printer: ReceiptPrinter | None
    clock: Clock = system_clock
    out_dir: Path = field(default_factory=lambda: data_dir() / "out")
    sync_link: SyncLink | None = None  # set by the composition root once the runner is up
    # Who is signed in (the app's login screen). None: a command run by the PC's own account, which already
    # holds the data folder (readable by nobody else), acting with an administrator's rights.
    session: Session | None = None
    # Passwords held in memory only until the centre has taken the key their sign-in introduced for an account
    # made before accounts were signed (the proof that key's owner knows the password; see account_docs).
    account_proofs: dict[str, str] = field(default_factory=dict, repr=False)
    _owned: list[Store] = field(default_factory=list)
    _calendar: WorkingCalendar | None = field(default=None, repr=False)

    @property
    def calendar(self) -> WorkingCalendar:
        calendar = self._calendar
        if calendar is None:  # two threads may both build it: the same calendar, one of them kept
            calendar = self._calendar = build_calendar(self.settings, self.store)
        return calendar

    @calendar.setter
    def calendar(self, value: WorkingCalendar) -> None:
        self._calendar = value

    @property
    def clerk(self) -> str:
        """The name every change, print and status move is recorded under."""
        if self.session is not None:
            return self.session.full_name
        return self.settings.counter.clerk

    @property
    def role(self) -> Role:
        return self.session.role if self.session is not None else Role.ADMIN

    @property
    def station_id(self) -> str:
        return self.settings.counter.station_id

    @property
    def agency_id(self) -> str:
        return self.settings.centre.agency_id

    @property
    def files_dir(self) -> Path:
        """The workstation's data folder (digitized files live under ``files/`` there)."""
        return self.store.path.parent

    def changed(self) -> None:
        """A change was saved: let the sync send it now rather than at its next round."""
        if self.sync_link is not None:
            self.sync_link.wake()

    def reload_calendar(self) -> None:
        self._calendar = build_calendar(self.settings, self.store)

    def close(self) -> None:
        closer = getattr(self.leases, "close", None)  # an HTTP lease source holds connections
        if callable(closer):
            closer()
        for s in self._owned:
            s.close()


def build_calendar(settings: Settings, store: Store) -> WorkingCalendar:
    """The statutory calendar, the government's announced swaps (shipped, then as the province publishes them), the
    settings' overrides, then the admin table (the table wins)."""
    from motcua.services.calendar_announcements import announced  # pydantic: only when a date is computed

    base = WorkingCalendar.from_settings(settings.calendar)
    off: set[date] = set()
    work: set[date] = set()
    labels: dict[date, str] = {}
    for a in announced(store).values():
        (off if a.kind == "off" else work).add(a.day)
        if a.label:
            labels[a.day] = a.label
    for d in base.overrides.days_off:
        off.add(d)
        work.discard(d)
    for d in base.overrides.working_days:
        work.add(d)
        off.discard(d)
    for day, kind, label in store.read().execute("SELECT day, kind, label FROM calendar_overrides").fetchall():
        overridden = date.fromisoformat(day)
        (off if kind == "off" else work).add(overridden)
        (work if kind == "off" else off).discard(overridden)
        if label:
            labels[overridden] = label
    return WorkingCalendar(
        base.hours,
        CalendarOverrides(frozenset(off), frozenset(work), tuple(sorted(labels.items()))),
        settings.calendar.country,
        settings.calendar.same_day_cutoff,
    )


def workstation_replica(settings: Settings, base: Path) -> Replica:
    """This workstation's replica: its own origin, files beside the database, and its tables kept in step."""
    origin = f"{check_agency_id(settings.centre.agency_id)}/{settings.counter.station_id}"
    return Replica(origin=origin, documents_dir=base, on_view=project)


def open_context(
    settings: Settings,
    directory: Path | None = None,
    clock: Clock = system_clock,
    printer: ReceiptPrinter | None = None,
    leases: LeaseSource | None = None,
) -> AppContext:
    """Open (and migrate) the workstation database and, for a one-PC centre, the embedded centre database."""
    base = directory or (Path(settings.data_dir) if settings.data_dir else data_dir())
    secure_data_folder(base)  # personal data: this account only, whatever an older version or a copy left
    store = Store(base / "workstation.sqlite", migrate_workstation)
    owned = [store]
    if leases is None:
        centre = Store(base / "centre.sqlite", migrate_centre)
        owned.append(centre)
        leases = EmbeddedCentreLeases(centre)
    replica = workstation_replica(settings, base)
    with store.write() as db:
        adopt_legacy(db, replica, clock())
        audit.claim(db, replica.origin)  # the audit log's entries are chained under this workstation's origin
    WorkingCalendar.from_settings(settings.calendar)  # bad calendar settings are refused now, not at the first date
    return AppContext(
        settings=settings,
        store=store,
        leases=leases,
        replica=replica,
        printer=printer if printer is not None else make_printer(settings.printer),
        clock=clock,
        out_dir=base / "out",
        _owned=owned,
    )
