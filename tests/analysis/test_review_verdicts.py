"""Verdicts, scores, suggestions, pronouns and safety: the review agrees with the program."""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from secondchance.analysis import draft, review
from secondchance.analysis.evidence import Evidence

GOAT = {
    "title": "The goat at Sam's wedding",
    "text": "A goat got into the marquee and ate half the bouquet.",
    "tags": ["funny", "wedding"],
}
LISBON = SimpleNamespace(
    title="Our trip to Lisbon", body="We got lost looking for the tram.", tags=["travel"]
)
FIGHT = {"title": "The fight at Christmas", "text": "We shouted all night.", "tags": ["fight"]}


def test_it_says_send_to_a_light_question_about_a_shared_memory() -> None:
    result = review("hey! remember the goat at Sam's wedding? 😂", memories=[GOAT])
    assert result.verdict == "send"
    assert result.score >= 70
    memory = next(f for f in result.findings if f.rule == "shared_memory")
    assert "The goat at Sam's wedding" in memory.message
    assert {"easy_question", "light_tone"} <= {f.rule for f in result.findings}


def test_it_finds_the_memory_by_meaningful_words_not_stopwords() -> None:
    assert "shared_memory" in _rules(
        review("saw a goat today, it was eating a hat", memories=[GOAT])
    )
    # "the", "at", "time" and "funny" are in every memory and identify none of them.
    assert "shared_memory" not in _rules(review("funny day at the office", memories=[GOAT]))


def test_it_says_send_to_a_memory_marker_without_a_bank() -> None:
    assert review("remember that tiny taco place? I finally found it again 😄").verdict == "send"


@pytest.mark.parametrize(
    "text",
    [
        "lol remember the pancake disaster? I finally bought a fire extinguisher",
        "Remember when we got lost and it poured rain? Worst hike ever 😂",
        "Saw a dog in sunglasses and thought of our beach trip 😂",
    ],
)
def test_a_mishap_told_as_an_inside_joke_is_light_not_heavy(text: str) -> None:
    # VADER reads "disaster" and "worst" as heavy; told with a laugh, they are the joke.
    result = review(text)
    assert "negative_tone" not in _rules(result)
    assert result.verdict == "send"


@pytest.mark.parametrize(
    "text",
    [
        "remember our song? I cried all night, everything is awful and I hate it lol",
        "haha remember when we were happy, now I am miserable, lonely and crying every night",
    ],
)
def test_a_laugh_beside_a_memory_does_not_hide_a_heavy_message(text: str) -> None:
    result = review(text)
    # "when we were happy" is also talk about the relationship, which blocks on its own.
    assert {"negative_tone", "relationship"} & _rules(result)
    assert result.verdict != "send"


def test_it_says_dont_send_to_i_miss_you() -> None:
    # The program lists "telling him you miss him" among the things to avoid once talking
    # again, and the whole point is for him to miss her; so it blocks rather than nudges.
    result = review("I miss you")
    assert result.verdict == "dont_send"
    assert result.score < 40


@pytest.mark.parametrize(
    "text",
    ["can we talk?", "please answer me", "who is she??", "you ruined everything", "u up?"],
)
def test_it_says_dont_send_when_a_rule_blocks(text: str) -> None:
    assert review(text).verdict == "dont_send"


@pytest.mark.parametrize("text", ["hey", "how are you?", "hope you're well", "hey babe"])
def test_it_says_revise_to_generic_or_slightly_off_drafts(text: str) -> None:
    result = review(text)
    assert result.verdict == "revise"
    assert 40 <= result.score < 70


@pytest.mark.parametrize(
    "text",
    [
        "I found your jacket, I can leave it at the front desk",
        "I found your grey hoodie, want me to drop it at your mom's?",
        "I still have your old records, can I drop them round on Sunday?",
    ],
)
def test_it_lets_neutral_logistics_through(text: str) -> None:
    result = review(text)
    assert result.verdict == "send"
    assert not [f for f in result.findings if f.kind == "problem"]


def test_it_asks_for_a_memory_in_a_first_text_but_not_later() -> None:
    text = "haha I just saw a dog in a tiny raincoat 😂 guess who it looked like?"
    first = review(text)
    assert first.verdict == "revise"
    assert "no_memory" in _rules(first)
    assert review(text, stage="ongoing").verdict == "send"


def test_it_warns_about_a_memory_tagged_as_hard() -> None:
    result = review("remember the fight at Christmas?", memories=[FIGHT])
    assert "sad_memory" in _rules(result)
    assert result.verdict == "revise"


def test_scores_always_agree_with_verdicts() -> None:
    bands = {"send": (70, 100), "revise": (40, 69), "dont_send": (0, 39)}
    for text in ["hey", "I miss you", "remember the goat? 😂", "", "lol", "you idiot"]:
        result = review(text, memories=[GOAT])
        low, high = bands[result.verdict]
        assert low <= result.score <= high, (text, result.verdict, result.score)


def test_to_dict_has_exactly_the_agreed_shape() -> None:
    data = review("I miss you, babe").to_dict()
    assert set(data) == {"verdict", "score", "findings", "suggestions"}
    assert data["findings"]
    for item in data["findings"]:
        assert set(item) == {"rule", "kind", "severity", "start", "end", "message"}
        assert item["kind"] in {"problem", "strength"}
        assert item["severity"] in {"block", "warn", "info"}
    assert all(isinstance(s, str) for s in data["suggestions"])


def test_it_lists_the_most_pressing_findings_first() -> None:
    severities = [f.severity for f in review("hey babe, I miss you lol").findings]
    assert severities == sorted(severities, key=["block", "warn", "info"].index)


# --- suggestions -----------------------------------------------------------------------------


def test_it_builds_suggestions_from_the_memory_bank() -> None:
    result = review("hey", memories=[LISBON, GOAT])
    assert 1 <= len(result.suggestions) <= 3
    assert any("our trip to Lisbon" in s for s in result.suggestions)
    assert any("the goat at Sam's wedding" in s for s in result.suggestions)


def test_it_puts_the_memory_the_draft_mentions_first() -> None:
    result = review("that goat though", memories=[LISBON, GOAT])
    assert "goat" in result.suggestions[0]


def test_it_never_suggests_a_hard_memory() -> None:
    result = review("hey", memories=[FIGHT, GOAT])
    assert not any("fight" in s.lower() for s in result.suggestions)


def test_without_a_bank_it_suggests_templates_to_fill_in() -> None:
    suggestions = review("hey").suggestions
    assert 1 <= len(suggestions) <= 3
    assert all(re.search(r"\[[^]]+\]", s) for s in suggestions)


def test_memories_and_log_may_be_none() -> None:
    assert review("hey", memories=None, log=None).verdict == "revise"  # type: ignore[arg-type]


def test_memories_without_a_title_still_make_openers() -> None:
    result = review("hey", memories=[{"body": "We got lost in Lisbon looking for the tram"}])
    assert "the time we got lost in Lisbon" in result.suggestions[0]


@pytest.mark.parametrize("memory", [GOAT, LISBON])
def test_every_suggestion_passes_its_own_review(memory: object) -> None:
    for suggestion in review("hey", memories=[memory]).suggestions:
        checked = review(suggestion, memories=[memory])
        assert checked.verdict == "send", (suggestion, [f.rule for f in checked.findings])


# --- pronouns --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pronoun", "expected", "wrong"),
    [
        ("he", "when he suggests", "they suggests"),
        ("she", "when she suggests", " him"),
        ("they", "when they suggest trying", "they suggests"),
    ],
)
def test_messages_read_right_for_each_pronoun(pronoun: str, expected: str, wrong: str) -> None:
    result = review("can we talk? I miss you, why won't you reply", ex_pronoun=pronoun)
    messages = " ".join(f.message for f in result.findings)
    assert expected in messages
    assert wrong not in messages
    assert "{" not in messages


def test_they_takes_plural_verbs() -> None:
    def double_text_message(pronoun: str) -> str:
        unanswered = [{"at": _at(11), "sender": "you"}]
        result = review("haha", stage="ongoing", now=_at(12), log=unanswered, ex_pronoun=pronoun)
        return next(f.message for f in result.findings if f.rule == "double_text")

    assert "when he reaches out" in double_text_message("he")
    assert "when they reach out" in double_text_message("they")
    assert "Give them room" in double_text_message("they")


# --- safety ----------------------------------------------------------------------------------


def test_crisis_language_puts_help_before_strategy() -> None:
    result = review("I miss you. I want to die", memories=[GOAT])
    assert result.verdict == "dont_send"
    assert [f.rule for f in result.findings] == ["crisis"]
    crisis = result.findings[0]
    assert crisis.severity == "block"
    assert "988" in crisis.message
    assert "want to die" in crisis.quote
    assert result.suggestions == ()
    assert result.safety is not None and result.safety.crisis


def test_signs_of_abuse_say_no_contact_is_protection() -> None:
    result = review("after you hit me I was scared of you. remember the goat?", memories=[GOAT])
    assert result.findings[0].rule == "abuse"
    assert "protection" in result.findings[0].message
    assert not [f for f in result.findings if f.kind == "strength"]
    assert result.suggestions == ()
    assert result.verdict == "dont_send"


def test_safety_is_applied_from_whatever_check_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    # The integration itself, independent of the detector's current wording.
    text = "I cannot keep going like this"
    fake = SimpleNamespace(
        crisis=True,
        abuse=False,
        evidence=(Evidence(about="crisis.hopelessness", quote="keep going", start=9, end=19),),
    )
    monkeypatch.setattr(draft, "_safety_check", lambda body: fake)
    result = review(text)
    assert result.safety is fake
    assert [(f.rule, f.quote) for f in result.findings] == [("crisis", "keep going")]


def test_everyday_hyperbole_is_not_a_crisis() -> None:
    assert "crisis" not in _rules(review("this exam is killing me lol"))


def test_begging_the_ex_to_talk_is_needy_not_a_crisis() -> None:
    # "Please just talk to me" in a text to the ex is the plea the program warns against; the
    # person needs that feedback, not crisis lines in its place.
    result = review("I'm so sorry, please just talk to me")
    assert result.verdict == "dont_send"
    assert "needy" in _rules(result)
    assert "crisis" not in _rules(result)


# --- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"stage": "second"},
        {"ex_pronoun": "it"},
        {"now": __import__("datetime").datetime(2026, 1, 1)},
    ],
)
def test_it_refuses_unknown_options(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        review("hi", **kwargs)  # type: ignore[arg-type]


def test_it_refuses_text_that_is_not_a_string() -> None:
    with pytest.raises(TypeError):
        review(None)  # type: ignore[arg-type]


def _rules(result: draft.Review) -> set[str]:
    return {f.rule for f in result.findings}


def _at(hour: int) -> datetime:
    return datetime(2026, 3, 4, hour, 0, tzinfo=ZoneInfo("Europe/London"))
