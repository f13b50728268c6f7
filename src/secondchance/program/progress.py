"""Where a person stands, computed from their history and one ``now``. Pure: no I/O, no clock.

Days are the person's local calendar days (their profile's time zone), so a text at 23:30
counts for the day it was sent there, and a daylight-saving change never skips or repeats a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import fmean
from typing import Any

from secondchance.clock import local_date
from secondchance.program import thresholds as t
from secondchance.program.history import CheckIn, Contact, History, NoContactPeriod, Urge
from secondchance.program.steps import READINESS_QUESTIONS, TARGETS


def is_slip(contact: Contact) -> bool:
    """Contact you start, or answering the ex, breaks no contact; an ignored message does not."""
    if contact.direction == "you_to_ex":
        return True
    return bool(contact.answered)


@dataclass(frozen=True)
class Streaks:
    """Contact-free days in a period, counted in the person's local calendar days.

    A day counts once it has begun without contact, from the day after the period starts up to
    today; the day of a slip never counts. So ``current`` is days since the last slip (or the
    start), ``longest`` the best unbroken run, ``total`` every contact-free day in the period,
    and ``slips`` the local days on which contact broke the streak.
    """

    started_on: date | None
    current: int
    longest: int
    total: int
    slips: tuple[date, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "current": self.current,
            "longest": self.longest,
            "total": self.total,
            "slips": [d.isoformat() for d in self.slips],
        }


NO_STREAKS = Streaks(None, 0, 0, 0, ())


def active_period(periods: Sequence[NoContactPeriod]) -> NoContactPeriod | None:
    """Return the period still running (the latest without an end), or None."""
    running = [p for p in periods if p.ended_at is None]
    return max(running, key=lambda p: p.started_at) if running else None


def latest_period(periods: Sequence[NoContactPeriod]) -> NoContactPeriod | None:
    return max(periods, key=lambda p: p.started_at) if periods else None


def streaks(
    period: NoContactPeriod | None, contacts: Iterable[Contact], tz: str, now: datetime
) -> Streaks:
    """Return the streaks of ``period`` up to ``now`` (or up to its end, if it ended)."""
    if period is None:
        return NO_STREAKS
    until = period.ended_at or now
    start = local_date(period.started_at, tz)
    last_day = local_date(until, tz)
    slip_days = sorted(
        {
            local_date(c.at, tz)
            for c in contacts
            if is_slip(c) and period.started_at <= c.at <= until
        }
    )
    # Runs are the days strictly between consecutive boundaries: the start, each slip day,
    # and the day after the last counted one.
    bounds = [start, *slip_days, last_day + timedelta(days=1)]
    runs = [max(0, (b - a).days - 1) for a, b in pairwise(bounds)]
    return Streaks(start, runs[-1], max(runs), sum(runs), tuple(slip_days))


@dataclass(frozen=True)
class Measures:
    """Step 2's rolling measures over the last seven local days (today included)."""

    window_start: date
    window_end: date
    checkins: int
    mood_average: float | None
    mood_trend: float | None  # mood points per day, by least squares
    crying_days: int  # days answered "yes, I cried"; an unanswered day is not counted
    cry_answers: int  # days on which "Did you cry?" was answered at all
    social_checks_per_day: float | None
    urges_resisted: int
    urges_acted: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "checkins": self.checkins,
            "mood_average": _round(self.mood_average),
            "mood_trend": _round(self.mood_trend),
            "crying_days": self.crying_days,
            "cry_answers": self.cry_answers,
            "social_checks_per_day": _round(self.social_checks_per_day),
            "urges_resisted": self.urges_resisted,
            "urges_acted": self.urges_acted,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Return the least-squares slope of (x, y) points, or None with fewer than two x values."""
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = fmean(x for x, _ in points)
    mean_y = fmean(y for _, y in points)
    num = sum((x - mean_x) * (y - mean_y) for x, y in points)
    den = sum((x - mean_x) ** 2 for x, _ in points)
    return num / den


def measures(checkins: Iterable[CheckIn], urges: Iterable[Urge], tz: str, today: date) -> Measures:
    """Return the 7-day measures ending ``today``; averages are None when there is no data."""
    start = today - timedelta(days=t.WINDOW_DAYS - 1)
    week = sorted((c for c in checkins if start <= c.day <= today), key=lambda c: c.day)
    week_urges = [u for u in urges if start <= local_date(u.at, tz) <= today]
    moods = [c.mood for c in week]
    trend = None
    if len(week) >= t.MIN_POINTS_FOR_TREND:
        trend = slope([((c.day - start).days, c.mood) for c in week])
    return Measures(
        window_start=start,
        window_end=today,
        checkins=len(week),
        mood_average=fmean(moods) if moods else None,
        mood_trend=trend,
        crying_days=sum(1 for c in week if c.cried is True),
        cry_answers=sum(1 for c in week if c.cried is not None),
        social_checks_per_day=fmean(c.social_checks for c in week) if week else None,
        urges_resisted=sum(1 for u in week_urges if u.outcome == "resisted"),
        urges_acted=sum(1 for u in week_urges if u.outcome == "acted"),
    )


@dataclass(frozen=True)
class Check:
    """One part of a gate: what is measured, the number, the bar, and whether it is met."""

    key: str
    label: str
    value: Any
    target: str
    met: bool
    # Plain words beside the number when it rests on part of the days, e.g. "2 of the 5 days
    # you answered", or why it can't be read yet.
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "target": self.target,
            "met": self.met,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Gate:
    """A condition for moving on, explained: met or not, and each number behind it."""

    key: str
    title: str
    met: bool
    summary: str
    checks: tuple[Check, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "met": self.met,
            "summary": self.summary,
            "checks": [c.to_dict() for c in self.checks],
        }


def _gate(key: str, title: str, checks: Sequence[Check], summary_met: str, summary: str) -> Gate:
    met = all(c.met for c in checks)
    return Gate(key, title, met, summary_met if met else summary, tuple(checks))


def no_contact_gate(s: Streaks, target_days: int, started: bool) -> Gate:
    check = Check(
        "contact_free_days",
        "Days without contact",
        s.current,
        f"at least {target_days}",
        started and s.current >= target_days,
    )
    if not started:
        summary = "Not started yet: no contact begins the day you decide."
    else:
        left = max(0, target_days - s.current)
        summary = f"{s.current} of {target_days} days: {left} to go."
    return _gate(
        "no_contact",
        "No contact",
        [check],
        f"Done: {s.current} days without contact (target {target_days}).",
        summary,
    )


def emotions_gate(m: Measures) -> Gate:
    checks = [
        Check(
            "checkins",
            "Check-ins this week",
            m.checkins,
            f"at least {t.MIN_CHECKINS_PER_WEEK}",
            m.checkins >= t.MIN_CHECKINS_PER_WEEK,
        ),
        Check(
            "mood_average",
            "Average mood",
            _round(m.mood_average),
            f"{t.MOOD_AVERAGE_MIN:g} or more",
            m.mood_average is not None and m.mood_average >= t.MOOD_AVERAGE_MIN,
        ),
        Check(
            "mood_trend",
            "Mood trend, points a day",
            _round(m.mood_trend),
            f"not falling faster than {abs(t.MOOD_TREND_MIN):g}",
            m.mood_trend is not None and m.mood_trend >= t.MOOD_TREND_MIN,
        ),
        crying_check(m),
        Check(
            "social_checks",
            "Profile checks a day",
            _round(m.social_checks_per_day),
            f"{t.SOCIAL_CHECKS_PER_DAY_MAX:g} or fewer",
            m.social_checks_per_day is not None
            and m.social_checks_per_day <= t.SOCIAL_CHECKS_PER_DAY_MAX,
        ),
        Check(
            "urges_acted",
            "Urges acted on",
            m.urges_acted,
            f"{t.URGES_ACTED_MAX}",
            m.urges_acted <= t.URGES_ACTED_MAX,
        ),
    ]
    summary = "Not yet: one steady week of check-ins opens this."
    if not crying_known(m) and all(c.met for c in checks if c.key != "crying_days"):
        # Everything else is steady; only the missing answers stand in the way. Say so, rather
        # than a "not yet" that reads like a judgement on a week we know nothing about.
        summary = f"Nearly there: {ANSWER_CRY}."
    return _gate(
        "emotions",
        "Calm and in control",
        checks,
        "A steady week: your feelings are yours to steer.",
        summary,
    )


ANSWER_CRY = "answer 'Did you cry?' on a few check-ins to see this"


def crying_known(m: Measures) -> bool:
    """True when the week says enough about tears to judge: too many tears already answered,
    or at least ``CRY_ANSWERS_MIN`` days answered."""
    return m.crying_days > t.CRYING_DAYS_MAX or m.cry_answers >= t.CRY_ANSWERS_MIN


def crying_check(m: Measures) -> Check:
    """Crying days among the days that answered "Did you cry?".

    An unanswered day counts neither as a crying day nor as a dry one. Too few answers: the
    value is None and the check is not met (no pass on no evidence), with a detail that asks
    for answers instead of a fail. Crying days above the bar fail on what is known, however
    few the answers.
    """
    unanswered = m.checkins - m.cry_answers
    if not crying_known(m):
        detail = ANSWER_CRY[0].upper() + ANSWER_CRY[1:]
        if m.cry_answers:
            detail = f"only {m.cry_answers} of {m.checkins} days answered: {ANSWER_CRY}"
        return Check(
            "crying_days", "Days you cried", None, f"{t.CRYING_DAYS_MAX} or fewer", False, detail
        )
    detail = ""
    if unanswered:
        detail = f"{m.crying_days} of the {m.cry_answers} days you answered"
    return Check(
        "crying_days",
        "Days you cried",
        m.crying_days,
        f"{t.CRYING_DAYS_MAX} or fewer",
        m.crying_days <= t.CRYING_DAYS_MAX,
        detail,
    )


def activity_counts(activities: Iterable[Any], first: date, last: date) -> dict[str, int]:
    """Return how many activities of each kind fall on days ``first``..``last``."""
    counts: dict[str, int] = {}
    for a in activities:
        if first <= a.day <= last:
            counts[a.kind] = counts.get(a.kind, 0) + 1
    return counts


def self_focus_gate(history: History, today: date) -> Gate:
    """Targets met in each of the last two weeks (the fortnightly one over both)."""
    profile = history.profile
    checks: list[Check] = []
    for target in TARGETS:
        wanted = getattr(profile, target.column)
        if target.period_days == 14:
            windows = [(today - timedelta(days=13), today)]
        else:
            # Oldest week first, so the numbers read in the order the label gives them.
            windows = [
                (today - timedelta(days=7 * w + 6), today - timedelta(days=7 * w))
                for w in reversed(range(t.SELF_FOCUS_WEEKS))
            ]
        done = [
            sum(activity_counts(history.activities, a, b).get(k, 0) for k in target.kinds)
            for a, b in windows
        ]
        per = "a fortnight" if target.period_days == 14 else "a week"
        value = done[0] if len(done) == 1 else done
        checks.append(
            Check(
                target.key,
                target.label.capitalize()
                + (" (last week, this week)" if len(done) > 1 else " (two weeks)"),
                value,
                f"{wanted} {per}",
                all(n >= wanted for n in done),
            )
        )
    return _gate(
        "self_focus",
        "Focus on yourself",
        checks,
        "Two good weeks for yourself: it shows.",
        "Not yet: meet your targets two weeks running.",
    )


def readiness_passed(answers: dict[str, bool]) -> bool:
    return all(answers.get(q.key) is True for q in READINESS_QUESTIONS)


def readiness_gate(history: History, now: datetime) -> Gate:
    valid_after = now - timedelta(days=t.READINESS_VALID_DAYS)
    recent = [r for r in history.readiness if valid_after <= r.at <= now]
    latest = max(recent, key=lambda r: r.at) if recent else None
    yes = sum(1 for v in latest.answers.values() if v is True) if latest else 0
    check = Check(
        "self_assessment",
        "Readiness check (yes answers)",
        yes if latest else None,
        f"all {len(READINESS_QUESTIONS)}, within {t.READINESS_VALID_DAYS} days",
        latest is not None and readiness_passed(latest.answers),
    )
    if latest is None:
        summary = "Take the readiness check when the other gates are met."
    else:
        summary = "Not yet: some answers were 'not yet'. That's honest, and it's fine to wait."
    return _gate(
        "readiness", "Ready in yourself", [check], "You said you're ready, and it shows.", summary
    )
