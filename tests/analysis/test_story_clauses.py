"""The clause reading: who does what, in whose words, told as fact or not."""

from __future__ import annotations

import pytest

from secondchance.analysis import story_clauses as sc
from secondchance.analysis.story import read_story
from secondchance.analysis.story_facts import normalise


def _ended(text: str) -> str:
    return sc.who_ended(text, normalise(text))[0]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("My husband of 22 years sat me down and then he moved out.", "ex"),
        ("I was dumped the week before my birthday.", "ex"),
        ("I ended things with him in March and I feel guilty.", "user"),
        ("She just left one morning without a word.", "ex"),
        ('He said "I need space" and left.', "ex"),
        ("My bf (22m) and I ended things last night.", "unclear"),  # we: not said who
        ("After two years we both decided to go our separate ways.", "mutual"),
        ("Me and my ex decided to end things in June.", "mutual"),
        ("He ended it with me last week.", "ex"),
        ("Should I leave him?", "unclear"),  # a question
        ("I want to break up with her but I can't.", "unclear"),  # a wish
        ("He didn't leave me, he just went quiet.", "unclear"),  # negated
        ("My sister's boyfriend dumped her last week.", "unclear"),  # someone else's story
        # A question takes an ending told after "after", "since" or a past "when" as known.
        ("How do I stop loving her when she walked out on us?", "ex"),
        ("Why do I still cry since he moved out in May?", "ex"),
        ("What do I do when he leaves me?", "unclear"),  # a supposition
        ("Will it hurt less after I break up with him?", "unclear"),  # not yet done
    ],
)
def test_it_reads_who_ended_it_from_the_clause_subject(text: str, side: str) -> None:
    assert _ended(text) == side


def test_it_reads_the_writers_pronouns_in_the_exs_reported_words() -> None:
    # Reported, not quoted: "I" stays the writer.
    text = "He said he wasn't in love with me after I moved out."
    assert _ended(text) == "unclear"


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("We broke up in May. We still text most days.", "some"),
        ("We broke up in May. He hasn't texted me since.", "none"),
        ("We broke up in May. She broke the no contact last week.", "some"),
        ("We broke up in May. I called my mom and cried.", "unclear"),  # not the ex
        ("We broke up in May. He kept calling me names.", "unclear"),
        ("We broke up in May. I want to text him so badly.", "unclear"),  # a wish
    ],
)
def test_it_reads_contact_between_the_two_of_them(text: str, state: str) -> None:
    assert sc.contact(text, normalise(text), 0)[0] == state


@pytest.mark.parametrize(
    ("text", "partnered"),
    [
        ("I found out she's been dating a coworker.", True),
        ("A month later he moved in with her.", True),
        ("I think he is seeing someone.", None),  # a guess
        ("Her new boyfriend is seeing someone else.", None),  # not the ex
    ],
)
def test_it_reads_a_new_partner_told_as_fact(text: str, partnered: bool | None) -> None:
    assert sc.new_partner(text, normalise(text))[0] is partnered


def test_every_clause_fact_in_a_story_keeps_the_words_it_came_from() -> None:
    text = (
        "My boyfriend of three years and I were happy, or so I thought. One evening he "
        "announced that he was moving out, and two weeks later I found out he's been dating "
        "a coworker. I keep wondering what I did wrong."
    )
    reading = read_story(text)
    assert reading.facts.who_ended == "ex"
    assert reading.facts.ex_new_partner is True
    for about in ("who_ended", "ex_new_partner"):
        spans = [e for e in reading.evidence if e.about == about]
        assert spans and all(text[e.start : e.end] == e.quote for e in spans)


@pytest.mark.parametrize(
    ("text", "mistake"),
    [
        ("He broke up with me in May. Last week I sent him a long email about us.", "begging"),
        ("She dumped me. Two days later I asked her why, again.", "begging"),
        ("He left me. On Friday I drove over to his apartment and knocked.", "showing_up"),
        ("She ended it. Then I drunk texted her at 3am.", "drunk_texting"),
    ],
)
def test_it_reads_the_writers_own_mistakes_after_the_breakup(text: str, mistake: str) -> None:
    reading = read_story(text)
    assert any(e.about == f"mistake.{mistake}" for e in reading.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "He broke up with me. He begged me to stay friends.",  # his, not the writer's
        "She dumped me. I want to send her a long letter.",  # a wish
        "He left me. I never begged.",  # negated
    ],
)
def test_someone_elses_begging_a_wish_or_a_denial_is_no_mistake(text: str) -> None:
    reading = read_story(text)
    assert not any(e.about == "mistake.begging" for e in reading.evidence)


def test_an_ending_a_return_and_another_ending_are_a_cycle() -> None:
    text = (
        "He broke up with me in January. In March we got back together and it was lovely "
        "for a while. Last week he ended it again by text."
    )
    reading = read_story(text)
    assert "hot_and_cold" in reading.flags
    spans = [e for e in reading.evidence if e.about == "hot_and_cold"]
    assert spans and all(text[e.start : e.end] == e.quote for e in spans)


def test_one_ending_and_a_wish_to_get_back_together_is_no_cycle() -> None:
    text = "He broke up with me in January. I want us to get back together."
    assert "hot_and_cold" not in read_story(text).flags


def test_a_story_is_not_kept_in_memory_once_it_has_been_read() -> None:
    from secondchance.analysis import text

    reading = read_story("He broke up with me three weeks ago and we haven't spoken since.")
    assert reading.facts.who_ended == "ex"  # the clause reading did run
    memos = (sc._voices, sc._clauses, sc._acts)
    assert all(memo.cache_info().currsize == 0 for memo in memos)
    assert not hasattr(text.views, "cache_info")  # the safety views keep no text either
