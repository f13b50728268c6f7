"""When a reminder comes: a pure rule over plain settings and one ``now``.

A reminder is a nudge to check in, so it only comes on a local day that has no check-in yet:

* from the time the person chose, in their own time zone, until that day ends;
* never inside their quiet hours (which may wrap midnight, e.g. 22:00 to 07:00);
* never while protection is on (what they wrote showed abuse: a buzzing phone can draw an
  abuser's attention), unless they asked for reminders anyway;
* at most once per local day.

If the chosen time falls inside quiet hours, the reminder waits for quiet hours to end, as long
as that is still the same day; otherwise that day has none. Nothing here reads a clock or a
database: ``now``, whether today is logged and the day last sent are arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# How many days ahead ``plan`` looks for the next reminder. Quiet hours can hide a day's
# reminder only if they hide it every day, so a few days settle the question.
LOOK_AHEAD_DAYS = 3
HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DEFAULT_TIME = time(20, 0)


def parse_hhmm(value: str) -> time:
    """Return the wall-clock time ``"HH:MM"`` (24-hour); raises ValueError for anything else."""
    found = HH_MM.match(value.strip())
    if found is None:
        raise ValueError(f"{value!r} isn't a time like 20:30")
    return time(int(found.group(1)), int(found.group(2)))


@dataclass(frozen=True)
class ReminderSettings:
    """What the person chose, and whether protection is on for them now.

    ``quiet_start``/``quiet_end`` are both None for no quiet hours; equal times mean none too.
    """

    enabled: bool
    at: time
    timezone: str
    quiet_start: time | None = None
    quiet_end: time | None = None
    protection: bool = False
    even_in_protection: bool = False


@dataclass(frozen=True)
class Reminder:
    """The rule's answer at one moment.

    ``due`` is True when a reminder should go now. ``next_at`` (aware UTC) is the first moment
    at or after now when one would go, assuming later days stay unlogged; it equals now when
    due, and is None when none would come. ``why`` says which: ``due``, ``later``, ``off``,
    ``protection`` or ``quiet`` (the chosen time is inside quiet hours every day).
    """

    due: bool
    next_at: datetime | None
    why: str


def is_quiet(settings: ReminderSettings, wall: time) -> bool:
    """True when the local wall-clock time ``wall`` is inside the quiet hours."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end  # wraps midnight


def _moment(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The instant ``wall`` on ``day`` in ``tz``, in UTC.

    A wall time skipped by a daylight-saving jump (02:30 on a spring-forward night) lands just
    after the jump (03:30); one that happens twice (a fall-back night) is the first of the two.
    """
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def _first_on(
    settings: ReminderSettings, day: date, tz: ZoneInfo, now: datetime
) -> datetime | None:
    """The first moment on local ``day``, not before ``now`` or the chosen time, outside quiet
    hours; None when the day has no such moment left."""
    candidate = max(now, _moment(day, settings.at, tz))
    wall = candidate.astimezone(tz)
    if wall.date() != day:
        return None
    if is_quiet(settings, wall.time()):
        assert settings.quiet_end is not None
        if settings.quiet_end <= wall.time():
            return None  # quiet until tomorrow morning: today's reminder is skipped
        candidate = _moment(day, settings.quiet_end, tz)
        if candidate.astimezone(tz).date() != day:
            return None
    return candidate


def plan(
    settings: ReminderSettings,
    now: datetime,
    *,
    logged_today: bool,
    last_sent: date | None = None,
) -> Reminder:
    """Return whether a reminder is due at ``now`` and when the next one would come.

    ``logged_today``: today (in the person's time zone) already has a check-in.
    ``last_sent``: the latest local day a reminder was sent for (None if never).
    """
    if not settings.enabled:
        return Reminder(False, None, "off")
    if settings.protection and not settings.even_in_protection:
        return Reminder(False, None, "protection")
    now = now.astimezone(UTC)
    tz = ZoneInfo(settings.timezone)
    today = now.astimezone(tz).date()
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        if day == today and (logged_today or last_sent == today):
            continue
        found = _first_on(settings, day, tz, now)
        if found is not None:
            due = found <= now
            return Reminder(due, found, "due" if due else "later")
    return Reminder(False, None, "quiet")
