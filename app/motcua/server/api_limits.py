"""The queue API's bounds on what a request may carry, in one place: the FastAPI routes declare them, and the short
path for the hot requests (:mod:`motcua.server.fast_path`) takes a request only within them, leaving the rest to
FastAPI's refusals."""

from __future__ import annotations

# Ids and sequence numbers are SQLite integers: a larger number is refused here (422), not overflowed below (500).
MAX_ID = 2**62
CODE = 64  # longest service, priority group or dossier code taken: names fit in far less, junk is refused (422)
MAX_KEY = 200  # the longest Idempotency-Key header
MAX_KINDS = 500  # GET /changes: the longest comma-separated list of event kinds
MAX_WAIT_S = 30  # GET /changes: the longest a client may ask its answer to be held
