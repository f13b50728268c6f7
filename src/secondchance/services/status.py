"""Load a person's history and ask the program where they stand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from secondchance import models
from secondchance.clock import local_date
from secondchance.db import MEMO, WROTE, remember_revision, remembered_revision
from secondchance.program import history as plain
from secondchance.program import thresholds as t
from secondchance.program.history import History
from secondchance.program.plan import Status, status
from secondchance.program.progress import latest_period
from secondchance.services import safety_state
from secondchance.services.errors import NoProfile
from secondchance.services.people import NO_PROFILE
from secondchance.services.status_cache import cache_key

STATUS_CACHE = "status_cache"

User = models.User
R = TypeVar("R")

# The rules look back at most two weeks (plus a day for time zones), apart from the slips of
# the current period: only that much is loaded, so Today costs about the same after a week or
# after years. Each window below is the longest the rules read for that kind of row.
LOOKBACK_DAYS = max(t.SELF_FOCUS_WEEKS * 7, t.READINESS_VALID_DAYS, t.PACING_WINDOW_DAYS) + 1
WEEK_DAYS = t.WINDOW_DAYS + 1


def _records(  # type: ignore[no-untyped-def]
    session: Session, record: type[R], model: type, user: User, *where, order=None, limit=None
) -> list[R]:
    """Return ``record``s built straight from Core rows of ``model`` (no ORM objects).

    Only the columns the record names are read, so a wide text column the rules never look at
    costs nothing.
    """
    table = model.__table__  # type: ignore[attr-defined]
    query = select(*(table.c[f.name] for f in fields(record))).where(
        table.c.user_id == user.id, *where
    )
    if order is not None:
        query = query.order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return [record(**row._mapping) for row in session.execute(query)]


def load_history(session: Session, user: User, now: datetime) -> History:
    """Return the parts of the history the rules need at ``now``, as plain records.

    The safety flags come from the remembered safety state (every text the person saved, until
    they clear it), not from the latest story alone. Raises NoProfile before set-up.
    """
    profiles = _records(session, plain.Profile, models.Profile, user)
    if not profiles:
        raise NoProfile(NO_PROFILE)
    profile = profiles[0]
    tz = profile.timezone
    periods = _records(
        session,
        plain.NoContactPeriod,
        models.NoContactPeriod,
        user,
        order=models.NoContactPeriod.started_at,
    )
    fortnight = now - timedelta(days=LOOKBACK_DAYS)
    week = now - timedelta(days=WEEK_DAYS)
    current = latest_period(periods)
    contacts_since = current.started_at if current else now
    c, ch, r = models.Contact, models.CheckIn, models.ReadinessCheck

    safety = safety_state.current(session, user, now)
    return History(
        profile=profile,
        protection=safety.abuse,
        recent_crisis=safety.crisis,
        concern=safety.concern,
        safety=safety,
        periods=periods,
        # Only slips move the streaks; ignored messages from the ex don't.
        contacts=_records(
            session,
            plain.Contact,
            c,
            user,
            c.at >= contacts_since,
            or_(c.direction == "you_to_ex", c.answered.is_(True)),
        ),
        urges=_records(session, plain.Urge, models.Urge, user, models.Urge.at >= week),
        checkins=_records(session, plain.CheckIn, ch, user, ch.day >= local_date(week, tz)),
        activities=_records(
            session,
            plain.Activity,
            models.Activity,
            user,
            models.Activity.day >= local_date(fortnight, tz),
        ),
        readiness=_records(
            session, plain.ReadinessCheck, r, user, r.at >= fortnight, order=r.at.desc(), limit=1
        ),
        conversations=_records(
            session,
            plain.Conversation,
            models.Conversation,
            user,
            models.Conversation.started_at >= fortnight,
        ),
        # The rules ask "is there one?"
        letters=_records(
            session, plain.Letter, models.Letter, user, models.Letter.kind == "final", limit=1
        ),
        memories=_records(session, plain.Memory, models.Memory, user),
    )


def standing(session: Session, user: User, now: datetime) -> tuple[History, Status]:
    """Return the person's history and status at ``now``, from the cache when it holds them.

    The cache (``session.info["status_cache"]``, set by the web app) is keyed by the person's
    revision, read first (with the sign-in, or with one primary-key lookup), so the history
    read after it is at least that new. A transaction that has changed entries itself neither
    reads nor fills the cache: what it sees is not committed yet.
    """

    def compute() -> tuple[History, Status]:
        history = load_history(session, user, now)
        return history, status(history, now)

    return kept(session, user, now, "standing", compute)


def kept(session: Session, user: User, now: datetime, name: str, compute: Callable[[], R]) -> R:
    """Return ``compute()``, kept in the status cache under ``name`` for this person.

    For anything that follows only from the person's entries (their revision) and the moment
    to within the cache's five minutes, like the status itself, Today's lesson or the part of
    Today rendered from them (the names in the profile, never a draft, a note or a story). Computed
    once per transaction at most; not kept when there is no cache or this transaction wrote.
    """
    cache = session.info.get(STATUS_CACHE)
    if cache is None or session.info.get(WROTE):
        return compute()
    memo = session.info.setdefault(MEMO, {})
    if (name, user.id, now) in memo:
        return memo[name, user.id, now]
    revision = remembered_revision(session, user.id)
    if revision is None:
        revision = session.scalar(select(models.User.revision).where(models.User.id == user.id))
        remember_revision(session, user.id, revision or 0)
    key = f"{name}:{cache_key(user.id, revision or 0, now)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        if not session.info.get(WROTE):  # loading never writes, but stay honest if it did
            cache.put(key, found)
    memo[name, user.id, now] = found
    return found


def current_status(session: Session, user: User, now: datetime) -> Status:
    return standing(session, user, now)[1]
