"""SQLite storage through sqlite-utils: migrations, repositories, search, the outbox and the audit log."""
