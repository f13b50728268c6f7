"""Fixing a mistake: edit or delete any entry a person logged.

Streaks, gates and progress are computed from history, so changing or deleting the row is all it
takes for them to be counted again. An edit is validated exactly like a new entry (the values
it keeps and the ones it changes together), and edited words are read for crisis, concern or
abuse as when they were first written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

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
    NoContactPeriod,
    Urge,
    User,
)
from secondchance.program.steps import (
    ACTIVITY_KINDS,
    CONTACT_CHANNELS,
    CONTACT_DIRECTIONS,
    CONVERSATION_SIDES,
    LETTER_KINDS,
    MEMORY_KINDS,
    URGE_OUTCOMES,
)
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.errors import InputError
from secondchance.services.memories import _tags
from secondchance.services.people import owned, profile_of
from secondchance.services.reconnect import MAX_MESSAGES

# How long a just-logged entry offers "Undo"; after that, Edit and Delete in its list remain.
UNDO_WINDOW = timedelta(minutes=10)

# The kinds of entry, by the name the CLI, the API and the web use, and their tables.
MODELS: dict[str, type[Any]] = {
    "contact": Contact,
    "urge": Urge,
    "checkin": CheckIn,
    "activity": Activity,
    "conversation": Conversation,
    "memory": Memory,
    "letter": Letter,
}


def kind_model(kind: str) -> type[Any]:
    """Return the table for ``kind``; InputError naming the kinds for anything else."""
    model = MODELS.get(kind)
    if model is None:
        raise InputError("kind", f"should be one of {', '.join(MODELS)}")
    return model


def _unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    extra = [name for name in fields if name not in allowed]
    if extra:
        raise InputError(extra[0], f"can't be changed here; you can change: {', '.join(allowed)}")


def _texts_changed(row: Any, before: tuple[str, ...], names: tuple[str, ...]) -> bool:
    return before != tuple(getattr(row, name) for name in names)


def _reread(
    session: Session, user: User, source: str, row: Any, now: datetime, names: tuple[str, ...]
) -> None:
    """Read the edited words again for crisis, concern or abuse (as logging does)."""
    safety_state.record_texts(session, user, source, row.id, now, *(getattr(row, n) for n in names))


def _apply(row: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)


# --------------------------------------------------------------------------- contact

CONTACT_FIELDS = ("direction", "channel", "answered", "note", "at")


def edit_contact(
    session: Session, user: User, contact_id: int, now: datetime, **fields: Any
) -> Contact:
    """Change a logged contact; returns it. Whether it is a slip, and so the streak, follows."""
    _unknown(fields, CONTACT_FIELDS)
    row = owned(session, Contact, contact_id, user)
    merged = {name: getattr(row, name) for name in CONTACT_FIELDS} | fields
    direction = v.choice("direction", merged["direction"], CONTACT_DIRECTIONS)
    before = (row.note,)
    _apply(
        row,
        {
            "direction": direction,
            "channel": v.choice("channel", merged["channel"], CONTACT_CHANNELS),
            "answered": None if direction == "you_to_ex" else bool(merged["answered"]),
            "note": v.text("note", merged["note"] or "", max_length=v.LIMITS["contact_note"]),
            "at": v.moment("at", merged["at"], now),
        },
    )
    session.flush()
    if _texts_changed(row, before, ("note",)):
        _reread(session, user, "contact", row, now, ("note",))
    return row


# --------------------------------------------------------------------------- urge

URGE_FIELDS = ("intensity", "outcome", "trigger", "instead", "at")


def edit_urge(session: Session, user: User, urge_id: int, now: datetime, **fields: Any) -> Urge:
    """Change a logged urge; returns it."""
    _unknown(fields, URGE_FIELDS)
    row = owned(session, Urge, urge_id, user)
    merged = {name: getattr(row, name) for name in URGE_FIELDS} | fields
    before = (row.trigger, row.instead)
    _apply(
        row,
        {
            "intensity": v.whole_number("intensity", merged["intensity"], 1, 10),
            "outcome": v.choice("outcome", merged["outcome"], URGE_OUTCOMES),
            "trigger": v.text(
                "trigger", merged["trigger"] or "", max_length=v.LIMITS["urge_trigger"]
            ),
            "instead": v.text(
                "instead", merged["instead"] or "", max_length=v.LIMITS["urge_instead"]
            ),
            "at": v.moment("at", merged["at"], now),
        },
    )
    session.flush()
    if _texts_changed(row, before, ("trigger", "instead")):
        _reread(session, user, "urge", row, now, ("trigger", "instead"))
    return row


# --------------------------------------------------------------------------- check-in

# Everything a check-in says except its day: a check-in belongs to its day.
CHECKIN_FIELDS = tuple(f.name for f in dataclasses.fields(CheckInInput) if f.name != "day")


def edit_checkin(
    session: Session, user: User, checkin_id: int, now: datetime, **fields: Any
) -> CheckIn:
    """Change the check-in of any day (today's or an earlier one); returns it.

    The fields go through the same save as a new check-in for that day, so they are checked
    the same way and a changed note is read again.
    """
    _unknown(fields, CHECKIN_FIELDS)
    row = owned(session, CheckIn, checkin_id, user)
    merged = {name: getattr(row, name) for name in CHECKIN_FIELDS} | fields
    saved, _ = save_checkin(session, user, CheckInInput(**merged, day=row.day), now)
    return saved


# --------------------------------------------------------------------------- activity

ACTIVITY_FIELDS = ("kind", "note", "day")


def edit_activity(
    session: Session, user: User, activity_id: int, now: datetime, **fields: Any
) -> Activity:
    """Change a logged activity (what, which day, the note); returns it."""
    _unknown(fields, ACTIVITY_FIELDS)
    row = owned(session, Activity, activity_id, user)
    today = local_date(now, profile_of(session, user).timezone)
    merged = {name: getattr(row, name) for name in ACTIVITY_FIELDS} | fields
    before = (row.note,)
    _apply(
        row,
        {
            "kind": v.choice("kind", merged["kind"], ACTIVITY_KINDS),
            "note": v.text("note", merged["note"] or "", max_length=v.LIMITS["activity_note"]),
            "day": v.not_future("day", v.day("day", merged["day"]), today),
        },
    )
    session.flush()
    if _texts_changed(row, before, ("note",)):
        _reread(session, user, "activity", row, now, ("note",))
    return row


# --------------------------------------------------------------------------- conversation

CONVERSATION_FIELDS = (
    "started_by",
    "messages",
    "ex_replied",
    "ended_by",
    "relationship_talk",
    "note",
    "started_at",
)


def edit_conversation(
    session: Session, user: User, conversation_id: int, now: datetime, **fields: Any
) -> Conversation:
    """Change a logged conversation; returns it."""
    _unknown(fields, CONVERSATION_FIELDS)
    row = owned(session, Conversation, conversation_id, user)
    merged = {name: getattr(row, name) for name in CONVERSATION_FIELDS} | fields
    ended_by = merged["ended_by"] or None
    before = (row.note,)
    _apply(
        row,
        {
            "started_by": v.choice("started_by", merged["started_by"], CONVERSATION_SIDES),
            "messages": v.whole_number("messages", merged["messages"], 1, MAX_MESSAGES),
            "ex_replied": bool(merged["ex_replied"]),
            "ended_by": None
            if ended_by is None
            else v.choice("ended_by", ended_by, CONVERSATION_SIDES),
            "relationship_talk": bool(merged["relationship_talk"]),
            "note": v.text("note", merged["note"] or "", max_length=v.LIMITS["conversation_note"]),
            "started_at": v.moment("started_at", merged["started_at"], now),
        },
    )
    session.flush()
    if _texts_changed(row, before, ("note",)):
        _reread(session, user, "conversation", row, now, ("note",))
    return row


def _reopen_if_last_recontact(session: Session, user: User, row: Conversation) -> None:
    """Deleting the only conversation undoes the re-contact it recorded: the no-contact period
    it ended runs again, as if it had never been logged."""
    others = session.scalars(
        select(Conversation.id).where(Conversation.user_id == user.id, Conversation.id != row.id)
    ).first()
    if others is not None:
        return
    period = session.scalars(
        select(NoContactPeriod).where(
            NoContactPeriod.user_id == user.id,
            NoContactPeriod.end_reason == "recontact",
            NoContactPeriod.ended_at == row.started_at,
        )
    ).first()
    if period is not None:
        period.ended_at = None
        period.end_reason = None


# --------------------------------------------------------------------------- memory

MEMORY_FIELDS = ("title", "body", "tags", "kind")


def edit_memory(
    session: Session, user: User, memory_id: int, now: datetime, **fields: Any
) -> Memory:
    """Change a kept memory; returns it."""
    _unknown(fields, MEMORY_FIELDS)
    row = owned(session, Memory, memory_id, user)
    merged = {name: getattr(row, name) for name in MEMORY_FIELDS} | fields
    before = (row.title, row.body, ", ".join(row.tags))
    _apply(
        row,
        {
            "kind": v.choice("kind", merged["kind"], MEMORY_KINDS),
            "title": v.text(
                "title", merged["title"], max_length=v.LIMITS["memory_title"], required=True
            ),
            "body": v.text("body", merged["body"] or "", max_length=v.LIMITS["memory_body"]),
            "tags": _tags(merged["tags"] or ()),
        },
    )
    session.flush()
    if before != (row.title, row.body, ", ".join(row.tags)):
        told = "\n".join((row.title, row.body, ", ".join(row.tags)))
        safety_state.record_texts(session, user, "memory", row.id, now, told)
    return row


# --------------------------------------------------------------------------- letter

LETTER_FIELDS = ("title", "body", "sealed_until", "kind")


def edit_letter(
    session: Session, user: User, letter_id: int, now: datetime, **fields: Any
) -> Letter:
    """Change a letter; returns it. A sealed letter keeps its seal: it opens when it opens,
    and only its seal day can be changed (still to a day after today) before then."""
    _unknown(fields, LETTER_FIELDS)
    row = owned(session, Letter, letter_id, user)
    today = local_date(now, profile_of(session, user).timezone)
    sealed = row.sealed_until is not None and today < row.sealed_until
    if sealed and set(fields) - {"sealed_until"}:
        raise InputError(
            "letter", f"is sealed until {row.sealed_until:%A %d %B %Y}; its words wait until then."
        )
    merged = {name: getattr(row, name) for name in LETTER_FIELDS} | fields
    seal: date | None = None
    if merged["sealed_until"] not in (None, ""):
        seal = v.day("sealed_until", merged["sealed_until"])
        changed = "sealed_until" in fields and seal != row.sealed_until
        if changed and seal <= today:
            raise InputError("sealed_until", "should be a day after today")
    before = (row.title, row.body)
    _apply(
        row,
        {
            "title": v.text("title", merged["title"] or "", max_length=v.LIMITS["letter_title"]),
            "body": v.text(
                "body", merged["body"], max_length=v.LIMITS["letter_body"], required=True
            ),
            "sealed_until": seal,
            "kind": v.choice("kind", merged["kind"], LETTER_KINDS),
        },
    )
    session.flush()
    if _texts_changed(row, before, ("title", "body")):
        _reread(session, user, "letter", row, now, ("title", "body"))
    return row


# --------------------------------------------------------------------------- any kind

EDITORS: dict[str, Callable[..., Any]] = {
    "contact": edit_contact,
    "urge": edit_urge,
    "checkin": edit_checkin,
    "activity": edit_activity,
    "conversation": edit_conversation,
    "memory": edit_memory,
    "letter": edit_letter,
}

FIELDS: dict[str, tuple[str, ...]] = {
    "contact": CONTACT_FIELDS,
    "urge": URGE_FIELDS,
    "checkin": CHECKIN_FIELDS,
    "activity": ACTIVITY_FIELDS,
    "conversation": CONVERSATION_FIELDS,
    "memory": MEMORY_FIELDS,
    "letter": LETTER_FIELDS,
}


def edit_entry(
    session: Session, user: User, kind: str, entry_id: int, now: datetime, /, **fields: Any
) -> Any:
    """Change entry ``entry_id`` of ``kind``; returns the row. InputError for a bad value
    (nothing is changed), NotFound for a missing id or someone else's."""
    kind_model(kind)
    return EDITORS[kind](session, user, entry_id, now, **fields)


def get_entry(session: Session, user: User, kind: str, entry_id: int) -> Any:
    """Return the person's entry of ``kind``; NotFound for a missing id or someone else's."""
    return owned(session, kind_model(kind), entry_id, user)


def delete_entry(session: Session, user: User, kind: str, entry_id: int) -> Any:
    """Delete entry ``entry_id`` of ``kind``; returns the row as it was.

    Streaks and gates are computed from what is logged, so they are counted again without it.
    Deleting the only conversation reopens the no-contact period it ended.
    """
    row = get_entry(session, user, kind, entry_id)
    if kind == "conversation":
        _reopen_if_last_recontact(session, user, row)
    session.delete(row)
    session.flush()
    return row


def created_at(kind: str, row: Any) -> datetime | None:
    """When the entry was made, for the Undo window (contacts and urges: the time they say)."""
    if kind in ("contact", "urge"):
        return row.at
    if kind == "conversation":
        return row.started_at
    return getattr(row, "created_at", None)


def can_undo(kind: str, row: Any, now: datetime) -> bool:
    """Whether "Undo" is still offered for an entry just made (within UNDO_WINDOW of now)."""
    made = created_at(kind, row)
    return made is not None and timedelta(0) <= now - made <= UNDO_WINDOW
