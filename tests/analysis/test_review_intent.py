"""The review reads what a draft does, in any words: the don'ts and the do's of step 4."""

from __future__ import annotations

import pytest

from secondchance.analysis import review


def _rules(text: str, stage: str = "first") -> set[str]:
    return {f.rule for f in review(text, stage=stage).findings}


@pytest.mark.parametrize(
    "text",
    [
        "I just drove by your work and honked, did u hear it?",
        "walked past your flat last night, your lights were on",
        "Saw your new haircut, looks good",
        "I noticed you changed your profile pic 🙂",
        "so I heard about your new job",
        "Remember that show we used to watch? 😂 Saw you at the gym with her.",
    ],
)
def test_checking_up_on_him_is_found_by_its_shape(text: str) -> None:
    result = review(text)
    assert "checking_up" in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"
    assert "light_tone" not in {f.rule for f in result.findings}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("My new boyfriend is ten times the human being you could ever be", "new_partner"),
        ("My new boyfriend is ten times the human being you could ever be", "insult"),
        ("You're being so childish about this lol", "insult"),
        ("you are honestly pathetic 🙂", "insult"),
        ("After everything I did for you, you could at least reply", "blame"),
        ("you never even asked how my mum was", "blame"),
        ("Why haven't you called me back?", "blame"),
        ("I still believe you meant everything you said", "relationship"),
        ("I wish things were different between us", "relationship"),
        ("We could still make it work 🙂", "relationship"),
        ("Hey. Love", "love_sign_off"),
        ("Cute that you think you can just ignore me 🙂", "blame"),
        ("wow you really are something else huh 🙃", "insult"),
        ("I still sleep with your hoodie lol", "relationship"),
        ("I don't expect a reply, I just needed to say it", "relationship"),
        ("hope she was worth it", "insult"),
        ("I'll come by tonight", "pressure_meet"),
        ("I'm outside your flat, come down", "pressure_meet"),
        ("We need to meet tonight, please", "pressure_meet"),
    ],
)
def test_a_dont_is_found_whatever_the_words(text: str, rule: str) -> None:
    assert rule in _rules(text)
    assert review(text).verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Hey, wanna catch up for a coffee?",
        "Are you free saturday?",
        "You up to anything this weekend?",
        "Want me to come to yours later?",
        "Would be good to get a quick drink sometime",
        "Why don't we hang out on Sunday?",
    ],
)
def test_asking_to_meet_is_early_but_not_a_stop(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "meet_request" in {f.rule for f in result.findings}
    assert result.verdict == "revise"


@pytest.mark.parametrize(
    "text",
    [
        "Saw they're bringing back that show we used to watch 😂",
        "walked past that coffee shop where you spilled your latte lol",
        "remember when you spilled your latte at that coffee shop? 😂",
        "Ate at the terrible pizza place we used to love. Still terrible 😂",
        "Just tried that Thai place you always talked about. You were so right 😄",
        "Saw a dog in sunglasses and thought of the beach day with Max 😂",
        "Found the ticket stub from that concert we went to in Leeds! Still the best gig ever",
        "Is that taco truck we loved still parked by the bridge? 😄",
    ],
)
def test_a_memory_in_any_words_makes_a_light_first_text_send(text: str) -> None:
    result = review(text)
    assert "shared_memory" in {f.rule for f in result.findings}
    assert "no_memory" not in {f.rule for f in result.findings}
    assert result.verdict == "send"


def test_a_painful_memory_is_not_a_good_one() -> None:
    rules = _rules("the night you left me, remember?")
    assert "shared_memory" not in rules


@pytest.mark.parametrize(
    "bad",
    [
        "After everything I did for you, you could at least reply.",
        "You're being so childish.",
        "My new girlfriend actually listens.",
        "I saw you at the gym with her.",
        "Why haven't you texted me back?",
        "Hmm, well, there's probably a reason for that.",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_a_memory_in_front_never_makes_a_bad_text_send(bad: str, stage: str) -> None:
    for memory in ("Remember that pizza place we loved? 😂 ", "lol that show we used to watch 😄 "):
        result = review(memory + bad, stage=stage)
        assert result.verdict != "send", (memory + bad, [f.rule for f in result.findings])
        assert result.score < 70


def test_a_strength_never_raises_the_score_of_a_draft_with_a_problem() -> None:
    plain = review("After everything I did for you, you could at least reply.")
    memory = "Remember that pizza place we loved? 😂 "
    dressed = review(memory + "After everything I did for you, you could at least reply.")
    assert plain.verdict == dressed.verdict == "dont_send"
    assert dressed.score <= plain.score


@pytest.mark.parametrize(
    "text",
    [
        "can I pick up my stuff saturday?",
        "I'll drop the kids' bags off at 5 on Sunday",
        "Pickup is at 5pm on Friday, please let me know if you'll be late. Thanks.",
        "Could you sign the school form and send it back?",
        "My partner will pick the kids up at 3:30 on Thursday",
        "I'll come by to drop your stuff off Sunday",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_neutral_logistics_are_never_blocked(text: str, stage: str) -> None:
    assert review(text, stage=stage).verdict != "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "I just drove by your work and honked, did u hear it?",
        "Are you lonesome tonight?",
    ],
)
def test_a_question_in_a_sentence_with_a_problem_is_not_easy(text: str) -> None:
    assert "easy_question" not in _rules(text)


def test_once_talking_a_wish_or_own_news_is_fine_to_send() -> None:
    assert review("happy birthday!! hope it's a good one 🎉", stage="ongoing").verdict == "send"
    assert (
        review("Just working and baking bread all weekend. How about you?", stage="ongoing").verdict
        == "send"
    )
    # ...but as a first text, a birthday wish is still generic.
    assert review("happy birthday!!").verdict == "revise"


def test_every_finding_quotes_its_exact_span() -> None:
    text = "Remember that show we used to watch? 😂 I just drove by your work and honked."
    for finding in review(text).findings:
        assert finding.quote == text[finding.start : finding.end]


@pytest.mark.parametrize(
    ("draft", "rule"),
    [
        ("Thanks for ruining my birthday", "insult"),
        ("Congrats on being a coward", "insult"),
        ("Well thanks for nothing", "insult"),
        ("Good luck with her, you'll need it", "jealousy"),
        ("Have fun with your new girlfriend", "jealousy"),
    ],
)
def test_a_warm_frame_with_a_sting_is_read_by_what_it_says(draft: str, rule: str) -> None:
    result = review(draft, stage="ongoing")
    assert result.verdict == "dont_send"
    assert rule in {f.rule for f in result.findings}


@pytest.mark.parametrize(
    "draft",
    ["Thanks for sending the documents, got them", "Good luck at the marathon tomorrow!"],
)
def test_a_warm_frame_about_something_good_stays_kind(draft: str) -> None:
    assert review(draft, stage="ongoing").verdict == "send"


@pytest.mark.parametrize(
    "draft",
    [
        "Sure, Saturday works",
        "No worries at all!",
        "Aw thanks, you too!",
        "Oh no, that's too bad :( hope you find it",
    ],
)
def test_once_talking_a_kind_reply_is_fine_to_send(draft: str) -> None:
    result = review(draft, stage="ongoing")
    assert result.verdict == "send"
    assert "kind_reply" in {f.rule for f in result.findings}


@pytest.mark.parametrize(
    "draft",
    [
        "Sure, like you always do",
        "Great, another excuse",
        "Nice, real nice",
        "Thanks. I guess I'm not worth your time",
    ],
)
def test_a_warm_opening_that_sets_up_a_jab_is_not_light(draft: str) -> None:
    result = review(draft, stage="ongoing")
    assert result.verdict != "send"
    assert not {"kind_reply", "light_tone"} & {f.rule for f in result.findings}
