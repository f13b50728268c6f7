"""Once per form: the same form posted twice (a double tap, a retried request) is one entry.

Every rendered form carries a fresh random ``form_key`` (web/templating.py ``form_guard``). The
first post claims it in the same transaction as the action, so:
- the action and the claim commit together or not at all: a post that fails (an error, a
  refusal) leaves the key free for the corrected post;
- a second post with a claimed key finds it taken and does nothing. On SQLite the writers take
  turns, so it simply sees the row; on PostgreSQL the second insert waits on the unique index
  for the first transaction and then fails, which means the same thing.

A claimed key is remembered for KEEP, then forgotten. Each rendering makes a new key, so a key
only comes back by posting the very same form again: a double tap within a second, a browser's
"resubmit", a retry after a lost answer. All of those are the same entry, so the window is long
(a day) rather than a few seconds; it only bounds how many rows are kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from secondchance.models import FormKey, User

KEEP = timedelta(days=1)
MAX_KEY = 64


def claim(session: Session, user: User, key: str, now: datetime) -> bool:
    """Claim ``key`` for ``user``; return False if that form was already handled.

    Also forgets this person's keys older than KEEP. A key that is empty or too long is not a
    key (a hand-made post): return True and claim nothing.
    """
    if not key or len(key) > MAX_KEY:
        return True
    session.execute(
        delete(FormKey).where(FormKey.user_id == user.id, FormKey.created_at < now - KEEP)
    )
    try:
        # A savepoint, so a taken key leaves the request's transaction usable on PostgreSQL.
        with session.begin_nested():
            session.add(FormKey(user_id=user.id, key=key, created_at=now))
    except IntegrityError:
        return False
    return True


def release(session: Session, user: User, key: str) -> None:
    """Free a key claimed in this transaction, because the form came back with an error."""
    session.execute(delete(FormKey).where(FormKey.user_id == user.id, FormKey.key == key))
