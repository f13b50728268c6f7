"""Contact is where the two of them are now, and the start step follows from it.

Our own sentences, one general shape each: the latest state told, who reaches out and whether
the other answers, a tie (work, children) that holds now or only held once, a silence told
in words other than "no contact".
"""

from __future__ import annotations

import pytest

from secondchance.analysis.story import read_story


def _contact(text: str) -> str:
    return read_story(text).facts.contact


@pytest.mark.parametrize(
    "text",
    [
        # A time since they last spoke, with words between.
        "He broke up with me in the spring. It has been half a year since we've even talked.",
        "My girlfriend dumped me. I have not had a single conversation with her since then.",
        # The law keeps them apart.
        "I left him last month and I now have a restraining order against him.",
        # The ex writes, the writer leaves it unanswered; not a word either way.
        "My boyfriend broke up with me in June. He keeps texting me but I don't answer.",
        "She left me two months ago. I have been ignoring her calls for weeks.",
        "He broke up with me at Easter. He hasn't said a word to me since.",
        # The ex vanished after a time of sleeping together.
        "We kept hooking up after the breakup. Then three weeks ago she ghosted me.",
    ],
)
def test_a_silence_told_in_other_words_is_no_contact(text: str) -> None:
    assert _contact(text) == "none"


def test_the_exs_message_just_arrived_and_unanswered_keeps_the_silence() -> None:
    text = (
        "He broke up with me in the summer. After months of no contact my ex just texted me "
        "yesterday. I don't know what to think."
    )
    reading = read_story(text)
    assert reading.facts.contact == "none"


def test_an_answer_after_the_writers_text_is_contact_back_and_step_4() -> None:
    text = (
        "We broke up six months ago and didn't talk for months after that. Last week I decided "
        "to text him to say I hoped he was well. An hour later I got a text back, and we have "
        "been chatting a little. What should I say next?"
    )
    reading = read_story(text)
    assert reading.facts.contact == "some"
    assert reading.plan.start_step == 4
    assert "months" in reading.plan.reason


@pytest.mark.parametrize(
    "text",
    [
        "He broke up with me in May. We worked in the same office until he quit in June.",
        "We divorced last year after a long marriage. We have two grown children who live abroad.",
    ],
)
def test_a_tie_of_the_past_does_not_make_contact_unavoidable(text: str) -> None:
    assert _contact(text) != "unavoidable"


def test_a_partial_block_is_not_a_silence() -> None:
    text = "We broke up two months ago. He has me blocked on everything except email."
    assert _contact(text) != "none"


def test_advice_to_anyone_is_not_the_writers_contact() -> None:
    text = (
        "We broke up a year ago and I texted him at new year. He replied kindly. Healing is "
        "when you don't contact your ex because there is nothing left to say, not because "
        "you are forcing yourself into no contact."
    )
    assert _contact(text) == "some"


def test_a_month_long_silence_then_a_slip_is_step_2() -> None:
    text = (
        "He broke up with me this spring. Last weekend I broke my month long silence and "
        "texted him that I missed him. I regret it so much."
    )
    assert read_story(text).plan.start_step == 2


def test_sadness_now_after_weeks_of_no_contact_is_step_2() -> None:
    text = (
        "My boyfriend broke up with me three months ago. Today is day 70 of no contact. "
        "I am still so sad about everything and I cry most evenings."
    )
    assert read_story(text).plan.start_step == 2


def test_a_year_on_the_ex_alone_asking_something_leaves_it_to_rest() -> None:
    text = (
        "We broke up almost two years ago. My ex just asked me if he could borrow the tent "
        "we bought together. I don't see why I should."
    )
    assert read_story(text).plan.route == "move_on"


def test_a_year_on_love_said_now_is_not_let_rest() -> None:
    text = (
        "We broke up almost two years ago and we have not talked since. I am still in love "
        "with him and I think about him every day."
    )
    assert read_story(text).plan.route == "program"


def test_the_writer_reaching_out_after_weeks_of_silence_and_an_answer_is_step_4() -> None:
    text = (
        "He dumped me in January. I reached out last week after weeks of silence and he "
        "answered right away."
    )
    reading = read_story(text)
    assert reading.facts.contact == "some"
    assert reading.plan.start_step == 4


def test_reaching_out_to_someone_else_is_not_contact() -> None:
    text = "He dumped me in January. I reached out to my sister and she helped me a lot."
    assert _contact(text) == "unclear"


def test_the_talk_that_ended_it_is_not_contact_after() -> None:
    text = "My ex moved abroad last year and we split up over a video call in the spring."
    assert _contact(text) == "unclear"
