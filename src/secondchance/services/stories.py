"""The story of the breakup: kept as the person told it, read again whenever it is shown.

Only the text is stored. The reading (``analysis.read_story``) is made fresh each time, so a
better reader tomorrow reads yesterday's story better too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.analysis.safety import SafetyResult
from secondchance.analysis.story import StoryReading, read_story
from secondchance.clock import local_date, zone
from secondchance.models import NoContactPeriod, Profile, Story, User
from secondchance.program import thresholds as t
from secondchance.program.progress import active_period
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.contact import periods_of, start_no_contact
from secondchance.services.errors import InputError
from secondchance.services.people import ProfileInput, profile_of, save_profile, target_days

# Room for a long, raw story (about 8,000 words) while a pasted book is still refused.
MAX_STORY = v.LIMITS["story"]
# "I stopped talking to him on ..." can go back at most this far: a start longer ago than the
# longest target would count as a finished no contact the moment it began.
MAX_START_DAYS_AGO = t.NO_CONTACT_MAX_DAYS


@dataclass(frozen=True)
class Told:
    """A story and its reading. ``story`` is None when the text was read but not kept."""

    story: Story | None
    reading: StoryReading
    text: str

    @property
    def worth_keeping(self) -> bool:
        """True when the reading says something: a story, or words that need help first."""
        return self.reading.is_story or self.reading.safety.crisis or self.reading.safety.abuse


def save_story(
    session: Session, user: User, text: str, now: datetime, reading: StoryReading | None = None
) -> Story:
    """Keep ``text`` as the person's latest story and return the row.

    The row remembers whether the reading (``reading``, or a fresh one) found crisis or abuse,
    and what it found is recorded as safety signals (``safety_state``), so the rest of the
    program puts safety first until the person clears it, whatever a later story says. Raises
    InputError (field ``story``) for empty text or more than MAX_STORY characters. Earlier
    stories stay; the latest one counts.
    """
    profile = profile_of(session, user)
    cleaned = v.text("story", text, max_length=MAX_STORY, required=True)
    reading = reading or read(profile, cleaned, now)
    row = Story(
        user_id=user.id,
        created_at=now,
        text=cleaned,
        crisis=reading.safety.crisis,
        abuse=reading.safety.abuse,
    )
    session.add(row)
    session.flush()
    found = reading.safety.result or SafetyResult(reading.safety.crisis, reading.safety.abuse)
    safety_state.record(session, user, found, "story", row.id, now)
    return row


def latest_story(session: Session, user: User) -> Story | None:
    """Return the person's most recent story, or None if they haven't told one."""
    query = select(Story).where(Story.user_id == user.id)
    return session.scalars(
        query.order_by(Story.created_at.desc(), Story.id.desc()).limit(1)
    ).first()


def read(profile: Profile, text: str, now: datetime, overrides: Any = None) -> StoryReading:
    """Return the reading of ``text`` for this person: their country's help lines, and month
    names ("since March") counted from their own local date."""
    return read_story(
        text,
        country=profile.country,
        resource_overrides=overrides,
        today=local_date(now, profile.timezone),
    )


def tell_story(
    session: Session,
    user: User,
    text: str,
    now: datetime,
    *,
    save: bool = True,
    overrides: Any = None,
) -> Told:
    """Read ``text`` and, when ``save`` and it is worth keeping, keep it as the latest story.

    Text that isn't a story ("hi") is read but not kept, unless it shows crisis or abuse: words
    like those are kept so the help they call for is there again when the story is reopened.
    Raises InputError before anything is written if the text is empty or too long.
    """
    profile = profile_of(session, user)
    cleaned = v.text("story", text, max_length=MAX_STORY, required=True)
    told = Told(None, read(profile, cleaned, now, overrides), cleaned)
    if save and told.worth_keeping:
        story = save_story(session, user, cleaned, now, told.reading)
        told = Told(story, told.reading, cleaned)
    return told


def latest_reading(
    session: Session, user: User, now: datetime, overrides: Any = None
) -> Told | None:
    """Return the latest story read afresh, or None if there is no story yet."""
    story = latest_story(session, user)
    if story is None:
        return None
    return Told(story, read(profile_of(session, user), story.text, now, overrides), story.text)


def running_period(session: Session, user: User) -> NoContactPeriod | None:
    """Return the no-contact period running now, or None."""
    return active_period(periods_of(session, user))


def use_plan(
    session: Session,
    user: User,
    now: datetime,
    *,
    target: int | str | None = None,
    since: date | str | None = None,
) -> NoContactPeriod | None:
    """Take the story's plan: set the no-contact target and start no contact.

    ``target`` is the number of days (at least 14, with the reason when less); None keeps the
    profile's own (used when no contact is protection with no countdown). ``since`` is the local
    day no contact really began, such as the day of the last contact; None or empty means now.
    When a period is already running, only the target changes and None is returned; otherwise
    the new period is returned. Everything is checked before anything is written.
    """
    profile = profile_of(session, user)
    days = None if target is None or str(target).strip() == "" else target_days(target)
    start = _start_moment(since, profile.timezone, now)
    if running_period(session, user) is not None:
        if days is not None:
            save_profile(session, user, ProfileInput(no_contact_target_days=days), now)
        return None
    return start_no_contact(session, user, now, started_at=start, target=days)


def _start_moment(since: date | str | None, tz: str, now: datetime) -> datetime:
    """Return when no contact began: now for today or nothing given, else noon of that day.

    Noon sits safely inside the day in every zone; only the day matters to the streaks.
    """
    if since is None or str(since).strip() == "":
        return now
    today = local_date(now, tz)
    day = v.not_future("since", v.day("since", since), today)
    if day == today:
        return now
    if day < today - timedelta(days=MAX_START_DAYS_AGO):
        raise InputError(
            "since",
            f"is more than {MAX_START_DAYS_AGO} days ago. If it has been that long, "
            "start from today: the days ahead are the ones that count now.",
        )
    return datetime.combine(day, time(12), tzinfo=zone(tz))
