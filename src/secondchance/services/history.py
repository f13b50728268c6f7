"""What a person logged lately, kind by kind: the rows ``secondchance history`` lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.models import Activity, CheckIn, Contact, Conversation, Letter, Memory, Urge, User

# Each kind, with its table and the column that says when (a moment, or a day).
KINDS: dict[str, tuple[Any, Any, bool]] = {
    "contacts": (Contact, Contact.at, False),
    "urges": (Urge, Urge.at, False),
    "checkins": (CheckIn, CheckIn.day, True),
    "activities": (Activity, Activity.day, True),
    "conversations": (Conversation, Conversation.started_at, False),
    "memories": (Memory, Memory.created_at, False),
    "letters": (Letter, Letter.created_at, False),
}


def logged_since(
    session: Session, user: User, kind: str, since: datetime, since_day: date
) -> list[Any]:
    """Return ``user``'s rows of ``kind`` (a key of KINDS) from ``since`` on (``since_day``
    for the kinds kept by day), in the order the database gives them."""
    model, column, by_day = KINDS[kind]
    start = since_day if by_day else since
    return list(session.scalars(select(model).where(model.user_id == user.id, column >= start)))
