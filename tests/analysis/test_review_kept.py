"""The live review reads a draft once for both the review and the safety check."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from secondchance.analysis import review, safety
from secondchance.analysis.draft import review_with_safety

LONDON = ZoneInfo("Europe/London")
DRAFT = "haha the goat at the wedding, I still laugh about it"
GOAT = {"title": "The goat at the wedding", "text": "It ate the bouquet", "tags": ["funny"]}
AFTERNOON = datetime(2026, 3, 4, 15, 0, tzinfo=LONDON)
NIGHT = datetime(2026, 3, 4, 1, 30, tzinfo=LONDON)


def test_it_reads_a_draft_as_the_review_and_the_safety_check_do() -> None:
    long_paste = "Remember the goat at the wedding? " * 70
    for text in (DRAFT, "I miss you so much, can we talk about us?", "I want to die", long_paste):
        result, found = review_with_safety(text, memories=[GOAT], now=AFTERNOON)
        assert result == review(text, memories=[GOAT], now=AFTERNOON)
        assert found == safety.check(text)


def test_the_reading_follows_the_memories_and_the_hour() -> None:
    plain, _ = review_with_safety(DRAFT, now=AFTERNOON)
    with_memory, _ = review_with_safety(DRAFT, memories=[GOAT], now=AFTERNOON)
    at_night, _ = review_with_safety(DRAFT, memories=[GOAT], now=NIGHT)
    assert "the goat at the wedding" in " ".join(with_memory.suggestions)
    assert "the goat at the wedding" not in " ".join(plain.suggestions)
    assert "late_night" in {f.rule for f in at_night.findings}
    assert "late_night" not in {f.rule for f in with_memory.findings}
