"""The reply to what was just logged: load the few facts the rules need, and ask them.

Each function takes the row just saved (in the caller's transaction) and returns the
``program.replies.Reply`` for it. A few small queries each: the profile, the safety state,
and the two weeks of check-ins or the running period's slips.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from secondchance.analysis.safety import SafetyResult
from secondchance.models import CheckIn, Contact, Conversation, Urge, User
from secondchance.program import replies as r
from secondchance.program import thresholds as t
from secondchance.program.progress import active_period, streaks
from secondchance.services import safety_state
from secondchance.services.contact import periods_of
from secondchance.services.people import Caller, profile_of


def person(
    session: Session, user: User | Caller, now: datetime, found: SafetyResult | None = None
) -> r.Person:
    """Return who the reply is for, with protection on when their words have shown abuse.

    ``found``: what the safety check saw in the words just saved, when the caller knows it
    (``safety_state.abuse_on_after`` then may need no read).
    """
    profile = profile_of(session, user)
    if found is None:
        protection = safety_state.current(session, user, now).abuse
    else:
        protection = safety_state.abuse_on_after(session, user, found, now)
    return r.Person(
        ex_name=profile.ex_name,
        pronouns=profile.ex_pronouns,
        timezone=profile.timezone,
        protection=protection,
    )


# Built once: every check-in's reply reads the two weeks up to its day.
_DAYS = select(CheckIn.day, CheckIn.mood, CheckIn.cried).where(
    CheckIn.user_id == bindparam("user_id"),
    CheckIn.day >= bindparam("first"),
    CheckIn.day <= bindparam("last"),
)


def checkin_reply(
    session: Session,
    user: User | Caller,
    row: CheckIn,
    now: datetime,
    found: SafetyResult | None = None,
) -> r.Reply:
    """Return the reply to the check-in ``row``, reading the two weeks up to its day
    (``found``: what its note showed, as ``person`` takes it)."""
    first = row.day - timedelta(days=2 * t.WINDOW_DAYS - 1)
    window = {"user_id": user.id, "first": first, "last": row.day}
    earlier = [r.DaySeen(day, mood, cried) for day, mood, cried in session.execute(_DAYS, window)]
    entry = r.CheckInEntry(
        day=row.day,
        mood=row.mood,
        emotions=tuple(row.emotions),
        cried=row.cried,
        social_checks=row.social_checks,
        slept_well=row.slept_well,
    )
    return r.reply_to_checkin(entry, earlier, person(session, user, now, found))


def contact_reply(
    session: Session, user: User, row: Contact, counts_as_slip: bool, now: datetime
) -> r.Reply:
    """Return the reply to logged contact, with the running period's longest run and total."""
    who = person(session, user, now)
    longest = total = 0
    period = active_period(periods_of(session, user))
    if period is not None:
        query = select(Contact).where(
            Contact.user_id == user.id,
            Contact.at >= period.started_at,
            or_(Contact.direction == "you_to_ex", Contact.answered.is_(True)),
        )
        counted = streaks(period, session.scalars(query), who.timezone, now)
        longest, total = counted.longest, counted.total
    entry = r.ContactEntry(
        at=row.at,
        direction=row.direction,
        channel=row.channel,
        answered=row.answered,
        counts_as_slip=counts_as_slip,
        longest_run=longest,
        total_days=total,
    )
    return r.reply_to_contact(entry, who)


def urge_reply(session: Session, user: User, row: Urge, now: datetime) -> r.Reply:
    entry = r.UrgeEntry(
        at=row.at, intensity=row.intensity, outcome=row.outcome, trigger=row.trigger
    )
    return r.reply_to_urge(entry, person(session, user, now))


def conversation_reply(session: Session, user: User, row: Conversation, now: datetime) -> r.Reply:
    entry = r.ConversationEntry(
        started_by=row.started_by,
        messages=row.messages,
        ex_replied=row.ex_replied,
        ended_by=row.ended_by,
        relationship_talk=row.relationship_talk,
    )
    return r.reply_to_conversation(entry, person(session, user, now))
