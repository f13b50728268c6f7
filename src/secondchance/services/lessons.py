"""The daily lesson for a person: their situation from the history, the pure choice, reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.clock import local_date, zone
from secondchance.models import LessonRead, User
from secondchance.program import lessons as rules
from secondchance.program.lessons import Lesson, Situation
from secondchance.program.plan import Status
from secondchance.services.errors import NotFound
from secondchance.services.people import profile_of
from secondchance.services.status import kept, standing

# Late urges: from ten at night until five in the morning, in the person's own time zone.
NIGHT_FROM, NIGHT_UNTIL = 22, 5
RECENT_DAYS = 7
LOW_MOOD = 4  # an average mood at or below this over the week asks for self-care first


@dataclass(frozen=True)
class TodayLesson:
    lesson: Lesson  # already in the person's words (the ex's name and pronouns)
    read: bool
    step: int
    day_in_step: int


def read_slugs(session: Session, user: User) -> frozenset[str]:
    query = select(LessonRead.slug).where(LessonRead.user_id == user.id)
    return frozenset(session.scalars(query))


def _day_in_step(state: Status) -> int:
    """Days into the person's step: step 1 counts days without contact; later steps count the
    days past the no-contact target (no contact goes on through steps 2 and 3)."""
    current = state.streaks.current
    if state.step == 1:
        return current + 1
    return max(1, current + 1 - state.target_days)


def situation_of(session: Session, user: User, now: datetime) -> Situation:
    """Return the plain facts the lesson choice needs at ``now``."""
    history, state = standing(session, user, now)
    tz = history.profile.timezone
    week_ago = now - timedelta(days=RECENT_DAYS)
    m = state.measures
    facts = set()
    if history.recent_crisis:
        facts.add("crisis")
    if history.protection:
        facts.add("protection")
    if any(day >= local_date(week_ago, tz) for day in state.streaks.slips):
        facts.add("slip")
    if m.crying_days:
        facts.add("cried")
    if m.social_checks_per_day is not None and m.social_checks_per_day >= 1:
        facts.add("profile_checks")
    recent_urges = [u for u in history.urges if u.at >= week_ago]
    if recent_urges:
        facts.add("urges")
    hours = [u.at.astimezone(zone(tz)).hour for u in recent_urges]
    if any(h >= NIGHT_FROM or h < NIGHT_UNTIL for h in hours):
        facts.add("night_urges")
    if m.mood_average is not None and m.mood_average <= LOW_MOOD:
        facts.add("low_mood")
    return Situation(
        step=state.step,
        day_in_step=_day_in_step(state),
        goal=history.profile.goal,
        protection=history.protection,
        crisis=history.recent_crisis,
        facts=frozenset(facts),
        read=read_slugs(session, user),
    )


def _words(session: Session, user: User, lesson: Lesson) -> Lesson:
    profile = profile_of(session, user)
    return lesson.in_words(profile.ex_name, profile.ex_pronouns)


def today_lesson(session: Session, user: User, now: datetime) -> TodayLesson:
    """Return today's lesson for ``user``, in their words, and whether it was read.

    Kept with the status (``kept``): reading a lesson or changing the profile moves the
    person's revision, and the lesson follows only from those, the status and the day.
    """
    return kept(session, user, now, "lesson", lambda: _today_lesson(session, user, now))


def _today_lesson(session: Session, user: User, now: datetime) -> TodayLesson:
    situation = situation_of(session, user, now)
    lesson = rules.choose(rules.all_lessons(), situation)
    # The profile as the standing read it (kept for this transaction): Today's person may be
    # plain data, not a row whose profile the session already holds.
    profile = standing(session, user, now)[0].profile
    return TodayLesson(
        lesson=lesson.in_words(profile.ex_name, profile.ex_pronouns),
        read=lesson.slug in situation.read,
        step=situation.step,
        day_in_step=situation.day_in_step,
    )


def lessons_for(session: Session, user: User, now: datetime) -> tuple[Situation, dict]:
    """Return the situation and the lessons this person may read, by step, in their words."""
    situation = situation_of(session, user, now)
    groups = rules.by_step(rules.all_lessons(), situation)
    worded = {step: [_words(session, user, x) for x in items] for step, items in groups.items()}
    return situation, worded


def open_lesson(session: Session, user: User, slug: str, now: datetime) -> Lesson:
    """Return the lesson ``slug`` in the person's words and mark it read.

    A lesson this person shouldn't be shown (a win-back lesson under protection, say) is
    NotFound, like a slug that doesn't exist.
    """
    lesson = rules.by_slug(rules.all_lessons(), slug)
    if lesson is None or not rules.allowed(lesson, situation_of(session, user, now)):
        raise NotFound(f"no lesson called {slug!r}")
    if slug not in read_slugs(session, user):
        session.add(LessonRead(user_id=user.id, slug=slug, read_at=now))
        session.flush()
    return _words(session, user, lesson)
