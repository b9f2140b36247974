"""The retention rule (``[retention]`` in centre.toml): closed dossiers' citizens erased from this workstation after
their period, digitized files deleted after a longer one, every run recorded in the audit log with counts only.

A run is one write transaction for the database (all of it or none), then the files; a file is deleted only after
the transaction that made it unneeded has committed, so a crash leaves at worst a file too many, never a dossier
pointing at a file its period did not yet allow to delete. Deleted rows' bytes are overwritten (SQLite
``secure_delete``), the full-text indexes merged so that old terms leave their segments, and the WAL truncated:
the old text is gone from the files, not merely unreachable.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from motcua.config import RETENTION_STATUSES
from motcua.domain.status import Status
from motcua.services.context import AppContext
from motcua.store import audit
from motcua.store import retention as repo

log = logging.getLogger(__name__)

STATUS_BY_NAME = {
    "returned": Status.RETURNED,
    "refused": Status.REFUSED,
    "withdrawn": Status.WITHDRAWN,
    "stopped": Status.STOPPED,
}
assert set(STATUS_BY_NAME) == set(RETENTION_STATUSES)


@dataclass
class RetentionReport:
    """What a run did (or, dry, would do): counts only, never who.

    Attributes:
        anonymised: dossiers whose applicant was erased, per status name.
        visits: visits (Mẫu 02 without a reception) whose citizen was erased.
        documents: digitized files deleted, and their bytes.
        out_files: printed forms' copies (``out/``) of those dossiers and visits deleted.
        waiting: dossiers and visits past their period kept because their changes have not reached the centre.
    """

    dry_run: bool
    anonymised: dict[str, int] = field(default_factory=dict)
    visits: int = 0
    documents: int = 0
    document_bytes: int = 0
    out_files: int = 0
    waiting: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RetentionService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def run(self, dry_run: bool = False) -> RetentionReport:
        """Apply the rule as of the context's clock."""
        rule = self.ctx.settings.retention
        now = self.ctx.clock()
        report = RetentionReport(dry_run=dry_run)
        named: list[str] = []  # dossier codes and visit ids whose printed copies go too
        files: list[tuple[str, str]] = []
        store = self.ctx.store
        with store.write() as db:
            if not dry_run:
                # Rows rewritten below leave their old bytes in free space unless SQLite zeroes them.
                db.execute("PRAGMA secure_delete = ON")
            for name, days in sorted(rule.anonymise_after_days.items()):
                if days <= 0:
                    continue
                due, waiting = repo.closed_before(db, int(STATUS_BY_NAME[name]), now - timedelta(days=days))
                report.anonymised[name] = len(due)
                report.waiting += waiting
                for dossier_id, code in due:
                    named.append(code)
                    if not dry_run:
                        repo.anonymise_dossier(db, dossier_id, code, now)
            if rule.visits_after_days > 0:
                keys, waiting = repo.visits_before(db, now - timedelta(days=rule.visits_after_days))
                report.visits = len(keys)
                report.waiting += waiting
                named += [
                    str(r[0])
                    for r in db.execute(
                        f"SELECT dossier FROM rep_events WHERE key IN ({','.join('?' * len(keys))})", keys
                    ).fetchall()
                ] if keys else []  # fmt: skip
                if not dry_run:
                    repo.anonymise_visits(db, keys)
            if rule.documents_after_days > 0:
                statuses = [int(s) for s in STATUS_BY_NAME.values()]
                files = repo.expired_documents(db, statuses, now - timedelta(days=rule.documents_after_days))
            base = self.ctx.files_dir
            present = [(sha, rel) for sha, rel in files if (base / rel).is_file()]
            report.documents = len(present)
            report.document_bytes = sum((base / rel).stat().st_size for _, rel in present)
            copies = self._printed_copies(named)
            report.out_files = len(copies)
            if not dry_run:
                audit.record(
                    db,
                    actor=self.ctx.clerk,
                    station_id=self.ctx.station_id,
                    action="retention",
                    entity="retention",
                    at=now,
                    **report.to_json(),
                )
                db.execute("PRAGMA secure_delete = OFF")
        if dry_run:
            return report
        for _, rel in present:
            with contextlib.suppress(FileNotFoundError):
                (base / rel).unlink()
        for path in copies:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._compact()
        log.info(
            "retention: %d dossiers and %d visits anonymised, %d files deleted, %d waiting to be sent",
            sum(report.anonymised.values()),
            report.visits,
            report.documents + report.out_files,
            report.waiting,
        )
        return report

    def _printed_copies(self, names: list[str]) -> list[Path]:
        """The PDFs kept in ``out/`` for these dossiers or visits (named ``<code>-<form>.pdf`` by the printing)."""
        out = self.ctx.out_dir
        if not names or not out.is_dir():
            return []
        wanted = set(names)
        lengths = {len(n) for n in wanted}

        def theirs(name: str) -> bool:
            return any(name[:n] in wanted and name[n : n + 1] in ("-", ".") for n in lengths)

        return sorted(p for p in out.iterdir() if p.is_file() and theirs(p.name))

    def _compact(self) -> None:
        """Merge the full-text indexes (an updated row's old terms stay in older segments until then) and truncate
        the WAL, which still holds the pages as they were before the run."""
        with self.ctx.store.write() as db:
            for table in ("dossier_fts", "dossier_name_fts"):
                db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        self.ctx.store.read().execute("PRAGMA wal_checkpoint(TRUNCATE)")
