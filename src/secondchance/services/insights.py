"""Insights: the day-by-day series behind the charts, from a person's history and one ``now``.

Everything is counted in the person's local calendar days (their profile's time zone), the
same days the program's rules use, so a chart never disagrees with Today. The loading is one
function (``insights``); the arithmetic is small pure functions that tests can feed directly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.models import Activity, CheckIn, Contact, NoContactPeriod, Urge, User
from secondchance.program import thresholds as t
from secondchance.program.progress import latest_period, streaks
from secondchance.program.steps import ACTIVITY_KINDS, ACTIVITY_LABELS
from secondchance.services import validate as v
from secondchance.services.contact import periods_of
from secondchance.services.people import profile_of

# The range a person can look back over. The pages offer 30 and 90; the API takes any of these.
RANGE_MIN_DAYS = 7
RANGE_MAX_DAYS = 365
RANGE_DEFAULT_DAYS = 30
# The mood average is the same seven-day window the program's calm-and-control gate uses.
AVERAGE_DAYS = t.WINDOW_DAYS
# "What goes with your better days" compares averages of two groups of days. With fewer days
# than this on either side, one unusual day decides the answer, so we say it's too early.
MIN_DAYS_TO_COMPARE = 3


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(frozen=True)
class MoodPoint:
    """One day: its check-in's mood (None without one), and the 7-day average ending that day
    (None when there was no check-in in those seven days)."""

    day: date
    mood: int | None
    average: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "mood": self.mood, "average": _round(self.average)}


@dataclass(frozen=True)
class UrgeDay:
    day: date
    resisted: int
    acted: int

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "resisted": self.resisted, "acted": self.acted}


@dataclass(frozen=True)
class SocialDay:
    """Times their profile was checked that day, from the check-in (None without one)."""

    day: date
    checks: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "checks": self.checks}


# What a day on the contact-free timeline was: the day no contact began, a day that began
# without contact, or a day with a slip.
TIMELINE_KINDS = ("start", "free", "slip")


@dataclass(frozen=True)
class TimelineDay:
    day: date
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "kind": self.kind}


@dataclass(frozen=True)
class Timeline:
    """The latest no-contact period, day by day, with the same counts as Today.

    ``started_on`` is None (and ``days`` empty) when no contact hasn't started.
    """

    started_on: date | None
    ended_on: date | None
    days: tuple[TimelineDay, ...]
    current: int
    longest: int
    total: int
    slips: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "current": self.current,
            "longest": self.longest,
            "total": self.total,
            "slips": self.slips,
            "days": [d.to_dict() for d in self.days],
        }


@dataclass(frozen=True)
class Comparison:
    """Average mood on check-in days with an activity kind vs check-in days without it.

    ``enough`` is False when either side has fewer than MIN_DAYS_TO_COMPARE days; the averages
    are then still given (or None for an empty side) but shouldn't be read as a pattern.
    """

    kind: str
    label: str
    days_with: int
    days_without: int
    mood_with: float | None
    mood_without: float | None
    enough: bool

    @property
    def difference(self) -> float | None:
        if self.mood_with is None or self.mood_without is None:
            return None
        return self.mood_with - self.mood_without

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "days_with": self.days_with,
            "days_without": self.days_without,
            "mood_with": _round(self.mood_with),
            "mood_without": _round(self.mood_without),
            "difference": _round(self.difference),
            "enough": self.enough,
        }


@dataclass(frozen=True)
class Insights:
    """The series for ``days`` local days ending ``end`` (today), oldest first."""

    start: date
    end: date
    days: int
    mood: tuple[MoodPoint, ...]
    urges: tuple[UrgeDay, ...]
    social: tuple[SocialDay, ...]
    timeline: Timeline
    better_days: tuple[Comparison, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "mood": [p.to_dict() for p in self.mood],
            "urges": [u.to_dict() for u in self.urges],
            "social": [s.to_dict() for s in self.social],
            "timeline": self.timeline.to_dict(),
            "better_days": [c.to_dict() for c in self.better_days],
        }


def days_between(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end``, both included (empty when start is after end)."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def mood_series(checkins: Iterable[CheckIn], start: date, end: date) -> tuple[MoodPoint, ...]:
    """Mood per day with its trailing 7-day average (check-ins before ``start`` feed the
    first averages, so pass those too)."""
    by_day = {c.day: c.mood for c in checkins}
    points = []
    for day in days_between(start, end):
        window = [
            by_day[d] for d in days_between(day - timedelta(AVERAGE_DAYS - 1), day) if d in by_day
        ]
        points.append(MoodPoint(day, by_day.get(day), fmean(window) if window else None))
    return tuple(points)


def urge_series(urges: Iterable[Urge], tz: str, start: date, end: date) -> tuple[UrgeDay, ...]:
    """Urges resisted and acted on, per local day."""
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for urge in urges:
        counts[local_date(urge.at, tz)][urge.outcome] += 1
    return tuple(
        UrgeDay(day, counts[day]["resisted"], counts[day]["acted"])
        for day in days_between(start, end)
    )


def social_series(checkins: Iterable[CheckIn], start: date, end: date) -> tuple[SocialDay, ...]:
    by_day = {c.day: c.social_checks for c in checkins}
    return tuple(SocialDay(day, by_day.get(day)) for day in days_between(start, end))


def timeline(
    period: NoContactPeriod | None, contacts: Iterable[Contact], tz: str, now: datetime
) -> Timeline:
    """The period day by day, from the day it began to today (or to the day it ended)."""
    counted = streaks(period, contacts, tz, now)
    if period is None or counted.started_on is None:
        return Timeline(None, None, (), 0, 0, 0, 0)
    last = local_date(period.ended_at or now, tz)
    slips = set(counted.slips)
    days = tuple(
        TimelineDay(
            day, "slip" if day in slips else "start" if day == counted.started_on else "free"
        )
        for day in days_between(counted.started_on, last)
    )
    ended = local_date(period.ended_at, tz) if period.ended_at else None
    return Timeline(
        counted.started_on,
        ended,
        days,
        counted.current,
        counted.longest,
        counted.total,
        len(counted.slips),
    )


def better_days(
    checkins: Iterable[CheckIn], activities: Iterable[Activity], start: date, end: date
) -> tuple[Comparison, ...]:
    """For each kind of activity logged in the range, the mood with it vs without it.

    Only check-in days count (a day without a mood says nothing either way). Kinds never
    logged in the range are left out; the rest come in the program's order.
    """
    moods = {c.day: c.mood for c in checkins if start <= c.day <= end}
    kinds_by_day: dict[date, set[str]] = defaultdict(set)
    for activity in activities:
        if start <= activity.day <= end:
            kinds_by_day[activity.day].add(activity.kind)
    logged = {kind for kinds in kinds_by_day.values() for kind in kinds}
    result = []
    for kind in ACTIVITY_KINDS:
        if kind not in logged:
            continue
        with_kind = [mood for day, mood in moods.items() if kind in kinds_by_day.get(day, ())]
        without = [mood for day, mood in moods.items() if kind not in kinds_by_day.get(day, ())]
        result.append(
            Comparison(
                kind=kind,
                label=ACTIVITY_LABELS.get(kind, kind),
                days_with=len(with_kind),
                days_without=len(without),
                mood_with=fmean(with_kind) if with_kind else None,
                mood_without=fmean(without) if without else None,
                enough=min(len(with_kind), len(without)) >= MIN_DAYS_TO_COMPARE,
            )
        )
    return tuple(result)


def _rows(session: Session, model: Any, user: User, *where: Any) -> Sequence[Any]:
    return list(session.scalars(select(model).where(model.user_id == user.id, *where)))


def insights(
    session: Session, user: User, now: datetime, days: int = RANGE_DEFAULT_DAYS
) -> Insights:
    """Return the series for the last ``days`` local days, today included.

    Raises InputError when ``days`` is outside RANGE_MIN_DAYS..RANGE_MAX_DAYS, and NoProfile
    before onboarding. The timeline always covers the whole latest period, whatever ``days``.
    """
    days = v.whole_number("days", days, RANGE_MIN_DAYS, RANGE_MAX_DAYS)
    profile = profile_of(session, user)
    tz = profile.timezone
    end = local_date(now, tz)
    start = end - timedelta(days=days - 1)
    # A day either side of the range in UTC covers every time zone's idea of those days.
    since = now - timedelta(days=days + 1)
    checkins = _rows(session, CheckIn, user, CheckIn.day >= start - timedelta(AVERAGE_DAYS - 1))
    in_range = [c for c in checkins if start <= c.day <= end]
    urges = [
        u for u in _rows(session, Urge, user, Urge.at >= since) if local_date(u.at, tz) >= start
    ]
    activities = _rows(session, Activity, user, Activity.day >= start)
    period = latest_period(periods_of(session, user))
    contacts = (
        _rows(session, Contact, user, Contact.at >= period.started_at) if period is not None else []
    )
    return Insights(
        start=start,
        end=end,
        days=days,
        mood=mood_series(checkins, start, end),
        urges=urge_series(urges, tz, start, end),
        social=social_series(in_range, start, end),
        timeline=timeline(period, contacts, tz, now),
        better_days=better_days(in_range, activities, start, end),
    )
