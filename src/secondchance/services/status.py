"""Load a person's history and ask the program where they stand."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.models import (
    Activity,
    CheckIn,
    Contact,
    Conversation,
    Letter,
    Memory,
    ReadinessCheck,
    Urge,
    User,
)
from secondchance.program import thresholds as t
from secondchance.program.history import History
from secondchance.program.plan import Status, status
from secondchance.program.progress import latest_period
from secondchance.services import safety_state
from secondchance.services.contact import periods_of
from secondchance.services.people import profile_of

# The rules look back at most two weeks (plus a day for time zones), apart from the slips of
# the current period: only that much is loaded, so Today costs about the same after a week or
# after years. Each window below is the longest the rules read for that kind of row.
LOOKBACK_DAYS = max(t.SELF_FOCUS_WEEKS * 7, t.READINESS_VALID_DAYS, t.PACING_WINDOW_DAYS) + 1
WEEK_DAYS = t.WINDOW_DAYS + 1


def load_history(session: Session, user: User, now: datetime) -> History:
    """Return the parts of the history the rules need at ``now``.

    The safety flags come from the remembered safety state (every text the person saved, until
    they clear it), not from the latest story alone.
    """
    profile = profile_of(session, user)
    periods = periods_of(session, user)
    fortnight = now - timedelta(days=LOOKBACK_DAYS)
    week = now - timedelta(days=WEEK_DAYS)
    current = latest_period(periods)
    contacts_since = current.started_at if current else now

    def rows(model, *where, order=None, limit=None):  # type: ignore[no-untyped-def]
        query = select(model).where(model.user_id == user.id, *where)
        if order is not None:
            query = query.order_by(order)
        if limit is not None:
            query = query.limit(limit)
        return list(session.scalars(query))

    safety = safety_state.current(session, user, now)
    return History(
        profile=profile,
        protection=safety.abuse,
        recent_crisis=safety.crisis,
        concern=safety.concern,
        safety=safety,
        periods=periods,
        # Only slips move the streaks; ignored messages from the ex don't.
        contacts=rows(
            Contact,
            Contact.at >= contacts_since,
            or_(Contact.direction == "you_to_ex", Contact.answered.is_(True)),
        ),
        urges=rows(Urge, Urge.at >= week),
        checkins=rows(CheckIn, CheckIn.day >= local_date(week, profile.timezone)),
        activities=rows(Activity, Activity.day >= local_date(fortnight, profile.timezone)),
        readiness=rows(
            ReadinessCheck,
            ReadinessCheck.at >= fortnight,
            order=ReadinessCheck.at.desc(),
            limit=1,
        ),
        conversations=rows(Conversation, Conversation.started_at >= fortnight),
        letters=rows(Letter, Letter.kind == "final", limit=1),  # the rules ask "is there one?"
        memories=rows(Memory),
    )


def current_status(session: Session, user: User, now: datetime) -> Status:
    return status(load_history(session, user, now), now)
