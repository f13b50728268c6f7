"""Openers built from saved memories read as a person would text them, and pass the review."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from secondchance.analysis import review


def openers(title: str, text: str = "", tags: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The openers the review suggests for a plain draft, with this one memory saved."""
    return review("hey", memories=[{"title": title, "text": text, "tags": list(tags)}]).suggestions


def passes(opener: str, title: str, text: str = "") -> bool:
    result = review(opener, memories=[{"title": title, "text": text, "tags": []}])
    return result.verdict == "send"


@pytest.mark.parametrize(
    ("title", "phrase"),
    [
        ("Pancake Sundays", "our pancake Sundays"),
        ("Karaoke in Lisbon", "our karaoke in Lisbon"),
        ("our trip to Rome", "our trip to Rome"),
        ("Our trip to Rome", "our trip to Rome"),
        ("the dog's birthday", "the dog's birthday"),
        ("Max's party", "Max's party"),
        ("Rome trip", "our Rome trip"),
        ("We got lost in Lisbon!", "the time we got lost in Lisbon"),
        ("Dancing in the rain", "dancing in the rain"),
    ],
)
def test_a_memory_title_fits_into_the_sentence(title: str, phrase: str) -> None:
    found = openers(title)
    assert found[0] == f"Random, but I just remembered {phrase} 😄"
    assert len(found) == 3
    for opener in found:
        assert phrase in opener
        assert passes(opener, title), opener


def test_without_a_title_the_first_clause_of_the_memory_is_used() -> None:
    text = "We danced all night at Mia's wedding, it was the best"
    [first, *_] = openers("", text)
    assert first == "Random, but I just remembered the time we danced all night at Mia's wedding 😄"


def test_the_awkward_openers_are_gone() -> None:
    said = " ".join(openers("Pancake Sundays") + openers("Karaoke in Lisbon"))
    assert "was Pancake Sundays" not in said and "thought of Karaoke" not in said


# Memory titles as people write them: one to six words, names capitalised or not, some words
# from the common list and some made up, an apostrophe or a full stop here and there.
WORD = st.one_of(
    st.sampled_from(
        [
            "karaoke",
            "pancake",
            "Sundays",
            "trip",
            "to",
            "Rome",
            "the",
            "dog's",
            "birthday",
            "our",
            "in",
            "at",
            "Lisbon",
            "beach",
            "night",
            "Max's",
            "Mia",
            "Tokyo",
            "picnic",
            "dancing",
            "rain",
            "first",
            "date",
            "Blue",
            "Door",
            "café",
            "festival",
            "with",
        ]
    ),
    # Letters only: the range À-ÿ also holds "×" and "÷", which are not ("U÷" reads as "U").
    st.from_regex(r"[A-Za-zÀ-ÖØ-öø-ÿ]{2,10}('s)?", fullmatch=True),
)
TITLES = (
    st.lists(WORD, min_size=1, max_size=6)
    .map(" ".join)
    .flatmap(lambda title: st.sampled_from([title, title.capitalize(), title.title(), title + "!"]))
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TITLES)
@example(title="Pancake Sundays")
@example(title="KARAOKE")
@example(title="x")
@example(title="first date")
def test_every_opener_is_a_short_light_text_the_review_passes(title: str) -> None:
    found = openers(title)
    assert len(found) == 3
    if any("[" in opener for opener in found):
        # Nothing in the title the review could name ("x"): the person fills in the blanks.
        assert all(re.search(r"\[[^]]+\]", opener) for opener in found)
        assert found == review("hey").suggestions
        return
    for opener in found:
        assert len(opener.split()) <= 20 and len(opener) <= 160
        assert opener == " ".join(opener.split())  # no double or trailing spaces
        assert opener[0].isupper()
        assert not re.search(r"[,.!?] ?[,.!?]", opener)  # no stray punctuation from the title
        assert passes(opener, title), opener


def test_what_happened_to_the_two_of_them_reads_as_the_time_we_got() -> None:
    said = " ".join(openers("Lost in Lisbon") + openers("Stuck in the lift"))
    assert "our Lost" not in said and "our stuck" not in said.lower()
    assert "the time we got lost in Lisbon" in said
    assert "the time we got stuck in the lift" in said
