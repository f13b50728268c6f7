"""Step 2: the daily check-in, one per local day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from secondchance.analysis.safety import SafetyResult
from secondchance.clock import local_date
from secondchance.models import CheckIn, User
from secondchance.program.replies import Reply
from secondchance.program.steps import EMOTIONS
from secondchance.services import replies, safety_notice, safety_state
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import newest, profile_of
from secondchance.services.safety_notice import SafetyNotice

# Nobody checks a profile more than this in a day without it being a typo.
MAX_SOCIAL_CHECKS = 1000


@dataclass
class CheckInInput:
    mood: int
    emotions: Iterable[str] = ()
    # None means "not answered": a skipped question is unknown, never a quiet "no" or "yes".
    cried: bool | None = None
    social_checks: int = 0
    slept_well: bool | None = None
    note: str = ""
    day: date | str | None = None  # default: today in the person's time zone


def _emotions(words: Iterable[str]) -> list[str]:
    chosen: list[str] = []
    for word in words:
        cleaned = word.strip().lower()
        if not cleaned:
            continue
        if cleaned not in EMOTIONS:
            raise InputError(
                "emotions", f"{word!r} isn't in the list; choose from: {', '.join(EMOTIONS)}"
            )
        if cleaned not in chosen:
            chosen.append(cleaned)
    return chosen


def _answer(value: bool | None) -> bool | None:
    """A yes/no answer, or None when it was not given."""
    return None if value is None else bool(value)


@dataclass(frozen=True)
class CheckInSaved:
    """What saving a check-in gives every face: the row, whether it replaced that day's, the
    safety notice for its note (with the help lines when a flag is up) and the reply."""

    row: CheckIn
    replaced: bool
    safety: SafetyNotice
    reply: Reply


def check_in(
    session: Session,
    user: User,
    data: CheckInInput,
    now: datetime,
    *,
    overrides: dict[str, Any] | None = None,
) -> CheckInSaved:
    """Save the check-in for its day (see ``save_checkin``) and say what to show for it.

    The note is read once: the same reading is remembered (``safety_state``) and shown.
    ``overrides`` are the app's own help lines, if any. Raises InputError like ``save_checkin``.
    """
    row, replaced, found = _save(session, user, data, now)
    return CheckInSaved(
        row=row,
        replaced=replaced,
        safety=safety_notice.notice_of(session, user, found, overrides),
        reply=replies.checkin_reply(session, user, row, now),
    )


def save_checkin(
    session: Session, user: User, data: CheckInInput, now: datetime
) -> tuple[CheckIn, bool]:
    """Save the check-in for its day, replacing an earlier one for that day.

    Returns the row and True if it replaced one. Past days can be filled in; future days can't.
    A note that shows crisis, concern or abuse is remembered (``safety_state``); saving the day
    again with the same note doesn't remember it twice.
    """
    row, replaced, _ = _save(session, user, data, now)
    return row, replaced


def _save(
    session: Session, user: User, data: CheckInInput, now: datetime
) -> tuple[CheckIn, bool, SafetyResult]:
    """``save_checkin``, also returning what the safety check saw in the note."""
    profile = profile_of(session, user)
    today = local_date(now, profile.timezone)
    day = today if data.day is None else v.not_future("day", v.day("day", data.day), today)
    values = {
        "mood": v.whole_number("mood", data.mood, 1, 10),
        "emotions": _emotions(data.emotions),
        "cried": _answer(data.cried),
        "social_checks": v.whole_number("social_checks", data.social_checks, 0, MAX_SOCIAL_CHECKS),
        "slept_well": _answer(data.slept_well),
        "note": v.text("note", data.note, max_length=v.LIMITS["checkin_note"]),
    }
    found = safety_state.check_texts(values["note"])
    existing = checkin_on(session, user, day)
    if existing is not None:
        note_changed = existing.note != values["note"]
        for key, value in values.items():
            setattr(existing, key, value)
        existing.updated_at = now
        session.flush()
        if note_changed:
            safety_state.record(session, user, found, "checkin", existing.id, now)
        return existing, True, found
    row = CheckIn(user_id=user.id, day=day, created_at=now, updated_at=now, **values)
    session.add(row)
    session.flush()
    safety_state.record(session, user, found, "checkin", row.id, now)
    return row, False, found


def recent_checkins(session: Session, user: User, limit: int) -> list[CheckIn]:
    """Return ``user``'s check-ins, newest day first, at most ``limit``."""
    return newest(session, CheckIn, user, CheckIn.day, limit=limit)


def checkin_on(session: Session, user: User, day: date) -> CheckIn | None:
    """Return ``user``'s check-in for ``day``, or None."""
    return session.scalar(_CHECKIN_ON, {"user_id": user.id, "day": day})


# Built once: saving a check-in (the API's busiest write) looks up that day's first.
_CHECKIN_ON = select(CheckIn).where(
    CheckIn.user_id == bindparam("user_id"), CheckIn.day == bindparam("day")
)
