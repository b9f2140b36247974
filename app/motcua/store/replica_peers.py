"""What a sync node keeps beside its events: credentials of the centres below a province, the published catalog,
and small named values (cursors, last results).

Credentials are stored as SHA-256 only; a credential is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from motcua.domain.codes import check_agency_id
from motcua.domain.errors import NotFoundError
from motcua.i18n import tr
from motcua.store.clock import iso
from motcua.store.sql import Sql


@dataclass(frozen=True, slots=True)
class PeerRecord:
    peer: str
    name: str
    agencies: tuple[str, ...]
    created_at: str
    revoked_at: str | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_peer(sql: Sql, peer: str, name: str, agencies: list[str], now: datetime) -> str:
    """Register a centre (or give it a new credential); returns the credential, shown once.

    Args:
        peer: the centre's agency id (mã định danh), which is also the prefix of its dossier codes.
        agencies: further agencies it handles dossiers for (its commune People's Committees …); its own id is
            always included.
    """
    peer = check_agency_id(peer)
    served = sorted({peer, *(check_agency_id(a) for a in agencies)})
    token = "mcc_" + secrets.token_urlsafe(32)
    sql.execute(
        """INSERT INTO rep_peers (peer, name, token_sha256, agencies, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (peer) DO UPDATE SET name = excluded.name, token_sha256 = excluded.token_sha256,
           agencies = excluded.agencies, revoked_at = NULL""",
        [peer, name, _digest(token), json.dumps(served), iso(now)],
    )
    return token


def revoke_peer(sql: Sql, peer: str, now: datetime) -> None:
    cur = sql.execute("UPDATE rep_peers SET revoked_at = ? WHERE peer = ? AND revoked_at IS NULL", [iso(now), peer])
    if not cur.rowcount:
        raise NotFoundError(tr("Không có đơn vị {peer}", peer=peer))


def list_peers(sql: Sql) -> list[PeerRecord]:
    rows = sql.execute("SELECT peer, name, agencies, created_at, revoked_at FROM rep_peers ORDER BY peer")
    return [PeerRecord(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4]) for r in rows.fetchall()]


def peer_for_token(sql: Sql, token: str) -> PeerRecord | None:
    row = sql.execute(
        "SELECT peer, name, agencies, created_at, revoked_at FROM rep_peers WHERE token_sha256 = ? "
        "AND revoked_at IS NULL",
        [_digest(token)],
    ).fetchone()
    return None if row is None else PeerRecord(row[0], row[1], tuple(json.loads(row[2])), row[3], row[4])


def agency_holders(sql: Sql) -> dict[str, str]:
    """Which centre handles each agency's dossiers (the first registered, when two claim one)."""
    out: dict[str, str] = {}
    for p in list_peers(sql):
        if p.revoked_at is None:
            for a in p.agencies:
                out.setdefault(a, p.peer)
    return out


# -- the published catalog ---------------------------------------------------------------------------------
def publish_catalog(sql: Sql, body: str, now: datetime) -> str:
    """Store the catalog (JSON text) as the one to hand out; its ETag is the SHA-256 of the text."""
    etag = hashlib.sha256(body.encode("utf-8")).hexdigest()
    sql.execute(
        """INSERT INTO rep_catalog (id, etag, body, published_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET etag = excluded.etag, body = excluded.body,
           published_at = excluded.published_at""",
        [etag, body, iso(now)],
    )
    return etag


def catalog(sql: Sql) -> tuple[str, str] | None:
    """(etag, body) of the published catalog, if any."""
    row = sql.execute("SELECT etag, body FROM rep_catalog WHERE id = 1").fetchone()
    return None if row is None else (row[0], row[1])


def catalog_etag(sql: Sql) -> str | None:
    row = sql.execute("SELECT etag FROM rep_catalog WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def publish(sql: Sql, name: str, body: str, now: datetime) -> str:
    """Store ``body`` as the published ``name`` (the calendar …); its ETag is the SHA-256 of the text."""
    etag = hashlib.sha256(body.encode("utf-8")).hexdigest()
    sql.execute(
        """INSERT INTO rep_published (name, etag, body, published_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, body = excluded.body,
           published_at = excluded.published_at""",
        [name, etag, body, iso(now)],
    )
    return etag


def published(sql: Sql, name: str) -> tuple[str, str] | None:
    """(etag, body) of what was published as ``name``, if anything."""
    row = sql.execute("SELECT etag, body FROM rep_published WHERE name = ?", [name]).fetchone()
    return None if row is None else (row[0], row[1])


# -- named values --------------------------------------------------------------------------------------------
def get_state(sql: Sql, name: str, default: str = "") -> str:
    row = sql.execute("SELECT value FROM rep_state WHERE name = ?", [name]).fetchone()
    return default if row is None else str(row[0])


def set_state(sql: Sql, name: str, value: str) -> None:
    sql.execute(
        "INSERT INTO rep_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [name, value],
    )


def bump_state(sql: Sql, name: str, delta: int) -> None:
    """Add to a counter kept in ``rep_state`` (what a server has answered, kept across restarts)."""
    row = sql.execute("SELECT value FROM rep_state WHERE name = ?", [name]).fetchone()
    set_state(sql, name, str(int(row[0] if row else 0) + delta))


def counters(sql: Sql, prefix: str) -> dict[str, int]:
    rows = sql.execute("SELECT name, value FROM rep_state WHERE name >= ? AND name < ?", [prefix, prefix + "~"])
    return {r[0][len(prefix) :]: int(r[1]) for r in rows.fetchall()}
