"""Step 2: the daily check-in, one per local day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from secondchance.analysis.safety import SafetyResult
from secondchance.clock import local_date
from secondchance.db import bump_revision, read_next, revision_bumped
from secondchance.models import CheckIn, Profile, User
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
    return write_checkin(session, user, data, now).answer(session, now, overrides)


@dataclass(frozen=True)
class CheckInWritten:
    """A check-in just saved, before what to show for it is read (``answer``)."""

    user: User
    row: CheckIn
    replaced: bool
    found: SafetyResult
    # Held so that the answer finds it in the session, even in the transaction after.
    profile: Profile

    def answer(
        self, session: Session, now: datetime, overrides: dict[str, Any] | None = None
    ) -> CheckInSaved:
        """The safety notice and the reply for it, read in ``session``: the transaction that
        saved it, or (to hold SQLite's one write lock for less) a later one that only reads
        (``db.read_next``): nothing it reads can be missed then, the save being committed."""
        return CheckInSaved(
            row=self.row,
            replaced=self.replaced,
            safety=safety_notice.notice_of(session, self.user, self.found, overrides),
            reply=replies.checkin_reply(session, self.user, self.row, now, self.found),
        )

    def answer_then(
        self, session: Session, now: datetime, overrides: dict[str, Any] | None = None
    ) -> CheckInSaved:
        """``answer``, in the transaction that saved it if it is still open, else (once it
        has committed) in a new one of ``session`` that only reads (``db.read_next``: on SQLite
        it takes no write lock). Nothing it reads can be missed: the save is in either."""
        if not session.in_transaction():
            read_next(session)
        return self.answer(session, now, overrides)


def write_checkin(
    session: Session, user: User, data: CheckInInput, now: datetime
) -> CheckInWritten:
    """``check_in``'s writes alone; its ``answer`` reads the rest."""
    return CheckInWritten(user, *_save(session, user, data, now), profile_of(session, user))


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
    # Saving the same flagged note again must not remember it twice: read the day's note
    # first, but only then (most notes show nothing, and there is nothing to remember).
    flagged = found.crisis or found.concern or found.abuse
    earlier_note = _note_on(session, user, day) if flagged else None
    replaced = _replace(session, user, day, values, now)
    if replaced is not None:
        if flagged and earlier_note != values["note"]:
            safety_state.record(session, user, found, "checkin", replaced.id, now)
        return replaced, True, found
    row = CheckIn(user_id=user.id, day=day, created_at=now, updated_at=now, **values)
    session.add(row)
    session.flush()
    safety_state.record(session, user, found, "checkin", row.id, now)
    return row, False, found


def _replace(
    session: Session, user: User, day: date, values: dict[str, Any], now: datetime
) -> CheckIn | None:
    """Replace ``user``'s check-in for ``day`` with ``values`` in one UPDATE; None if the day
    has none.

    A Core statement, not a loaded row changed and flushed: looking the day up as an object
    and the unit of work's UPDATE cost more CPU than the rest of the save, and a round trip.
    The revision moves on as a flush would move it (on PostgreSQL in the same statement), and
    a copy of the row this session holds already (the form page, or a caller saving twice) is
    brought up to date.
    """
    params = {f"new_{key}": value for key, value in values.items()}
    params.update(for_user=user.id, for_day=day, new_updated_at=now)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        found = connection.execute(_REPLACE_AND_BUMP, params).first()
        if found is None:
            return None
        revision_bumped(session)
    else:
        found = connection.execute(_REPLACE, params).first()
        if found is None:
            return None
        bump_revision(session, [user.id])
    fields = {**values, "updated_at": now}
    held = session.identity_map.get(identity_key(CheckIn, (found.id,)))
    if held is not None:
        for key, value in fields.items():
            set_committed_value(held, key, value)
        return held  # type: ignore[no-any-return]
    return CheckIn(id=found.id, user_id=user.id, day=day, created_at=found.created_at, **fields)


def _note_on(session: Session, user: User, day: date) -> str | None:
    """The note of ``user``'s check-in for ``day``, or None when the day has none."""
    return session.scalar(_NOTE_ON, {"user_id": user.id, "day": day})


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

_NOTE_ON = select(CheckIn.note).where(
    CheckIn.user_id == bindparam("user_id"), CheckIn.day == bindparam("day")
)
_TABLE = CheckIn.__table__
_REPLACED = ("mood", "emotions", "cried", "social_checks", "slept_well", "note", "updated_at")
# Built once, like the look-up: the API's busiest write replaces a day's check-in.
_REPLACE = (
    update(_TABLE)
    .where(_TABLE.c.user_id == bindparam("for_user"), _TABLE.c.day == bindparam("for_day"))
    .values({name: bindparam(f"new_{name}", type_=_TABLE.c[name].type) for name in _REPLACED})
    .returning(_TABLE.c.id, _TABLE.c.created_at)
)

# On PostgreSQL the same UPDATE also moves the person's revision on, only when it replaced a
# day (a data-modifying WITH): one round trip fewer for every replaced day. SQLite has no such
# WITH, and runs db.bump_revision after it.
_REPLACING = _REPLACE.returning(_TABLE.c.user_id).cte("replacing")
_REPLACE_AND_BUMP = select(_REPLACING.c.id, _REPLACING.c.created_at).add_cte(
    update(User)
    .where(User.id.in_(select(_REPLACING.c.user_id)))
    .values(revision=User.revision + 1)
    .cte("bumping")
)
