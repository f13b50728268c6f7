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
    # The person's story showed abuse: no contact is protection, and nothing coaches a return.
    protection: bool = False
    # Their story showed crisis recently: Today keeps help in view.
    recent_crisis: bool = False
