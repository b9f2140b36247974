"""SQLite storage through sqlite-utils: migrations, repositories, search, the outbox and the audit log."""

from __future__ import annotations

import sys

# sqlite-utils imports numpy (a tenth of a second, more than the rest of a one-shot command) only to map numpy
# scalar types to column types when it creates a table from inserted rows; every table here is made by a
# migration, and no numpy value is ever stored. Hide numpy from that one import when nothing has loaded it yet
# (the counter's camera and scanning load it later, as usual).
if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError meanwhile
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del sys.modules["numpy"]
