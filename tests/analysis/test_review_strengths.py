"""A strength never cancels a problem: a good memory or an emoji in front of a bad text.

Every not-send text of the real texts to an ex (both halves), of the labelled development set
and of our own labelled texts is reviewed bare and with a happy memory callback and/or an
emoji or a laugh in front; at either stage, whatever the bare text gets, the prefixed one is
never better. The test half is read here only to be counted: assertion messages give counts,
never texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secondchance.analysis import review
from secondchance.analysis.draft_rules import lexicon
from secondchance.evaluation import review as evaluation

DATA = Path(__file__).resolve().parents[1] / "data" / "review"
# Written for this test, not taken from the data: memories in different words, alone or with
# an emoji, and an emoji or a laugh alone.
PREFIXES = (
    "Remember that terrible pizza place we used to love? 😂 ",
    "lol walked past the coffee shop where you spilled your latte 😄 ",
    "Haha remember when we got lost looking for that beach? 😂 ",
    "Our road trip to the lake was the best 😊 ",
    "Just drove past the bowling alley where we both bowled a 40. ",
    "😂 ",
    "😊😊 ",
    "haha ",
)
ORDER = {"send": 0, "revise": 1, "dont_send": 2}


def _rows(name: str) -> list[dict[str, object]]:
    return evaluation.load_dev_set(DATA / name)


def _problem_rules() -> set[str]:
    return {r for r, spec in lexicon().rules.items() if spec.kind == "problem"}


def not_send_texts(which: str) -> list[str]:
    """Return the texts a coach would not send, from one labelled set."""
    if which in ("real tune", "real test"):
        half = which.split()[1]
        rows = [r for r in _rows("real_texts.jsonl") if evaluation.half(str(r["id"])) == half]
        return [str(r["text"]) for r in rows if r["verdict"] != "send"]
    if which == "dev":
        # Labelled with what a coach would flag in a first text; info notes are not flags.
        flags = {r for r in _problem_rules() if lexicon().rules[r].severity != "info"}
        return [str(r["text"]) for r in _rows("dev.jsonl") if set(r["labels"]) & flags]  # type: ignore[arg-type]
    return [str(r["text"]) for r in _rows("own_texts.jsonl") if r["verdict"] != "send"]


@pytest.mark.parametrize("which", ["real tune", "real test", "dev", "own"])
def test_a_memory_or_an_emoji_in_front_never_makes_a_bad_text_better(which: str) -> None:
    texts = not_send_texts(which)
    assert len(texts) >= 30
    lifted = sent = total = 0
    for text in texts:
        # The most lenient reading of the bare text: as a first text, a memory is exactly
        # what a greeting lacks, so the prefixed text is held to the bare text's best verdict.
        bare = min((review(text, stage=s).verdict for s in ("first", "ongoing")), key=ORDER.get)
        for stage in ("first", "ongoing"):
            for prefix in PREFIXES:
                verdict = review(prefix + text, stage=stage).verdict
                total += 1
                lifted += ORDER[verdict] < ORDER[bare]
                sent += verdict == "send" and bare != "send"
    assert sent == 0, f"{sent} of {total} prefixed bad texts became 'send' ({which})"
    assert lifted == 0, f"{lifted} of {total} prefixed bad texts got a better verdict ({which})"


def test_our_own_labelled_texts_are_well_formed_and_read_well() -> None:
    rows = _rows("own_texts.jsonl")
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["verdict"] for r in rows} == {"send", "revise", "dont_send"}
    sends = [r for r in rows if r["verdict"] == "send"]
    others = [r for r in rows if r["verdict"] != "send"]
    kept = sum(review(str(r["text"]), stage="ongoing").verdict == "send" for r in sends)
    caught = sum(review(str(r["text"]), stage="ongoing").verdict != "send" for r in others)
    # A floor, not a target: these texts were written to tune the rules on.
    assert (kept / len(sends) + caught / len(others)) / 2 >= 0.9, (kept, len(sends), caught)


# Our own words: a memory tied to him now, then an easy question or a wish.
LINKED = (
    "Passed the taco truck we found that summer, it made me think of you. How have you been?",
    "Just rewatched the movie we saw on that rainy Sunday, made me smile. Hope you're well!",
    "Heard our karaoke song at the mall today, reminded me of you. How's everything?",
)


@pytest.mark.parametrize("text", LINKED)
def test_a_memory_tied_to_him_carries_an_easy_question_on(text: str) -> None:
    # The method's first text: a good memory that invites him to carry on talking.
    assert review(text, stage="first").verdict == "send"


@pytest.mark.parametrize("text", LINKED)
def test_the_tie_does_not_carry_a_problem(text: str) -> None:
    # The tie excuses small talk only: a guilt trip or "I miss you" after it still counts.
    for tail in (" Why did you never text me back?", " I miss you so much."):
        assert review(text + tail, stage="first").verdict != "send"


def test_a_pasted_memory_with_no_tie_still_reads_the_how_are_you_as_small_talk() -> None:
    assert review(PREFIXES[0] + "How have you been?", stage="first").verdict != "send"
