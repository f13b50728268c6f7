"""The single source of time. Everything else takes ``now`` as an argument."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def now() -> datetime:
    """Return the current moment as an aware UTC datetime."""
    return datetime.now(UTC)


def zone(name: str) -> ZoneInfo:
    """Return the time zone called ``name``; raises ValueError with a readable message."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (try e.g. Europe/London)") from error


def local_date(moment: datetime, tz: str) -> date:
    """Return the calendar day ``moment`` falls on for someone living in ``tz``."""
    return moment.astimezone(zone(tz)).date()


def today(tz: str, at: datetime | None = None) -> date:
    """Return today's date in ``tz`` (at ``at``, or at the current moment)."""
    return local_date(at or now(), tz)
