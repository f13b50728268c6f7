"""Whatever the draft, the review answers: valid spans, a score in range, no crash or hang."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from secondchance.analysis import review
from secondchance.analysis.draft import Review

BANDS = {"send": (70, 100), "revise": (40, 69), "dont_send": (0, 39)}
# Pieces that trigger rules, so random drafts exercise the rules and not only the fallbacks.
# A word list reads better as one string here than as forty quoted items.
PIECES = "hey hi miss you u us US remember when the goat babe baby sorry please lol can we talk who is she drunk at Sam's wedding I don't love 😂 ? ! . , ’".split()  # noqa: SIM905, E501
WORDS = st.sampled_from([*PIECES, "\n"])
DRAFTS = st.one_of(
    st.text(max_size=400),
    st.lists(WORDS, max_size=80).map(" ".join),
    st.lists(WORDS, max_size=80).map("".join),
)
MEMORIES = st.lists(
    st.fixed_dictionaries(
        {"title": st.text(max_size=40), "text": st.text(max_size=80)},
        optional={"tags": st.lists(st.text(max_size=12), max_size=4)},
    ),
    max_size=4,
)


def assert_well_formed(text: str, result: Review, memories: list | tuple = ()) -> None:
    low, high = BANDS[result.verdict]
    assert low <= result.score <= high
    assert 0 <= len(result.suggestions) <= 3
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.quote
        assert f.kind in {"problem", "strength"}
        assert f.severity in {"block", "warn", "info"}
        assert f.message and "{" not in _without_people_words(f.message, memories)
    if any(f.severity == "block" for f in result.findings):
        assert result.verdict == "dont_send"


def _without_people_words(message: str, memories: list | tuple) -> str:
    """Return the message with the person's own memory titles taken out.

    A title may hold a brace ("000{001"); only a brace from our templates is a defect.
    """
    for memory in memories:
        # The review reads titles without their surrounding spaces (" {" is "{").
        message = (
            message.replace(memory["title"].strip(), "") if memory["title"].strip() else message
        )
        # An opener names a memory by its first clause ("our {x" from the title "{x, y"), a
        # word perhaps lower-cased: the person's own words, wherever they are cut.
        for word in (memory["title"] + " " + memory["text"]).split():
            if "{" in word:
                message = message.replace(word, "").replace(word.lower(), "")
    return message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=DRAFTS, memories=MEMORIES, stage=st.sampled_from(["first", "ongoing"]))
@example(text="", memories=[], stage="first")
@example(text="   \n\t ", memories=[], stage="first")
@example(text="\x00\ud7ff\U0010ffff", memories=[], stage="ongoing")
@example(text="👨‍👩‍👧" * 50, memories=[], stage="first")
@example(text="000:001", memories=[{"title": "000{001", "text": ""}], stage="first")
@example(text="000:001", memories=[{"title": " {", "text": "000:001"}], stage="first")
def test_any_draft_gets_a_well_formed_review(text: str, memories: list, stage: str) -> None:
    now = datetime(2026, 3, 4, 1, 30, tzinfo=UTC)
    log = [{"at": now - timedelta(hours=2), "sender": "you"}]
    result = review(text, memories=memories, stage=stage, now=now, log=log)
    assert_well_formed(text, result, memories)
    assert set(result.to_dict()) == {"verdict", "score", "findings", "suggestions"}


@pytest.mark.slow
def test_a_megabyte_draft_is_reviewed() -> None:
    # Only the start is read (a text is never this long); a quadratic step anywhere would turn
    # this into minutes. Speed itself is measured in bench/bench_review.py, not asserted here.
    text = ("I miss you so much 😂 can we talk? " * 30_000)[:1_000_000]
    result = review(text)
    assert_well_formed(text, result)
    assert result.verdict == "dont_send"
    assert "too_long" in {f.rule for f in result.findings}
