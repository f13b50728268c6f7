"""Accounts for the web app: sign-up, sign-in with throttling, sessions and API tokens.

Passwords are hashed with argon2. Session cookies and API tokens are random secrets of which
only a SHA-256 hash is stored: a copy of the database opens no one's account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from secondchance.models import ApiToken, LoginFailure, User, WebSession
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import owned

PASSWORD_MIN = 10  # long beats clever: ten characters of anything, no composition rules
PASSWORD_MAX = 1000
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")
SESSION_DAYS = 30
# Guessing: after this many failures in the window, that account (or address) waits.
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = timedelta(minutes=15)
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

_hasher = PasswordHasher()
# Verifying against this when an account doesn't exist keeps both paths equally slow, so
# timing doesn't reveal which names have accounts.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class SignInError(Exception):
    """Wrong name or password (deliberately not saying which)."""


class Throttled(Exception):
    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many attempts. Please wait {minutes} minutes and try again.")
        self.minutes = minutes


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


def sign_up(session: Session, username: str, password: str, now: datetime) -> User:
    """Create an account; InputError for a taken or malformed name, or a weak password."""
    name = v.text("username", username, max_length=40, required=True).lower()
    if not USERNAME.match(name):
        raise InputError("username", "use 3 to 40 letters, digits, dots, dashes or underscores")
    check_password(password, name)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise InputError("username", "is taken; please choose another")
    user = User(username=name, password_hash=_hasher.hash(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def _recent_failures(session: Session, key: str, now: datetime) -> int:
    query = select(func.count()).where(
        LoginFailure.key == key, LoginFailure.at > now - FAILURE_WINDOW
    )
    return session.scalar(query) or 0


def sign_in(session: Session, username: str, password: str, address: str, now: datetime) -> User:
    """Return the user if the password matches.

    Raises Throttled after too many recent failures for the account or the address (checked
    before the password, so a throttled guesser learns nothing), SignInError otherwise.
    Failures are recorded by the caller's transaction, which must commit even on SignInError.
    """
    name = (username or "").strip().lower()[:40]
    account_key, address_key = f"user:{name}", f"addr:{address}"
    if (
        _recent_failures(session, account_key, now) >= FAILURES_PER_ACCOUNT
        or _recent_failures(session, address_key, now) >= FAILURES_PER_ADDRESS
    ):
        raise Throttled(int(FAILURE_WINDOW.total_seconds() // 60))
    user = session.scalar(select(User).where(User.username == name))
    if _verify(user.password_hash if user else None, password):
        session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
        assert user is not None
        if _hasher.check_needs_rehash(user.password_hash or ""):
            user.password_hash = _hasher.hash(password)
        return user
    session.add_all([LoginFailure(key=account_key, at=now), LoginFailure(key=address_key, at=now)])
    session.flush()
    raise SignInError("That name and password don't match.")


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password[:PASSWORD_MAX]) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


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


def user_for_session(session: Session, secret: str | None, now: datetime) -> User | None:
    """Return the signed-in user for a cookie secret, or None if unknown or expired."""
    if not secret:
        return None
    row = session.get(WebSession, digest(secret))
    if row is None or row.expires_at <= now:
        return None
    return session.get(User, row.user_id)


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
        name=v.text("name", name, max_length=100, required=True),
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


def user_for_api_token(session: Session, secret: str, now: datetime) -> User | None:
    """Return the token's user (None for an unknown token), noting when it was last used."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if row is None:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        row.last_used_at = now
    return session.get(User, row.user_id)


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(query))


def revoke_api_token(session: Session, user: User, token_id: int) -> None:
    session.delete(owned(session, ApiToken, token_id, user))
    session.flush()
