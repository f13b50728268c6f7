"""The words Settings shows about reminders, from the rule's answer (services.reminders)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from secondchance.models import User
from secondchance.services.reminders import Overview, overview


def when(moment: datetime, now: datetime, tz: str) -> str:
    """ "today at 20:00", "tomorrow at 07:30" or "Friday 20 November at 20:00", in ``tz``."""
    zone = ZoneInfo(tz)
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{local.strftime('%A')} {local.day} {local.strftime('%B')} at {clock}"


def next_words(view: Overview, now: datetime) -> str:
    """One or two kind sentences on when the next reminder comes, or why none will."""
    found = view.next
    if found.why == "off":
        return "Reminders on your devices are off."
    if found.why == "protection":
        return (
            "While protection is on, reminders stay silent, so nothing on your screen draws "
            "attention. If you'd like them anyway, tick the box below."
        )
    if found.why == "quiet":
        return (
            f"{view.at} is inside your quiet hours, so no reminder would come. Choose another "
            "time, or change your quiet hours."
        )
    assert found.next_at is not None
    if found.due:
        words = "Your next reminder: now, unless you check in first."
    else:
        words = f"Your next reminder: {when(found.next_at, now, view.timezone)}"
        words += ", only if you haven't checked in by then."
    if view.logged_today:
        words = "You've checked in today, so nothing more today. " + words
    if not view.devices:
        words += " No device is set to receive it yet: allow reminders on this device below."
    return words


def panel(session: Session, user: User, now: datetime) -> dict[str, Any]:
    """What the reminders part of Settings needs: the overview and the sentence about it."""
    view = overview(session, user, now)
    return {"view": view, "next_words": next_words(view, now)}
