"""The rows the services hand to the faces, named so a face can say what it holds.

A face (web/, cli/) reads these and hands them back to a service; it never queries, builds or
changes them (tests/test_layers.py keeps web/ and cli/ away from ``secondchance.models``).
"""

from __future__ import annotations

from secondchance.models import (
    Activity,
    ApiToken,
    CheckIn,
    Contact,
    Conversation,
    JournalEntry,
    Letter,
    Memory,
    Profile,
    ReadinessCheck,
    Urge,
)
from secondchance.program.history import Profile as ProfileData
from secondchance.services.accounts import Reader
from secondchance.services.people import Caller, Person

__all__ = [
    "Activity",
    "ApiToken",
    "Caller",
    "CheckIn",
    "Contact",
    "Conversation",
    "JournalEntry",
    "Letter",
    "Memory",
    "Person",
    "Profile",
    "ProfileData",
    "Reader",
    "ReadinessCheck",
    "Urge",
]
