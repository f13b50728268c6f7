"""Each rule of the draft review, on real messages and on near misses that must not fire.

Drafts in quotes here are written for the test; ``real("B106-10")`` is a real message from the
labelled set in ``tests/data/review`` (see its README for where each one comes from).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from secondchance.analysis import review
from secondchance.analysis.draft import Review

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "review" / "dev.jsonl"


@cache
def _dev_texts() -> dict[str, str]:
    with DEV_SET.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return {item["id"]: item["text"] for item in items}


def real(item_id: str) -> str:
    """Return the text of a real message from the labelled set, by its id."""
    return _dev_texts()[item_id]


def rules_of(result: Review, kind: str | None = None) -> set[str]:
    return {f.rule for f in result.findings if kind is None or f.kind == kind}


def finding(result: Review, rule: str):
    return next(f for f in result.findings if f.rule == rule)


FIRES = [
    # Telling him you miss him, and its paraphrases.
    (real("B106-10"), "miss_you"),
    (real("B215-20"), "miss_you"),
    (real("G14791-116"), "miss_you"),
    (real("B482-67"), "miss_you"),
    ("miss u", "miss_you"),
    ("I can't stop thinking about you", "miss_you"),
    ("do you miss me?", "miss_you"),
    ("You've been on my mind lately", "miss_you"),
    (real("B99-7"), "miss_you"),
    # Bringing up the relationship.
    (real("B772-89"), "relationship"),
    (real("B898-108"), "relationship"),
    (real("B482-66"), "relationship"),
    ("what happened to us?", "relationship"),
    ("WHAT HAPPENED TO US", "relationship"),
    ("I've changed, I promise", "relationship"),
    ("Do you think we could get back together?", "relationship"),
    ("Is there any hope for us?", "relationship"),
    # Generic openers with nothing else.
    ("hey", "generic"),
    ("Hi! How are you?", "generic"),
    (real("B866-103"), "generic"),
    ("long time no see!", "generic"),
    (real("B280-31"), "generic"),
    # Needy, begging, over-apologising.
    (real("B283-32"), "needy"),
    (real("B806-95"), "needy"),
    ("please please answer me, I need you", "needy"),
    (real("B747-86"), "over_apology"),
    (real("G26680-157"), "over_apology"),
    ("I'm so sorry for everything", "over_apology"),
    # Jealousy, and questions about a new partner.
    (real("B406-53"), "jealousy"),
    (real("G25382-185"), "jealousy"),
    ("who is she?", "jealousy"),
    ("Are you seeing someone?", "jealousy"),
    # Anger, insults, blame, accusing him of not replying.
    (real("G36111-150"), "insult"),
    (real("B322-41"), "insult"),
    (real("G37236-154"), "blame"),
    (real("B346-43"), "blame"),
    ("how could you do this to me", "blame"),
    (real("G40252-163"), "not_replying"),
    ("why won't you answer me??", "not_replying"),
    ("stop ignoring me", "not_replying"),
    ("Why haven't you answered me??", "not_replying"),
    # Pet names, flirting and booty calls.
    (real("B264-26"), "pet_name"),
    (real("G8840-136"), "pet_name"),
    ("hey babe", "pet_name"),
    (real("T6411-206"), "pet_name"),
    ("u up?", "booty_call"),
    ("wanna come over tonight?", "booty_call"),
    (real("G21716-134"), "booty_call"),
    # A question whose answer is the writer.
    ("the kids miss you but guess who is always there for them?", "blame"),
    # Drinking now.
    (real("T10944-189"), "drinking"),
    ("I'm a little tipsy lol", "drinking"),
    ("had a few drinks and wanted to say hi", "drinking"),
    # Length and tone.
    (real("B619-73"), "too_long"),
    (real("G4573-156"), "negative_tone"),
    # Strengths.
    (real("G3310-166"), "light_tone"),
    (real("T11495-191"), "shared_memory"),
    (real("G3328-121"), "shared_memory"),
    ("remember when we got lost looking for that tiny taco place?", "shared_memory"),
    (real("G22939-182"), "easy_question"),
    ("that dog in the raincoat made my day, is he still that dramatic?", "easy_question"),
    ("omg lol", "short"),
    (real("G26416-129"), "logistics"),
    ("I found your jacket, I can leave it at the front desk", "logistics"),
    ("Could I have the kids for an extra night over half term? My mum is visiting.", "logistics"),
]


@pytest.mark.parametrize(("text", "rule"), FIRES)
def test_it_flags_each_rule_on_real_and_plain_drafts(text: str, rule: str) -> None:
    result = review(text)
    assert rule in rules_of(result), [f.rule for f in result.findings]


NEAR_MISSES = [
    # "us" that is not the couple, and the country in capitals.
    ("let us know when the package arrives", "relationship"),
    ("Kids can join us this evening", "relationship"),
    (real("T3324-199"), "relationship"),
    ("the US election was wild", "relationship"),
    ("what happened to the baking tray?", "relationship"),
    ("I've changed my number, this is the new one", "relationship"),
    # Co-parents have to talk: the children are logistics, not the relationship.
    ("can you take our kids on saturday? I'll drop them off at 10", "relationship"),
    # Someone else's partner, and shopping or politics, are not jealousy or logistics.
    ("my sister and her husband say hi", "jealousy"),
    ("listening to the new album through my headphones", "logistics"),
    ("they sent residents the bill lol", "logistics"),
    # Missing something else, or someone else missing him.
    ("don't miss your flight lol", "miss_you"),
    (real("G27870-132"), "miss_you"),
    (real("G42289-119"), "miss_you"),
    ("i was thinking about your art earlier today", "miss_you"),
    # Kindness and condolence are not blame or apology.
    ("it's not your fault", "blame"),
    ("I'm sorry for your loss", "over_apology"),
    (real("B752-88"), "over_apology"),
    # Self-deprecation is not an insult; food is not a pet name.
    ("I'm such an idiot lol", "insult"),
    (real("G14866-141"), "pet_name"),
    (real("G23008-137"), "pet_name"),
    ("hey baby goats are the best", "pet_name"),
    # Drinking that is not happening now.
    (real("G30255-133"), "drinking"),
    ("Haha I can drink to that", "drinking"),
    # A greeting followed by something to say is not generic.
    ("hey! remember the goat at Sam's wedding?", "generic"),
    (real("G37418-146"), "generic"),
    # "I don't remember" is not a shared memory.
    (real("G19493-127"), "shared_memory"),
    # Reasons and hypotheticals are not easy questions.
    ("why did you leave?", "easy_question"),
    # A date for the two of them is not an arrangement about the children.
    ("Can we have dinner and talk this weekend?", "logistics"),
    ("Hi. Ok. Sure. Bye.", "too_long"),
]


@pytest.mark.parametrize(("text", "rule"), NEAR_MISSES)
def test_it_leaves_near_misses_alone(text: str, rule: str) -> None:
    result = review(text)
    assert rule not in rules_of(result), [(f.rule, f.quote) for f in result.findings]


def test_it_quotes_the_exact_span_behind_each_finding() -> None:
    text = "Hey!! I still can't stop thinking about you. Who is she?"
    result = review(text)
    for f in result.findings:
        assert text[f.start : f.end] == f.quote
        assert (f.evidence.about, f.evidence.quote) == (f.rule, f.quote)
    assert finding(result, "miss_you").quote == "thinking about you"
    assert finding(result, "jealousy").quote == "Who is she"


def test_it_keeps_offsets_true_with_curly_apostrophes() -> None:
    text = "I’m so sorry for everything, I can’t live without you"
    result = review(text)
    assert finding(result, "needy").quote == "live without you"
    assert finding(result, "over_apology").quote == "I’m so sorry for everything"


def test_it_treats_i_dont_miss_you_as_feelings_on_the_table() -> None:
    # Decision: denying it still tells him he is on your mind, so the rule fires, with its
    # own message rather than "this tells him you miss him".
    result = review("I don't miss you, just so you know")
    f = finding(result, "miss_you")
    assert f.quote == "I don't miss you"
    assert "Even saying you don't miss him" in f.message
    assert result.verdict == "dont_send"


def test_it_reads_case_insensitively_except_for_the_country() -> None:
    assert "miss_you" in rules_of(review("I MISS YOU"))
    assert "relationship" in rules_of(review("is there hope for us?"))
    assert "relationship" in rules_of(review("IS THERE HOPE FOR US?"))  # shouting, not America
    assert "relationship" not in rules_of(review("there's still hope for US manufacturing"))


def test_it_prefers_the_more_serious_reading_of_an_apology() -> None:
    # "I'm so sorry" alone is a nudge; "sorry for everything" reopens the breakup.
    assert finding(review("I'm so sorry"), "over_apology").severity == "warn"
    assert finding(review("I'm so sorry for everything"), "over_apology").severity == "block"


def test_it_marks_what_could_go_in_a_long_draft() -> None:
    text = (
        "Hey! I saw the goat video and laughed. It reminded me of Sam's wedding. "
        "Anyway I have been meaning to tell you that work is busy and the flat is fine and "
        "my sister says hi and I started running again."
    )
    f = finding(review(text), "too_long")
    assert f.quote.startswith("It reminded me")
    assert f.end == len(text)


def test_it_highlights_the_heaviest_sentence_when_the_tone_is_heavy() -> None:
    text = "Went to the market today. Everything is awful and I feel hopeless and miserable."
    f = finding(review(text), "negative_tone")
    assert f.quote.startswith("Everything is awful")


def test_one_strength_of_a_kind_is_enough() -> None:
    result = review("I found your jacket and your keys, I can leave them at the front desk")
    assert [f.rule for f in result.findings].count("logistics") == 1


@pytest.mark.parametrize(
    "text",
    [
        "Had a mango lassi at the market today and thought of you",
        "Caught the new Wes Anderson film last night. So weird. Made me think of you!",
        "Booked a weekend in Galway and of course that reminded me of you",
    ],
)
def test_a_named_thing_that_brought_him_to_mind_is_a_callback(text: str) -> None:
    # The light, specific first text: the thing carries it, not a feeling about him.
    result = review(text)
    assert "miss_you" not in rules_of(result) and "shared_memory" in rules_of(result)


@pytest.mark.parametrize(
    "text",
    [
        "Saw this and thought of you",
        "Everything reminds me of you",
        "It's cold out. Made me think of you",
        "I think of you every day",
    ],
)
def test_thinking_of_him_with_nothing_named_is_still_missing_him(text: str) -> None:
    assert "miss_you" in rules_of(review(text))
