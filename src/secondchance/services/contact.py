"""Step 1: starting no contact, logging contact and urges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.models import Contact, NoContactPeriod, Urge, User
from secondchance.program.progress import active_period, is_slip
from secondchance.program.steps import CONTACT_CHANNELS, CONTACT_DIRECTIONS, URGE_OUTCOMES
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import newest, profile_of, target_days


def periods_of(session: Session, user: User) -> list[NoContactPeriod]:
    query = select(NoContactPeriod).where(NoContactPeriod.user_id == user.id)
    return list(session.scalars(query.order_by(NoContactPeriod.started_at)))


def start_no_contact(
    session: Session,
    user: User,
    now: datetime,
    *,
    started_at: datetime | None = None,
    target: int | None = None,
) -> NoContactPeriod:
    """Start a no-contact period (from ``started_at``, default now; a past start is allowed).

    Raises InputError if one is already running. A period that ended in re-contact stays in
    the history; starting again means the program begins anew from step 1.
    """
    profile = profile_of(session, user)
    start = v.moment("started_at", started_at or now, now)
    periods = periods_of(session, user)
    running = active_period(periods)
    if running is not None:
        raise InputError(
            "no_contact",
            f"already running since {running.started_at:%Y-%m-%d}. Keep going, you're on your way.",
        )
    if periods and start < max(p.ended_at or p.started_at for p in periods):
        raise InputError("started_at", "can't begin before your previous period ended")
    if target is not None:
        profile.no_contact_target_days = target_days(target)
    period = NoContactPeriod(user_id=user.id, started_at=start, ended_at=None, end_reason=None)
    session.add(period)
    session.flush()
    return period


def log_contact(
    session: Session,
    user: User,
    now: datetime,
    *,
    direction: str,
    channel: str,
    answered: bool | None = None,
    note: str = "",
    at: datetime | None = None,
) -> tuple[Contact, bool]:
    """Record contact with the ex. Returns the row and whether it counts as a slip.

    For contact you started, ``answered`` is meaningless and stored as None. Past contact
    can be backfilled with ``at``; the streaks are recomputed from history either way. A note
    that shows crisis, concern or abuse is remembered (as written ``now``, whatever ``at``).
    """
    profile_of(session, user)
    direction = v.choice("direction", direction, CONTACT_DIRECTIONS)
    row = Contact(
        user_id=user.id,
        at=v.moment("at", at or now, now),
        direction=direction,
        channel=v.choice("channel", channel, CONTACT_CHANNELS),
        answered=None if direction == "you_to_ex" else bool(answered),
        note=v.text("note", note, max_length=v.LIMITS["contact_note"]),
    )
    session.add(row)
    session.flush()
    safety_state.record_texts(session, user, "contact", row.id, now, row.note)
    running = active_period(periods_of(session, user))
    counts = running is not None and row.at >= running.started_at and is_slip(row)
    return row, counts


def log_urge(
    session: Session,
    user: User,
    now: datetime,
    *,
    intensity: int,
    outcome: str = "resisted",
    trigger: str = "",
    instead: str = "",
    at: datetime | None = None,
) -> Urge:
    """Record an urge to get in touch: how strong (1-10), what set it off, what you did.

    Returns the row. What set it off and what was done instead are each checked for crisis,
    concern or abuse, and remembered when they show any.
    """
    profile_of(session, user)
    row = Urge(
        user_id=user.id,
        at=v.moment("at", at or now, now),
        intensity=v.whole_number("intensity", intensity, 1, 10),
        outcome=v.choice("outcome", outcome, URGE_OUTCOMES),
        trigger=v.text("trigger", trigger, max_length=v.LIMITS["urge_trigger"]),
        instead=v.text("instead", instead, max_length=v.LIMITS["urge_instead"]),
    )
    session.add(row)
    session.flush()
    safety_state.record_texts(session, user, "urge", row.id, now, row.trigger, row.instead)
    return row


def recent_contacts(session: Session, user: User, limit: int) -> list[Contact]:
    """Return ``user``'s contacts, newest first, at most ``limit``."""
    return newest(session, Contact, user, Contact.at, Contact.id, limit=limit)


def recent_urges(session: Session, user: User, limit: int) -> list[Urge]:
    """Return ``user``'s urges, newest first, at most ``limit``."""
    return newest(session, Urge, user, Urge.at, Urge.id, limit=limit)
