"""The unit of synchronisation: an immutable event envelope, made once where the change happened.

Every change to a dossier (its reception, each status move, each digitized document, a supervisor settling a
conflict) becomes one envelope with a key made at its origin (a UUID), the origin's id and the origin's own
sequence number, the dossier it belongs to and ``prev``: the key of the dossier's latest event as the origin saw
it. The envelope travels as its canonical JSON text; that text, and its SHA-256, never change. A server that
gets the same key again compares hashes: equal means "already have it", different means a conflict.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from motcua.domain.codes import DOSSIER_CODE
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

VERSION = 1
RECEIVED = "dossier.received"
ACTION = "dossier.action"
ATTACHMENT = "attachment.added"
CONFLICT_SETTLED = "conflict.settled"
VISIT = "visit.guided"  # a citizen guided at the counter (Mẫu 02) without a dossier being received: statistics
PAID = "fee.paid"  # fees paid after the reception (on a notice's VietQR code, or when the result is returned)
KINDS = (RECEIVED, ACTION, ATTACHMENT, CONFLICT_SETTLED, VISIT, PAID)
# Events that start something of their own (no predecessor): a dossier's reception, a visit.
FIRST_KINDS = (RECEIVED, VISIT)
VISIT_ID = re.compile(r"^VISIT-[0-9A-F]{12}$")

# "<centre agency id>/<station>" for a workstation, "<centre agency id>" for a centre, "province:<id>" above.
ORIGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,79}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
MAX_ENVELOPE_BYTES = 256 * 1024  # a dossier with every field filled is ~3 KB; anything near this is abuse

_FIELDS = ("v", "key", "origin", "origin_seq", "kind", "dossier", "prev", "at", "data", "documents")


def canonical_json(value: Any) -> str:
    """The one byte form of a JSON value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Envelope:
    """One event as it travels.

    Attributes:
        key: a UUID made where the change happened; the upstream's unique constraint is on it.
        origin: the workstation, centre or province that made it.
        origin_seq: 1, 2, 3 … per origin, with no gaps.
        kind: one of :data:`KINDS`.
        dossier: the dossier code it belongs to.
        prev: the key of the dossier's previous event at the origin (None only for a reception).
        at: local wall time, "YYYY-MM-DD HH:MM:SS".
        data: what changed (the dossier for a reception; action, status, note … for a status move).
        documents: SHA-256 of the files this event needs (they travel first).
        text: the canonical JSON text (what is stored, hashed and sent).
        sha256: SHA-256 of ``text``.
    """

    key: str
    origin: str
    origin_seq: int
    kind: str
    dossier: str
    prev: str | None
    at: str
    data: dict[str, Any]
    documents: tuple[str, ...]
    text: str
    sha256: str


def make_envelope(
    *,
    origin: str,
    origin_seq: int,
    kind: str,
    dossier: str,
    prev: str | None,
    at: str,
    data: dict[str, Any],
    documents: tuple[str, ...] = (),
    key: str | None = None,
) -> Envelope:
    """Build (and check) a new envelope; ``key`` defaults to a fresh random UUID."""
    body = {
        "v": VERSION,
        "key": key or str(uuid.uuid4()),
        "origin": origin,
        "origin_seq": origin_seq,
        "kind": kind,
        "dossier": dossier,
        "prev": prev,
        "at": at,
        "data": data,
        "documents": sorted(set(documents)),
    }
    return parse_envelope(canonical_json(body))


def _bad(reason: str) -> ValidationError:
    return ValidationError(tr("Sự kiện đồng bộ không hợp lệ: {reason}", reason=reason), "envelope")


def _check_uuid(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise _bad(f"{name} must be a UUID string")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise _bad(f"{name} must be a UUID") from None
    if str(parsed) != value:
        raise _bad(f"{name} must be a lower-case hyphenated UUID")
    return value


def parse_envelope(text: str) -> Envelope:
    """Check an envelope as received: canonical JSON, known version and kind, well-formed fields.

    Raises:
        ValidationError: with a message naming what is wrong (the server returns it to the sender).
    """
    if len(text.encode("utf-8")) > MAX_ENVELOPE_BYTES:
        raise _bad(f"larger than {MAX_ENVELOPE_BYTES} bytes")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(f"not JSON ({exc.msg})") from None
    if not isinstance(body, dict):
        raise _bad("not a JSON object")
    if set(body) != set(_FIELDS):
        missing = sorted(set(_FIELDS) - set(body))
        extra = sorted(set(body) - set(_FIELDS))
        raise _bad(f"fields missing {missing} / unknown {extra}")
    if canonical_json(body) != text:
        # One byte form per event: otherwise an honest retry could look like a conflict.
        raise _bad("not in canonical form (sorted keys, no spaces, UTF-8)")
    if body["v"] != VERSION:
        raise _bad(f"version {body['v']!r} is not {VERSION}")
    key = _check_uuid(body["key"], "key")
    origin = body["origin"]
    if not isinstance(origin, str) or not ORIGIN.match(origin):
        raise _bad("origin must be 1–80 letters, digits or . _ : / -")
    seq = body["origin_seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**62:
        raise _bad("origin_seq must be a positive integer")
    kind = body["kind"]
    if kind not in KINDS:
        raise _bad(f"kind must be one of {', '.join(KINDS)}")
    dossier = body["dossier"]
    pattern = VISIT_ID if kind == VISIT else DOSSIER_CODE
    if not isinstance(dossier, str) or not pattern.match(dossier):
        raise _bad("dossier must be a dossier code (VISIT-<12 hex digits> for a visit)")
    prev = body["prev"]
    if prev is not None:
        prev = _check_uuid(prev, "prev")
        if prev == key:
            raise _bad("prev cannot be the event itself")
    if (kind in FIRST_KINDS) != (prev is None):
        raise _bad("a reception or a visit has no prev, and every other event has one")
    at = body["at"]
    if not isinstance(at, str) or not TIMESTAMP.match(at):
        raise _bad("at must be 'YYYY-MM-DD HH:MM:SS'")
    data = body["data"]
    if not isinstance(data, dict):
        raise _bad("data must be an object")
    docs = body["documents"]
    if not isinstance(docs, list) or any(not isinstance(d, str) or not SHA256.match(d) for d in docs):
        raise _bad("documents must be a list of SHA-256 hex digests")
    if docs != sorted(set(docs)):
        raise _bad("documents must be sorted and distinct")
    _check_data(kind, data, docs)
    return Envelope(
        key=key,
        origin=origin,
        origin_seq=seq,
        kind=kind,
        dossier=dossier,
        prev=prev,
        at=at,
        data=data,
        documents=tuple(docs),
        text=text,
        sha256=sha256_text(text),
    )


def _want(data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _bad(f"data.{name} is missing or of the wrong type")
    return value


def _check_data(kind: str, data: dict[str, Any], docs: list[str]) -> None:
    """What each kind must carry for every node to rebuild the dossier's state from events alone."""
    if kind == RECEIVED:
        _want(data, "procedure_code", str)
        _want(data, "agency_id", str)
        _want(data, "applicant", dict)
        _want(data, "received_at", str)
        status = _want(data, "status", int)
        if not 1 <= status <= 10:
            raise _bad("data.status must be a national status code 1–10")
    elif kind == ACTION:
        _want(data, "action", str)
        status = _want(data, "status_after", int)
        if not 1 <= status <= 10:
            raise _bad("data.status_after must be a national status code 1–10")
    elif kind == ATTACHMENT:
        sha = _want(data, "sha256", str)
        _want(data, "component", str)
        if sha not in docs:
            raise _bad("an attachment must list its file in documents")
    elif kind == CONFLICT_SETTLED:
        _check_uuid(data.get("conflict"), "data.conflict")
    elif kind == PAID:
        if _want(data, "method", str) not in ("cash", "transfer"):
            raise _bad("data.method must be cash or transfer")
        if not 0 < _want(data, "amount_vnd", int) < 10**12:
            raise _bad("data.amount_vnd must be a positive number of dong")
    elif kind == VISIT:
        _want(data, "procedure_code", str)
        _want(data, "missing", list)
