"""Kinds of stories whose plan or goal was misread, each with sentences written for the test.

The kinds come from the misses on the real tuning stories (grouped, never copied): a move-on
phrase that is told rather than wished (a habit, an intention of back then, a purpose, the
couple moving on together, a supposition), ...
"""

from __future__ import annotations

import pytest

from secondchance.analysis import story_facts
from secondchance.analysis.story import read_story

# --- a move-on phrase told, not wished ---------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        # A habit of the writer's, told of other breakups.
        "Whenever a relationship ends I get over it in a week, but not this one.",
        "Every time I got dumped before, I moved on fast.",
        # An intention of back then.
        "At first I thought I would let her go without a fight.",
        "That night I was going to forget about her and delete everything.",
        # The brink reached back then.
        "In spring I had worked my way almost to the point of letting go.",
        # The purpose of something the writer did.
        "I blocked her number in an attempt to get over her, and it did not last.",
        # Moving on together, or moving on to someone new.
        "We said we would talk and either move on together or apart.",
        "She just moved on to someone new within a week.",
        # A supposition weighed in a question.
        "Do I stop seeing her, since it would give me the space to get over her?",
    ],
)
def test_a_move_on_phrase_told_rather_than_wished_is_no_goal(sentence: str) -> None:
    text = f"My girlfriend broke up with me two months ago. {sentence} I still miss her."
    reading = read_story(text)
    assert reading.facts.goal == "unclear"
    # Her moving on to someone new is her new partner: the route says so, not the goal.
    assert reading.plan.route == ("move_on" if "someone new" in sentence else "program")


@pytest.mark.parametrize(
    "sentence",
    [
        "I blocked her number because I want to get over her.",
        "I have decided to let her go.",
        "Now I just want to move on with my life.",
    ],
)
def test_a_move_on_wish_said_now_is_still_read(sentence: str) -> None:
    text = f"My girlfriend broke up with me two months ago. {sentence}"
    assert read_story(text).facts.goal == "move_on"


def test_a_clause_with_no_subject_keeps_the_exs_from_the_start_of_the_sentence() -> None:
    told = [
        ("He hugged me at the door, kept hinting at getting back together, and left.", "unclear"),
        ("I hugged him at the door, kept hoping for getting back together, wept.", "reconcile"),
    ]
    for text, goal in told:
        assert story_facts.goal(text, story_facts.normalise(text)).value == goal


# --- abuse: only just out of it, or fear that is over ------------------------------------------


def test_abuse_with_a_breakup_this_month_puts_safety_first() -> None:
    text = (
        "Two weeks ago I finally broke up with my boyfriend. He used to shove me into the wall "
        "when he was angry and he hit me more than once. I keep wondering if I overreacted."
    )
    plan = read_story(text).plan
    assert plan.route == "safety"
    assert plan.reconcile_encouraged is False


def test_fear_told_as_a_state_of_back_then_is_abuse_that_is_over() -> None:
    text = (
        "My ex hit me more than once. I was so scared of him back then. I left him years "
        "ago, moved to another city and built a calm life. Sometimes I still think about it."
    )
    assert read_story(text).plan.route == "move_on"
    text_now = text.replace("I was so scared of him back then.", "I am still scared of him.")
    assert read_story(text_now).plan.route == "safety"


# --- the wish said in other words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "goal"),
    [
        # Going back, reuniting, mending it together, a second chance liked.
        ("I thought it over for weeks and I want to go back.", "reconcile"),
        ("Honestly I would go back to him in a heartbeat.", "reconcile"),
        ("How can I get us to reunite?", "reconcile"),
        ("We have been working on things slowly since spring.", "reconcile"),
        ("I'd really like a second chance with him.", "reconcile"),
        ("I still believe we are meant to be.", "reconcile"),
        # Regret for having ended it.
        ("I regret breaking up with him more every day.", "reconcile"),
        ("It was a terrible mistake to let him go.", "reconcile"),
        # A whether-question asked in a list of what the writer wants to know.
        ("I need advice on coping and if there is any way of winning him back.", "reconcile"),
        # Getting past it, putting it out of mind.
        ("How can I put this out of my mind for good?", "move_on"),
        ("I know I need to get past this.", "move_on"),
        # Not a wish: going back somewhere else, or a habit.
        ("I want to go back to school in the fall.", "unclear"),
        ("Usually I would be the one to go back to him, but not now.", "unclear"),
    ],
)
def test_the_wish_is_read_in_its_other_words(sentence: str, goal: str) -> None:
    text = f"My boyfriend and I broke up three months ago. {sentence}"
    assert read_story(text).facts.goal == goal


# --- the writer's couple now, in a story that names an ex ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "My ex and I broke up eight months ago after a long engagement. My husband and I were "
        "cooking on Sunday when my ex texted to ask about the old car. It threw me a bit.",
        "My ex-wife left me in the spring. Last week the girlfriend and I ran into her at "
        "the market. It was awkward and I did not know what to say.",
    ],
)
def test_a_couple_now_besides_an_ex_means_the_writer_has_someone_new(text: str) -> None:
    plan = read_story(text).plan
    assert plan.route == "move_on"
    assert plan.reconcile_encouraged is False


@pytest.mark.parametrize(
    "text",
    [
        # The couple is the one that broke up, in a story that also says "ex".
        "My boyfriend and I broke up in March. My ex still has my books and I miss him.",
        "My girlfriend and I had been together for six years. Since she left me my ex-best "
        "friend won't talk to me either, and I miss her every day.",
        # No ex named: the couple is the one the story is about.
        "My wife and I have been together nine years and she wants a divorce. I want to save it.",
    ],
)
def test_the_couple_that_broke_up_is_not_someone_new(text: str) -> None:
    assert read_story(text).plan.route == "program"


# --- where the writer is: talking again after the quiet, or longing for contact ----------------


def test_talking_again_after_a_quiet_the_writer_began_is_step_4() -> None:
    text = (
        "She ended it about ten weeks ago. I initiated no contact right away and kept it for "
        "a month. Then we began texting, and now we call on Sundays. What should I say next?"
    )
    reading = read_story(text)
    assert reading.facts.contact == "some"
    assert (reading.plan.route, reading.plan.start_step) == ("program", 4)


def test_the_ex_reaching_out_after_a_quiet_is_not_contact_back_by_itself() -> None:
    text = (
        "He left me two months ago and I went no contact. Yesterday he texted me to ask how I "
        "was. I have not answered and I do not know if I should."
    )
    assert read_story(text).facts.contact == "none"


def test_contact_longed_for_is_no_contact_and_weeks_later_still_a_mess_is_step_2() -> None:
    text = (
        "We broke up seven weeks ago. I spend my evenings wishing I could talk to him, and I "
        "am absolutely miserable most days. What do I do?"
    )
    reading = read_story(text)
    assert reading.facts.contact == "none"
    assert (reading.plan.route, reading.plan.start_step) == ("program", 2)


# --- an ex who cheated and left ----------------------------------------------------------------


def test_an_ex_who_cheated_and_left_is_not_someone_to_win_back_by_default() -> None:
    text = (
        "My girlfriend of two years cheated on me with a coworker and then broke up with me "
        "in October. I miss her but I can't trust her. What should I do?"
    )
    plan = read_story(text).plan
    assert plan.route == "move_on"
    assert plan.reconcile_encouraged is False
    assert "cheated on me" in plan.reason


@pytest.mark.parametrize(
    "text",
    [
        # The writer says they want the ex back: the choice is theirs.
        "My girlfriend cheated on me and then broke up with me in October. I want her back "
        "more than anything. How do I win her back?",
        # The writer ended it.
        "My girlfriend cheated on me last spring, so I broke up with her. We have started "
        "texting a little and I wonder about her.",
        # The infidelity is the writer's own.
        "I cheated on my girlfriend and she broke up with me in October. I am so sorry for "
        "what I did and I miss her every day.",
    ],
)
def test_infidelity_does_not_close_the_door_when_the_choice_is_the_writers(text: str) -> None:
    assert read_story(text).plan.route == "program"


# --- short stories told by their quiet or their wish -------------------------------------------


def test_a_count_since_they_last_had_contact_makes_a_story_and_a_quiet_done() -> None:
    text = (
        "Tomorrow marks 70 days since we last had contact. I think of her less now and I "
        "have started to enjoy my weekends again."
    )
    reading = read_story(text)
    assert reading.is_story
    assert (reading.plan.route, reading.plan.start_step) == ("program", 3)


def test_wanting_to_take_the_ex_back_makes_a_story() -> None:
    text = "Day five. Everyone says no, but honestly I would take him back tonight."
    reading = read_story(text)
    assert reading.is_story
    assert reading.plan.route == "program"


# --- working on themself, told without dates ---------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Since then I have focused on myself: I got a gym membership and I cook real meals.",
        "My efforts to concentrate on myself pay off, and I put the sadness into exercise.",
        "I began therapy and I sleep better than I have in a long while.",
    ],
)
def test_working_on_themself_with_no_dates_told_is_step_3(sentence: str) -> None:
    text = f"She broke up with me and I stopped contacting her. {sentence}"
    plan = read_story(text).plan
    assert (plan.route, plan.start_step) == ("program", 3)


def test_the_exs_therapy_is_not_the_writer_working_on_themself() -> None:
    text = "She broke up with me and I stopped contacting her. She started therapy in May."
    assert "self_work" not in {e.about.removeprefix("signal.") for e in read_story(text).evidence}


def test_working_on_themself_while_still_a_mess_is_not_step_3() -> None:
    text = (
        "She broke up with me and I stopped contacting her. I focused on myself and joined a "
        "gym, but I still cry every night."
    )
    assert read_story(text).plan.start_step != 3


# --- long apart and back in touch, or wanting the ex back ---------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Lately we have met for coffee a few times and it felt easy.",
        "I realise now that I want him back.",
    ],
)
def test_half_a_year_apart_and_back_in_touch_or_wanting_back_is_step_4(sentence: str) -> None:
    text = f"My boyfriend and I broke up eight months ago, when he moved abroad. {sentence}"
    plan = read_story(text).plan
    assert (plan.route, plan.start_step) == ("program", 4)


def test_half_a_year_apart_but_still_a_mess_is_not_step_4() -> None:
    text = (
        "My boyfriend and I broke up eight months ago. I want him back and I still cry "
        "myself to sleep most nights."
    )
    assert read_story(text).plan.start_step != 4


@pytest.mark.parametrize(
    "sentence",
    [
        "I miss being his girlfriend and the little life we had.",
        "Back when I was his partner we travelled every summer.",
    ],
)
def test_the_writers_own_role_as_the_exs_partner_is_not_a_new_partner(sentence: str) -> None:
    text = f"He broke up with me in spring and he has not called me since. I miss him. {sentence}"
    assert read_story(text).facts.ex_new_partner is None


# --- keeping away, relief, an ex moving on to someone, being made to leave ---------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Honestly I just wanna keep my distance this time.",
        "Every morning I am grateful that he is out of my life.",
    ],
)
def test_keeping_away_for_ones_own_sake_or_relief_is_moving_on(sentence: str) -> None:
    text = f"My boyfriend and I broke up five weeks ago and we have not talked since. {sentence}"
    reading = read_story(text)
    assert reading.facts.goal == "move_on"
    assert reading.plan.route == "move_on"


def test_the_ex_moving_on_to_someone_new_is_a_new_partner() -> None:
    text = (
        "We separated in the summer after twelve years. He did not even try; he just moved on "
        "to someone new within weeks, and I am so hurt."
    )
    reading = read_story(text)
    assert reading.facts.ex_new_partner is True
    assert reading.plan.route == "move_on"


def test_the_writer_moving_on_with_someone_new_is_not_the_exs_partner() -> None:
    text = (
        "We broke up a year and a half ago after a long time together. I moved on with "
        "someone new last spring and I am happy, but my ex still texts me on my birthday."
    )
    reading = read_story(text)
    assert reading.facts.ex_new_partner is None
    assert reading.plan.route == "move_on"  # the writer has someone new


def test_being_made_to_leave_the_home_is_an_ending_not_abuse() -> None:
    text = (
        "I lied to my girlfriend about money and when she found out she kicked me and my dog "
        "out. I want to show her I have changed. How do I win her back?"
    )
    reading = read_story(text)
    assert "abuse" not in reading.flags
    assert reading.plan.route == "program"


@pytest.mark.parametrize(
    "sentence",
    [
        "It ended for a reason, and I keep reminding myself of that.",
        "So I have decided to forget about it and keep busy.",
    ],
)
def test_the_writers_verdict_that_it_is_done_is_moving_on(sentence: str) -> None:
    text = f"My girlfriend and I broke up in the autumn and we have not talked since. {sentence}"
    assert read_story(text).facts.goal == "move_on"


def test_a_writer_split_in_two_says_neither_wish_outright() -> None:
    text = (
        "We broke up in June. Part of me wants to give her a second chance, and the other "
        "part says I would be a fool to trust her again."
    )
    assert read_story(text).facts.goal == "unclear"
    whole = "We broke up in June. I want to give her a second chance."
    assert read_story(whole).facts.goal == "reconcile"
