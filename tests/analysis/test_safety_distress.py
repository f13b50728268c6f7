"""The distress layer of crisis detection: veiled and indirect crisis, and what must not fire.

Sentences here are written for the tests; real ones (sdcnl-train and r/BreakUps excerpts, with
their rows) are in the development set, tests/data/safety/dev.jsonl.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secondchance.analysis import distress, safety

DEVSET = Path(__file__).resolve().parents[1] / "data" / "safety" / "dev.jsonl"


def crisis(text: str) -> bool:
    return safety.check(text).crisis


def abouts(text: str) -> set[str]:
    return {e.about for e in safety.check(text).evidence}


# --- strong distress phrases: enough alone, even in a one-line check-in note -----------------


@pytest.mark.parametrize(
    "text",
    [
        "I can't do this anymore",
        "i just cant take it any longer.",
        "Can someone please talk to me",
        "I really need someone to talk to",
        "I'm scared of what I might do",
        "I'm so scared and alone",
        "honestly it's still not off the table",
        "I won't be around much longer",
        "This is my final post.",
    ],
)
def test_a_strong_distress_phrase_alone_is_a_crisis(text):
    result = safety.check(text)
    assert result.crisis
    assert {e.about for e in result.evidence} == {"crisis.distress"}
    for e in result.evidence:
        assert text[e.start : e.end] == e.quote


def test_phrase_rules_still_give_their_own_evidence():
    text = "I can't do this anymore, I want it all to stop"
    assert crisis(text)
    assert "crisis.suicidal_thoughts" in abouts(text)


# --- what a sad person after a breakup writes is not a crisis -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I miss him so much, today was awful",
        "I cried all day, I feel so alone without him",
        "Today hurts so much. I'm so tired.",
        "I feel so lonely since she left and I don't know what to do",
        "It's hopeless, he's never coming back to me",
        "Please talk to me about something else, I'm bored",
    ],
)
def test_a_sad_short_note_is_not_a_crisis(text):
    assert not crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't take it anymore lol, this show is too good",
        "this exam is killing me, I can't do this anymore haha",
        "My sister says she can't do this anymore, her job is awful",
        "I'm not scared of what I might do, I'm just angry",
        "Tonight's the night! Finals start at eight, wish us luck",
        "I won't be around tomorrow, I'm at my mum's",
    ],
)
def test_jokes_other_people_denials_and_everyday_plans_are_not_a_crisis(text):
    assert not crisis(text)


# --- the post-level score ------------------------------------------------------------------

# Written for the test: many despair signals stacked, none of them a phrase the rules know.
_STACKED = (
    "Every day is a struggle and it keeps getting worse. I am so tired, of trying and of "
    "pretending to be okay at work. Nothing matters now. I ruin everything and I drag everyone "
    "down with me, I am nothing but a disappointment. Soon I will finally be at peace, and "
    "everyone will see it was for the best."
)
# Written for the test: long, sad, about a breakup, and not a crisis.
_GRIEF = (
    "We broke up three weeks ago and I still miss him so much. I cried all day yesterday and "
    "I feel so alone in our old apartment. My friends keep telling me it gets easier and "
    "that I should focus on the gym and my job. I know the relationship was not good for me "
    "but it hurts so much. I started journaling and I'm trying no contact."
)


def test_many_stacked_despair_signals_in_a_long_post_are_a_crisis():
    result = safety.check(_STACKED)
    assert result.crisis
    distress_spans = [e for e in result.evidence if e.about == "crisis.distress"]
    assert distress_spans == list(result.evidence)  # the rules alone would not have fired
    assert 2 <= len(distress_spans) <= 6
    for e in distress_spans:
        assert _STACKED[e.start : e.end] == e.quote


def test_a_long_sad_breakup_story_is_not_a_crisis():
    assert not crisis(_GRIEF)


def test_short_texts_are_never_scored():
    model = distress.model()
    words = "I'm so tired of everything. There's no point. I hate myself."
    assert len(words.split()) < model.min_words
    verdict = distress.assess(
        words.lower(), safety.distress_signals(words.lower().replace("’", "'"))
    )
    assert verdict.score is None and not verdict.fired


def test_a_sign_of_despair_never_makes_a_text_look_safer():
    model = distress.model()
    for family in distress.FAMILIES:
        if family != "relationship":
            assert model.weights.get(family, 0.0) >= 0, family


def test_the_model_file_is_complete_and_sane():
    model = distress.model()
    assert 0.0 < model.threshold < 1.0
    assert model.min_words >= 20
    assert set(model.weights) <= set(distress.features("", []))
    assert model.weights["relationship"] < 0  # grief about the ex alone is not a crisis


def test_features_are_the_same_for_the_same_text():
    text = _STACKED.lower()
    signals = safety.distress_signals(text)
    assert distress.features(text, signals) == distress.features(text, list(signals))
    assert distress.features(text, signals)["families"] >= 4
    assert distress.model().score(distress.features(text, signals)) >= distress.model().threshold


# --- misses and false alarms the phrase rules now handle -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "happy to die but not by my own hands (passive suicidal)",
        "I almost did something that would result in me not being here",
        "spending new years in bed hoping desperately not to wake up",
    ],
)
def test_passive_and_veiled_wishes_are_a_crisis(text):
    assert crisis(text)
    assert "crisis.suicidal_thoughts" in abouts(text)


@pytest.mark.parametrize(
    "text",
    [
        "He hit me when he was angry",
        "I endured emotional abuse from him",
        "I finally left because of his toxicity and abuse",
    ],
)
def test_partner_abuse_said_these_ways_is_abuse(text):
    assert safety.check(text).abuse


@pytest.mark.parametrize(
    "text",
    [
        "His drug abuse ruined our last year together",
        "everyone jumped on the bandwagon, he harassed me too, sure",
    ],
)
def test_other_abuse_and_bandwagon_claims_are_not_partner_abuse(text):
    assert not safety.check(text).abuse


def test_the_gun_to_my_head_idiom_is_not_a_crisis():
    assert not crisis("With a gun to my head, that album might be my favourite")


# --- real text: the committed development set ------------------------------------------------


def _devset() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines()]


def test_the_distress_layer_never_fires_on_everyday_comments_of_the_dev_set():
    everyday = [i for i in _devset() if i["source"] == "goemotions-train.tsv"]
    assert len(everyday) >= 20
    fired = [i["text"] for i in everyday if "crisis.distress" in abouts(i["text"])]
    assert fired == []


def test_the_distress_layer_finds_the_veiled_pleas_of_the_dev_set():
    items = [i for i in _devset() if i["id"].startswith(("S51-", "S145-", "S219-", "S1281-"))]
    assert len(items) == 4
    for item in items:
        assert "crisis.distress" in abouts(item["text"]), item["text"]
