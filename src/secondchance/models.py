"""Tables only. Rules live in ``program/``, actions in ``services/``.

Every moment is stored as naive UTC (``UTCDateTime``) and read back as aware UTC, so SQLite and
PostgreSQL behave the same. Calendar days that belong to the person (a check-in's day, an
activity's day) are stored as plain dates in their own time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC on disk."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing a naive datetime: pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# Stable constraint names so that migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _owner() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set only on a visitor's private copy of the demo: it is deleted after this moment.
    demo_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Bumped in the same transaction as any change to this person's entries (db.py), so a
    # cached status keyed by it can never outlive the data it was computed from.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Profile(Base):
    """The answers to ``init``: who, whom, when, and how long no contact should last."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100))
    ex_name: Mapped[str] = mapped_column(String(100))
    ex_pronouns: Mapped[str] = mapped_column(String(8))
    breakup_date: Mapped[date | None] = mapped_column(Date)
    who_ended: Mapped[str] = mapped_column(String(8))
    goal: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    no_contact_target_days: Mapped[int] = mapped_column(Integer)
    exercise_per_week: Mapped[int] = mapped_column(Integer)
    fun_per_week: Mapped[int] = mapped_column(Integer)
    positive_per_week: Mapped[int] = mapped_column(Integer)
    look_per_fortnight: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoContactPeriod(Base):
    """A stretch of no contact. Slips do not end it; they restart the streak inside it."""

    __tablename__ = "no_contact_periods"
    __table_args__ = (Index("ix_no_contact_periods_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(16))


class Contact(Base):
    """Any contact with the ex: who reached out, how, and whether it was answered."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    direction: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    answered: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class Urge(Base):
    __tablename__ = "urges"
    __table_args__ = (Index("ix_urges_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    intensity: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(Text, default="")
    instead: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))


class Letter(Base):
    """An unsent letter. Sealed letters stay closed until their date comes."""

    __tablename__ = "letters"
    __table_args__ = (Index("ix_letters_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    sealed_until: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))


class CheckIn(Base):
    """One per person per local day; editing a day replaces it."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_checkins_user_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    day: Mapped[date] = mapped_column(Date)
    mood: Mapped[int] = mapped_column(Integer)
    emotions: Mapped[list[str]] = mapped_column(JSON)
    # None: the question was left unanswered, which is not the same as "no".
    cried: Mapped[bool | None] = mapped_column(Boolean)
    social_checks: Mapped[int] = mapped_column(Integer)
    slept_well: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Activity(Base):
    """Something done for yourself (step 3), on a local day."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Memory(Base):
    """A good memory or an inside joke, the raw material of a first text."""

    __tablename__ = "memories"
    __table_args__ = (Index("ix_memories_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON)


class ReadinessCheck(Base):
    """Answers to the step-4 self-assessment, kept so progress over time can be seen."""

    __tablename__ = "readiness_checks"
    __table_args__ = (Index("ix_readiness_checks_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    answers: Mapped[dict[str, bool]] = mapped_column(JSON)


class Conversation(Base):
    """A conversation after re-contact: who started it, when, how it went."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(8))
    messages: Mapped[int] = mapped_column(Integer)
    ex_replied: Mapped[bool] = mapped_column(Boolean)
    ended_by: Mapped[str | None] = mapped_column(String(8))
    relationship_talk: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class Story(Base):
    """The story of the breakup, as the person told it (read again whenever it is shown)."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    # What the safety reading found when the story was told, kept so that Today can put
    # safety first without reading the whole story again on every visit.
    crisis: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    abuse: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LessonRead(Base):
    """A daily lesson the person opened: the lesson picker prefers the ones not read yet."""

    __tablename__ = "lesson_reads"
    __table_args__ = (UniqueConstraint("user_id", "slug", name="uq_lesson_reads_user_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    slug: Mapped[str] = mapped_column(String(64))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JournalEntry(Base):
    """A short answer to a lesson's journal prompt, kept with the local day it was written."""

    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    day: Mapped[date] = mapped_column(Date)
    lesson_slug: Mapped[str] = mapped_column(String(64), default="")
    prompt: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SafetySignal(Base):
    """Something a person wrote showed crisis, concern or abuse: remembered until they clear it.

    ``source`` names what was written (story, checkin, urge, letter, memory, contact,
    conversation, activity, draft, safety_plan, journal) and ``source_id`` its row, when it
    has one (a draft has none). ``evidence`` is a list of ``{"rule", "quote", "start",
    "end"}``, quotes kept short. Kept apart from the text, so a later text without the words
    can't switch protection off: only the person's own clearing (``SafetyClearance``) ends it.
    """

    __tablename__ = "safety_signals"
    __table_args__ = (Index("ix_safety_signals_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SafetyClearance(Base):
    """The person's own "I'm safe now": signals of ``kinds`` written before it no longer count."""

    __tablename__ = "safety_clearances"
    __table_args__ = (Index("ix_safety_clearances_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    kinds: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SafetyPlan(Base):
    """The person's own safety plan, one item per line in each part."""

    __tablename__ = "safety_plans"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    warning_signs: Mapped[str] = mapped_column(Text, default="")
    calming: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A signed-in browser. Only a hash of the cookie is stored, so a leaked table opens nothing.

    Kept in the database (not in one process's memory) so any app process can serve anyone,
    and "sign out everywhere" is one delete.
    """

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = _owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A personal access token for the JSON API (stored as a hash; shown once when made)."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Base):
    """A one-time code that resets a forgotten password (only an argon2 hash is kept)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class LoginFailure(Base):
    """A failed sign-in, by account name or address, for throttling guessers."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# Tables that hold a person's history, in the order export and import walk them.
HISTORY_TABLES: tuple[type[Base], ...] = (
    NoContactPeriod,
    Contact,
    Urge,
    Letter,
    CheckIn,
    Activity,
    Memory,
    ReadinessCheck,
    Conversation,
    Story,
    LessonRead,
    JournalEntry,
    # Last: a signal names the row it was read from, so those rows are in before it.
    SafetySignal,
    SafetyClearance,
)


class FormKey(Base):
    """A form a person already sent: the same form posted again (a double tap) does nothing.

    ``key`` is the random ``form_key`` each rendered form carries (web/templating.py
    ``form_guard``); unique per person, so the second of two concurrent posts waits on the index
    and then finds it taken.
    """

    __tablename__ = "form_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_form_keys_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReminderSetting(Base):
    """How a person wants to be reminded: push to their devices, a calendar feed, or neither.

    Times are local wall-clock "HH:MM" in the profile's time zone. ``calendar_secret`` is the
    random part of the private feed's address (kept as it is, so Settings can show the link
    again; making a new one is how a leaked link stops working).
    """

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    push_on: Mapped[bool] = mapped_column(Boolean, default=False)
    calendar_on: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[str] = mapped_column(String(5), default="20:00")
    quiet_start: Mapped[str | None] = mapped_column(String(5), default=None)
    quiet_end: Mapped[str | None] = mapped_column(String(5), default=None)
    even_in_protection: Mapped[bool] = mapped_column(Boolean, default=False)
    calendar_secret: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PushSubscription(Base):
    """A browser that agreed to receive reminders (the Push API's subscription).

    ``endpoint`` is the push service's address for that browser; ``p256dh`` and ``auth`` are
    the browser's keys the message is encrypted to. One browser belongs to one person: the same
    endpoint subscribed again by someone else moves to them.
    """

    __tablename__ = "push_subscriptions"
    __table_args__ = (Index("ix_push_subscriptions_user", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReminderSent(Base):
    """A local day a reminder was sent for: the unique key is what makes it once a day, even
    with several app processes and a cron job sending."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_reminders_sent_user_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServerKey(Base):
    """Keys the server makes for itself on first run, such as the VAPID key pair web push
    signs with (``name`` = "vapid"): the private key as base64url DER, the public one as the
    base64url uncompressed point browsers are given."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    private_key: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Lease(Base):
    """A job one process runs at a time (the reminder sender): held until ``until`` by
    ``holder``, claimed in a transaction, so several workers send once."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    until: Mapped[datetime] = mapped_column(UTCDateTime)
