"""Numbered, transactional schema migrations of a workstation database.

Migrations are append-only: never edit one that has shipped, add the next number. A database that has
applied a migration this build does not know was written by a newer app: it is refused, not guessed at.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from motcua.domain.audit_chain import GENESIS, entry_hash
from motcua.domain.errors import MotcuaError
from motcua.domain.text import fold
from motcua.i18n import tr
from motcua.store import replica_schema
from motcua.store.sql import SqliteSql

workstation = Migrations("motcua.workstation")


@workstation(name="0001_catalog")
def _m0001_catalog(db: Database) -> None:
    db.execute(
        """CREATE TABLE procedures (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_fold TEXT NOT NULL,
            sector TEXT NOT NULL,
            sector_fold TEXT NOT NULL,
            level TEXT NOT NULL,
            agency TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX procedures_sector ON procedures(sector_fold)")


@workstation(name="0002_dossiers")
def _m0002_dossiers(db: Database) -> None:
    db.execute(
        """CREATE TABLE dossiers (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            agency_id TEXT NOT NULL,
            day TEXT NOT NULL,
            seq INTEGER NOT NULL,
            procedure_code TEXT NOT NULL,
            procedure_name TEXT NOT NULL,
            applicant_kind TEXT NOT NULL,
            applicant_name TEXT NOT NULL,
            applicant_id_number TEXT NOT NULL DEFAULT '',
            applicant_phone TEXT NOT NULL DEFAULT '',
            applicant TEXT NOT NULL,
            channel TEXT NOT NULL,
            received_at TEXT NOT NULL,
            original_due_at TEXT,
            due_at TEXT,
            status INTEGER NOT NULL,
            sets INTEGER NOT NULL DEFAULT 1,
            components TEXT NOT NULL DEFAULT '[]',
            fee_vnd INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            result_delivery TEXT NOT NULL DEFAULT '',
            received_by TEXT NOT NULL,
            station_id TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (agency_id, day, seq)
        )"""
    )
    db.execute("CREATE INDEX dossiers_id_number ON dossiers(applicant_id_number)")
    db.execute("CREATE INDEX dossiers_phone ON dossiers(applicant_phone)")
    db.execute("CREATE INDEX dossiers_received ON dossiers(received_at)")
    db.execute("CREATE INDEX dossiers_status ON dossiers(status, due_at)")
    db.execute(
        """CREATE TABLE dossier_events (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
            seq INTEGER NOT NULL,
            action TEXT NOT NULL,
            status_after INTEGER NOT NULL,
            at TEXT NOT NULL,
            clerk TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            agency TEXT NOT NULL DEFAULT '',
            due_after TEXT,
            UNIQUE (dossier_id, seq)
        )"""
    )
    # Folded (diacritic-free) text of name, procedure, code, ID and phone; rowid = dossiers.id.
    db.execute("CREATE VIRTUAL TABLE dossier_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")


@workstation(name="0003_outbox_audit")
def _m0003_outbox_audit(db: Database) -> None:
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            entity TEXT NOT NULL,
            payload TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            parked INTEGER NOT NULL DEFAULT 0,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX outbox_pending ON outbox(sent_at, parked, next_attempt_at)")
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            station_id TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX audit_entity ON audit_log(entity)")


@workstation(name="0004_code_blocks_calendar")
def _m0004_code_blocks(db: Database) -> None:
    # Blocks of dossier numbers leased to this workstation in advance, so it can receive offline.
    db.execute(
        """CREATE TABLE code_blocks (
            id INTEGER PRIMARY KEY,
            agency_id TEXT NOT NULL,
            day TEXT NOT NULL,
            first INTEGER NOT NULL,
            last INTEGER NOT NULL,
            next INTEGER NOT NULL,
            leased_at TEXT NOT NULL,
            UNIQUE (agency_id, day, first),
            CHECK (first >= 1 AND last >= first AND next >= first AND next <= last + 1)
        )"""
    )
    db.execute(
        """CREATE TABLE calendar_overrides (
            day TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
            label TEXT NOT NULL DEFAULT ''
        )"""
    )


centre = Migrations("motcua.centre")


@centre(name="0001_code_leases")
def _c0001_code_leases(db: Database) -> None:
    # The centre hands out disjoint number ranges per (agency, day); the unique constraint and the
    # CHECK make an overlap impossible even if two requests race.
    db.execute(
        """CREATE TABLE code_leases (
            id INTEGER PRIMARY KEY,
            agency_id TEXT NOT NULL,
            day TEXT NOT NULL,
            first INTEGER NOT NULL,
            last INTEGER NOT NULL,
            station_id TEXT NOT NULL,
            leased_at TEXT NOT NULL,
            UNIQUE (agency_id, day, first),
            UNIQUE (agency_id, day, last),
            CHECK (last >= first)
        )"""
    )


def _apply(migrations: Migrations, db: Database) -> None:
    known = {m.name for m in migrations._migrations}
    newer = [m.name for m in migrations.applied(db) if m.name not in known]
    if newer:
        raise MotcuaError(
            tr(
                "Cơ sở dữ liệu {file} được tạo bởi phiên bản mới hơn của phần mềm; hãy cập nhật phần mềm.",
                file=str(db.conn.execute("PRAGMA database_list").fetchone()[2]),
            )
        )
    migrations.apply(db)


def _apply_replica(db: Database) -> None:
    """The sync replica's tables (their own migration set, shared with PostgreSQL), in one transaction."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        replica_schema.migrate(SqliteSql(db))
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def migrate_workstation(db: Database) -> None:
    _apply(workstation, db)
    _apply_replica(db)


def migrate_centre(db: Database) -> None:
    _apply(centre, db)
    _apply_replica(db)


@workstation(name="0005_attachments")
def _m0005_attachments(db: Database) -> None:
    # Digitized documents: the file lives under files/<sha[:2]>/<sha>.pdf (content-addressed, written before
    # this row); the same bytes on the same component of a dossier are one attachment.
    db.execute(
        """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
            component_code TEXT NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            path TEXT NOT NULL,
            pages INTEGER NOT NULL CHECK (pages >= 1),
            mode TEXT NOT NULL CHECK (mode IN ('bw', 'grey', 'colour')),
            bytes INTEGER NOT NULL CHECK (bytes > 0),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            reused_from INTEGER REFERENCES attachments(id),
            UNIQUE (dossier_id, component_code, sha256)
        )"""
    )
    # Reuse looks up a citizen's dossiers by ID number (dossiers_id_number), then their attachments.
    db.execute("CREATE INDEX attachments_dossier ON attachments(dossier_id, component_code)")
    db.execute("CREATE INDEX attachments_sha ON attachments(sha256)")


@workstation(name="0006_dossier_details")
def _m0006_dossier_details(db: Database) -> None:
    # What a dossier may carry beyond its first columns, as JSON: the place that decides the competent agency, the
    # person who submitted it when not its owner, its fees and the payment taken (rarely searched, always shown).
    db.execute("ALTER TABLE dossiers ADD COLUMN details TEXT NOT NULL DEFAULT '{}'")


@workstation(name="0007_search_indexes")
def _m0007_search_indexes(db: Database) -> None:
    # The procedure search keeps its index in memory. Triggers count every write to procedures, whichever process
    # or code path makes it, so a reader knows when to rebuild; the token tells one database's count from another's.
    db.execute(
        """CREATE TABLE catalog_revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            token TEXT NOT NULL,
            revision INTEGER NOT NULL
        )"""
    )
    db.execute("INSERT INTO catalog_revision (id, token, revision) VALUES (1, lower(hex(randomblob(8))), 0)")
    for event in ("insert", "update", "delete"):
        db.execute(
            f"""CREATE TRIGGER procedures_revision_{event} AFTER {event.upper()} ON procedures
                BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1; END"""
        )
    # Dossier search: the applicant's folded name indexed alone, so that a name query matches names only and not
    # the words of procedure names (dossier_fts keeps name, procedure, code and numbers together for the rest).
    # "whole" is the name without spaces, one token: an exact name is a single lookup even among a million
    # "Nguyễn …". A table of its own keeps its word lists short: "khai" is rare among names, common in dossier_fts.
    db.execute(
        "CREATE VIRTUAL TABLE dossier_name_fts USING fts5(name, whole, tokenize = 'unicode61 remove_diacritics 2', "
        "prefix = '2 3')"
    )
    cur = db.execute("SELECT id, applicant_name FROM dossiers ORDER BY id")
    while batch := cur.fetchmany(10_000):
        rows = [(dossier_id, fold(name), fold(name).replace(" ", "")) for dossier_id, name in batch]
        db.conn.executemany("INSERT INTO dossier_name_fts (rowid, name, whole) VALUES (?, ?, ?)", rows)


@workstation(name="0008_audit_chain")
def _m0008_audit_chain(db: Database) -> None:
    # The audit log becomes a hash chain per origin (domain/audit_chain.py): each entry numbered, carrying the hash
    # of the one before it and its own. audit_heads keeps each origin's last number and hash (the next entry links
    # to it; a removed last entry shows against it). The entries already here are chained in their order, under
    # the origin "" until the app, opening, gives them this workstation's (store/audit.py claim).
    for column in ("origin TEXT NOT NULL DEFAULT ''", "seq INTEGER", "prev_hash TEXT", "hash TEXT"):
        db.execute(f"ALTER TABLE audit_log ADD COLUMN {column}")
    db.execute("CREATE UNIQUE INDEX audit_chain ON audit_log(origin, seq)")
    db.execute("CREATE TABLE audit_heads (origin TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL)")
    prev, seq = GENESIS, 0
    rows = db.execute("SELECT id, at, actor, station_id, action, entity, detail FROM audit_log ORDER BY id").fetchall()
    for row_id, at, actor, station, action, entity, detail in rows:
        seq += 1
        h = entry_hash(seq=seq, at=at, actor=actor, station=station, action=action, entity=entity, detail=detail,
                       prev=prev)  # fmt: skip
        db.execute("UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?", [seq, prev, h, row_id])
        prev = h
    if seq:
        db.execute("INSERT INTO audit_heads (origin, seq, hash) VALUES ('', ?, ?)", [seq, prev])


@workstation(name="0009_accounts")
def _m0009_accounts(db: Database) -> None:
    # Clerk accounts: Argon2 verifiers only (password and quick-unlock PIN), never the secrets. A disabled account
    # stays, so that what it did keeps a name.
    db.execute(
        """CREATE TABLE accounts (
            username TEXT PRIMARY KEY,
            full_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
            active INTEGER NOT NULL DEFAULT 1,
            password_hash TEXT NOT NULL,
            pin_hash TEXT NOT NULL DEFAULT '',
            failed INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT NOT NULL DEFAULT '',
            dirty INTEGER NOT NULL DEFAULT 0,  -- changed here, not yet taken by the centre
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )


@workstation(name="0010_report_indexes")
def _m0010_report_indexes(db: Database) -> None:
    # The supervisor's dashboard reads, every few seconds, the dossiers still open and those changed today:
    # the first through dossiers_status, the second through this index (not a scan of every dossier held).
    db.execute("CREATE INDEX dossiers_updated ON dossiers(updated_at)")


@workstation(name="0011_report_settled")
def _m0011_report_settled(db: Database) -> None:
    # What each dossier's whole history says (its end, judgement, due date, holder), kept for the reports: a
    # year's periodic report then reads the history of the few dossiers it asks about before their last step, not
    # 400,000 events. ``stamp`` (updated_at and the last step's number) tells a row that is out of date; a stale or
    # missing row is recomputed from the events, never trusted.
    db.execute(
        """CREATE TABLE report_settled (
            dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
            stamp TEXT NOT NULL,
            last_at TEXT,
            status INTEGER NOT NULL,
            outcome TEXT,
            end_at TEXT,
            judgement TEXT,
            due_at TEXT,
            holder TEXT NOT NULL
        )"""
    )


@workstation(name="0012_account_keys")
def _m0012_account_keys(db: Database) -> None:
    # Signed account changes (services/account_keys.py): each account's public key, its private key sealed with
    # the password, the change's revision and signature. An account made before has none until its next sign-in.
    for column in ("public_key", "sealed_key", "signed_by", "signature"):
        db.execute(f"ALTER TABLE accounts ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE accounts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
