"""The audit log as a hash chain per origin: what an entry is, its hash, and how a chain is checked.

Each origin (a workstation ``<agency>/<station>``, a centre, the province) numbers its entries 1, 2, 3 … and each
entry carries the hash of the one before it (:data:`GENESIS` for the first). The hash covers a canonical encoding
of every field but the origin (sorted-key JSON, no spaces, UTF-8; the detail as its stored JSON text), so editing,
removing, inserting or reordering an entry shows unless every later hash is recomputed too, and the copies held
upstream then tell. The origin is not hashed: a workstation's entries made before it knew its origin (the migration
chains them) keep their hashes when they are given it.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from motcua.domain.errors import ValidationError
from motcua.domain.sync_envelope import ORIGIN, SHA256
from motcua.i18n import tr

VERSION = 1
GENESIS = "0" * 64  # the "previous hash" of an origin's first entry
EDITED, REMOVED, INSERTED, REORDERED = "edited", "removed", "inserted", "reordered"
KINDS = (EDITED, REMOVED, INSERTED, REORDERED)

# Longest text accepted per field from another node (an entry made here is whatever the app wrote).
_LIMITS = {"at": 40, "actor": 200, "station": 80, "action": 80, "entity": 200, "detail": 256 * 1024}
_WIRE = ("origin", "seq", "at", "actor", "station", "action", "entity", "detail", "prev", "hash")
MAX_SEQ = 2**62


def entry_hash(*, seq: int, at: str, actor: str, station: str, action: str, entity: str, detail: str, prev: str) -> str:
    """SHA-256 (hex) of the entry's canonical encoding."""
    body = {
        "v": VERSION,
        "seq": seq,
        "at": at,
        "actor": actor,
        "station": station,
        "action": action,
        "entity": entity,
        "detail": detail,
        "prev": prev,
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit entry as it is chained and travels.

    Attributes:
        origin: whose chain it is in.
        seq: its number in that chain (1, 2, 3 … without gaps).
        at, actor, station, action, entity: when, who, at which workstation, what, to which record.
        detail: the rest, as the JSON text stored (hashed as that text).
        prev: the hash of the origin's entry before it (:data:`GENESIS` for the first).
        hash: this entry's hash.
    """

    origin: str
    seq: int
    at: str
    actor: str
    station: str
    action: str
    entity: str
    detail: str
    prev: str
    hash: str

    @classmethod
    def make(
        cls, *, origin: str, seq: int, at: str, actor: str, station: str, action: str, entity: str, detail: str,
        prev: str,
    ) -> AuditEntry:  # fmt: skip
        h = entry_hash(seq=seq, at=at, actor=actor, station=station, action=action, entity=entity, detail=detail,
                       prev=prev)  # fmt: skip
        return cls(origin, seq, at, actor, station, action, entity, detail, prev, h)

    def expected_hash(self, seq: int | None = None) -> str:
        """The hash this entry's fields give (with another sequence number, when one is given)."""
        return entry_hash(
            seq=self.seq if seq is None else seq,
            at=self.at,
            actor=self.actor,
            station=self.station,
            action=self.action,
            entity=self.entity,
            detail=self.detail,
            prev=self.prev,
        )

    @property
    def intact(self) -> bool:
        return self.expected_hash() == self.hash

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _WIRE}

    @classmethod
    def from_json(cls, data: object) -> AuditEntry:
        """An entry pushed by another node, checked field by field (its hash is checked by the receiver).

        Raises:
            ValidationError: naming what is wrong.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason="not an object"))
        extra = set(data) - set(_WIRE)
        if extra:
            raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason=f"unknown field {sorted(extra)[0]}"))
        origin = data.get("origin")
        if not isinstance(origin, str) or not ORIGIN.match(origin):
            raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason="origin"))
        seq = data.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
            raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason="seq"))
        for name in ("prev", "hash"):
            value = data.get(name)
            if not isinstance(value, str) or not SHA256.match(value):
                raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason=name))
        texts: dict[str, str] = {}
        for name, limit in _LIMITS.items():
            value = data.get(name)
            if not isinstance(value, str) or len(value) > limit or "\x00" in value:
                raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason=name))
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValidationError(tr("Mục nhật ký không hợp lệ: {reason}", reason=name)) from None
            texts[name] = value
        return cls(origin=origin, seq=seq, prev=str(data["prev"]), hash=str(data["hash"]), **texts)


@dataclass(frozen=True, slots=True)
class HeldEntry:
    """An entry as a node holds it, for checking: ``row`` is its place in the table (insertion order); ``entry``
    is None for a row without chain fields (written past :func:`motcua.store.audit.record`)."""

    row: int
    entry: AuditEntry | None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a chain: its kind (:data:`KINDS`), where (origin, first and last sequence number, the
    table row when there is one), and one Vietnamese line saying it."""

    kind: str
    origin: str
    seq: int | None
    last: int | None
    row: int | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "origin": self.origin,
            "seq": self.seq,
            "last": self.last,
            "row": self.row,
            "message": self.message,
        }


def _label(origin: str) -> str:
    return origin or tr("(chưa gán nguồn)")


def _moved(seqs: Sequence[int]) -> set[int]:
    """Indexes of ``seqs`` outside one longest increasing run (what was moved, the fewest that explain it)."""
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(seqs)
    for i, s in enumerate(seqs):
        k = bisect_left(tails, s)
        if k == len(tails):
            tails.append(s)
            tail_at.append(i)
        else:
            tails[k] = s
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return set(range(len(seqs))) - keep


def verify_chain(origin: str, held: Sequence[HeldEntry], head: tuple[int, str] | None) -> list[Problem]:
    """Check one origin's chain.

    Args:
        origin: the chain's origin.
        held: its rows in table order.
        head: the last (seq, hash) the node recorded for the origin, when it keeps one (a removed last entry shows
            only against it).

    Returns:
        every problem found, in chain order: an entry edited (its hash no longer matches, or the next entry no
        longer links to it), entries removed (a gap, or missing after the last one held), an entry inserted (a row
        without chain fields, a second row for a number, rows past the recorded head), an entry reordered (moved
        among the rows, or renumbered).
    """
    label = _label(origin)
    problems: list[Problem] = []
    chained: list[tuple[int, AuditEntry]] = []
    last_seq = 0
    for h in held:
        if h.entry is None:
            problems.append(Problem(INSERTED, origin, None, None, h.row, tr(
                "Nguồn {origin}: dòng {row} (sau mục {after}) được chèn vào, không thuộc chuỗi",
                origin=label, row=h.row, after=last_seq)))  # fmt: skip
            continue
        chained.append((h.row, h.entry))
        last_seq = h.entry.seq
    # Renumbered entries: the hash holds with another number (two rows' numbers swapped, say).
    top = max((e.seq for _, e in chained), default=0)
    effective: list[tuple[int, AuditEntry]] = []
    broken_hash: set[int] = set()
    failing = sum(1 for _, e in chained if not e.intact)
    for row, e in chained:
        if e.intact:
            effective.append((row, e))
            continue
        true_seq = None
        if failing <= 50:  # each try is one hash per candidate number; a mass edit is reported as edits
            true_seq = next((s for s in range(1, top + 2) if s != e.seq and e.expected_hash(s) == e.hash), None)
        if true_seq is not None:
            problems.append(Problem(REORDERED, origin, true_seq, None, row, tr(
                "Nguồn {origin}, mục {seq}: bị đổi số thứ tự thành {now} (dòng {row})",
                origin=label, seq=true_seq, now=e.seq, row=row)))  # fmt: skip
            effective.append((row, replace(e, seq=true_seq)))
        else:
            broken_hash.add(row)
            effective.append((row, e))
    # A second row under one number: the first intact one is the chain's, the others were inserted.
    by_seq: dict[int, tuple[int, AuditEntry]] = {}
    for row, e in effective:
        held_one = by_seq.get(e.seq)
        if held_one is None or (held_one[0] in broken_hash and row not in broken_hash):
            by_seq[e.seq] = (row, e)
    for row, e in effective:
        if by_seq[e.seq][0] != row:
            problems.append(Problem(INSERTED, origin, e.seq, None, row, tr(
                "Nguồn {origin}, mục {seq}: dòng {row} là một mục chèn thêm trùng số thứ tự",
                origin=label, seq=e.seq, row=row)))  # fmt: skip
    kept = [(row, e) for row, e in effective if by_seq[e.seq][0] == row]
    # Moved among the rows: outside the longest run of rising numbers in table order.
    moved = _moved([e.seq for _, e in kept])
    for i in sorted(moved):
        row, e = kept[i]
        before = kept[i - 1][1].seq if i else 0
        problems.append(Problem(REORDERED, origin, e.seq, None, row, tr(
            "Nguồn {origin}, mục {seq}: bị đổi chỗ (nằm ở dòng {row}, sau mục {after})",
            origin=label, seq=e.seq, row=row, after=before)))  # fmt: skip
    # The chain in number order: gaps, edits, broken links.
    expected, prev_hash, prev_bad = 1, GENESIS, False
    last: AuditEntry | None = None
    for row, e in sorted(kept, key=lambda x: x[1].seq):
        bad = row in broken_hash
        if e.seq > expected:
            problems.append(_removed(origin, expected, e.seq - 1))
        elif e.prev != prev_hash and not prev_bad and not bad:
            problems.append(Problem(EDITED, origin, e.seq - 1, None, None, tr(
                "Nguồn {origin}, mục {seq}: đã bị sửa hoặc thay thế (mục {next} không còn nối với nó)",
                origin=label, seq=e.seq - 1, next=e.seq)))  # fmt: skip
        if bad:
            problems.append(Problem(EDITED, origin, e.seq, None, row, tr(
                "Nguồn {origin}, mục {seq}: nội dung đã bị sửa (mã băm không khớp, dòng {row})",
                origin=label, seq=e.seq, row=row)))  # fmt: skip
        expected, prev_hash, prev_bad, last = e.seq + 1, e.hash, bad, e
    held_top = last.seq if last is not None else 0
    if head is not None:
        head_seq, head_hash = head
        if head_seq > held_top:
            first = held_top + 1
            message = (
                tr("Nguồn {origin}, mục {seq}: đã bị xóa ở cuối sổ (sổ đã ghi đến mục {last})", origin=label,
                   seq=first, last=head_seq)
                if first == head_seq
                else tr("Nguồn {origin}, mục {seq} đến {last}: đã bị xóa ở cuối sổ (sổ đã ghi đến mục {last})",
                        origin=label, seq=first, last=head_seq)
            )  # fmt: skip
            problems.append(Problem(REMOVED, origin, first, None if first == head_seq else head_seq, None, message))
        elif head_seq < held_top:
            problems.append(Problem(INSERTED, origin, head_seq + 1, held_top, None, tr(
                "Nguồn {origin}, mục {seq} đến {last}: được thêm sau mục cuối sổ đã ghi ({head})",
                origin=label, seq=head_seq + 1, last=held_top, head=head_seq)))  # fmt: skip
        elif last is not None and head_hash != last.hash and not prev_bad:
            problems.append(Problem(EDITED, origin, last.seq, None, None, tr(
                "Nguồn {origin}, mục {seq}: đã bị sửa hoặc thay thế (khác mục cuối sổ đã ghi)",
                origin=label, seq=last.seq)))  # fmt: skip
    elif held_top:
        problems.append(Problem(REMOVED, origin, None, None, None, tr(
            "Nguồn {origin}: bản ghi mục cuối của chuỗi đã bị xóa", origin=label)))  # fmt: skip
    return sorted(problems, key=lambda p: (p.seq or 0, p.row or 0))


def _removed(origin: str, first: int, last: int) -> Problem:
    if first == last:
        message = tr("Nguồn {origin}, mục {seq}: đã bị xóa", origin=_label(origin), seq=first)
    else:
        message = tr("Nguồn {origin}, mục {seq} đến {last}: đã bị xóa", origin=_label(origin), seq=first, last=last)
    return Problem(REMOVED, origin, first, None if first == last else last, None, message)
