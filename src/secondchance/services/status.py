"""Load a person's history and ask the program where they stand."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
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
from secondchance.services.contact import periods_of
from secondchance.services.people import profile_of

# The rules never look further back than two weeks (plus a day for time zones) except for
# streaks, so only that much is loaded: Today costs the same after a week or after years.
LOOKBACK_DAYS = max(t.SELF_FOCUS_WEEKS * 7, t.READINESS_VALID_DAYS, t.PACING_WINDOW_DAYS) + 1


def load_history(session: Session, user: User, now: datetime) -> History:
    """Return the parts of the history the rules need at ``now``."""
    profile = profile_of(session, user)
    periods = periods_of(session, user)
    since = now - timedelta(days=LOOKBACK_DAYS)
    since_day = local_date(since, profile.timezone)
    current = latest_period(periods)
    contacts_since = current.started_at if current else now

    def rows(model, *where):  # type: ignore[no-untyped-def]
        return list(session.scalars(select(model).where(model.user_id == user.id, *where)))

    return History(
        profile=profile,
        periods=periods,
        contacts=rows(Contact, Contact.at >= contacts_since),
        urges=rows(Urge, Urge.at >= since),
        checkins=rows(CheckIn, CheckIn.day >= since_day),
        activities=rows(Activity, Activity.day >= since_day),
        readiness=rows(ReadinessCheck, ReadinessCheck.at >= since),
        conversations=rows(Conversation, Conversation.started_at >= since),
        letters=rows(Letter, Letter.kind == "final"),
        memories=rows(Memory),
    )


def current_status(session: Session, user: User, now: datetime) -> Status:
    return status(load_history(session, user, now), now)
