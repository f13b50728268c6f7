"""A person's history as the rules see it: plain lists of rows, already loaded.

The rules only read attributes, so the rows can be ORM objects fresh from the database or
objects built in a test; nothing here touches a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from secondchance.models import (
    Activity,
    CheckIn,
    Contact,
    Conversation,
    Letter,
    Memory,
    NoContactPeriod,
    Profile,
    ReadinessCheck,
    Urge,
)
from secondchance.program.safety import SafetyState


@dataclass
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
