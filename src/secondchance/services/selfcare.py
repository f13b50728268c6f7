"""Step 3: things done for yourself, in the program's three tracks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.models import Activity, User
from secondchance.program.steps import ACTIVITY_KINDS
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.people import owned, profile_of


def log_activity(
    session: Session,
    user: User,
    now: datetime,
    *,
    kind: str,
    note: str = "",
    day: date | str | None = None,
) -> Activity:
    """Record an activity on ``day`` (default today, local) and return it; future days are
    refused. A note that shows crisis, concern or abuse is remembered."""
    profile = profile_of(session, user)
    today = local_date(now, profile.timezone)
    when = today if day is None else v.not_future("day", v.day("day", day), today)
    row = Activity(
        user_id=user.id,
        day=when,
        kind=v.choice("kind", kind, ACTIVITY_KINDS),
        note=v.text("note", note, max_length=v.LIMITS["activity_note"]),
        created_at=now,
    )
    session.add(row)
    session.flush()
    safety_state.record_texts(session, user, "activity", row.id, now, row.note)
    return row


def activity_of(session: Session, user: User, row_id: int) -> Activity:
    """Return Activity row_id if it is ``user``'s; NotFound otherwise (someone else's too)."""
    return owned(session, Activity, row_id, user)
