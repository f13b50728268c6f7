"""Pacing advice after re-contact: short, positive, fun, and not too often. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from secondchance.clock import local_date
from secondchance.program import thresholds as t
from secondchance.program.history import Conversation


def pacing_advice(
    conversations: Sequence[Conversation], tz: str, now: datetime, words: dict[str, str]
) -> list[tuple[str, str]]:
    """Return (id, text) advice from the conversation log, most pressing first.

    With no conversations yet, the only advice is how to begin. Always returns at least one item.
    """
    past = sorted((c for c in conversations if c.started_at <= now), key=lambda c: c.started_at)
    if not past:
        return [("first_text", "Start with one light, fun text that recalls a good memory.")]
    today = local_date(now, tz)
    advice: list[tuple[str, str]] = []
    started_today = [
        c for c in past if c.started_by == "you" and local_date(c.started_at, tz) == today
    ]
    if len(started_today) >= t.CONVERSATIONS_STARTED_PER_DAY_MAX:
        advice.append(
            ("one_a_day", "You've started today's conversation. Let {obj} reach out next.")
        )
    last = past[-1]
    if last.started_by == "you" and not last.ex_replied:
        advice.append(
            ("let_them_reply", "Your last message is still waiting. Give {obj} room to reply.")
        )
    if last.relationship_talk:
        advice.append(
            (
                "no_relationship_talk",
                "Keep the relationship out of it for now: light chats rebuild the good feelings.",
            )
        )
    if last.messages > t.CONVERSATION_MESSAGES_MAX:
        advice.append(
            ("end_while_fun", "End while it's fun: shorter chats leave {obj} wanting more.")
        )
    window = [c for c in past if c.started_at >= now - timedelta(days=t.PACING_WINDOW_DAYS)]
    yours = sum(1 for c in window if c.started_by == "you")
    theirs = len(window) - yours
    if yours >= 3 and yours > 2 * theirs:
        advice.append(
            (
                "let_them_start",
                f"You started {yours} of the last {len(window)} conversations. "
                "Let {obj} start the next one.",
            )
        )
    if not advice:
        advice.append(
            ("good_pace", "A good pace. Keep it short, positive and fun, and end on a high.")
        )
    return [(key, text.format(**words)) for key, text in advice]
