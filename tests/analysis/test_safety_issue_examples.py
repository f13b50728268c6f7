"""The plain sentences the safety issue names, read as it asks: each is found, with evidence.

They are the issue's own examples of what a new person writes. The measured figures come from
the labelled sentence files (`secondchance eval --task safety`); this only keeps the examples
the issue was written from from quietly going unseen again.
"""

from __future__ import annotations

import pytest

from secondchance.analysis import safety

CRISIS = [
    "Everyone would be better off if I wasn't here",
    "I've been cutting again since he left",
    "I've been giving my things away and wrote letters to my family",
    "I looked up how high the bridge is",
    "I don't see any reason to keep going",
]
ABUSE = [
    "I'm scared of him when he drinks",
    "I walk on eggshells around him",
    "he said if I left he'd make sure I never saw my kids again",
    "he punched the wall next to my head",
    "he'd say it never happened until I thought I was going crazy",
    "he pressures me into sex when I say no",
]
NOT_THE_WRITERS = [
    "He said 'I can't do this anymore' and walked out",
    "killing it at the gym",
    "dying to know what he thinks",
    "years ago, therapy helped",
    "I was the jealous one who checked his phone",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_in_plain_words_is_found(text: str) -> None:
    result = safety.check(text)
    assert result.crisis or result.concern
    assert any(e.about.startswith(("crisis.", "concern.")) for e in result.evidence)


@pytest.mark.parametrize("text", ABUSE)
def test_coercive_control_in_plain_words_is_found(text: str) -> None:
    result = safety.check(text)
    assert result.abuse
    assert any(e.about.startswith("abuse.") for e in result.evidence)


@pytest.mark.parametrize("text", NOT_THE_WRITERS)
def test_other_voices_idioms_and_the_past_raise_nothing(text: str) -> None:
    result = safety.check(text)
    assert not (result.crisis or result.concern or result.abuse)


def test_the_seed_comment_the_issue_names_reads_as_coercive_control() -> None:
    # The issue's words for it: a partner who "does cruel things to purposely hurt me", has
    # "power and control issues", and a writer "starting to feel like I am crazy".
    story = (
        "We have been together for three years. He does cruel things to purposely hurt me. "
        "He has power and control issues. I am starting to feel like I am crazy."
    )
    result = safety.check(story)
    assert result.abuse
    quoted = " ".join(e.quote for e in result.evidence)
    assert "purposely hurt me" in quoted and "control issues" in quoted


def test_feeling_crazy_alone_is_grief_not_abuse() -> None:
    assert not safety.check("I feel like I'm going crazy missing him").abuse
