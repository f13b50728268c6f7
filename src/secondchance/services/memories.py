"""The memory bank: good memories and inside jokes to draw a first text from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.models import Memory, User
from secondchance.program.steps import MEMORY_KINDS
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.people import owned, profile_of


def _tags(tags: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        word = v.text("tags", tag, max_length=v.LIMITS["memory_tag"]).lower()
        if word and word not in cleaned:
            cleaned.append(word)
    return cleaned


def add_memory(
    session: Session,
    user: User,
    now: datetime,
    *,
    title: str,
    body: str = "",
    tags: Iterable[str] = (),
    kind: str = "memory",
) -> Memory:
    """Keep a memory and return it. What it says (title, story and tags, read together as one
    text) is checked for crisis, concern or abuse, and remembered when it shows any."""
    profile_of(session, user)
    row = Memory(
        user_id=user.id,
        created_at=now,
        kind=v.choice("kind", kind, MEMORY_KINDS),
        title=v.text("title", title, max_length=v.LIMITS["memory_title"], required=True),
        body=v.text("body", body, max_length=v.LIMITS["memory_body"]),
        tags=_tags(tags),
    )
    session.add(row)
    session.flush()
    told = "\n".join((row.title, row.body, ", ".join(row.tags)))
    safety_state.record_texts(session, user, "memory", row.id, now, told)
    return row


def list_memories(session: Session, user: User) -> list[Memory]:
    query = select(Memory).where(Memory.user_id == user.id).order_by(Memory.created_at, Memory.id)
    return list(session.scalars(query))


def remove_memory(session: Session, user: User, memory_id: int) -> None:
    session.delete(owned(session, Memory, memory_id, user))
    session.flush()


def memory_of(session: Session, user: User, row_id: int) -> Memory:
    """Return Memory row_id if it is ``user``'s; NotFound otherwise (someone else's too)."""
    return owned(session, Memory, row_id, user)
