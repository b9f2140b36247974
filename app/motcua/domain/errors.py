"""Errors whose message is already in the user's language."""

from __future__ import annotations


class MotcuaError(Exception):
    """Base for every error the app reports to a person; ``str(err)`` is a translated sentence."""


class ValidationError(MotcuaError):
    """Input that cannot be accepted; ``field`` names what to fix (for the UI to focus it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(MotcuaError):
    pass


class ConflictError(MotcuaError):
    """The same key arrived with different content, or a state change raced another one."""


class TransitionError(MotcuaError):
    """A dossier status change that the status machine does not allow."""
