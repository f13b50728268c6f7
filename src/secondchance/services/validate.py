"""Checks at the edge of every action: clear messages, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from secondchance.services.errors import InputError

# Long enough for a long letter or story; short enough that a mistake can't fill the disk.
MAX_TEXT = 100_000
MAX_SHORT_TEXT = 200

# How long each free-text field may be, in characters: the one place these numbers live. The
# services refuse more, and every web form uses the same number for its ``maxlength`` and says
# it beside the field, so a limit is never a surprise.
LIMITS: dict[str, int] = {
    # Notes are a few lines for yourself: generous, and still quick to read back.
    "checkin_note": 5_000,
    "contact_note": 5_000,
    "conversation_note": 5_000,
    "activity_note": 2_000,
    "journal_text": 5_000,  # the answer to a lesson's journal prompt: a few lines
    # An urge is caught in the moment: a line or two on what set it off and what helped.
    "urge_trigger": 2_000,
    "urge_instead": 2_000,
    # Letters (the SOS letter too) and the story can be long: pages of them are welcome.
    "letter_title": 200,
    "letter_body": 50_000,
    "story": 50_000,
    "memory_title": 200,
    "memory_body": 5_000,
    "memory_tag": 40,
    "memory_tags": 1_000,  # the whole comma-separated line of tags
    "safety_plan_part": 5_000,  # each part of the safety plan
    "safety_note": 500,  # a word for yourself when you set a worry aside
    "draft": 100_000,  # a message to review; the reading, not the box, decides what's too long
    "name": 100,
    "ex_name": 100,
    "username": 40,
    "password": 1_000,  # long beats clever; this only stops a pasted book
    "token_name": 100,
}


def limit(name: str) -> int:
    """Return the character limit of the free-text field ``name`` (a key of ``LIMITS``)."""
    return LIMITS[name]


def whole_number(field: str, value: object, low: int, high: int) -> int:
    """Return ``value`` as an int in ``low..high``; raises InputError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise InputError(field, f"should be a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise InputError(field, f"should be from {low} to {high}, not {value}")
    return value


def choice(field: str, value: str, choices: Iterable[str]) -> str:
    options = tuple(choices)
    cleaned = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in options:
        raise InputError(field, f"should be one of {', '.join(options)}, not {value!r}")
    return cleaned


def text(
    field: str, value: str | None, *, max_length: int = MAX_TEXT, required: bool = False
) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InputError(field, "can't be empty")
    if len(cleaned) > max_length:
        raise InputError(
            field,
            f"This is too long to save: {len(cleaned):,} characters, and this space holds up to "
            f"{max_length:,}. Everything you wrote is still here; trim it a little and save again.",
        )
    if "\x00" in cleaned:
        raise InputError(field, "contains a null character")
    return cleaned


def day(field: str, value: date | str) -> date:
    """Return a date from a ``date`` or a YYYY-MM-DD string; impossible dates are refused."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(field, f"should be a real date as YYYY-MM-DD, not {value!r}") from None


def not_future(field: str, value: date, today: date) -> date:
    if value > today:
        raise InputError(field, f"{value.isoformat()} hasn't happened yet (today is {today})")
    return value


def moment(field: str, value: datetime, now: datetime) -> datetime:
    if value.tzinfo is None:
        raise InputError(field, "needs a time zone")
    if value > now:
        raise InputError(field, "is in the future")
    return value


def local_moment(field: str, value: str, tz: str) -> datetime:
    """Parse "YYYY-MM-DD HH:MM" (or a bare date, meaning noon) as a time in zone ``tz``.

    DST gaps and overlaps resolve the way zoneinfo does (fold=0), which is never off by a day.
    """
    from secondchance.clock import zone

    raw = str(value).strip()
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        example = "like 2026-03-14 21:30"
        raise InputError(field, f"should be a date and time {example}, not {raw!r}") from None
    if len(raw) <= 10:  # a date alone: noon is safely inside that day in every zone
        parsed = parsed.replace(hour=12)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz))
    return parsed
