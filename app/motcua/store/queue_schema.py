"""The citizen queue's tables on the centre database: a migration set of its own, "motcua.queue".

Every rule that must never break is a constraint here, not a check in Python:

- ``UNIQUE (centre, business_day, service, number)``: no two tickets with the same number on one day;
- a partial unique index: at most one ticket is called or served at a counter at a time;
- ``queue_requests.key`` is the primary key: a retried request (same idempotency key) is answered from the
  stored result instead of being carried out twice;
- ``queue_events.seq`` is AUTOINCREMENT: it only grows, never reused, even across restarts and deletions;
- ``queue_head`` (0005) keeps each centre's latest sequence, kept by a trigger on every event, so the number survives
  the archiving of closed days' events and is read in one lookup however many events the centre recorded;
- a partial unique index on ``queue_ratings.ticket_id``: one rating per ticket, whatever the pads send.

Append-only, like ``schema.py``: add the next number, never edit a migration that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.store.schema import migrate_centre

queue = Migrations("motcua.queue")

STATES = "'waiting', 'called', 'serving', 'done', 'no_show', 'transferred', 'cancelled'"
ROLES = "'kiosk', 'counter', 'display', 'admin'"  # as shipped in 0001 (never edit it: 0001 must stay what ran)
ROLES_0002 = ROLES + ", 'rating'"
LEVELS = "'very_satisfied', 'satisfied', 'dissatisfied'"  # motcua.domain.reports.facts.RatingLevel
HEALTH_ROLES = "'kiosk', 'display', 'rating', 'counter'"  # motcua.domain.device_health.DeviceRole (as in 0003)
PAPER_STATES = "'ok', 'low', 'out', 'offline', 'unknown', 'none'"  # motcua.domain.device_health.PaperState


@queue(name="0001_queue")
def _q0001_queue(db: Database) -> None:
    db.execute(
        f"""CREATE TABLE queue_tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            centre TEXT NOT NULL,
            business_day TEXT NOT NULL,
            service TEXT NOT NULL,
            number INTEGER NOT NULL CHECK (number >= 1),
            display TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority_group TEXT,
            state TEXT NOT NULL CHECK (state IN ({STATES})),
            issued_at TEXT NOT NULL,
            kiosk TEXT NOT NULL,
            counter INTEGER,
            target_counter INTEGER,
            called_at TEXT,
            started_at TEXT,
            finished_at TEXT,
            calls INTEGER NOT NULL DEFAULT 0,
            UNIQUE (centre, business_day, service, number)
        )"""
    )
    db.execute(
        "CREATE UNIQUE INDEX queue_one_active_per_counter ON queue_tickets(centre, counter) "
        "WHERE state IN ('called', 'serving')"
    )
    db.execute(
        "CREATE INDEX queue_callable ON queue_tickets(centre, business_day, queue, id) "
        "WHERE state IN ('waiting', 'transferred')"
    )
    db.execute("CREATE INDEX queue_done ON queue_tickets(centre, queue, finished_at) WHERE state = 'done'")
    db.execute(
        """CREATE TABLE queue_ticket_dossiers (
            ticket_id INTEGER NOT NULL REFERENCES queue_tickets(id),
            dossier_code TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            PRIMARY KEY (ticket_id, dossier_code)
        )"""
    )
    db.execute(
        """CREATE TABLE queue_counters (
            centre TEXT NOT NULL,
            number INTEGER NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            priority_streak INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (centre, number)
        )"""
    )
    db.execute(
        """CREATE TABLE queue_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            centre TEXT NOT NULL,
            at TEXT NOT NULL,
            business_day TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_id INTEGER,
            display TEXT,
            counter INTEGER,
            queue TEXT
        )"""
    )
    db.execute("CREATE INDEX queue_events_kind ON queue_events(centre, kind, seq)")
    db.execute(
        """CREATE TABLE queue_requests (
            key TEXT PRIMARY KEY,
            op TEXT NOT NULL,
            digest TEXT NOT NULL,
            result TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute(
        f"""CREATE TABLE device_tokens (
            token_sha256 TEXT PRIMARY KEY,
            device TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ({ROLES})),
            counter INTEGER,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )


@queue(name="0002_ratings_presence")
def _q0002_ratings_presence(db: Database) -> None:
    """Ratings, who is signed in at each counter, a counter's services for one day, and the rating pad's role."""
    db.execute(
        f"""CREATE TABLE queue_ratings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            centre TEXT NOT NULL,
            business_day TEXT NOT NULL,
            at TEXT NOT NULL,
            counter INTEGER NOT NULL,
            ticket_id INTEGER REFERENCES queue_tickets(id),
            service TEXT NOT NULL DEFAULT '',
            clerk TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL CHECK (level IN ({LEVELS})),
            reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
            dossiers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(dossiers) AND json_type(dossiers) = 'array')
        )"""
    )
    db.execute(
        "CREATE UNIQUE INDEX queue_one_rating_per_ticket ON queue_ratings(ticket_id) WHERE ticket_id IS NOT NULL"
    )
    db.execute("CREATE INDEX queue_ratings_day ON queue_ratings(centre, business_day)")
    # Presence: the username signed in at the counter and since when (NULL: nobody).
    db.execute("ALTER TABLE queue_counters ADD COLUMN clerk TEXT")
    db.execute("ALTER TABLE queue_counters ADD COLUMN clerk_since TEXT")
    # Who called (and then finished) a ticket: a rating made after the clerk signed out still names who served.
    db.execute("ALTER TABLE queue_tickets ADD COLUMN served_by TEXT")
    db.execute(
        """CREATE TABLE queue_assignments (
            centre TEXT NOT NULL,
            business_day TEXT NOT NULL,
            counter INTEGER NOT NULL,
            services TEXT NOT NULL CHECK (json_valid(services) AND json_type(services) = 'array'),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (centre, business_day, counter)
        )"""
    )
    _rebuild_device_tokens(db)


def _rebuild_device_tokens(db: Database) -> None:
    """Widen the role CHECK to the rating pad: SQLite cannot alter a CHECK, so the table is copied into a new one
    (rows and any index made on it since are kept; inside the migration's transaction, so all or nothing)."""
    indexes = [
        r[0]
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'device_tokens' AND sql IS NOT NULL"
        ).fetchall()
    ]
    db.execute(
        f"""CREATE TABLE device_tokens_0002 (
            token_sha256 TEXT PRIMARY KEY,
            device TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ({ROLES_0002})),
            counter INTEGER,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )
    db.execute(
        "INSERT INTO device_tokens_0002 (token_sha256, device, role, counter, created_at, revoked_at) "
        "SELECT token_sha256, device, role, counter, created_at, revoked_at FROM device_tokens"
    )
    db.execute("DROP TABLE device_tokens")
    db.execute("ALTER TABLE device_tokens_0002 RENAME TO device_tokens")
    for sql in indexes:
        db.execute(sql)


@queue(name="0003_device_health")
def _q0003_device_health(db: Database) -> None:
    """Each device's last report (kiosk, board, rating pad, counter PC): one row per device and role, overwritten by
    every report (an upsert: a heartbeat keeps no history and makes no queue event)."""
    db.execute(
        f"""CREATE TABLE device_health (
            centre TEXT NOT NULL,
            device TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ({HEALTH_ROLES})),
            counter INTEGER,
            last_seen TEXT NOT NULL,
            printer TEXT NOT NULL CHECK (printer IN ({PAPER_STATES})),
            version TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (centre, device, role)
        )"""
    )


@queue(name="0004_events_by_seq")
def _q0004_events_by_seq(db: Database) -> None:
    # "What changed since N" and the latest number, asked by every device every couple of seconds, read the end of
    # this index (O(log n)) instead of every event the centre ever recorded (the kind index put `kind` between).
    db.execute("CREATE INDEX queue_events_seq ON queue_events(centre, seq)")


@queue(name="0005_events_archive")
def _q0005_events_archive(db: Database) -> None:
    """Closed days' events move to ``queue_events_archive`` (motcua.store.queue_archive), so what every device polls
    stays one day long; ``queue_head`` remembers the latest sequence and how far events were archived (a client
    holding a sequence from before that gets a full snapshot instead of a gap)."""
    db.execute(
        """CREATE TABLE queue_head (
            centre TEXT PRIMARY KEY,
            seq INTEGER NOT NULL DEFAULT 0,
            archived_to INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("INSERT INTO queue_head (centre, seq) SELECT centre, MAX(seq) FROM queue_events GROUP BY centre")
    # A trigger rather than the repository's insert: any writer of an event (a script, an older build's code path)
    # keeps the head right, and the head never moves back (max) even if an event is inserted out of order.
    db.execute(
        """CREATE TRIGGER queue_head_follows_events AFTER INSERT ON queue_events BEGIN
            INSERT INTO queue_head (centre, seq) VALUES (NEW.centre, NEW.seq)
            ON CONFLICT (centre) DO UPDATE SET seq = max(seq, excluded.seq);
        END"""
    )
    db.execute(
        """CREATE TABLE queue_events_archive (
            seq INTEGER PRIMARY KEY,
            centre TEXT NOT NULL,
            at TEXT NOT NULL,
            business_day TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_id INTEGER,
            display TEXT,
            counter INTEGER,
            queue TEXT
        )"""
    )
    db.execute("CREATE INDEX queue_events_archive_day ON queue_events_archive(centre, business_day, seq)")
    # Covers "people ahead" and the waiting counts (both count the backlog on every ticket issued): read from the
    # index alone instead of one table row per waiting citizen.
    db.execute(
        "CREATE INDEX queue_waiting ON queue_tickets(centre, business_day, queue, target_counter, priority_group) "
        "WHERE state IN ('waiting', 'transferred')"
    )
    # Call-next looks for a ticket sent to this counter on every call: without it, a walk of the whole backlog.
    db.execute(
        "CREATE INDEX queue_targeted ON queue_tickets(centre, business_day, target_counter, id) "
        "WHERE state IN ('waiting', 'transferred') AND target_counter IS NOT NULL"
    )
    db.execute("CREATE INDEX queue_counters_paused ON queue_counters(centre, number) WHERE paused = 1")


@queue(name="0006_priority_waiting")
def _q0006_priority_waiting(db: Database) -> None:
    # Call-next asks for the oldest priority ticket of each of its queues. Through queue_callable that walked every
    # regular ticket waiting ahead of the first priority one, the whole backlog when none was waiting (one table row
    # each for the priority column): this index holds the waiting priority tickets alone, oldest first.
    db.execute(
        "CREATE INDEX queue_priority_waiting ON queue_tickets(centre, business_day, queue, id) "
        "WHERE state IN ('waiting', 'transferred') AND target_counter IS NULL AND priority_group IS NOT NULL"
    )


@queue(name="0007_admin_signatures")
def _q0007_admin_signatures(db: Database) -> None:
    # An administrator's signed request (services/admin_proof.py) is refused when its signature was seen before.
    # Kept here rather than in one process's memory: a centre served by several processes (server/workers.py), or
    # restarted within the few minutes a signature stays valid, must refuse the replay all the same.
    db.execute("CREATE TABLE admin_signatures (signature TEXT PRIMARY KEY, valid_until TEXT NOT NULL)")
    db.execute("CREATE INDEX admin_signatures_until ON admin_signatures(valid_until)")


def migrate_queue_centre(db: Database) -> None:
    """The centre database with the code leases and the queue: what the centre server opens."""
    migrate_centre(db)
    known = {m.name for m in queue._migrations}
    newer = [m.name for m in queue.applied(db) if m.name not in known]
    if newer:
        raise MotcuaError(
            tr("Cơ sở dữ liệu hàng đợi được tạo bởi phiên bản mới hơn của phần mềm; hãy cập nhật phần mềm.")
        )
    queue.apply(db)
