"""The start step follows where the story says the person is, with the words that show it."""

from __future__ import annotations

import pytest

from secondchance.analysis.durations import parse_durations
from secondchance.analysis.story import read_story


@pytest.mark.parametrize(
    ("text", "route", "step"),
    [
        # Weeks without contact and calm: step 3; still an emotional mess: step 2.
        (
            "We split up 6 weeks ago. No contact for 5 weeks now, I feel calmer, I go to the "
            "gym and see friends.",
            "program",
            3,
        ),
        (
            "She left me in March. 30 days no contact now but I still cry every night and "
            "check her instagram.",
            "program",
            2,
        ),
        # Quiet behind them and talking again: step 4.
        (
            "My boyfriend broke up with me. Two months of no contact, now we have started "
            "texting again, what is next?",
            "program",
            4,
        ),
        # Still in touch: no contact starts now.
        ("My ex and I broke up last month. We still talk every day.", "program", 1),
        # A new partner and "never call": not a win-back.
        (
            "He broke up with me and told me never to call him again. He is with his new "
            "girlfriend now.",
            "move_on",
            1,
        ),
        # The writer has someone new.
        (
            "My ex and I broke up a year ago. I'm dating someone new now and he is great, but "
            "I still think of my ex sometimes.",
            "move_on",
            1,
        ),
    ],
)
def test_the_start_step_comes_from_where_the_story_is(text: str, route: str, step: int) -> None:
    plan = read_story(text).plan
    assert (plan.route, plan.start_step) == (route, step)
    assert plan.reason  # one sentence saying why


def test_a_no_contact_count_is_read_in_its_own_sentence() -> None:
    # The three weeks are the breakup's; the no contact is 10 days, so 11 are still ahead.
    reading = read_story("He dumped me three weeks ago. I have been in no contact for 10 days.")
    assert reading.facts.days_since_breakup == 21
    assert reading.plan.start_step == 1
    assert reading.plan.no_contact_left == 11


def test_a_month_and_the_number_starting_the_next_sentence_are_not_a_date() -> None:
    found = parse_durations("She left me in March. 30 days no contact now.", None)
    assert [m.quote for m in found] == ["in March", "30 days"]
    assert parse_durations("he left Dec. 31", None)[0].quote == "Dec. 31"


def test_the_reason_quotes_the_no_contact_count_with_its_words() -> None:
    text = "She left me in March. 30 days no contact now but I still cry every night."
    reading = read_story(text)
    assert reading.plan.start_step == 2
    assert '"30 days no contact"' in reading.plan.reason
    spans = [e for e in reading.evidence if e.about == "no_contact"]
    assert [text[e.start : e.end] for e in spans] == ["30 days no contact"]
