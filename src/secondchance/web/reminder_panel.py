"""What the reminders part of Settings shows: the overview and its sentence (services.reminders)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from secondchance.services.reminders import next_words, overview
from secondchance.services.rows import Person


def panel(session: Session, user: Person, now: datetime) -> dict[str, Any]:
    """What the reminders part of Settings needs: the overview and the sentence about it."""
    view = overview(session, user, now)
    return {"view": view, "next_words": next_words(view, now)}
