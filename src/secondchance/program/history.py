"""A person's history as the rules see it: plain frozen records, already loaded.

The rules read these records and nothing else, so they can be built in a test without a
database; ``services.status`` maps database rows straight to them. Each record carries the
columns of its table that the rules or the pages beside them read, under the same names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from secondchance.program.safety import SafetyState


@dataclass(frozen=True)
class Profile:
    name: str = ""
    ex_name: str = ""
    ex_pronouns: str = "he"
    breakup_date: date | None = None
    who_ended: str = "ex"
    goal: str = "reconcile"
    country: str = "US"
    timezone: str = "UTC"
    no_contact_target_days: int = 21
    exercise_per_week: int = 3
    fun_per_week: int = 1
    positive_per_week: int = 4
    look_per_fortnight: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class NoContactPeriod:
    started_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None
    id: int = 0


@dataclass(frozen=True)
class Contact:
    at: datetime
    direction: str
    channel: str = "text"
    answered: bool | None = None
    note: str = ""
    id: int = 0


@dataclass(frozen=True)
class Urge:
    at: datetime
    intensity: int
    outcome: str
    trigger: str = ""
    instead: str = ""
    id: int = 0


@dataclass(frozen=True)
class CheckIn:
    day: date
    mood: int
    social_checks: int = 0
    cried: bool | None = None
    slept_well: bool | None = None
    emotions: Sequence[str] = ()
    note: str = ""
    id: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Activity:
    day: date
    kind: str
    note: str = ""
    id: int = 0
    created_at: datetime | None = None


@dataclass(frozen=True)
class ReadinessCheck:
    at: datetime
    answers: Mapping[str, bool]
    id: int = 0


@dataclass(frozen=True)
class Conversation:
    started_at: datetime
    started_by: str
    messages: int = 1
    ex_replied: bool = False
    relationship_talk: bool = False
    ended_by: str | None = None
    note: str = ""
    id: int = 0


@dataclass(frozen=True)
class Letter:
    kind: str
    created_at: datetime | None = None
    body: str = ""
    title: str = ""
    sealed_until: date | None = None
    id: int = 0


@dataclass(frozen=True)
class Memory:
    kind: str
    title: str
    created_at: datetime | None = None
    body: str = ""
    tags: Sequence[str] = ()
    id: int = 0


@dataclass(frozen=True)
class History:
    profile: Profile
    periods: Sequence[NoContactPeriod] = ()
    contacts: Sequence[Contact] = ()
    urges: Sequence[Urge] = ()
    checkins: Sequence[CheckIn] = ()
    activities: Sequence[Activity] = ()
    readiness: Sequence[ReadinessCheck] = ()
    conversations: Sequence[Conversation] = ()
    letters: Sequence[Letter] = ()
    memories: Sequence[Memory] = field(default=())
    # What the person wrote showed abuse, and they haven't cleared it: no contact is
    # protection, and nothing coaches a return.
    protection: bool = False
    # What they wrote showed crisis, and they haven't said they're safe now: help stays in view.
    recent_crisis: bool = False
    # Heavy distress lately, no sign of risk: the advice goes on, gently, with help beside it.
    concern: bool = False
    # The remembered state behind the three flags (when, and the words), for showing it;
    # None means "just the flags above".
    safety: SafetyState | None = None
