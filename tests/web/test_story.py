"""The onboarding story: telling it, reading it back like a coach, and taking its plan.

Every story here was written for these tests; any likeness to a real post is chance.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from webtools import Browser, sign_up

STORY = (
    "We broke up two months ago after three years together. He ended it on a Sunday night, "
    "said he needed space and didn't love me the way he used to. Now he has a new girlfriend "
    "and I keep seeing her in his photos. Last weekend I drunk-texted him at 2am and he never "
    "answered. I want him back but I know I've been making it worse."
)
CRISIS = (
    "My boyfriend left me three weeks ago after two years together. I can't stop crying and "
    "honestly I don't want to be alive anymore. Everything feels pointless without him."
)
ABUSE = (
    "We were together four years and I finally left him a month ago. He used to scream at me "
    "and called me crazy whenever I cried. He checked my phone every night and wouldn't let "
    "me see my friends. Part of me still wants him back."
)


def main(response) -> str:  # type: ignore[no-untyped-def]
    """The page's own content, unescaped, without the header, tabs and hidden tokens."""
    text = response.text
    return unescape(text[text.index("<main") : text.index("</main>")])


def words(response) -> str:  # type: ignore[no-untyped-def]
    """What a person reads in the page's content: tags dropped, spaces collapsed."""
    inline = re.sub(r"</?(?:strong|mark|em|a|span)\b[^>]*>", "", main(response))
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def tell(browser: Browser, story: str):  # type: ignore[no-untyped-def]
    browser.get("/welcome/story")
    return browser.post("/welcome/story", {"story": story})


def test_a_new_person_is_asked_for_their_story_and_can_skip_it(browser: Browser) -> None:
    sign_up(browser, "carol", profile=False)
    browser.get("/welcome")
    answered = browser.post("/welcome", {"name": "Carol", "ex_name": "Dee", "ex_pronouns": "she"})
    assert answered.headers["location"] == "/welcome/story"
    page = browser.get("/welcome/story")
    assert page.status_code == 200
    assert "Tell me what happened" in page.text
    assert '<label for="story">' in page.text
    assert re.search(r'<a class="btn" href="/">Skip for now</a>', page.text)
    assert "she ended it" in unescape(page.text)  # the example speaks of Dee as she


def test_a_story_is_read_back_with_its_facts_and_the_words_they_came_from(alice, frozen):
    told = tell(alice, STORY)
    assert told.status_code == 303 and told.headers["location"] == "/story"
    page = alice.follow(told)
    text = words(page)
    assert "Thank you for telling your story" in page.text
    for fact, quote in [
        ("It ended about 2 months ago.", "two months ago"),
        ("You were together about 3 years.", "three years"),
        ("He ended it.", "He ended it"),
        ("He is seeing someone new.", "he has a new girlfriend"),
        ("You'd like to try again with him.", "want him back"),
    ]:
        assert f"{fact} You wrote: {quote}" in text
        assert f'<mark class="mark-fact">{quote}</mark>' in main(page)
    # He has a new girlfriend: the plan is no contact for her own sake, not to win him back.
    assert "Step 1 of 4" in text and "No contact, for you: 21 days of no contact" in text
    assert 'you wrote "he has a new girlfriend"' in text
    assert 'name="no_contact_target_days"' in page.text and 'value="21"' in page.text
    assert "Use this plan" in text


def test_a_hyphenated_drunk_text_is_named_as_a_habit_the_plan_helps_with(alice) -> None:
    page = alice.follow(tell(alice, STORY))
    assert "Texting or calling him after a drink." in words(page)


def test_a_drunk_text_is_named_kindly_as_a_habit_the_plan_helps_with(alice) -> None:
    page = alice.follow(tell(alice, STORY.replace("drunk-texted", "drunk texted")))
    text = words(page)
    assert "Texting or calling him after a drink. You wrote: drunk texted" in text
    assert "They aren't failures" in text
    assert '<mark class="mark-habit">drunk texted</mark>' in main(page)


def test_a_story_in_crisis_shows_help_first_and_the_plan_says_the_program_can_wait(alice):
    page = alice.follow(tell(alice, CRISIS))
    text = words(page)
    # Help lines (alice lives in the UK) come before anything read from the story.
    assert text.index("116 123") < text.index("What I understood")
    assert 'role="alert"' in page.text
    assert "The program can wait." in text
    assert "Use this plan" not in text and "Days of no contact" not in text
    # Her words about not wanting to live are answered with help, not quoted back.
    assert "You wrote: don't want to be alive" not in text


def test_a_few_words_in_crisis_are_not_a_story_yet_but_still_get_help_first(alice) -> None:
    told = tell(alice, "I just want to die.")
    assert told.headers["location"] == "/story"
    page = alice.follow(told)
    text = words(page)
    assert text.index("116 123") < text.index("Right now")
    assert "tell me more about what happened" in text
    assert "Could you tell me a bit more?" not in text


def test_crisis_help_is_there_every_time_the_story_is_opened(alice) -> None:
    tell(alice, CRISIS)
    for _ in range(2):
        again = alice.get("/story")
        assert "116 123" in words(again) and 'role="alert"' in again.text


def test_an_abusive_ex_is_met_with_protection_and_never_with_getting_back_together(alice):
    page = alice.follow(tell(alice, ABUSE))
    text = words(page)
    assert "0808 2000 247" in text  # Refuge, the UK's domestic abuse line
    assert text.index("0808 2000 247") < text.index("What I understood")
    assert "Keeping your distance, for you" in text
    assert "It is not your fault." in text
    for nudge in ("Give him time to miss you", "try again with him", "Step 1 of 4", "miss you"):
        assert nudge not in text
    assert 'name="no_contact_target_days"' not in page.text  # no countdown
    started = alice.post("/story/plan", {"since": ""})
    assert started.headers["location"] == "/"
    status = alice.api("GET", "/api/v1/status").json()
    assert status["phase"] != "not_started"
    assert status["no_contact_target_days"] == 21  # unchanged: no countdown was asked for


def test_a_greeting_gets_a_gentle_ask_for_more_and_is_not_kept(alice) -> None:
    page = tell(alice, "hi")
    assert page.status_code == 200
    assert "Could you tell me a bit more?" in words(page)
    assert re.search(r'<textarea[^>]*name="story"[^>]*>hi</textarea>', page.text)
    assert "You haven't told me your story yet" in words(alice.get("/story"))


@pytest.mark.parametrize(("story", "says"), [("   ", "can't be empty"), ("x" * 50_001, "too long")])
def test_a_story_that_cannot_be_kept_is_refused_next_to_the_field(alice, story, says) -> None:
    page = tell(alice, story)
    assert page.status_code == 400
    assert says in words(page)
    assert 'aria-invalid="true"' in page.text and 'id="story-error"' in page.text


def test_using_the_plan_starts_no_contact_with_the_chosen_target(alice, frozen) -> None:
    tell(alice, STORY)
    alice.get("/story")
    taken = alice.post("/story/plan", {"no_contact_target_days": "30", "since": "2026-11-10"})
    assert taken.status_code == 303 and taken.headers["location"] == "/"
    assert "No contact has begun" in alice.follow(taken).text
    status = alice.api("GET", "/api/v1/status").json()
    assert status["no_contact_target_days"] == 30
    assert status["streaks"]["started_on"] == "2026-11-10"
    assert status["streaks"]["current"] == 8


@pytest.mark.parametrize(
    ("form", "field", "says", "kept"),
    [
        ({"no_contact_target_days": "10"}, "no_contact_target_days", "at least 14 days", "10"),
        ({"no_contact_target_days": "soon"}, "no_contact_target_days", "whole number", "soon"),
        (
            {"no_contact_target_days": "21", "since": "2026-12-01"},
            "since",
            "hasn't happened yet",
            "2026-12-01",
        ),
    ],
)
def test_a_plan_that_cannot_be_taken_says_why_and_keeps_what_was_typed(
    alice, frozen, form, field, says, kept
) -> None:
    tell(alice, STORY)
    alice.get("/story")
    page = alice.post("/story/plan", form)
    assert page.status_code == 400
    assert says in words(page)
    assert f'id="{field}-error"' in page.text
    assert re.search(rf'id="{field}"[^>]*value="{kept}"', page.text.replace("\n", " "))
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page.text.replace("\n", " "))
    assert alice.api("GET", "/api/v1/status").json()["phase"] == "not_started"


def test_too_short_a_target_is_refused_with_the_reason(alice) -> None:
    tell(alice, STORY)
    alice.get("/story")
    page = alice.post("/story/plan", {"no_contact_target_days": "10"})
    assert "it takes about two weeks for an absence to be felt" in words(page)


def test_with_no_contact_already_running_the_plan_only_changes_the_target(alice) -> None:
    assert alice.api("POST", "/api/v1/story/plan", json={}).status_code == 201
    tell(alice, STORY)
    page = alice.get("/story")
    assert "No contact is already running" in words(page)
    assert "Use this target" in words(page) and 'name="since"' not in page.text
    taken = alice.post("/story/plan", {"no_contact_target_days": "45"})
    assert "target is updated" in alice.follow(taken).text
    assert alice.api("GET", "/api/v1/status").json()["no_contact_target_days"] == 45


def test_a_story_is_read_through_the_api_without_keeping_it(alice) -> None:
    read = alice.api("POST", "/api/v1/story", json={"text": STORY})
    assert read.status_code == 200
    body = read.json()
    assert body["is_story"] and body["story"] is None
    assert body["facts"]["relationship_days"] == 1095
    quotes = {e["about"]: e["quote"] for e in body["evidence"]}
    assert quotes["ex_new_partner"] == "he has a new girlfriend"
    span = next(e for e in body["evidence"] if e["about"] == "days_since_breakup")
    assert STORY[span["start"] : span["end"]] == span["quote"]
    assert alice.api("GET", "/api/v1/story").status_code == 404


def test_a_story_kept_through_the_api_is_read_again_later(alice) -> None:
    kept = alice.api("POST", "/api/v1/story?save=true", json={"text": CRISIS})
    assert kept.status_code == 201
    assert kept.json()["story"]["text"] == CRISIS
    again = alice.api("GET", "/api/v1/story").json()
    assert again["story"]["id"] == kept.json()["story"]["id"]
    assert again["safety"]["crisis"] is True
    assert any("116 123" in r["contact"] for r in again["safety"]["help"])
    assert again["plan"]["start_step"] is None and again["plan"]["no_contact_days"] is None


@pytest.mark.parametrize(
    ("method", "url", "body", "says"),
    [
        ("POST", "/api/v1/story", {"text": "   "}, "can't be empty"),
        ("POST", "/api/v1/story", {"text": "x" * 50_001}, "at most 50000"),
        ("POST", "/api/v1/story/plan", {"no_contact_target_days": 7}, "at least 14 days"),
        ("POST", "/api/v1/story/plan", {"since": "yesterday"}, "real date"),
    ],
)
def test_the_api_refuses_bad_input_with_422_and_the_reason(alice, method, url, body, says):
    response = alice.api(method, url, json=body)
    assert response.status_code == 422
    assert says in response.text


def test_the_plan_is_taken_through_the_api(alice, frozen) -> None:
    first = alice.api("POST", "/api/v1/story/plan", json={"no_contact_target_days": 28})
    assert first.status_code == 201
    assert first.json()["started"] is True and first.json()["no_contact_target_days"] == 28
    again = alice.api("POST", "/api/v1/story/plan", json={"no_contact_target_days": 35})
    assert again.status_code == 200
    assert again.json() == {**first.json(), "started": False, "no_contact_target_days": 35}


def test_bob_can_neither_read_nor_change_alices_story_or_plan(alice, bob) -> None:
    tell(alice, STORY)
    assert "new girlfriend" not in main(bob.get("/story"))
    assert "You haven't told me your story yet" in words(bob.get("/story"))
    assert "new girlfriend" not in bob.get("/welcome/story").text
    assert bob.api("GET", "/api/v1/story").status_code == 404
    bob.get("/story")
    bob.post("/story/plan", {"no_contact_target_days": "60"})
    bob.api("POST", "/api/v1/story/plan", json={"no_contact_target_days": 90})
    alices = alice.api("GET", "/api/v1/status").json()
    assert alices["phase"] == "not_started" and alices["no_contact_target_days"] == 21
    assert "new girlfriend" in alice.get("/story").text


TALKING_AGAIN = (
    "He broke up with me in the summer. We had two months of no contact, and now we've "
    "started texting again. What should I send him next?"
)


def test_texting_again_after_no_contact_starts_at_step_4_and_answers_the_question(alice):
    page = alice.follow(tell(alice, TALKING_AGAIN))
    text = words(page)
    assert "Step 4 of 4" in text
    assert "because the quiet is behind you" in text
    # The first piece of advice answers what was asked, in the step the person is at.
    assert text.index("You asked what to send.") < text.index("When you feel steady")
    assert "days of no contact" not in text.split("Where to start")[-1].split("You asked")[0]
    taken = alice.post("/story/plan", {"no_contact_target_days": "", "since": ""})
    assert taken.headers["location"] == "/"


HEAVY = (
    "He left me in March after five years. I feel empty and numb, I cry every night and I "
    "can't see the point of anything anymore. I still want to fix things with him."
)


def test_a_heavy_story_keeps_its_plan_with_a_gentle_line_and_help_beside_it(alice) -> None:
    page = alice.follow(tell(alice, HEAVY))
    text = words(page)
    assert "sounds really heavy" in text and 'href="/help"' in main(page)
    assert "Days of no contact" in text  # concern is not crisis: the plan goes on
    assert "The program can wait." not in text


def test_an_ordinary_story_gets_no_heavy_words(alice) -> None:
    assert "sounds really heavy" not in words(alice.follow(tell(alice, STORY)))
