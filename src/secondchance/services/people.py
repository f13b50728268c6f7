"""People and their profiles: ``init``, targets, and the ownership loader."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.clock import local_date, zone
from secondchance.models import Base, Profile, User
from secondchance.program import history as plain
from secondchance.program import thresholds as t
from secondchance.program.steps import GOALS, PRONOUNS, TARGETS, WHO_ENDED
from secondchance.services import validate as v
from secondchance.services.errors import InputError, NoProfile, NotFound

Row = TypeVar("Row", bound=Base)
# The person a face acts for. The faces (web/, cli/) only hold it and pass it back to the
# services, which are the ones to read or change the tables behind it.
Person = User


@dataclass(frozen=True, slots=True)
class Caller:
    """Who makes an API write with a token, as plain data read with the token in one statement
    (``accounts.caller_for_api_token``): what the check-in's services read of a person is its
    id, its profile and whether a safety signal was ever stored for it, and loading the account
    and profile as ORM objects cost more than the statement that read them.

    ``signalled`` False says the person had no safety signal before this write, so their state
    after it is only what this write found (``safety_state.abuse_on_after``); None means unknown.
    """

    id: int
    username: str
    profile: plain.Profile | None
    signalled: bool | None = None


# The command line shows this as it is; the web app sends people to onboarding instead.
NO_PROFILE = "No profile yet: start with `secondchance init`."


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def get_or_create_user(session: Session, username: str, now: datetime) -> User:
    """Return the account called ``username``, creating it (without a password) if new."""
    user = find_user(session, username)
    if user is None:
        name = v.text("user", username, max_length=64, required=True)
        user = User(username=name, password_hash=None, created_at=now)
        session.add(user)
        session.flush()
    return user


# The largest id a row can have: ids are INTEGER, 32 bits on PostgreSQL (SQLite allows more).
MAX_ID = 2**31 - 1


def owned(session: Session, model: type[Row], row_id: int, user: User) -> Row:
    """Return ``model`` row ``row_id`` if it belongs to ``user``; NotFound otherwise.

    Someone else's row and a missing row look the same, so ids reveal nothing. An id no row can
    have (below 1, or past a 32-bit integer) is missing too, rather than an error in the driver.
    """
    row = session.get(model, row_id) if 0 < row_id <= MAX_ID else None
    if row is None or getattr(row, "user_id", None) != user.id:
        raise NotFound(f"no {model.__tablename__[:-1].replace('_', ' ')} with id {row_id}")
    return row


def newest(session: Session, model: type[Row], user: User, *order: Any, limit: int) -> list[Row]:
    """Return ``user``'s rows of ``model``, newest first by ``order``, at most ``limit``."""
    query = select(model).where(model.user_id == user.id)  # type: ignore[attr-defined]
    return list(session.scalars(query.order_by(*(c.desc() for c in order)).limit(limit)))


def find_profile(session: Session, user: User | Caller) -> Profile | plain.Profile | None:
    """Return ``user``'s profile, or None before onboarding (a ``Caller`` brought its own)."""
    if isinstance(user, Caller):
        return user.profile
    return session.get(Profile, user.id)


def has_profile(session: Session, user: User) -> bool:
    return find_profile(session, user) is not None


def profile_of(session: Session, user: User | Caller) -> Profile | plain.Profile:
    profile = find_profile(session, user)
    if profile is None:
        raise NoProfile(NO_PROFILE)
    return profile


@dataclass
class ProfileInput:
    """What ``init`` asks. ``None`` means "keep what's there" when updating."""

    name: str | None = None
    ex_name: str | None = None
    ex_pronouns: str | None = None
    breakup_date: date | str | None = None
    who_ended: str | None = None
    goal: str | None = None
    country: str | None = None
    timezone: str | None = None
    no_contact_target_days: int | str | None = None


DEFAULT_PROFILE: dict[str, Any] = {
    "ex_pronouns": "they",
    "who_ended": "ex",
    "goal": "undecided",
    "country": "US",
    "timezone": "UTC",
    "no_contact_target_days": t.NO_CONTACT_DEFAULT_DAYS,
}


def _clean_profile(data: ProfileInput, now: datetime) -> dict[str, Any]:
    """Validate every given field; returns only the fields that were given."""
    given = {f.name: getattr(data, f.name) for f in fields(data)}
    given = {k: val for k, val in given.items() if val is not None}
    cleaned: dict[str, Any] = {}
    for key in ("name", "ex_name"):
        if key in given:
            cleaned[key] = v.text(key, given[key], max_length=v.LIMITS[key], required=True)
    if "ex_pronouns" in given:
        cleaned["ex_pronouns"] = v.choice("ex_pronouns", given["ex_pronouns"], PRONOUNS)
    if "who_ended" in given:
        cleaned["who_ended"] = v.choice("who_ended", given["who_ended"], WHO_ENDED)
    if "goal" in given:
        cleaned["goal"] = v.choice("goal", given["goal"], GOALS)
    if "country" in given:
        cleaned["country"] = _country(given["country"])
    if "timezone" in given:
        try:
            zone(str(given["timezone"]).strip())
        except ValueError as error:
            raise InputError("timezone", str(error)) from None
        cleaned["timezone"] = str(given["timezone"]).strip()
    if "breakup_date" in given:
        tz = cleaned.get("timezone", "UTC")
        day = v.day("breakup_date", given["breakup_date"])
        cleaned["breakup_date"] = v.not_future("breakup_date", day, local_date(now, tz))
    if "no_contact_target_days" in given:
        cleaned["no_contact_target_days"] = target_days(given["no_contact_target_days"])
    return cleaned


def target_days(value: object) -> int:
    """Return a valid no-contact target, explaining the 14-day floor when it is too short."""
    days = v.whole_number("no_contact_target_days", value, 0, t.NO_CONTACT_MAX_DAYS)
    if days < t.NO_CONTACT_MIN_DAYS:
        raise InputError(
            "no_contact_target_days",
            f"{days} days is too short: the program asks for at least {t.NO_CONTACT_MIN_DAYS} "
            "days, because it takes about two weeks for an absence to be felt.",
        )
    return days


def _country(value: str) -> str:
    code = str(value).strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InputError("country", f"should be a two-letter code like US or GB, not {value!r}")
    return code


def save_profile(session: Session, user: User, data: ProfileInput, now: datetime) -> Profile:
    """Create the profile (name and ex's name required) or update the given fields."""
    cleaned = _clean_profile(data, now)
    profile = session.get(Profile, user.id)
    if profile is None:
        for required in ("name", "ex_name"):
            if required not in cleaned:
                raise InputError(required, "is needed to begin")
        values = {**DEFAULT_PROFILE, **cleaned}
        defaults = {
            "exercise_per_week": t.DEFAULT_EXERCISE_PER_WEEK,
            "fun_per_week": t.DEFAULT_FUN_PER_WEEK,
            "positive_per_week": t.DEFAULT_POSITIVE_PER_WEEK,
            "look_per_fortnight": t.DEFAULT_LOOK_PER_FORTNIGHT,
        }
        values.setdefault("breakup_date", None)
        profile = Profile(user_id=user.id, created_at=now, updated_at=now, **defaults, **values)
        session.add(profile)
    else:
        for key, value in cleaned.items():
            setattr(profile, key, value)
        profile.updated_at = now
    session.flush()
    return profile


def set_targets(session: Session, user: User, changes: dict[str, object], now: datetime) -> Profile:
    """Change self-focus targets by key (exercise, fun, positive, look); others stay.

    Every number is checked before any is changed, so a refused one changes nothing.
    """
    profile = profile_of(session, user)
    by_key = {target.key: target for target in TARGETS}
    checked: dict[str, int] = {}
    for key, value in changes.items():
        if key not in by_key:
            raise InputError("target", f"unknown target {key!r}; try {', '.join(by_key)}")
        target = by_key[key]
        high = t.MAX_PER_FORTNIGHT if target.period_days == 14 else t.MAX_PER_WEEK
        checked[target.column] = v.whole_number(key, value, 0, high)
    for column, number in checked.items():
        setattr(profile, column, number)
    profile.updated_at = now
    session.flush()
    return profile


def require_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NoProfile(NO_PROFILE)
    return user


def everyone(session: Session) -> list[User]:
    """Every account here, oldest first."""
    return list(session.scalars(select(User).order_by(User.id)))
