"""The live review keeps its readings of recent drafts: never one that no longer applies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from secondchance.analysis import review, safety
from secondchance.analysis.draft import MEMO_CHARS, review_with_safety

LONDON = ZoneInfo("Europe/London")
DRAFT = "haha the goat at the wedding, I still laugh about it"
GOAT = {"title": "The goat at the wedding", "text": "It ate the bouquet", "tags": ["funny"]}
AFTERNOON = datetime(2026, 3, 4, 15, 0, tzinfo=LONDON)
NIGHT = datetime(2026, 3, 4, 1, 30, tzinfo=LONDON)


def test_it_reads_a_draft_as_the_review_and_the_safety_check_do() -> None:
    for text in (DRAFT, "I miss you so much, can we talk about us?", "I want to die"):
        result, found = review_with_safety(text, memories=[GOAT], now=AFTERNOON)
        assert result == review(text, memories=[GOAT], now=AFTERNOON)
        assert found == safety.check(text)


def test_a_kept_reading_follows_the_memories_and_the_hour() -> None:
    plain, _ = review_with_safety(DRAFT, now=AFTERNOON)
    with_memory, _ = review_with_safety(DRAFT, memories=[GOAT], now=AFTERNOON)
    at_night, _ = review_with_safety(DRAFT, memories=[GOAT], now=NIGHT)
    assert "the goat at the wedding" in " ".join(with_memory.suggestions)
    assert "the goat at the wedding" not in " ".join(plain.suggestions)
    assert "late_night" in {f.rule for f in at_night.findings}
    assert "late_night" not in {f.rule for f in with_memory.findings}


def test_a_long_paste_is_read_as_the_review_reads_it() -> None:
    text = "Remember the goat at the wedding? " * (MEMO_CHARS // 30)
    result, found = review_with_safety(text, memories=[GOAT], now=AFTERNOON)
    assert len(text) > MEMO_CHARS
    assert result == review(text, memories=[GOAT], now=AFTERNOON)
    assert found == safety.check(text)
