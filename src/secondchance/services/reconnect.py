"""Step 4: the readiness check and, after re-contact, the conversation log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from secondchance.models import Conversation, ReadinessCheck, User
from secondchance.program.progress import active_period, readiness_passed
from secondchance.program.steps import CONVERSATION_SIDES, READINESS_QUESTIONS
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.contact import periods_of
from secondchance.services.errors import InputError
from secondchance.services.people import owned, profile_of
from secondchance.services.status import current_status

# Nobody logs a conversation of more messages than this; it guards against typos.
MAX_MESSAGES = 10_000


def take_readiness_check(
    session: Session, user: User, now: datetime, answers: Mapping[str, bool]
) -> tuple[ReadinessCheck, bool]:
    """Store the answers (every question must be answered).

    Returns the row and whether it passed (every answer "yes").
    """
    profile_of(session, user)
    keys = [q.key for q in READINESS_QUESTIONS]
    missing = [k for k in keys if k not in answers]
    unknown = [k for k in answers if k not in keys]
    if missing or unknown:
        raise InputError("answers", f"answer each of: {', '.join(keys)}")
    cleaned = {k: bool(answers[k]) for k in keys}
    row = ReadinessCheck(user_id=user.id, at=now, answers=cleaned)
    session.add(row)
    session.flush()
    return row, readiness_passed(cleaned)


def log_conversation(session: Session, user: User, now: datetime, **fields: Any) -> Conversation:
    """Log a conversation (see ``_log_conversation``), all of it or nothing: in a savepoint, so
    a refusal leaves the caller's transaction as it was, even when the caller goes on to commit
    (a form shown again with its reason)."""
    with session.begin_nested():
        return _log_conversation(session, user, now, **fields)


def _log_conversation(
    session: Session,
    user: User,
    now: datetime,
    *,
    started_by: str,
    messages: int,
    ex_replied: bool = True,
    ended_by: str | None = None,
    relationship_talk: bool = False,
    note: str = "",
    started_at: datetime | None = None,
) -> Conversation:
    """Log a conversation after re-contact.

    The first one is the re-contact itself: it is allowed only once step 4 is unlocked, and it
    ends the no-contact period (the streak is kept in history). On the move-on path step 4 is
    closure, so conversations are refused with an explanation. A note that shows crisis,
    concern or abuse is remembered; abuse turns the program into protection from then on.
    """
    profile = profile_of(session, user)
    if profile.goal == "move_on":
        raise InputError(
            "goal",
            "your goal is to move on, so step 4 is closure, not re-contact. If your heart has "
            "changed, you can set a new goal in your profile.",
        )
    when = v.moment("started_at", started_at or now, now)
    # Everything is checked before anything changes: a typo must not end no contact.
    row = Conversation(
        user_id=user.id,
        started_at=when,
        started_by=v.choice("started_by", started_by, CONVERSATION_SIDES),
        messages=v.whole_number("messages", messages, 1, MAX_MESSAGES),
        ex_replied=bool(ex_replied),
        ended_by=None if ended_by is None else v.choice("ended_by", ended_by, CONVERSATION_SIDES),
        relationship_talk=bool(relationship_talk),
        note=v.text("note", note, max_length=v.LIMITS["conversation_note"]),
    )
    state = current_status(session, user, now)
    if state.protection:
        raise InputError(
            "step_4",
            "is about your safety now, not reaching out: your story showed signs of abuse. "
            "If you are in touch and want support, the Help page has people who understand.",
        )
    if state.phase != "reconnected":
        if not state.step4_unlocked:
            unmet = ", ".join(g.title.lower() for g in state.gates if not g.met)
            raise InputError(
                "step_4",
                f"isn't open yet (still to come: {unmet}). If you were in touch, log it as "
                "contact: it's data, not failure.",
            )
        period = active_period(periods_of(session, user))
        if period is not None:
            period.ended_at = when
            period.end_reason = "recontact"
    session.add(row)
    session.flush()
    safety_state.record_texts(session, user, "conversation", row.id, now, row.note)
    return row


def readiness_check_of(session: Session, user: User, row_id: int) -> ReadinessCheck:
    """Return ReadinessCheck row_id if it is ``user``'s; NotFound otherwise (someone else's too)."""
    return owned(session, ReadinessCheck, row_id, user)


def conversation_of(session: Session, user: User, row_id: int) -> Conversation:
    """Return Conversation row_id if it is ``user``'s; NotFound otherwise (someone else's too)."""
    return owned(session, Conversation, row_id, user)
