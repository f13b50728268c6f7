"""What every step-4 page shares: where the person stands, and the page's frame.

The leading underscore keeps this module out of router discovery: it defines no routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from secondchance.analysis.draft import Bank
from secondchance.analysis.draft import memory_bank as prepared_bank
from secondchance.clock import zone
from secondchance.program.history import History
from secondchance.program.plan import Status
from secondchance.program.progress import Gate
from secondchance.program.steps import (
    CLOSURE_STEP,
    PROTECTION_STEPS,
    READINESS_QUESTIONS,
    STEPS,
    words_for,
)
from secondchance.services import validate as v
from secondchance.services.rows import Conversation, Person, Profile
from secondchance.services.status import kept, standing

# A draft can be long (the review itself says so); this only stops a runaway paste.
DRAFT_MAX = v.LIMITS["draft"]
NOTE_MAX = v.LIMITS["conversation_note"]


# --------------------------------------------------------------------------------------------
# Where the person stands, loaded once per request
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    profile: Profile
    history: History
    state: Status
    words: dict[str, str]
    local_now: datetime

    @property
    def closure(self) -> bool:
        """No re-contact: the move-on path, or protection after a story that showed abuse."""
        return self.profile.goal == "move_on" or self.state.protection

    @property
    def protection(self) -> bool:
        return self.state.protection

    @property
    def stage(self) -> str:
        """The review's stage: "ongoing" once talking again, else "first"."""
        return "ongoing" if self.state.phase == "reconnected" else "first"

    @property
    def open(self) -> bool:
        return self.state.step4_unlocked

    @property
    def unmet(self) -> list[Gate]:
        return [g for g in self.state.gates if not g.met]

    @property
    def decide(self) -> str | None:
        return next((a.text for a in self.state.actions if a.key == "decide"), None)


def where(session: Session, user: Person, moment: datetime) -> Where:
    """Return the person's history and status at ``moment`` (one load for both, or the cache)."""
    history, state = standing(session, user, moment)
    profile = history.profile
    return Where(
        profile=profile,
        history=history,
        state=state,
        words=words_for(profile.ex_name, profile.ex_pronouns),
        local_now=moment.astimezone(zone(profile.timezone)),
    )


def memory_bank(history: History) -> list[dict[str, Any]]:
    """Return the memories as the review reads them. An inside joke is tagged as one, which the
    review's lexicon counts as light, so its openers come first."""
    return [
        {
            "title": m.title,
            "text": m.body,
            "tags": [*m.tags, "inside joke"] if m.kind == "inside_joke" else list(m.tags),
        }
        for m in history.memories
    ]


def review_bank(session: Session, user: Person, moment: datetime, history: History) -> Bank:
    """Return the memories prepared for reading drafts, kept with the person's status (the
    same revision): the live review reads a draft at every keystroke against the same bank."""
    return kept(session, user, moment, "review_bank", lambda: prepared_bank(memory_bank(history)))


def message_log(conversations: list[Conversation] | Any) -> list[dict[str, Any]]:
    """Return the conversation log as the messages the review's pacing rules read.

    A conversation is its opening message (from whoever started it) and, when the ex answered
    one you started, the ex's reply. Times within a conversation aren't logged, so the reply is
    placed at the start: for a few hours after a conversation began, a new message reads as part
    of it; after that, as a new start (which is what "not too often" counts). Replies of yours
    to a conversation the ex started are left out, since whether the ex answered those is unknown
    and guessing "no" would wrongly call the next message a double text.
    """
    entries: list[dict[str, Any]] = []
    for c in sorted(conversations, key=lambda c: c.started_at):
        entries.append({"at": c.started_at, "sender": c.started_by})
        if c.started_by == "you" and c.ex_replied:
            entries.append({"at": c.started_at, "sender": "ex"})
    return entries


def base_context(here: Where, title: str) -> dict[str, Any]:
    step = STEPS[3]
    if here.closure:
        step = PROTECTION_STEPS[4] if here.protection else CLOSURE_STEP
    return {
        "title": title,
        "here": here,
        "state": here.state,
        "words": here.words,
        "step_title": step.title.format(**here.words),
        "step_why": step.why,
    }


def questions(words: dict[str, str]) -> list[tuple[str, str]]:
    return [(q.key, q.text.format(**words)) for q in READINESS_QUESTIONS]
