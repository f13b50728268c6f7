"""The story read like a coach: whose words, when things happened, and where the plan starts.

Each story here is written for the test (our own words), in the shapes real letters take.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from secondchance.analysis.story import read_story

NOW = datetime(2026, 1, 3, 12, tzinfo=UTC)


def plan(text: str) -> dict:
    return read_story(text, now=NOW).to_dict()["plan"]


def advice_ids(text: str) -> list[str]:
    return [a["id"] for a in plan(text)["advice"]]


# --- when: the story's own timeline ------------------------------------------------------------


def test_a_dated_event_after_the_breakup_adds_up_to_the_time_since_it() -> None:
    text = "We split in the autumn. 2 months after the break up, he left the house Dec 31."
    facts = read_story(text, now=NOW).facts
    # 61 days before Dec 31, and Dec 31 is three days before "now": not "3 days".
    assert facts.days_since_breakup == 64


def test_an_ago_in_the_sentence_of_the_breakup_is_the_time_since_it() -> None:
    text = "A month ago, my wife told me out of the blue that she was done with our marriage."
    reading = read_story(text)
    assert reading.facts.days_since_breakup == 30
    assert reading.facts.who_ended == "ex"


def test_the_month_the_writer_is_in_counts_since_the_breakup() -> None:
    text = "The end of this month will be the 4th month since my ex ended things with me."
    assert read_story(text).facts.days_since_breakup == 122


def test_later_points_back_to_the_breakup_told_just_before() -> None:
    text = "Last night I spoke to my ex for the first time since we broke up. Three weeks later."
    assert read_story(text).facts.days_since_breakup == 21


# --- whose words --------------------------------------------------------------------------------


def test_a_worry_about_cheating_is_not_infidelity() -> None:
    text = (
        "My boyfriend broke up with me. I was paranoid and controlling, but I had no reason "
        "to believe he was cheating."
    )
    assert "infidelity" not in read_story(text).flags


def test_the_best_friend_sleeping_with_the_ex_is_not_the_writer_sleeping_with_him() -> None:
    text = (
        "My boyfriend broke up with me a month ago. Then I found out my best friend is with "
        "him, she's been sleeping with him."
    )
    assert read_story(text).facts.contact != "intimate"


def test_what_the_ex_wants_is_not_what_the_writer_wants() -> None:
    text = "My girlfriend left me three weeks ago. She said she wants to get back together."
    assert read_story(text).facts.goal == "unclear"


def test_a_friends_threat_is_not_abuse_by_the_ex() -> None:
    text = "My ex dumped me. My friend said she would kill him if he came near me. I miss him."
    reading = read_story(text)
    assert "abuse" not in reading.flags and reading.safety.abuse is False


def test_the_writers_new_partner_is_not_the_exs() -> None:
    text = "My ex broke up with me last year. My boyfriend now is kind to me. I still miss my ex."
    assert read_story(text).facts.ex_new_partner is None


def test_a_letter_to_the_ex_reads_you_as_the_ex() -> None:
    text = (
        "You left me in March and you never looked back. You said you needed space. I begged "
        "you to stay. You have a new girlfriend now and you seem happy. I hope you know how "
        "much you hurt me. You were my whole world."
    )
    reading = read_story(text)
    assert reading.facts.who_ended == "ex"
    assert reading.facts.ex_new_partner is True


# --- where the plan starts ----------------------------------------------------------------------


def test_texting_again_after_two_months_of_no_contact_starts_at_step_4() -> None:
    p = plan(
        "My boyfriend broke up with me. Two months of no contact, now we've started "
        "texting, what's next?"
    )
    assert p["start_step"] == 4 and p["route"] == "program"
    assert p["no_contact_days"] is None and p["no_contact_left"] == 0
    assert "now we've started texting" in p["reason"]
    assert next(a["id"] for a in p["advice"]) == "answer_what_to_text_ready"


def test_weeks_of_no_contact_and_still_crying_starts_at_step_2() -> None:
    p = plan(
        "My boyfriend left me. It's been five weeks of no contact and I still cry myself to "
        "sleep every night."
    )
    assert p["start_step"] == 2 and p["no_contact_left"] == 0


def test_weeks_of_no_contact_and_working_on_yourself_starts_at_step_3() -> None:
    p = plan(
        "My boyfriend left me. It's been five weeks of no contact. I've been going to the gym "
        "and I'm feeling more confident."
    )
    assert p["start_step"] == 3
    assert "focus_on_you" in [a["id"] for a in p["advice"]]


def test_a_few_days_of_quiet_leave_the_rest_of_the_target_ahead() -> None:
    p = plan("My girlfriend dumped me. We have had no contact for 10 days. I miss her.")
    assert p["start_step"] == 1
    assert p["no_contact_days"] == 21 and p["no_contact_left"] == 11


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "My husband left me for another woman. He has a new partner and said never call "
            "him again. I want him back.",
            "left me for another",
        ),
        (
            "After a 35-year emotionally destructive marriage, my husband left. Part of me "
            "wants him back.",
            "emotionally destructive marriage",
        ),
        (
            "My boyfriend broke up with me because of my drinking. I need help with my "
            "addiction. I want him back.",
            "my drinking",
        ),
        ("My ex dumped me. He is an alcoholic and gets drunk every night.", "alcoholic"),
    ],
)
def test_getting_back_together_is_not_encouraged_where_a_coach_would_not(
    text: str, quoted: str
) -> None:
    p = plan(text)
    assert p["route"] == "move_on" and p["reconcile_encouraged"] is False
    assert quoted in p["reason"]


def test_recent_abuse_puts_safety_first_and_past_abuse_heals_with_protection() -> None:
    now = plan("My husband hit me again last night. I left him and I want him back.")
    assert now["route"] == "safety" and now["no_contact_days"] is None
    past = plan(
        "Looking back on our relationship, it had a sort of abuse to it. It has been a year "
        "since you broke up with me."
    )
    assert past["route"] == "move_on" and past["reconcile_encouraged"] is False
    # Harm that goes on after the breakup is present danger.
    going_on = plan(
        "He began hitting me and drinking a lot, so one day I left and a friend took me in. "
        "My ex keeps trying to get me back in some very violent ways."
    )
    assert going_on["route"] == "safety"
    # With someone new who treats them right, the writer is out of it: healing, not danger.
    out = plan(
        "He hit me and would not let me leave for three years. That day I finally had enough "
        "and I felt free. I have someone who treats me right now."
    )
    assert out["route"] == "move_on" and out["reconcile_encouraged"] is False


# --- answering what was asked -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What should I text him?", "answer_what_to_text"),
        ("Should I wait for him to reach out?", "answer_should_wait"),
        ("How do I stop checking his instagram?", "answer_stop_checking"),
        ("He hasn't replied to anything. Is it over?", "answer_is_it_over"),
    ],
)
def test_the_first_advice_answers_the_question_asked(question: str, answer: str) -> None:
    text = f"My boyfriend broke up with me a week ago. {question}"
    assert advice_ids(text)[0] == answer
    assert plan(text)["question"] == answer.removeprefix("answer_")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("We broke up 3 weeks ago. I haven't contacted him since. Should I text him now?", 4),
        ("My girlfriend broke up with me yesterday. I can't stop crying.", 1),
        (
            "My ex left me two months ago. We went no contact for 5 weeks and last week he "
            "texted me out of the blue. What should I say?",
            4,
        ),
        ("My ex left me a month ago. We still text every day and I keep asking him back.", 1),
        ("My ex left me a month ago. We still sleep together on weekends.", 1),
        (
            "He texted me every day while we dated. He dumped me. We have had no contact for "
            "three weeks and I still cry every night.",
            2,
        ),
        # A no-contact period done and talking again now: step 4.
        (
            "My boyfriend broke up with me three months ago. We had six weeks of no contact, "
            "and now we text each other a few times a week.",
            4,
        ),
        # He reached out, but the writer kept the silence: contact is not back.
        (
            "My boyfriend broke up with me five weeks ago. I have been in no contact for 28 "
            "days. Yesterday he texted me out of the blue. I ignored him and I didn't break "
            "my no contact.",
            2,
        ),
        # Months since the breakup, the quiet done, nothing of still being a mess: calmer.
        (
            "My boyfriend broke up with me two months ago. We have had no contact for 30 days.",
            3,
        ),
        (
            "My boyfriend broke up with me five weeks ago. We have had no contact for 30 days.",
            2,
        ),
        (
            "My boyfriend broke up with me two months ago. We have had no contact for 30 days "
            "and I cry myself to sleep.",
            2,
        ),
        (
            "My boyfriend broke up with me two months ago. We have had no contact for 30 days "
            "and I remember crying a lot.",
            2,
        ),
    ],
)
def test_the_start_step_follows_where_the_person_is(text: str, start: int) -> None:
    p = plan(text)
    assert p["route"] == "program" and p["start_step"] == start


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("My ex cheated on me for a year and then dumped me. I want to get over him.", "move_on"),
        ("We divorced ten years ago. I still think about her. She remarried years ago.", "move_on"),
        ("My boyfriend hit me last week and I left. I'm scared of him.", "safety"),
    ],
)
def test_healing_or_safety_comes_before_the_program(text: str, route: str) -> None:
    p = plan(text)
    assert p["route"] == route and p["reconcile_encouraged"] is False


# --- flags told in everyday words ---------------------------------------------------------------

FLAG_WORDS = [
    ("We bought a house together last year and now we have to sell it.", "lived_together"),
    ("He's sleeping on the couch until he finds somewhere else.", "lived_together"),
    ("Our little girl asks where daddy is.", "children"),
    ("We've broken up and gotten back together five times.", "hot_and_cold"),
    ("She always comes back when I start moving on.", "hot_and_cold"),
    ("He keeps sending mixed signals.", "hot_and_cold"),
    ("She was sleeping with her coworker behind my back.", "infidelity"),
    ("I found messages between him and another woman.", "infidelity"),
    ("We work in the same building, so I see him every day.", "shared_workplace"),
    ("He drinks every night.", "ex_substance"),
]


@pytest.mark.parametrize(("sentence", "flag"), FLAG_WORDS)
def test_flags_told_in_everyday_words_are_found(sentence: str, flag: str) -> None:
    assert flag in read_story(f"My ex and I broke up in the spring. {sentence}").flags


@pytest.mark.parametrize(
    "sentence",
    [
        "I got drunk and called her crying.",
        "I texted him that I still love him.",
        "I showed up at her work to talk.",
    ],
)
def test_the_writers_own_mistakes_are_named(sentence: str) -> None:
    reading = read_story(f"My ex and I broke up in the spring. {sentence}")
    assert any(e.about.startswith("mistake.") for e in reading.evidence)


def test_n_after_the_divorce_told_from_now_is_the_time_since() -> None:
    assert read_story("Six months after my divorce I still cry.").facts.days_since_breakup == 183


@pytest.mark.parametrize(
    ("sentence", "contact"),
    [
        ("I've stayed away from him for six weeks now.", "none"),
        ("He ignores all my messages.", "none"),
        ("We don't speak anymore.", "none"),
        ("He still likes all my posts and texts me sometimes.", "some"),
        ("I saw him at a party last weekend and we talked for hours.", "some"),
        ("We have a daughter together so I see him every week.", "unavoidable"),
        ("We slept together again last weekend.", "intimate"),
        ("I miss him so much.", "unclear"),
    ],
)
def test_contact_now_is_read_from_everyday_words(sentence: str, contact: str) -> None:
    text = f"My boyfriend broke up with me in March. {sentence}"
    assert read_story(text).facts.contact == contact


@pytest.mark.parametrize(
    ("sentence", "goal"),
    [
        ("All I want is for her to come back.", "reconcile"),
        ("I'd do anything to have her back.", "reconcile"),
        ("How do I let go of someone I still love?", "move_on"),
        ("I'm ready to close this chapter.", "move_on"),
        ("My friends tell me to move on but I can't stop thinking about her.", "unclear"),
        ("She says she wants me back but I'm not sure.", "unclear"),
        # A question that weighs the choice is not yet a wish; a lack of closure says nothing.
        ("Should I just move on and forget her?", "unclear"),
        ("There was never any closure, she just stopped answering.", "unclear"),
        ("I need closure more than anything.", "move_on"),
    ],
)
def test_what_the_writer_wants_is_read_from_their_own_words(sentence: str, goal: str) -> None:
    text = f"My girlfriend broke up with me two months ago. {sentence}"
    assert read_story(text).facts.goal == goal


@pytest.mark.parametrize(
    "sentence",
    [
        "And then it hits me that she walked away for good.",
        "He said he wanted to end it before he hurt me.",
        "He kept showing up in my dreams, night after night.",
    ],
)
def test_hurt_feelings_and_figures_of_speech_are_not_abuse(sentence: str) -> None:
    text = f"We were together three years and he ended it last month. {sentence} I miss him."
    assert "abuse" not in read_story(text).flags
