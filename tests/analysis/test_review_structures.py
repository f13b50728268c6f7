"""Kinds of text the review reads by what they do (issue 9, point 3): an ask to meet whatever
the drink is called, a memory told of him ("are you the same guy who..."), a memory tied to him
by "and I remembered you", praise or fondness that has outlasted the breakup, what has stopped
between the two of you, his love life asked about, and a request for practical details.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from secondchance.analysis import review


def _rules(text: str, stage: str = "first") -> set[str]:
    return {f.rule for f in review(text, stage=stage).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Passing your way later, want to grab a quick coffee?",
        "wanna grab a cheeky pint after work?",
        "Fancy going for a long walk on Sunday?",
        "Would you like to go for a late lunch this week?",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_an_ask_to_meet_is_found_whatever_the_drink_is_called(text: str, stage: str) -> None:
    result = review(text, stage=stage)
    assert "meet_request" in {f.rule for f in result.findings}
    assert result.verdict == "revise"


@pytest.mark.parametrize(
    "text",
    [
        "I'm going for a long walk today, wish me luck",
        "I grabbed a quick coffee before work and it was awful lol",
    ],
)
def test_own_plans_with_a_drink_or_a_walk_are_not_an_ask(text: str) -> None:
    assert not {"meet_request", "pressure_meet"} & _rules(text, "ongoing")


@pytest.mark.parametrize(
    "text",
    [
        "Are you the same Priya who swore pineapple belongs on pizza?",
        "Is this the same guy who once got us lost on a two mile hike? 😂",
        "aren't you the one who fell asleep at the fireworks?",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_a_memory_told_of_him_as_a_teasing_question_is_a_callback(text: str, stage: str) -> None:
    result = review(text, stage=stage)
    assert "shared_memory" in {f.rule for f in result.findings}
    assert result.verdict == "send"


@pytest.mark.parametrize(
    "text",
    [
        "Are you the same person who promised me forever?",
        "Aren't you the one who left me?",
        "Are you the same guy who cheated on me?",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_what_the_who_clause_says_of_him_is_read_as_said_to_him(text: str, stage: str) -> None:
    # "...who promised me forever" is "you promised me forever": a reproach, memory or not.
    assert review(text, stage=stage).verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Walked past that noodle bar we always went to and remembered you. Hope all is good!",
        "Drove by the lake where we used to feed the ducks and I remembered you. Hope you're well",
    ],
)
def test_a_memory_tied_to_him_carries_a_pleasantry_after_it(text: str) -> None:
    result = review(text)
    assert "memory_tail" not in {f.rule for f in result.findings}
    assert result.verdict == "send"


def test_a_memory_tied_to_him_does_not_carry_a_problem_after_it() -> None:
    text = "Walked past that noodle bar we always went to and remembered you. Why did you leave me?"
    assert review(text).verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Another year wiser and still looking great! Happy birthday!",
        "Happy birthday. Just know you're still thought of fondly.",
        "you're still as handsome as ever, enjoy your day",
        "Still looking good! Have a great birthday",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_praise_or_fondness_that_outlasts_the_breakup_asks_for_a_revision(
    text: str, stage: str
) -> None:
    result = review(text, stage=stage)
    assert "relationship" in {f.rule for f in result.findings}
    assert result.verdict == "revise"


@pytest.mark.parametrize(
    "text",
    [
        "Glad you're still enjoying the bike!",
        "You're still welcome to use the garage on Saturday",
        "I'm 40 and still looking good lol",
        "you're still great at parallel parking I bet 😂",
        "are you still good for the school run on Friday?",
        "The garden is still looking great, the roses came back",
    ],
)
def test_still_about_a_doing_a_skill_an_arrangement_or_someone_else_is_not_fondness(
    text: str,
) -> None:
    assert "relationship" not in _rules(text, "ongoing")


@pytest.mark.parametrize(
    "text",
    [
        "So you don't want to see me anymore, is that it?",
        "we never really talk anymore huh",
        "Do you not care about me any more?",
        "you no longer want to hear from me?",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_what_has_stopped_between_you_is_the_relationship(text: str, stage: str) -> None:
    result = review(text, stage=stage)
    assert "relationship" in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Do you not play football anymore?",
        "I don't drink coffee anymore lol",
        "You don't have to call me about the insurance anymore, it's all sorted",
    ],
)
def test_anymore_about_a_hobby_or_a_done_errand_is_not_the_relationship(text: str) -> None:
    assert "relationship" not in _rules(text, "ongoing")


@pytest.mark.parametrize(
    "text",
    ["Do you like guys now?", "are you into someone?", "so do you still fancy other girls?"],
)
def test_his_love_life_asked_about_is_jealousy(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "jealousy" in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


def test_asking_about_anyone_s_things_is_not_his_love_life() -> None:
    assert "jealousy" not in _rules("Do you like anyone's lasagne more than your nan's? lol")


@pytest.mark.parametrize(
    "text",
    [
        "Please send the dentist details so I can put them in my diary.",
        "Can you forward me the school trip info?",
        "Could you send me the flight times when you have them?",
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_a_request_for_practical_details_is_neutral_logistics(text: str, stage: str) -> None:
    result = review(text, stage=stage)
    assert "logistics" in {f.rule for f in result.findings}
    assert result.verdict == "send"


# Not-send texts that only a flat reading or VADER's dark words used to hold back: each kind is
# now found by what it does.
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Why did you ruin my birthday like that?", "blame"),
        ("why would you waste two years of my life", "blame"),
        ("You will never meet anyone like me, you know", "blame"),
        ("Still hate me?", "relationship"),
        ("so thinking about me?", "miss_you"),
        ("The flat is so quiet without you.", "miss_you"),
        ("Nobody else comes close to you, honestly.", "relationship"),
        ("We can't be friends anymore and that's fine", "relationship"),
    ],
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_a_dont_that_reads_plain_is_found_by_what_it_does(text: str, rule: str, stage: str) -> None:
    result = review(text, stage=stage)
    assert rule in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "I just wanted to apologise for how I spoke to you at the wedding.",
        "I handled the move really badly. I know that now.",
        "I'd like to make things right about the way the trip ended.",
    ],
)
def test_an_apology_without_sorry_asks_for_a_revision(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "over_apology" in {f.rule for f in result.findings}
    assert result.verdict != "send"


@pytest.mark.parametrize(
    "text",
    [
        "why did you move to Leeds in the end?",
        "why did you not tell me about the bake sale, I'd have made brownies!",
        "Why did Sam's team lose on Saturday?",
        "Still hate Mondays? 😂",
        "You don't have to text me the scores anymore, I finally got the app",
        "The kids had a hard week without you, can you call them tonight?",
    ],
)
def test_plain_questions_and_practical_texts_are_not_those_donts(text: str) -> None:
    assert not {"blame", "relationship", "miss_you"} & _rules(text, "ongoing")


@pytest.mark.parametrize(
    "text",
    [
        "Wishing you a calm birthday, Sam",
        "May your new year bring lots of rest",
        "Hope you're having a nice quiet holiday",
        "Good luck with the exam on Monday",
    ],
)
def test_a_wish_in_its_other_forms_is_kind_once_talking(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "wish" in {f.rule for f in result.findings}
    assert result.verdict == "send"


@pytest.mark.parametrize(
    "text",
    [
        "good luck with her lol",
        "Good luck with that",
        "Wishing you all the happiness with your new girlfriend",
    ],
)
def test_a_wish_never_lifts_a_sting(text: str) -> None:
    assert review(text, stage="ongoing").verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Happy Father's Day. I want to thank you for being such a steady dad to Leo and Ava.",
        "I really do thank you for looking after the kids so well this summer.",
    ],
)
def test_thanks_for_him_as_a_parent_is_kind_once_talking(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "kind_reply" in {f.rule for f in result.findings}
    assert result.verdict == "send"


def test_thanks_with_a_sting_is_still_a_sting() -> None:
    assert review("thanks for being a terrible father", stage="ongoing").verdict == "dont_send"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("I hope he treats you as well as I did", "jealousy"),
        ("hope she loves you like I did", "jealousy"),
        ("Was any of it real or was it all a game?", "relationship"),
        ("were we just a waste of time?", "relationship"),
        ("I miss the one who used to love me", "miss_you"),
    ],
)
def test_comparing_with_the_writer_and_the_relationship_as_a_lie_are_donts(
    text: str, rule: str
) -> None:
    result = review(text, stage="ongoing")
    assert rule in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Was the surprise party all a joke? lol",
        "I hope Emma sleeps as well as I did last night",
        "She's nearly as tall as I was at her age",
    ],
)
def test_a_joke_a_lie_or_an_as_i_did_about_something_else_is_not_a_dont(text: str) -> None:
    assert not {"relationship", "jealousy"} & _rules(text, "ongoing")


@pytest.mark.parametrize(
    "text",
    [
        "Saw a red Beetle today and thought of your old car 😂",
        "a ginger cat sat on my car and reminded me of your old cat Biscuit lol",
    ],
)
def test_a_thing_of_his_you_both_knew_is_a_callback(text: str) -> None:
    result = review(text)
    assert "shared_memory" in {f.rule for f in result.findings}
    assert result.verdict == "send"


def test_his_old_self_is_not_a_thing_you_both_knew() -> None:
    assert "shared_memory" not in _rules("thought of your old self today")


@pytest.mark.parametrize(
    "text",
    ["Did you even see my last three messages?", "have you listened to any of my voicemails"],
)
def test_counting_his_unanswered_messages_is_not_replying(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "not_replying" in {f.rule for f in result.findings}
    assert result.verdict == "dont_send"


def test_asking_about_one_practical_message_is_not_counting() -> None:
    assert "not_replying" not in _rules("did you get my text about the dentist on Friday?")


@pytest.mark.parametrize(
    "text",
    [
        "I've been alright, work is busy but fine",
        "I've been okay, a bit tired but good",
        "Hi Sam, just got back from a week of camping, so muddy",
    ],
)
def test_how_the_writer_has_been_is_a_kind_reply(text: str) -> None:
    result = review(text, stage="ongoing")
    assert {"kind_reply", "own_news"} & {f.rule for f in result.findings}
    assert result.verdict == "send"


def test_how_the_writer_has_been_carries_no_new_partner() -> None:
    text = "I've been good, I'm seeing someone new actually"
    assert review(text, stage="ongoing").verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "Haha thanks, yeah it's been a mad year",
        "thanks! it's been a crazy week honestly",
        "Congrats, I'm exhausted just hearing about it lol",
    ],
)
def test_thanks_then_the_writer_s_own_news_is_a_kind_reply_not_a_dig(text: str) -> None:
    result = review(text, stage="ongoing")
    assert "insult" not in {f.rule for f in result.findings}
    assert result.verdict == "send"


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for ruining my weekend",
        "thanks, you ruined everything",
        "Thanks, I guess I'm nothing",
    ],
)
def test_thanks_for_something_hurtful_is_still_a_dig(text: str) -> None:
    assert review(text, stage="ongoing").verdict == "dont_send"


@pytest.mark.parametrize(
    "text", ["I'll have the kids ready by 5", "Ben's backpack will be ready by 6:30"]
)
@pytest.mark.parametrize("stage", ["first", "ongoing"])
def test_a_chore_by_a_time_is_logistics(text: str, stage: str) -> None:
    result = review(text, stage=stage)
    assert "logistics" in {f.rule for f in result.findings}
    assert result.verdict == "send"


def test_sending_good_vibes_is_a_wish() -> None:
    result = review("Sending you good vibes for the interview!", stage="ongoing")
    assert "wish" in {f.rule for f in result.findings}
    assert result.verdict == "send"


@pytest.mark.parametrize(
    "text",
    [
        "hope you're enjoying your newfound freedom",
        "So you're gonna act like nothing happened?",
        "you're really going to pretend we never met",
    ],
)
def test_a_dig_at_his_life_after_or_at_his_silence_is_not_sent(text: str) -> None:
    assert review(text, stage="ongoing").verdict == "dont_send"


@pytest.mark.parametrize(
    "text",
    [
        "are you going to pretend to be a pirate at the party again? 😂",
        "you're going to act like a pro at this, I can tell",
    ],
)
def test_going_to_pretend_or_act_in_play_is_not_a_reproach(text: str) -> None:
    assert "blame" not in _rules(text, "ongoing")
