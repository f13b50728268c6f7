"""Accounts for the web app: sign-up, sign-in with throttling, recovery codes, sessions and
API tokens.

Passwords and recovery codes are hashed with argon2. Session cookies and API tokens are random
secrets of which only a SHA-256 hash is stored: a copy of the database opens no one's account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Select, Table, bindparam, delete, exists, func, select, update
from sqlalchemy.orm import Session

from secondchance.db import keep, remember_revision
from secondchance.models import (
    ApiToken,
    LoginFailure,
    Profile,
    RecoveryCode,
    SafetySignal,
    User,
    WebSession,
)
from secondchance.program import history as plain
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import Caller, owned

PASSWORD_MIN = 10  # long beats clever: ten characters of anything, no composition rules
PASSWORD_MAX = v.LIMITS["password"]
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")
SESSION_DAYS = 30
# Guessing: after a few failures in the window, each further try waits 2^n seconds (n = the
# failures so far), capped. Nothing is ever locked: a typo costs seconds, and a client that
# hasn't failed is never refused the right password, so knowing a name can't lock anyone out.
FREE_FAILURES_PER_ACCOUNT = 3
FREE_FAILURES_PER_ADDRESS = 10  # a household or an office shares one address
LONGEST_WAIT = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=1)
RECOVERY_CODES = 8
# Unambiguous characters: no 0/o, 1/l/i to misread from paper.
_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# Passwords everyone tries first; refusing them costs nothing and stops the laziest guessing.
COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "1234567890",
        "qwertyuiop",
        "iloveyou123",
        "password1234",
        "0123456789",
        "1qaz2wsx3edc",
        "abcdefghij",
        "letmein1234",
        "passwordpassword",
    }
)

# How passwords and recovery codes are hashed: (password hasher, recovery-code hasher).
HASHING = {
    # argon2-cffi's defaults (RFC 9106's low-memory choice: argon2id, 3 passes over 64 MiB).
    # A recovery code is a random 50-bit secret, not a word a person chose, so argon2 with a
    # light cost is plenty for it (a slow hash protects guessable passwords).
    "standard": (
        PasswordHasher(),
        PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),
    ),
    # For the test suite only (Settings refuses it in production): argon2id still, at the
    # smallest cost, so thousands of sign-ups don't spend minutes hashing.
    "fast": (
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    ),
}
_hasher, _code_hasher = HASHING["standard"]
# Verifying against a hash of this when an account doesn't exist keeps both paths equally slow,
# so timing doesn't reveal which names have accounts. Made once per hasher, when first needed.
_DUMMY_PASSWORD = "not a real password, only for timing"
_dummy_hashes: dict[int, str] = {}


def use_hashing(kind: str) -> None:
    """Hash with HASHING[kind] in this process from now on (the app and the CLI call this
    with their Settings.password_hashing; hashes made before still verify either way)."""
    global _hasher, _code_hasher
    _hasher, _code_hasher = HASHING[kind]
    _dummy_hash()  # made now, so the first sign-in with an unknown name isn't the quick one


def _dummy_hash() -> str:
    found = _dummy_hashes.get(id(_hasher))
    if found is None:
        found = _dummy_hashes[id(_hasher)] = _hasher.hash(_DUMMY_PASSWORD)
    return found


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class SignInError(Exception):
    """Wrong name or password (deliberately not saying which)."""


class Throttled(Exception):
    def __init__(self, seconds: int) -> None:
        seconds = max(1, seconds)
        if seconds < 120:
            wait = f"{seconds} second{'' if seconds == 1 else 's'}"
        else:
            wait = f"{-(-seconds // 60)} minutes"
        super().__init__(f"Too many tries in a row. Please wait {wait} and try again.")
        self.seconds = seconds


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_password(password: str, username: str = "") -> str:
    """Return the password if it is acceptable; InputError saying why not otherwise."""
    if len(password) < PASSWORD_MIN:
        raise InputError("password", f"needs at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise InputError("password", f"can be at most {PASSWORD_MAX} characters")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (username and username.lower() in lowered):
        raise InputError("password", "is too easy to guess; a short sentence works well")
    return password


def sign_up(
    session: Session, username: str, password: str, now: datetime
) -> tuple[User, list[str]]:
    """Create an account; returns it and its recovery codes (shown once, never again).

    InputError for a taken or malformed name, or a weak password.
    """
    name = v.text("username", username, max_length=v.LIMITS["username"], required=True).lower()
    if not USERNAME.match(name):
        raise InputError("username", "use 3 to 40 letters, digits, dots, dashes or underscores")
    check_password(password, name)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise InputError("username", "is taken; please choose another")
    user = User(username=name, password_hash=_hasher.hash(password), created_at=now)
    session.add(user)
    session.flush()
    return user, new_recovery_codes(session, user, now)


# ------------------------------------------------------------------------------ throttling


def _wait(session: Session, key: str, free: int, now: datetime) -> int:
    """Seconds ``key`` must still wait before another try (0 when it may try now)."""
    recent = LoginFailure.key == key, LoginFailure.at > now - FAILURE_WINDOW
    count = session.scalar(select(func.count()).where(*recent)) or 0
    if count < free:
        return 0
    latest = session.scalar(select(func.max(LoginFailure.at)).where(*recent))
    delay = min(timedelta(seconds=2**count), LONGEST_WAIT)
    return max(0, int((latest + delay - now).total_seconds() + 0.999)) if latest else 0


def _keys(username: str, address: str) -> tuple[str, str, str]:
    # No stored name holds a control character (sign-up refuses them), and PostgreSQL refuses
    # a NUL in any query: replaced here, so a stray one reads as a wrong name, not a failure.
    name = "".join(c if c.isprintable() else "\ufffd" for c in username or "")
    name = name.strip().lower()[:40]
    return name, f"user:{name}", f"addr:{address}"


def _check_throttle(session: Session, account_key: str, address_key: str, now: datetime) -> None:
    """Raise Throttled when this client must wait, before any secret is checked.

    The account's own wait only applies to clients that have failed lately: a person on their
    own phone is let in with the right password however many guesses others made.
    """
    address_wait = _wait(session, address_key, FREE_FAILURES_PER_ADDRESS, now)
    if address_wait:
        raise Throttled(address_wait)
    if not _has_failed(session, address_key, now):
        return
    account_wait = _wait(session, account_key, FREE_FAILURES_PER_ACCOUNT, now)
    if account_wait:
        raise Throttled(account_wait)


def _has_failed(session: Session, key: str, now: datetime) -> bool:
    query = select(LoginFailure.id).where(
        LoginFailure.key == key, LoginFailure.at > now - FAILURE_WINDOW
    )
    return session.scalar(query.limit(1)) is not None


def _record_failure(session: Session, account_key: str, address_key: str, now: datetime) -> None:
    session.add_all([LoginFailure(key=account_key, at=now), LoginFailure(key=address_key, at=now)])
    session.flush()


def sign_in(session: Session, username: str, password: str, address: str, now: datetime) -> User:
    """Return the user if the password matches.

    Raises Throttled when this client has failed too often lately (checked before the
    password, so a throttled guesser learns nothing), SignInError otherwise. Failures are
    recorded by the caller's transaction, which must commit even on SignInError.
    """
    name, account_key, address_key = _keys(username, address)
    _check_throttle(session, account_key, address_key, now)
    user = session.scalar(select(User).where(User.username == name))
    if _verify(user.password_hash if user else None, password):
        session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
        assert user is not None
        if _hasher.check_needs_rehash(user.password_hash or ""):
            user.password_hash = _hasher.hash(password)
        return user
    _record_failure(session, account_key, address_key, now)
    raise SignInError("That name and password don't match.")


def _verify(stored: str | None, password: str) -> bool:
    try:
        return (
            _hasher.verify(stored or _dummy_hash(), password[:PASSWORD_MAX]) and stored is not None
        )
    except (VerificationError, InvalidHashError):
        return False


# -------------------------------------------------------------------------- recovery codes


def _plain_code(code: str) -> str:
    """The code as typed, without spaces, dashes or capitals ("ABCDE-fghij" = "abcdefghij")."""
    return re.sub(r"[\s-]+", "", code or "").lower()[:40]


def new_recovery_codes(session: Session, user: User, now: datetime) -> list[str]:
    """Replace the account's recovery codes with fresh ones; returns them as shown to the
    person ("abcde-fghij"). Only hashes are stored, so they can't be shown again."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_CODE_ALPHABET) for _ in range(10)) for _ in range(8)]
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_code_hasher.hash(code), created_at=now)
        for code in codes
    )
    session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def remake_recovery_codes(session: Session, user: User, password: str, now: datetime) -> list[str]:
    """New codes after checking the password (so a borrowed session can't take over the
    account); the old codes stop working. InputError("password") when it isn't right."""
    if not _verify(user.password_hash, password):
        raise InputError("password", "isn't right; your old codes still work")
    return new_recovery_codes(session, user, now)


def recovery_codes_left(session: Session, user: User) -> int:
    query = select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return session.scalar(query) or 0


def _unused_code(session: Session, user: User | None, code: str) -> RecoveryCode | None:
    plain = _plain_code(code)
    if user is None or not plain:
        return None
    query = select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    for row in session.scalars(query):
        try:
            if _code_hasher.verify(row.code_hash, plain):
                return row
        except (VerificationError, InvalidHashError):
            continue
    return None


def reset_password(
    session: Session, username: str, code: str, new_password: str, address: str, now: datetime
) -> User:
    """Set a new password with one unused recovery code, which is then spent.

    Throttled like signing in (a code is a password too). Raises Throttled, SignInError when
    the name and code don't match (not saying which), or InputError("new_password") for a
    weak password (checked first, so a good code isn't spent on a refused password). Every
    session of the account ends: whoever was in with the old password is out.
    """
    name, account_key, address_key = _keys(username, address)
    try:
        check_password(new_password, name)
    except InputError as error:
        raise InputError("new_password", error.message) from None
    _check_throttle(session, account_key, address_key, now)
    user = session.scalar(select(User).where(User.username == name))
    row = _unused_code(session, user, code)
    if row is None or user is None:
        _record_failure(session, account_key, address_key, now)
        raise SignInError("That name and recovery code don't match, or the code was used.")
    row.used_at = now
    user.password_hash = _hasher.hash(new_password)
    session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
    end_all_sessions(session, user)
    return user


def change_password(session: Session, user: User, current: str, new: str, now: datetime) -> None:
    """Change the password after checking the current one; signs out every other session."""
    if not _verify(user.password_hash, current):
        raise InputError("current_password", "isn't right")
    user.password_hash = _hasher.hash(check_password(new, user.username))
    end_all_sessions(session, user)


def start_session(session: Session, user: User, now: datetime) -> str:
    """Create a browser session; returns the secret for the cookie (only its hash is kept)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=digest(secret),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(days=SESSION_DAYS),
        )
    )
    session.flush()
    return secret


# Built once: every page asks it first, and building the statement and its cache key anew each
# time cost about as much as running it.
_SIGNED_IN = (
    select(User, Profile, WebSession.expires_at, User.revision)
    .join(WebSession, WebSession.user_id == User.id)
    .outerjoin(Profile, Profile.user_id == User.id)
    .where(WebSession.token_hash == bindparam("token_hash"))
)


def signed_in(
    session: Session, secret: str | None, now: datetime
) -> tuple[User, Profile | None] | None:
    """Return the signed-in user and their profile (None before onboarding) for a cookie
    secret, or None if the secret is unknown or expired.

    One statement where a session, user and profile lookup took three: every page asks this
    first. The profile lands in the session's identity map, so a later
    ``session.get(Profile, ...)`` costs no query.
    """
    if not secret:
        return None
    row = session.execute(_SIGNED_IN, {"token_hash": digest(secret)}).first()
    if row is None or row.expires_at <= now:
        return None
    # Read with the row, so a status lookup later in this transaction needn't read it again.
    remember_revision(session, row[0].id, row.revision)
    keep(session, row[1])
    return row[0], row[1]


@dataclass(frozen=True, slots=True)
class Reader:
    """Who is signed in, for a page that only reads (Today, the live review): plain data.

    What such a page hands the services (the status, the lesson, step 4's standing) is only
    ever asked for its ``id``, so it needs no account object: loading the account and profile
    as ORM objects cost more than the statement that reads them.
    """

    id: int
    username: str


_PROFILE_COLUMNS = tuple(Profile.__table__.c[f.name] for f in fields(plain.Profile))
# The profile's part of a Core sign-in row: its key (None before onboarding), then its columns.
_PROFILE_PART = (Profile.__table__.c.user_id, *_PROFILE_COLUMNS)
_users, _web_sessions = User.__table__, WebSession.__table__


def _sign_in_row(keys: Table, *columns: ColumnElement[Any]) -> Select[Any]:
    """A Core statement: ``columns``, then the profile's part, of the row of ``keys`` (web
    sessions or API tokens) whose ``token_hash`` is given, its account and the profile."""
    return (
        select(*columns, *_PROFILE_PART)
        .select_from(keys)
        .join(_users, _users.c.id == keys.c.user_id)
        .outerjoin(Profile.__table__, Profile.__table__.c.user_id == _users.c.id)
        .where(keys.c.token_hash == bindparam("token_hash"))
    )


# Built once, like _SIGNED_IN, from the tables' own columns: a Core statement, whose rows are
# plain tuples mapped to the dataclasses below (no identity map, no instance state).
_READER = _sign_in_row(
    _web_sessions, _users.c.id, _users.c.username, _users.c.revision, _web_sessions.c.expires_at
)


def reader_for(
    session: Session, secret: str | None, now: datetime
) -> tuple[Reader, plain.Profile | None] | None:
    """``signed_in`` for a page that only reads: who is signed in and their profile (None
    before onboarding) as plain data, or None if the secret is unknown or expired.

    The same one statement, run as Core. The person's revision is remembered for the status
    cache as ``signed_in`` does. Pages that write keep ``signed_in``: services change the rows.
    """
    if not secret:
        return None
    row = session.connection().execute(_READER, {"token_hash": digest(secret)}).first()
    if row is None or row[3] <= now:
        return None
    remember_revision(session, row[0], row[2])
    profile = None if row[4] is None else plain.Profile(*row[5:])
    return Reader(row[0], row[1]), profile


def end_session(session: Session, secret: str | None) -> None:
    if secret:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(secret)))


def end_all_sessions(session: Session, user: User) -> int:
    """Sign out everywhere. Returns how many sessions ended."""
    result = session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return result.rowcount or 0


def create_api_token(
    session: Session, user: User, name: str, now: datetime
) -> tuple[ApiToken, str]:
    """Make a personal access token; returns the row and the secret (shown once, never again)."""
    secret = "sc_" + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=v.text("name", name, max_length=v.LIMITS["token_name"], required=True),
        token_hash=digest(secret),
        created_at=now,
        last_used_at=None,
    )
    session.add(row)
    session.flush()
    return row, secret


# "Last used" is shown to the day. Writing it on every call made every API read a write: a
# read then waited for SQLite's write lock, and on a full disk it failed with a 503 although
# it only read. Once an hour is plenty.
LAST_USED_EVERY = timedelta(hours=1)


# Built once, like _SIGNED_IN: every API call asks it first. The token's own columns, not its
# row: only its last use is ever changed, and loading a third object cost more than reading it.
_TOKEN_USER = (
    select(ApiToken.id, ApiToken.last_used_at, User, Profile, User.revision)
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(Profile, Profile.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
# The same, also taking the account's lock (see ``hold_account``) in the same round trip.
_TOKEN_USER_HELD = _TOKEN_USER.with_for_update(of=User, key_share=True)
_USED = (
    update(ApiToken)
    .where(ApiToken.id == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def user_for_api_token(
    session: Session, secret: str, now: datetime, *, hold: bool = False
) -> User | None:
    """Return the token's user (None for an unknown token), noting when it was last used.

    ``hold``: lock the account as ``hold_account`` does, in the same statement.
    """
    query = _TOKEN_USER_HELD if hold else _TOKEN_USER
    found = session.execute(query, {"token_hash": digest(secret)}).first()
    if found is None:
        return None
    token_id, last_used, user, profile, revision = found
    _note_use(session, token_id, last_used, now)
    remember_revision(session, user.id, revision)
    keep(session, profile)
    return user


def _note_use(session: Session, token_id: int, last_used: datetime | None, now: datetime) -> None:
    if last_used is None or now - last_used >= LAST_USED_EVERY:
        session.execute(_USED, {"token_id": token_id, "now": now})


_tokens, _signals = ApiToken.__table__, SafetySignal.__table__
# ``user_for_api_token`` for a write whose services take plain data (the check-in): the
# account's id, name and revision, whether any safety signal was ever stored for it, and the
# profile's columns, as Core (no ORM objects; on PostgreSQL a third of the columns to parse).
_CALLER = _sign_in_row(
    _tokens,
    _tokens.c.id,
    _tokens.c.last_used_at,
    _users.c.id,
    _users.c.username,
    _users.c.revision,
    exists().where(_signals.c.user_id == _users.c.id).label("signalled"),
)
_CALLER_HELD = _CALLER.with_for_update(of=_users, key_share=True)


def caller_for_api_token(
    session: Session, secret: str, now: datetime, *, hold: bool = False
) -> Caller | None:
    """``user_for_api_token`` as plain data (``people.Caller``), in the same one statement."""
    query = _CALLER_HELD if hold else _CALLER
    row = session.connection().execute(query, {"token_hash": digest(secret)}).first()
    if row is None:
        return None
    _note_use(session, row[0], row[1], now)
    remember_revision(session, row[2], row[4])
    profile = None if row[6] is None else plain.Profile(*row[7:])
    return Caller(row[2], row[3], profile, row[5])


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(query))


def revoke_api_token(session: Session, user: User, token_id: int) -> None:
    session.delete(owned(session, ApiToken, token_id, user))
    session.flush()


def hold_account(session: Session, user: User) -> None:
    """Lock ``user``'s account row until the transaction ends, so their writes take turns.

    ``FOR NO KEY UPDATE`` leaves foreign-key checks free; SQLite leaves the clause out (BEGIN
    IMMEDIATE already lets one writer in at a time).
    """
    session.execute(select(User.id).where(User.id == user.id).with_for_update(key_share=True))
