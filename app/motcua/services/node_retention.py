"""The retention rule on a centre: its copy of closed dossiers' events loses the citizen once the province holds
them and the period of ``[retention]`` has passed, with an entry in the centre's own audit chain (counts only).

A centre with no province link is the only keeper of its dossiers' record (the archives law asks it be kept), so
nothing is erased there; neither is anything the province does not hold yet. ``RetentionJob`` runs the rule once
a day on the centre server, on a thread of its own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from motcua.config import RetentionSettings
from motcua.services.periodic import PeriodicJob
from motcua.services.retention import STATUS_BY_NAME
from motcua.services.sync_node import SyncNode
from motcua.store import audit_chain, replica_retention

log = logging.getLogger(__name__)

ACTOR = "retention"  # the audit entry's actor: the rule, not a person
DAY_S = 24 * 3600.0
FIRST_RUN_AFTER_S = 300.0  # let a restarted server settle (and its uplink catch up) first


@dataclass
class NodeRetentionReport:
    """What a run did (or, dry, would do): counts only, never who."""

    dry_run: bool
    anonymised: dict[str, int] = field(default_factory=dict)
    visits: int = 0
    events: int = 0
    waiting: int = 0
    skipped: str = ""  # why nothing was looked at (no province link)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class NodeRetention:
    """Args:
    node: the centre's sync node.
    rule: the centre's ``[retention]`` settings.
    has_uplink: whether the centre sends its events to a province (``[sync] province_url``).
    """

    def __init__(self, node: SyncNode, rule: RetentionSettings, has_uplink: bool) -> None:
        self.node = node
        self.rule = rule
        self.has_uplink = has_uplink

    def run(self, dry_run: bool = False) -> NodeRetentionReport:
        report = NodeRetentionReport(dry_run=dry_run)
        if not self.has_uplink:
            report.skipped = "no-province-link"
            return report
        now = self.node.clock()
        with self.node.db.write() as sql:
            if sql.dialect == "sqlite" and not dry_run:
                sql.execute("PRAGMA secure_delete = ON")  # the old text must not stay in free pages
            for name, days in sorted(self.rule.anonymise_after_days.items()):
                if days <= 0:
                    continue
                due, waiting = replica_retention.closed_before(
                    sql, int(STATUS_BY_NAME[name]), now - timedelta(days=days)
                )
                report.anonymised[name] = len(due)
                report.waiting += waiting
                if not dry_run:
                    for code in due:
                        report.events += replica_retention.anonymise_dossier(sql, code, now)
            if self.rule.visits_after_days > 0:
                keys, waiting = replica_retention.visits_before(sql, now - timedelta(days=self.rule.visits_after_days))
                report.visits = len(keys)
                report.waiting += waiting
                if not dry_run:
                    report.events += replica_retention.anonymise_visits(sql, keys)
            if not dry_run:
                detail = json.dumps(report.to_json(), ensure_ascii=False, sort_keys=True)
                audit_chain.record_node(
                    sql, self.node.replica.origin, actor=ACTOR, action="retention", entity="retention", at=now,
                    detail=detail,
                )  # fmt: skip
                if sql.dialect == "sqlite":
                    sql.execute("PRAGMA secure_delete = OFF")
        if not dry_run and sum(report.anonymised.values()) + report.visits:
            with self.node.db.read() as sql:
                if sql.dialect == "sqlite":  # the WAL still holds the pages as they were
                    sql.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info(
            "centre retention: %d dossiers and %d visits anonymised, %d waiting for the province",
            sum(report.anonymised.values()),
            report.visits,
            report.waiting,
        )
        return report


class RetentionJob(PeriodicJob[NodeRetentionReport]):
    """:meth:`NodeRetention.run` a few minutes after start, then once a day, until stopped (``start``/``stop``,
    as the centre server's background jobs are). A failure is logged and tried again the next day."""

    def __init__(
        self,
        retention: NodeRetention,
        every_s: float = DAY_S,
        first_after_s: float = FIRST_RUN_AFTER_S,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self.retention = retention
        super().__init__(
            retention.run,
            "centre retention",
            every_s,
            first_after_s,
            enabled=lambda: retention.has_uplink,
            on_error=on_error,
        )
