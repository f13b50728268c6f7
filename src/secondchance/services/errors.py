"""Errors a person can understand. Services raise them; the CLI and web turn them into words."""

from __future__ import annotations


class InputError(ValueError):
    """Something the person typed can't be used. ``field`` says which, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(LookupError):
    """The thing asked for doesn't exist, or belongs to someone else (we don't say which)."""


class NoProfile(LookupError):
    """The person hasn't run ``init`` yet."""
