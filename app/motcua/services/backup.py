"""The daily backup of a data folder: made by itself at closing time (or ``[backup] at``), kept ``keep`` deep.

:class:`BackupService` answers :meth:`~BackupService.due` and does :meth:`~BackupService.run_if_due`; a day
missed because the PC was off at that time is made at the next check. :class:`BackupJob` checks once a minute on a
thread of its own: the desktop app runs one for its data folder (``motcua run``), and so does the centre server
(``motcua server``) for the centre database's. Two programs of one PC on one data folder make one backup: the
backup folder's lock lets one through, and the other then finds the backup made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from motcua import __version__
from motcua.config import Settings, clock_time
from motcua.i18n import tr
from motcua.services.periodic import PeriodicJob
from motcua.store import backup as store

log = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0
FIRST_CHECK_AFTER_S = 30.0


def default_folder(data_dir: Path) -> Path:
    """``<data folder>-backups`` beside the data folder: outside it, so a restore (which renames the data folder)
    leaves the backups where they are."""
    resolved = data_dir.resolve()
    return resolved.parent / f"{resolved.name}-backups"


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    removed: list[Path]


class BackupService:
    """Backups of one data folder, as ``[backup]`` of the settings says.

    Args:
        settings: the centre's settings (``[backup]``, and ``[reports] closing_time`` when ``at`` is empty).
        data_dir: the data folder to back up.
        folder: where the backups go (default ``[backup] folder``, else :func:`default_folder`).
    """

    def __init__(self, settings: Settings, data_dir: Path, folder: Path | None = None) -> None:
        self.settings = settings.backup
        self.data_dir = data_dir
        self.folder = folder or (Path(self.settings.folder) if self.settings.folder else default_folder(data_dir))
        self.at: time = clock_time(self.settings.at or settings.reports.closing_time)

    def backups(self) -> list[store.BackupInfo]:
        return store.list_backups(self.folder)

    def slot(self, now: datetime) -> datetime:
        """The latest scheduled time at or before ``now`` (today's if passed, else yesterday's)."""
        today = datetime.combine(now.date(), self.at)
        return today if now >= today else today - timedelta(days=1)

    def due(self, now: datetime) -> bool:
        """No backup made since the latest scheduled time (a missed day included)."""
        if not self.settings.enabled:
            return False
        newest = self.backups()
        return not newest or newest[0].created_at < self.slot(now)

    def run(self, now: datetime, keep: int | None = None) -> BackupResult:
        """Back up now, then keep the newest ``keep`` (default ``[backup] keep``).

        Raises:
            BackupError: another program is making a backup into the same folder right now.
        """
        with store.folder_lock(self.folder) as mine:
            if not mine:
                raise store.BackupError(
                    tr(
                        "Một chương trình khác đang sao lưu vào {folder}; hãy thử lại sau ít phút",
                        folder=str(self.folder),
                    )
                )
            return self._run(now, keep)

    def _run(self, now: datetime, keep: int | None = None) -> BackupResult:
        path = store.create_backup(self.data_dir, self.folder, now, __version__)
        removed = store.prune(self.folder, keep or self.settings.keep)
        log.info("backup %s made, %d old removed", path.name, len(removed))
        return BackupResult(path, removed)

    def run_if_due(self, now: datetime) -> BackupResult | None:
        """Back up when :meth:`due`; None when not due, or when another program is making it right now."""
        if not self.due(now):
            return None
        with store.folder_lock(self.folder) as mine:
            if not mine or not self.due(now):  # another program of this PC holds it, or made it meanwhile
                return None
            return self._run(now)


class BackupJob(PeriodicJob[BackupResult]):
    """:meth:`BackupService.run_if_due` once a minute on a thread of its own (never the GUI's), until stopped.

    A failed backup (a full or missing disk) is logged and tried again at the next check; it never stops the
    program it runs in. Usable as the centre server's background job (``start``/``stop``); ``stop`` lets a backup
    being made finish first (up to ten seconds; the partial folder of one cut short is removed at the next run).
    """

    def __init__(
        self,
        service: BackupService,
        clock: Callable[[], datetime] = datetime.now,
        every_s: float = CHECK_EVERY_S,
        first_after_s: float = FIRST_CHECK_AFTER_S,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self.service = service
        self.clock = clock
        super().__init__(
            lambda: service.run_if_due(self.clock()),
            f"backup of {service.data_dir}",
            every_s,
            first_after_s,
            enabled=lambda: service.settings.enabled,
            stop_timeout_s=10.0,
            on_error=on_error,
        )
