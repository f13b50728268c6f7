"""Journal entries: short answers to a lesson's prompt, kept with the day, checked for safety."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.analysis.safety import SafetyResult
from secondchance.clock import local_date
from secondchance.models import JournalEntry, User
from secondchance.program import lessons as rules
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import owned, profile_of

TEXT_MAX = v.LIMITS["journal_text"]
PROMPT_MAX = 500


def _lesson_prompt(session: Session, user: User, slug: str) -> str:
    lesson = rules.by_slug(rules.all_lessons(), slug)
    if lesson is None:
        raise InputError("lesson", f"there is no lesson called {slug!r}")
    profile = profile_of(session, user)
    return lesson.in_words(profile.ex_name, profile.ex_pronouns).prompt


def write_entry(
    session: Session, user: User, now: datetime, *, text: str, lesson_slug: str = ""
) -> tuple[JournalEntry, SafetyResult]:
    """Keep an entry for today (the person's local day) and return it with what the safety
    reading saw. ``lesson_slug`` ties it to a lesson, whose prompt is kept beside it."""
    slug = v.text("lesson", lesson_slug, max_length=64)
    prompt = _lesson_prompt(session, user, slug) if slug else ""
    row = JournalEntry(
        user_id=user.id,
        day=local_date(now, profile_of(session, user).timezone),
        lesson_slug=slug,
        prompt=prompt[:PROMPT_MAX],
        text=v.text("text", text, max_length=TEXT_MAX, required=True),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    found = safety_state.record_texts(session, user, "journal", row.id, now, row.text)
    return row, found


def edit_entry(
    session: Session, user: User, entry_id: int, now: datetime, *, text: str
) -> tuple[JournalEntry, SafetyResult]:
    """Change an entry's words (its day and prompt stay); the new words are checked too."""
    row = owned(session, JournalEntry, entry_id, user)
    row.text = v.text("text", text, max_length=TEXT_MAX, required=True)
    row.updated_at = now
    session.flush()
    found = safety_state.record_texts(session, user, "journal", row.id, now, row.text)
    return row, found


def delete_entry(session: Session, user: User, entry_id: int) -> None:
    session.delete(owned(session, JournalEntry, entry_id, user))
    session.flush()


def list_entries(session: Session, user: User, limit: int = 100) -> list[JournalEntry]:
    """The person's entries, newest first."""
    query = (
        select(JournalEntry)
        .where(JournalEntry.user_id == user.id)
        .order_by(JournalEntry.day.desc(), JournalEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def journal_entry_of(session: Session, user: User, row_id: int) -> JournalEntry:
    """Return JournalEntry row_id if it is ``user``'s; NotFound otherwise (someone else's too)."""
    return owned(session, JournalEntry, row_id, user)
