"""Queue records to JSON-ready dicts and back, driven by the dataclasses' own type hints.

Small and strict on purpose: the server and the client share it, so what one writes the other reads, and a
field of the wrong type fails loudly instead of turning into a wrong number on a board.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from motcua.domain.errors import ConflictError, MotcuaError, NotFoundError, TransitionError, ValidationError
from motcua.domain.queue import CounterPausedError, ServiceClosedError
from motcua.domain.queue_rating import AlreadyRatedError, NotFinishedError, NothingToRateError, TooManyTriesError
from motcua.domain.reports.facts import QueueSnapshot, RatingFact

T = TypeVar("T")


def to_json(value: Any) -> Any:
    """A dataclass (or a list of them) as plain dicts, lists, strings and numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The resolved field types of a dataclass, worked out once per class."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _convert(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return from_json(hint, value)
        if issubclass(hint, Enum):
            return hint(value)
        if hint is datetime:
            return datetime.fromisoformat(value)
        if hint is date:
            return date.fromisoformat(value)
        if hint is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise TypeError(f"expected {hint.__name__}, got {type(value).__name__}")
    return value


def from_json(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a ``cls`` dataclass from :func:`to_json` output; fields it lacks take their defaults.

    Raises:
        TypeError: a field has the wrong type.
    """
    hints = _hints(cls)
    kwargs = {f.name: _convert(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}  # type: ignore[arg-type]
    return cls(**kwargs)


def snapshot_to_json(snapshot: QueueSnapshot) -> dict[str, Any]:
    """A supervisor's queue snapshot (tickets, ratings, counters now) as sent by ``GET /api/v1/report/queue``."""
    data: dict[str, Any] = to_json(snapshot)
    return data


def snapshot_from_json(data: dict[str, Any]) -> QueueSnapshot:
    """The snapshot back from :func:`snapshot_to_json` output.

    Raises:
        TypeError, ValueError, KeyError: not a snapshot (a field of the wrong type, an unknown level or state).
    """
    return from_json(QueueSnapshot, data)


def rating_to_json(rating: RatingFact) -> dict[str, Any]:
    data: dict[str, Any] = to_json(rating)
    return data


def rating_from_json(data: dict[str, Any]) -> RatingFact:
    return from_json(RatingFact, data)


def _error_kinds() -> dict[str, type[MotcuaError]]:
    # The most specific classes first: error_kind takes the first that matches.
    return {
        "already_rated": AlreadyRatedError,
        "not_finished": NotFinishedError,
        "nothing_to_rate": NothingToRateError,
        "too_many_tries": TooManyTriesError,
        "validation": ValidationError,
        "not_found": NotFoundError,
        "transition": TransitionError,
        "conflict": ConflictError,
        "closed": ServiceClosedError,
        "paused": CounterPausedError,
        "error": MotcuaError,
    }


def error_kind(exc: MotcuaError) -> str:
    """The wire name of an error (the most specific class that matches)."""
    for kind, cls in _error_kinds().items():
        if isinstance(exc, cls):
            return kind
    return "error"


def error_from_kind(kind: str, message: str) -> MotcuaError:
    """The same error class on the client side, with the server's (already translated) message."""
    return _error_kinds().get(kind, MotcuaError)(message)
