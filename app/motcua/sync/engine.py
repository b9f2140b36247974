"""The sync engine of a node with a node above it (a workstation → its centre, a centre → the province).

One round (:meth:`SyncEngine.run_once`): send the files the waiting events need, push the events oldest first in
batches sized to the link, pull what changed above after our cursor and adopt it, fetch the files we are missing,
check the catalog, and ask about events sent long ago that have not come back confirmed. Every step commits what
it learnt before the next network call, so a kill -9 at any point loses nothing and repeats nothing harmful.

The engine never waits or retries by itself: :class:`motcua.sync.runner.SyncRunner` calls it, backs off when the
link is down (:class:`~motcua.sync.upstream.LinkDown`) and tries again at once when it comes back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from motcua.domain.errors import MotcuaError
from motcua.domain.sync_envelope import ATTACHMENT, parse_envelope
from motcua.i18n import tr
from motcua.store import audit_chain, outbox, replica_peers
from motcua.store.replica import Replica
from motcua.store.replica_docs import DocumentStore
from motcua.store.sql import Database
from motcua.sync.upstream import LinkDown, OffsetConflict, Upstream

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
CHUNK = 256 * 1024
PARALLEL_UPLOADS = 6
MIN_BATCH_BYTES = 16 * 1024
MAX_BATCH_BYTES = 2 * 1024 * 1024
TARGET_BATCH_S = 4.0  # a batch should take about this long on the link: big on a LAN, small on a weak WAN
UNCONFIRMED_AFTER = timedelta(minutes=2)
AUDIT_BATCH = 500  # audit entries per request (a few hundred bytes each) …
AUDIT_BATCH_BYTES = 1024 * 1024  # … and their details at most this many bytes together

CURSOR = "pull.cursor"
CATALOG_ETAG = "catalog.etag"
CATALOG_ERROR = "catalog.error"
LAST_SUCCESS = "sync.last_success"
LAST_ATTEMPT = "sync.last_attempt"
LAST_ERROR = "sync.last_error"


@dataclass
class Report:
    """What one round did (counts add up over rounds in :class:`~motcua.sync.runner.SyncRunner`)."""

    pushed: int = 0
    stored: int = 0
    duplicates: int = 0
    refused: int = 0  # conflicts, gaps, missing files, rejections: answered but not stored
    parked: int = 0
    resent: int = 0
    pulled: int = 0
    changed: int = 0
    new_events: int = 0
    uploaded: int = 0
    downloaded: int = 0
    catalog: bool = False
    catalog_error: str = ""
    pull_errors: list[str] = field(default_factory=list)
    audit_sent: int = 0  # audit entries the node above now holds (stored or already there)
    audit_refused: int = 0

    def add(self, other: Report) -> None:
        for name in (
            "pushed", "stored", "duplicates", "refused", "parked", "resent", "pulled", "changed", "new_events",
            "uploaded", "downloaded", "audit_sent", "audit_refused",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.catalog = self.catalog or other.catalog
        self.pull_errors += other.pull_errors

    @property
    def moved(self) -> bool:
        return bool(
            self.pushed or self.changed or self.new_events or self.uploaded or self.downloaded or self.audit_sent
        )


class SyncEngine:
    """Moves one node's changes up and its upstream's changes down.

    Args:
        db: this node's database (SQLite: a workstation or a centre).
        replica: this node's replica (``origin``, and the hook that refreshes a workstation's own tables).
        docs: this node's files.
        upstream: the node above.
        clock: "now".
        fetch_documents: which files named by pulled events to fetch: "all", "foreign" (dossiers received at
            another unit: the ones this node must handle without having seen the papers) or "none".
        own_agency: this node's agency id (what "foreign" is measured against).
        on_catalog: applies a new catalog (JSON text) all or nothing; raises to refuse it (the ETag is then
            not remembered, so it is fetched again).
        on_changed: called after a pull changed dossiers here (a centre tells its workstations).
        on_published: for each name published above (``calendar``, ``accounts``), what adopts a new version (all
            or nothing, like the catalog).
        pushers: more to send up each round, after the events and before the pull (a workstation's changed
            accounts, so that the pull brings them back rather than overwriting them).
    """

    def __init__(
        self,
        db: Database,
        replica: Replica,
        docs: DocumentStore,
        upstream: Upstream,
        clock: Clock,
        *,
        fetch_documents: str = "foreign",
        own_agency: str = "",
        on_catalog: Callable[[str], object] | None = None,
        on_changed: Callable[[], None] | None = None,
        on_published: dict[str, Callable[[str], object]] | None = None,
        pushers: Sequence[Callable[[Upstream], object]] = (),
        page_size: int = 200,
    ) -> None:
        self.db = db
        self.replica = replica
        self.docs = docs
        self.upstream = upstream
        self.clock = clock
        self.fetch_documents = fetch_documents
        self.own_agency = own_agency
        self.on_catalog = on_catalog
        self.on_changed = on_changed
        self.on_published = on_published or {}
        self.pushers = tuple(pushers)
        self.page_size = page_size
        self.batch_bytes = 64 * 1024
        self.report = Report()

    # -- a whole round ---------------------------------------------------------------------------------------
    def run_once(self) -> Report:
        """One round; raises :class:`LinkDown` (after saving what was done) when the link fails midway."""
        report = Report()
        self.report = report  # what this round has done so far, even if it ends in LinkDown
        self._note(LAST_ATTEMPT, self.clock().isoformat(sep=" "))
        try:
            self.push(report)
            self.push_audit(report)
            for push_more in self.pushers:  # what else goes up before the pull (accounts changed here)
                push_more(self.upstream)
            self.pull(report)
            self.download(report)
            self.sync_catalog(report)
            self.sync_published(report)
            self.reconcile(report)
        except LinkDown as exc:
            self._note(LAST_ERROR, str(exc)[:300])
            raise
        self._note(LAST_SUCCESS, self.clock().isoformat(sep=" "))
        self._note(LAST_ERROR, "")
        return report

    def _note(self, name: str, value: str) -> None:
        with self.db.write() as sql:
            replica_peers.set_state(sql, name, value)

    # -- up ----------------------------------------------------------------------------------------------------
    def push(self, report: Report) -> None:
        """Push until nothing is due (items that were asked to wait sit out their back-off)."""
        while True:
            with self.db.read() as sql:
                items = outbox.due_items(sql, self.clock(), 500)
            batch: list[outbox.OutboxItem] = []
            size = 0
            for item in items:
                # A batch's cost on the link is its events and the files they bring: on a slow link a batch of
                # scans stays small, so that events keep arriving rather than waiting behind a hundred files.
                cost = len(item.payload) + self._file_bytes(item)
                if batch and size + cost > self.batch_bytes:
                    break
                batch.append(item)
                size += cost
            if not batch:
                return
            started = time.monotonic()
            ready = self._send_files(batch, report)
            if not ready:
                continue
            results = self.upstream.push([i.payload.decode("utf-8") for i in ready])
            took = time.monotonic() - started
            self._adapt(size, took)
            self._record(ready, results, report)
            log.debug("pushed %d events (%d bytes with their files) in %.2fs; next batch %d bytes", len(ready), size,
                      took, self.batch_bytes)  # fmt: skip

    def push_audit(self, report: Report) -> None:
        """Push the audit entries the node above does not have, each origin's in number order, after the events.

        Per origin, the last entry the node above holds is remembered in the same transaction as its answer; an
        origin whose entry is refused (a broken chain, not ours to send) waits for the next round, the others go on.
        """
        send = getattr(self.upstream, "push_audit", None)
        if send is None:  # an upstream that does not take audit entries (a test double)
            return
        stalled: set[str] = set()
        while True:
            with self.db.read() as sql:
                batch = audit_chain.pending(sql, AUDIT_BATCH, skip=stalled)
            size, cut = 0, len(batch)
            for i, e in enumerate(batch):
                size += len(e.detail) + 300
                if i and size > AUDIT_BATCH_BYTES:
                    cut = i
                    break
            batch = batch[:cut]
            if not batch:
                return
            results = send([e.to_json() for e in batch])
            if results is None:  # a node above that does not take audit entries yet (an older version)
                return
            if len(results) != len(batch):
                raise LinkDown(f"{self.upstream.label}: {len(results)} results for {len(batch)} audit entries")
            with self.db.write() as sql:
                rewound: set[str] = set()
                for entry, res in zip(batch, results, strict=True):
                    if entry.origin in stalled or entry.origin in rewound:
                        continue
                    kind = res.get("result")
                    if kind in ("stored", "duplicate") and entry.seq == audit_chain.sent_up_to(sql, entry.origin) + 1:
                        audit_chain.mark_sent(sql, entry.origin, entry.seq)
                        report.audit_sent += 1
                        continue
                    resend_from = res.get("resend_from")
                    if (
                        kind == "gap"
                        and isinstance(resend_from, int)
                        and 0 < resend_from <= audit_chain.sent_up_to(sql, entry.origin)
                    ):
                        # The node above lacks entries it had (a restored backup): send them again, this round.
                        audit_chain.mark_sent(sql, entry.origin, resend_from - 1)
                        rewound.add(entry.origin)
                        continue
                    stalled.add(entry.origin)
                    report.audit_refused += 1
                    message = f"{entry.origin} #{entry.seq}: {res.get('message') or kind}"
                    replica_peers.set_state(sql, audit_chain.LAST_ERROR, message[:300])
                    log.warning("audit entry refused upstream: %s", message)

    def _file_bytes(self, item: outbox.OutboxItem) -> int:
        if item.kind != ATTACHMENT:
            return 0
        try:
            docs = parse_envelope(item.payload.decode("utf-8")).documents
        except ValueError:
            return 0
        total = 0
        for sha in docs:
            path = self.docs.path(sha)
            total += path.stat().st_size if path.exists() else 0
        return total

    def _adapt(self, size: int, seconds: float) -> None:
        """Grow batches while a batch takes less than the target time, shrink them when it takes much longer.

        Multiplicative, not "bytes a second × target": on a long link each batch pays a few round trips whatever its
        size, so a rate measured per batch undervalues the link and would keep batches (and the files sent side by
        side in them) small forever.
        """
        if size < self.batch_bytes // 2 and seconds < TARGET_BATCH_S:
            return  # the queue ran short, not the link: this batch says nothing about the link
        if seconds < TARGET_BATCH_S / 2:
            factor = 2.0
        elif seconds < TARGET_BATCH_S:
            factor = 1.25
        elif seconds > 2 * TARGET_BATCH_S:
            factor = 0.5
        else:
            return
        self.batch_bytes = max(MIN_BATCH_BYTES, min(MAX_BATCH_BYTES, int(self.batch_bytes * factor)))

    def _record(self, items: list[outbox.OutboxItem], results: list[dict[str, object]], report: Report) -> None:
        now = self.clock()
        with self.db.write() as sql:
            for item, res in zip(items, results, strict=True):
                report.pushed += 1
                kind = res.get("result")
                message = str(res.get("message") or kind)
                if kind in ("stored", "duplicate"):
                    outbox.mark_sent(sql, item.id, now)
                    if kind == "stored":
                        report.stored += 1
                    else:
                        report.duplicates += 1
                    continue
                report.refused += 1
                if kind == "gap":
                    # The node above lacks what comes before: send that again, then this.
                    missing = [str(k) for k in res.get("missing") or [] if k]  # type: ignore[attr-defined]
                    report.resent += outbox.resend(sql, missing)
                    resend_from = res.get("resend_from")
                    if isinstance(resend_from, int) and item.origin:
                        report.resent += outbox.resend_origin(sql, item.origin, resend_from)
                    outbox.mark_failed(sql, item.id, tr("Chờ sự kiện đứng trước: {m}", m=message), now)
                elif kind == "missing_documents":
                    outbox.mark_failed(sql, item.id, tr("Chờ gửi tệp: {m}", m=message), now)
                else:  # conflict, forbidden, rejected: will never go as it is
                    outbox.park(sql, item.id, f"{kind}: {message}")
                    report.parked += 1

    def _send_files(self, batch: list[outbox.OutboxItem], report: Report) -> list[outbox.OutboxItem]:
        """Send the files the batch's events name, before the events; returns the events ready to push (an event
        whose file is missing here, or that is not an event at all, is parked with the reason)."""
        needs: dict[int, tuple[str, ...]] = {}
        for item in batch:
            try:
                needs[item.id] = parse_envelope(item.payload.decode("utf-8")).documents
            except ValueError as exc:
                with self.db.write() as sql:
                    outbox.park(sql, item.id, f"rejected: {exc}")
                report.parked += 1
        wanted = sorted({sha for docs in needs.values() for sha in docs})
        held = self.upstream.upload_states(wanted) if wanted else {}  # one question for the whole batch
        ready = []
        uploads: dict[str, int] = {}
        for item in batch:
            if item.id not in needs:
                continue
            missing = [sha for sha in needs[item.id] if not self.docs.path(sha).exists()]
            if missing:
                with self.db.write() as sql:
                    outbox.park(sql, item.id, tr("Không tìm thấy tệp {sha} trên máy này", sha=missing[0][:12]))
                report.parked += 1
                continue
            for sha in needs[item.id]:
                received, complete = held.get(sha, (0, False))
                if not complete:
                    uploads[sha] = received
            ready.append(item)
        # Several files at once: on a long link one file at a time waits a round trip per file, and a lost
        # segment stalls only its own connection.
        if len(uploads) == 1:
            report.uploaded += sum(self._upload(sha, self.docs.path(sha), got) for sha, got in uploads.items())
        elif uploads:
            with ThreadPoolExecutor(max_workers=PARALLEL_UPLOADS, thread_name_prefix="upload") as pool:
                futures = [pool.submit(self._upload, sha, self.docs.path(sha), got) for sha, got in uploads.items()]
                report.uploaded += sum(f.result() for f in futures)  # the first LinkDown is raised here
        return ready

    def _upload(self, sha: str, path: Path, received: int) -> bool:
        """Resumable: send the rest from ``received`` in chunks. True when bytes were sent."""
        total = path.stat().st_size
        complete = False
        sent = False
        with open(path, "rb") as fh:
            while not complete:
                fh.seek(received)
                chunk = fh.read(CHUNK)
                try:
                    received, complete = self.upstream.upload_chunk(sha, received, total, chunk)
                except OffsetConflict as exc:
                    received = exc.received  # someone (our own earlier try) got further: go on from there
                    continue
                sent = True
        return sent

    # -- down --------------------------------------------------------------------------------------------------
    def pull(self, report: Report) -> None:
        while True:
            with self.db.read() as sql:
                cursor = int(replica_peers.get_state(sql, CURSOR, "0") or 0)
            page = self.upstream.changes(cursor, self.page_size)
            now = self.clock()
            with self.db.write() as sql:
                applied = self.replica.apply_snapshots(sql, page.dossiers, now)
                # The cursor moves in the same transaction as what it covers: a crash repeats a page, never skips.
                replica_peers.set_state(sql, CURSOR, str(page.cursor))
            report.pulled += len(page.dossiers)
            report.changed += len(applied.changed)
            report.new_events += applied.new_events
            report.pull_errors += list(applied.errors)
            if applied.changed and self.on_changed is not None:
                self.on_changed()
            if not page.more:
                return

    def download(self, report: Report) -> None:
        if self.fetch_documents == "none":
            return
        with self.db.read() as sql:
            wanted = self.replica.missing_documents(
                sql, 200, foreign_to=self.own_agency if self.fetch_documents == "foreign" else None
            )
        for sha in wanted:
            try:
                self._download(sha)
            except FileNotFoundError:
                continue  # not above yet either (its event came down first); next round
            report.downloaded += 1

    def _download(self, sha: str) -> None:
        data = bytearray()
        size = None
        while size is None or len(data) < size:
            chunk, size = self.upstream.download(sha, len(data), 4 * CHUNK)
            if not chunk:
                break
            data += chunk
        # put_bytes verifies the SHA-256 before listing the file.
        self.docs.put_bytes(bytes(data), "up", self.clock())

    def sync_catalog(self, report: Report) -> None:
        if self.on_catalog is None:
            return
        with self.db.read() as sql:
            etag = replica_peers.get_state(sql, CATALOG_ETAG) or None
        found = self.upstream.catalog(etag)
        if found is None:
            return
        new_etag, body = found
        try:
            self.on_catalog(body)
        except (MotcuaError, ValueError) as exc:
            # A catalog that fails validation is not applied (all or nothing), and its ETag is not kept: the next
            # round fetches it again, by then perhaps corrected upstream. Syncing dossiers goes on meanwhile.
            log.warning("catalog %s refused: %s", new_etag[:12], exc)
            self._note(CATALOG_ERROR, f"{new_etag[:12]}: {exc}"[:300])
            report.catalog_error = str(exc)[:300]
            return
        with self.db.write() as sql:
            replica_peers.set_state(sql, CATALOG_ETAG, new_etag)
            replica_peers.set_state(sql, CATALOG_ERROR, "")
        report.catalog = True

    def published_etag(self, name: str) -> str:
        """The ETag of the version of ``name`` adopted here ("" when none has been)."""
        with self.db.read() as sql:
            return replica_peers.get_state(sql, f"published.{name}.etag") or ""

    def forget_published(self, name: str) -> None:
        """Fetch ``name`` whole at the next round (what was adopted of it here has been changed since)."""
        with self.db.write() as sql:
            replica_peers.set_state(sql, f"published.{name}.etag", "")

    def sync_published(self, report: Report) -> None:
        """Everything else the province publishes (the calendar), by ETag, each adopted all or nothing."""
        for name, adopt in self.on_published.items():
            key = f"published.{name}.etag"
            found = self.upstream.published(name, self.published_etag(name) or None)
            if found is None:
                continue
            new_etag, body = found
            try:
                adopt(body)
            except (MotcuaError, ValueError) as exc:
                log.warning("%s %s refused: %s", name, new_etag[:12], exc)
                self._note(f"published.{name}.error", f"{new_etag[:12]}: {exc}"[:300])
                continue
            with self.db.write() as sql:
                replica_peers.set_state(sql, key, new_etag)
                replica_peers.set_state(sql, f"published.{name}.error", "")

    def reconcile(self, report: Report) -> None:
        """Events sent a while ago and still not seen back: ask whether the node above has them; resend if not
        (it may have lost its last transactions in a power cut after answering)."""
        with self.db.read() as sql:
            keys = outbox.unconfirmed(sql, self.clock() - UNCONFIRMED_AFTER)
        if not keys:
            return
        have = self.upstream.known(keys)
        lost = [k for k in keys if k not in have]
        if lost:
            with self.db.write() as sql:
                report.resent += outbox.resend(sql, lost)
            log.warning("%d events sent earlier are missing upstream; sending them again", len(lost))
