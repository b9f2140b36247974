PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE TABLE code_leases (
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
        );
CREATE TABLE rep_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE rep_events (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            origin_seq BIGINT NOT NULL,
            dossier TEXT NOT NULL,
            prev TEXT,
            kind TEXT NOT NULL,
            envelope TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            source TEXT NOT NULL,
            verdict TEXT NOT NULL DEFAULT 'applied' CHECK (verdict IN ('applied', 'conflict')),
            pos BIGINT NOT NULL DEFAULT 0,
            up_pos BIGINT,
            up_verdict TEXT,
            arrived_at TEXT NOT NULL,
            settled_by TEXT,
            at_root BIGINT NOT NULL DEFAULT 0,
            UNIQUE (origin, origin_seq)
        );
CREATE TABLE rep_dossiers (
            code TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            received_key TEXT,
            status BIGINT,
            due_at TEXT,
            version BIGINT NOT NULL DEFAULT 0,
            up_version BIGINT,
            conflicts BIGINT NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
CREATE TABLE rep_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, holder TEXT NOT NULL, dossier TEXT NOT NULL);
CREATE TABLE rep_holders (
            dossier TEXT NOT NULL,
            holder TEXT NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (dossier, holder)
        );
CREATE TABLE rep_event_documents (
            event_key TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (event_key, sha256)
        );
CREATE TABLE rep_origins (origin TEXT PRIMARY KEY, high_water BIGINT NOT NULL);
CREATE TABLE rep_documents (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            size BIGINT NOT NULL CHECK (size >= 0),
            source TEXT NOT NULL,
            stored_at TEXT NOT NULL
        );
CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                entity TEXT NOT NULL,
                payload TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                created_at TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at TEXT,
                last_error TEXT NOT NULL DEFAULT '',
                parked BIGINT NOT NULL DEFAULT 0,
                sent_at TEXT
            , origin TEXT, origin_seq BIGINT, confirmed_at TEXT);
CREATE TABLE rep_peers (
            peer TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            token_sha256 TEXT NOT NULL UNIQUE,
            agencies TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
CREATE TABLE rep_catalog (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            etag TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
CREATE TABLE rep_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE dvc_records (
            id INTEGER PRIMARY KEY,
            madonvi TEXT NOT NULL,
            service TEXT NOT NULL,
            ma_ho_so TEXT NOT NULL,
            updating BIGINT NOT NULL,
            record TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
CREATE TABLE rep_published (
            name TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
CREATE TABLE queue_tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            centre TEXT NOT NULL,
            business_day TEXT NOT NULL,
            service TEXT NOT NULL,
            number INTEGER NOT NULL CHECK (number >= 1),
            display TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority_group TEXT,
            state TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred', 'cancelled')),
            issued_at TEXT NOT NULL,
            kiosk TEXT NOT NULL,
            counter INTEGER,
            target_counter INTEGER,
            called_at TEXT,
            started_at TEXT,
            finished_at TEXT,
            calls INTEGER NOT NULL DEFAULT 0,
            UNIQUE (centre, business_day, service, number)
        );
CREATE TABLE queue_ticket_dossiers (
            ticket_id INTEGER NOT NULL REFERENCES queue_tickets(id),
            dossier_code TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            PRIMARY KEY (ticket_id, dossier_code)
        );
CREATE TABLE queue_counters (
            centre TEXT NOT NULL,
            number INTEGER NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            priority_streak INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (centre, number)
        );
CREATE TABLE queue_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            centre TEXT NOT NULL,
            at TEXT NOT NULL,
            business_day TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_id INTEGER,
            display TEXT,
            counter INTEGER,
            queue TEXT
        );
CREATE TABLE queue_requests (
            key TEXT PRIMARY KEY,
            op TEXT NOT NULL,
            digest TEXT NOT NULL,
            result TEXT NOT NULL,
            at TEXT NOT NULL
        );
CREATE TABLE device_tokens (
            token_sha256 TEXT PRIMARY KEY,
            device TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('kiosk', 'counter', 'display', 'admin')),
            counter INTEGER,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (1, 'motcua.centre', '0001_code_leases', '2026-12-02 00:06:21.295398+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (2, 'motcua.queue', '0001_queue', '2026-12-02 00:06:21.669612+00:00');
INSERT INTO "code_leases" ("id", "agency_id", "day", "first", "last", "station_id", "leased_at") VALUES (1, '000.25.38.H38', '2026-11-23', 1, 100, 'Q01', '2026-11-23 08:28:00');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0001_replica', '2026-12-02 00:06:21');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0002_dvc_records', '2026-12-02 00:06:21');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0003_published', '2026-12-02 00:06:21');
INSERT INTO "queue_tickets" ("id", "uid", "centre", "business_day", "service", "number", "display", "queue", "priority_group", "state", "issued_at", "kiosk", "counter", "target_counter", "called_at", "started_at", "finished_at", "calls") VALUES (1, 'T0001', 'C1', '2026-11-23', 'HT', 1, 'HT001', 'HT', NULL, 'done', '2026-11-23T08:01:00', 'K1', 1, NULL, '2026-11-23T08:11:00', '2026-11-23T08:21:00', '2026-11-23T08:31:00', 1);
INSERT INTO "queue_tickets" ("id", "uid", "centre", "business_day", "service", "number", "display", "queue", "priority_group", "state", "issued_at", "kiosk", "counter", "target_counter", "called_at", "started_at", "finished_at", "calls") VALUES (2, 'T0002', 'C1', '2026-11-23', 'HT', 2, 'HT002', 'HT', NULL, 'done', '2026-11-23T08:02:00', 'K1', 1, NULL, '2026-11-23T08:12:00', '2026-11-23T08:22:00', '2026-11-23T08:32:00', 1);
INSERT INTO "queue_tickets" ("id", "uid", "centre", "business_day", "service", "number", "display", "queue", "priority_group", "state", "issued_at", "kiosk", "counter", "target_counter", "called_at", "started_at", "finished_at", "calls") VALUES (3, 'T0003', 'C1', '2026-11-23', 'HT', 3, 'HT003', 'HT', NULL, 'serving', '2026-11-23T08:03:00', 'K1', 3, NULL, '2026-11-23T08:13:00', '2026-11-23T08:23:00', NULL, 1);
INSERT INTO "queue_tickets" ("id", "uid", "centre", "business_day", "service", "number", "display", "queue", "priority_group", "state", "issued_at", "kiosk", "counter", "target_counter", "called_at", "started_at", "finished_at", "calls") VALUES (4, 'T0004', 'C1', '2026-11-23', 'HT', 4, 'HT004', 'HT', NULL, 'called', '2026-11-23T08:04:00', 'K1', 4, NULL, '2026-11-23T08:14:00', NULL, NULL, 1);
INSERT INTO "queue_tickets" ("id", "uid", "centre", "business_day", "service", "number", "display", "queue", "priority_group", "state", "issued_at", "kiosk", "counter", "target_counter", "called_at", "started_at", "finished_at", "calls") VALUES (5, 'T0005', 'C1', '2026-11-23', 'HT', 5, 'HT005', 'HT', NULL, 'waiting', '2026-11-23T08:05:00', 'K1', NULL, NULL, NULL, NULL, NULL, 0);
INSERT INTO "queue_tickets" ("id", "uid", "centre", "business_day", "service", "number", "display", "queue", "priority_group", "state", "issued_at", "kiosk", "counter", "target_counter", "called_at", "started_at", "finished_at", "calls") VALUES (6, 'T0006', 'C1', '2026-11-23', 'HT', 6, 'HT006', 'HT', NULL, 'no_show', '2026-11-23T08:06:00', 'K1', NULL, NULL, '2026-11-23T08:16:00', NULL, NULL, 1);
INSERT INTO "queue_ticket_dossiers" ("ticket_id", "dossier_code", "linked_at") VALUES (1, '000.25.38.H38-261123-0001', '2026-11-23T08:35:00');
INSERT INTO "queue_counters" ("centre", "number", "paused", "priority_streak", "updated_at") VALUES ('C1', 1, 0, 0, '2026-11-23T08:00:00');
INSERT INTO "queue_counters" ("centre", "number", "paused", "priority_streak", "updated_at") VALUES ('C1', 2, 0, 0, '2026-11-23T08:00:00');
INSERT INTO "queue_counters" ("centre", "number", "paused", "priority_streak", "updated_at") VALUES ('C1', 3, 0, 0, '2026-11-23T08:00:00');
INSERT INTO "queue_counters" ("centre", "number", "paused", "priority_streak", "updated_at") VALUES ('C1', 4, 1, 0, '2026-11-23T08:00:00');
INSERT INTO "queue_events" ("seq", "centre", "at", "business_day", "kind", "ticket_id", "display", "counter", "queue") VALUES (1, 'C1', '2026-11-23T08:01:00', '2026-11-23', 'issued', 1, 'HT001', 1, 'HT');
INSERT INTO "queue_events" ("seq", "centre", "at", "business_day", "kind", "ticket_id", "display", "counter", "queue") VALUES (2, 'C1', '2026-11-23T08:02:00', '2026-11-23', 'called', 1, 'HT001', 1, 'HT');
INSERT INTO "queue_events" ("seq", "centre", "at", "business_day", "kind", "ticket_id", "display", "counter", "queue") VALUES (3, 'C1', '2026-11-23T08:03:00', '2026-11-23', 'started', 1, 'HT001', 1, 'HT');
INSERT INTO "queue_events" ("seq", "centre", "at", "business_day", "kind", "ticket_id", "display", "counter", "queue") VALUES (4, 'C1', '2026-11-23T08:04:00', '2026-11-23', 'finished', 1, 'HT001', 1, 'HT');
INSERT INTO "queue_requests" ("key", "op", "digest", "result", "at") VALUES ('req-1', 'issue', 'dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd', '{}', '2026-11-23T08:01:00');
INSERT INTO "device_tokens" ("token_sha256", "device", "role", "counter", "created_at", "revoked_at") VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'K1', 'kiosk', NULL, '2026-11-23T07:00:00', NULL);
INSERT INTO "device_tokens" ("token_sha256", "device", "role", "counter", "created_at", "revoked_at") VALUES ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'Q01', 'counter', 1, '2026-11-23T07:00:00', NULL);
INSERT INTO sqlite_sequence (name, seq) VALUES ('queue_events', 4);
INSERT INTO sqlite_sequence (name, seq) VALUES ('queue_tickets', 6);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX rep_events_dossier ON rep_events(dossier, id);
CREATE UNIQUE INDEX rep_feed_holder_dossier ON rep_feed(holder, dossier);
CREATE INDEX rep_feed_holder_seq ON rep_feed(holder, seq);
CREATE INDEX rep_event_documents_sha ON rep_event_documents(sha256);
CREATE INDEX outbox_pending ON outbox(sent_at, parked, next_attempt_at);
CREATE INDEX outbox_origin ON outbox(origin, origin_seq);
CREATE INDEX dvc_records_dossier ON dvc_records(ma_ho_so, id);
CREATE UNIQUE INDEX queue_one_active_per_counter ON queue_tickets(centre, counter) WHERE state IN ('called', 'serving');
CREATE INDEX queue_callable ON queue_tickets(centre, business_day, queue, id) WHERE state IN ('waiting', 'transferred');
CREATE INDEX queue_done ON queue_tickets(centre, queue, finished_at) WHERE state = 'done';
CREATE INDEX queue_events_kind ON queue_events(centre, kind, seq);
COMMIT;
