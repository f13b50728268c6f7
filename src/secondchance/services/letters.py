"""Unsent letters: somewhere for the words that would otherwise become a text."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.clock import local_date
from secondchance.models import Letter, User
from secondchance.program.steps import LETTER_KINDS
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import newest, owned, profile_of


def write_letter(
    session: Session,
    user: User,
    now: datetime,
    *,
    body: str,
    title: str = "",
    sealed_until: date | str | None = None,
    kind: str = "unsent",
) -> Letter:
    """Keep a letter and return it. ``sealed_until`` must be after today: it stays closed until
    that day. Words in its title or body that show crisis, concern or abuse are remembered."""
    profile = profile_of(session, user)
    seal = None
    if sealed_until is not None:
        seal = v.day("sealed_until", sealed_until)
        if seal <= local_date(now, profile.timezone):
            raise InputError("sealed_until", "should be a day after today")
    row = Letter(
        user_id=user.id,
        created_at=now,
        title=v.text("title", title, max_length=v.LIMITS["letter_title"]),
        body=v.text("body", body, max_length=v.LIMITS["letter_body"], required=True),
        sealed_until=seal,
        kind=v.choice("kind", kind, LETTER_KINDS),
    )
    session.add(row)
    session.flush()
    safety_state.record_texts(session, user, "letter", row.id, now, row.title, row.body)
    return row


def is_sealed(letter: Letter, today: date) -> bool:
    return letter.sealed_until is not None and today < letter.sealed_until


def list_letters(session: Session, user: User) -> list[Letter]:
    query = select(Letter).where(Letter.user_id == user.id).order_by(Letter.created_at, Letter.id)
    return list(session.scalars(query))


def open_letter(session: Session, user: User, letter_id: int, now: datetime) -> Letter:
    """Return the letter if it is open; a sealed one raises InputError saying when it opens."""
    profile = profile_of(session, user)
    letter = owned(session, Letter, letter_id, user)
    if is_sealed(letter, local_date(now, profile.timezone)):
        raise InputError(
            "letter", f"is sealed until {letter.sealed_until:%A %d %B %Y}. It will keep until then."
        )
    return letter


def recent_letters(session: Session, user: User, limit: int) -> list[Letter]:
    """Return ``user``'s letters, newest first, at most ``limit``."""
    return newest(session, Letter, user, Letter.created_at, Letter.id, limit=limit)


def letter_of(session: Session, user: User, row_id: int) -> Letter:
    """Return Letter row_id if it is ``user``'s; NotFound otherwise (someone else's too)."""
    return owned(session, Letter, row_id, user)
