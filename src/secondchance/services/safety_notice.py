"""What to say right after a person saves words: decided once, here, for every face.

Safety before strategy: each note, letter, urge, check-in, journal entry or conversation is read
for crisis and abuse the moment it is saved, and the web pages, the JSON API and the command
line all show the same notice for the same words (the services have already remembered what the
words showed, in ``safety_state``; this only says what to show now).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from secondchance.analysis import resources
from secondchance.analysis.resources import Resource
from secondchance.analysis.safety import Evidence, SafetyResult
from secondchance.models import User
from secondchance.services.people import profile_of
from secondchance.services.safety_state import check_texts

__all__ = ["LEVELS", "SafetyNotice", "notice_for", "notice_in", "notice_of"]

# Highest first: crisis outranks abuse, which outranks a gentle concern.
LEVELS = ("crisis", "abuse", "concern", "none")


@dataclass(frozen=True)
class SafetyNotice:
    """The notice for words just saved: the flags, the evidence, and the help lines to show.

    ``help`` holds the crisis lines when crisis is up, then the abuse lines not already there
    when abuse is up; it is empty for a concern alone (a gentle line, no list) or nothing.
    """

    crisis: bool
    abuse: bool
    concern: bool
    evidence: tuple[Evidence, ...] = ()
    help: tuple[Resource, ...] = ()

    @property
    def level(self) -> str:
        """The highest of crisis, abuse, concern; "none" when the words showed nothing."""
        for level in LEVELS[:-1]:
            if getattr(self, level):
                return level
        return "none"

    @property
    def flagged(self) -> bool:
        """True when help must come first: crisis or abuse."""
        return self.crisis or self.abuse

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the flags, the level, the evidence spans and the help lines."""
        return {
            "level": self.level,
            "crisis": self.crisis,
            "concern": self.concern,
            "abuse": self.abuse,
            "evidence": [e.to_dict() for e in self.evidence],
            "help": [{"name": r.name, "contact": r.contact, "kind": r.kind} for r in self.help],
        }


def _help_for(crisis: bool, abuse: bool, country: str | None, overrides: Any) -> list[Resource]:
    lines = list(resources.crisis_lines(country, overrides)) if crisis else []
    if abuse:
        lines += [line for line in resources.abuse_lines(country, overrides) if line not in lines]
    return lines


def _notice(result: SafetyResult, country: str | None, overrides: Any) -> SafetyNotice:
    return SafetyNotice(
        crisis=result.crisis,
        abuse=result.abuse,
        concern=result.concern,
        evidence=result.evidence,
        help=tuple(_help_for(result.crisis, result.abuse, country, overrides)),
    )


def notice_for(
    country: str | None, *texts: str, overrides: dict[str, Any] | None = None
) -> SafetyNotice:
    """Read ``texts`` (each on its own, so two fields never run into one phrase) and return the
    notice, with the help lines of ``country`` (plus the app's ``overrides``, if any).

    Empty texts are skipped; no text at all gives a notice at level "none".
    """
    return _notice(check_texts(*texts), country, overrides)


def notice_of(
    session: Session, user: User, result: SafetyResult, overrides: dict[str, Any] | None = None
) -> SafetyNotice:
    """The notice for a reading a service already made (``record_texts`` returns one), in the
    country of ``user``'s profile (read only when a flag is up)."""
    flagged = result.crisis or result.abuse
    country = profile_of(session, user).country if flagged else None
    return _notice(result, country, overrides)


def notice_in(
    session: Session, user: User, *texts: str, overrides: dict[str, Any] | None = None
) -> SafetyNotice:
    """Like ``notice_for``, in the country of ``user``'s profile (read only when a flag is up,
    so words that show nothing never need a profile)."""
    return notice_of(session, user, check_texts(*texts), overrides)
