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
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (1, 'motcua.centre', '0001_code_leases', '2026-12-02 00:06:13.536304+00:00');
INSERT INTO "code_leases" ("id", "agency_id", "day", "first", "last", "station_id", "leased_at") VALUES (1, '000.25.38.H38', '2026-11-23', 1, 200, 'Q01', '2026-11-23 08:21:00');
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
COMMIT;
