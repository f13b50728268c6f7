"""The whole program in one sitting, as a person would go through it in a real browser: sign up,
tell the story, check in, ride out an urge, look after yourself, keep a memory, check you're
ready, draft a first text, look back, take your data and leave.

It runs at phone size and again at desktop size. Each step checks what a person would notice.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.browse import (
    DESKTOP,
    PASSWORD,
    PHONE,
    answer_profile,
    assert_accessible,
    choose,
    sign_up,
)

pytestmark = pytest.mark.e2e

STORY = (
    "We were together for three years and he broke up with me two months ago, out of the "
    "blue. Since then I texted him a lot and begged him to come back, and once I drunk-texted "
    "him at 2am. He says he needs space. I want him back but I also want to stop feeling like "
    "this."
)
# The same story in the words most people use; the safety check reads it as a crisis.
ENDED_IT = STORY.replace("he broke up with me", "he ended it")


def tell_the_story(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/welcome/story$"))
    page.get_by_label("What happened?").fill(STORY)
    page.get_by_role("button", name="Read my story").click()
    expect(page.get_by_role("heading", name="What I understood")).to_be_visible()
    # The reading quotes the person's own words as its evidence.
    expect(page.get_by_text("three years").first).to_be_visible()
    # An ordinary breakup story: no crisis or abuse help in the way of the plan.
    expect(
        page.get_by_role("alert"), message="the safety check flagged an ordinary story"
    ).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hi Alice")
    # The plan started no contact, so Today no longer offers to start it.
    expect(page.get_by_role("button", name="Start no contact today")).to_have_count(0)


def check_in(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Today's check-in")).to_be_visible()
    choose(page, "6")
    choose(page, "hopeful")
    page.get_by_label("A note for yourself").fill("Went for a walk by the river")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status").filter(has_text="Check-in saved")).to_be_visible()
    assert_accessible(page)


def ride_out_an_urge(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SOS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I want to text him")
    start = page.get_by_role("button", name=re.compile(r"^Start the \d+ minutes"))
    timer = page.locator("[data-timer-display]")
    before = timer.inner_text()
    start.click()
    expect(page.get_by_role("button", name="Breathing with you…")).to_be_disabled()
    # The clock counts down (checked by its text changing, not by waiting a fixed time).
    expect(timer).not_to_have_text(before)
    letter = page.locator("#sos-letter")
    letter.get_by_label("What you want to say to him").fill(
        "I keep thinking about the lake house. I'm angry and sad, and I'm not sending this."
    )
    letter.get_by_role("button", name="Keep this letter").click()
    expect(letter.get_by_role("status")).to_contain_text("Nothing was sent")
    assert_accessible(page)


def read_letters(page: Page) -> None:
    page.goto("/letters")
    letters = page.get_by_role("region", name="Your letters")
    expect(letters.get_by_role("listitem")).to_have_count(1)  # with its Edit and Delete links
    letters.get_by_role("link").first.click()
    expect(page.get_by_text("the lake house")).to_be_visible()


def focus_on_yourself(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Focus").click()
    expect(page).to_have_url(re.compile(r"/focus$"))
    page.get_by_role("group", name="Look and feel good").get_by_role(
        "button", name="Exercise"
    ).click()
    # Said out loud for a screen reader (htmx) or as the page's notice (without script).
    expect(page.get_by_role("status").filter(has_text="Logged")).to_have_count(1)
    expect(page.get_by_text("Exercise: 1 of 3 this week").first).to_be_visible()


def keep_a_memory(page: Page) -> None:
    page.goto("/memories")
    page.get_by_label("What do you call it?").fill("The goat at the wedding")
    page.get_by_label("What happened").fill("A goat ate the seating plan at his cousin's wedding.")
    page.get_by_label("Tags").fill("goat, wedding")
    page.get_by_label("It's an inside joke").check()
    page.get_by_role("button", name="Keep this memory").click()
    bank = page.get_by_role("region", name=re.compile("Your memories"))
    expect(bank.get_by_text("The goat at the wedding")).to_be_visible()


def check_readiness(page: Page) -> None:
    page.goto("/step4/ready")
    expect(page.get_by_role("heading", name="Am I ready?")).to_be_visible()
    questions = page.get_by_role("group")
    count = questions.count()
    assert count == 5, f"expected five readiness questions, saw {count}"
    for index in range(count):
        questions.nth(index).locator("label").filter(has_text="Yes").click()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status")).to_be_visible()


def draft_a_first_text(page: Page) -> None:
    page.goto("/step4/compose")
    draft = page.get_by_label(re.compile("Your first text to Sam"))
    draft.click()
    # Typed key by key; the review answers each pause in typing.
    with page.expect_response(
        lambda r: r.url.endswith("/step4/review") and r.request.method == "POST"
    ):
        page.keyboard.type("Hey, I miss you so much")
    review = page.locator("#review")
    # The words that tell him she misses him are highlighted as a problem, in place.
    expect(review.locator(".draft-marked")).to_have_text("Hey, I miss you so much")
    problem = review.locator(".draft-marked mark.mark-problem[data-rules~=miss_you]")
    expect(problem).to_have_count(1)
    expect(problem).to_have_text("miss you")
    expect(review.get_by_text("Don't send this one.")).to_be_visible()
    expect(page.locator("#review-status")).to_contain_text("Don't send this one.")
    assert_accessible(page)


def look_at_insights(page: Page) -> None:
    page.goto("/insights")
    charts = page.locator("svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("aria-label") or chart.locator("title").count()
        # Something drawn besides the axes: a line, points or bars.
        drawn = chart.locator("polyline, path, circle, rect, line")
        assert drawn.count() > 0, f"chart {index} on /insights is empty"


def export_my_data(page: Page) -> None:
    page.goto("/settings")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    text = json.dumps(data)
    assert "Went for a walk by the river" in text, "the check-in is missing from the export"
    assert "The goat at the wedding" in text


def delete_my_account(page: Page) -> None:
    page.goto("/settings")
    danger = page.get_by_role("region", name="Delete my account")
    danger.get_by_label("Type your password to confirm").fill(PASSWORD)
    danger.get_by_role("button", name="Delete everything").click()
    expect(page.get_by_role("heading", name="Goodbye, and take care")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    # The account is gone: its password no longer opens anything.
    page.get_by_label("Name").fill(page.username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.watch.expect("status of 400")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_story_where_he_ended_it_gets_a_plan_not_crisis_help(page) -> None:
    sign_up(page, "journey-ended-it")
    answer_profile(page)
    page.get_by_label("What happened?").fill(ENDED_IT)
    page.get_by_role("button", name="Read my story").click()
    expect(page.get_by_role("heading", name="What I understood")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0, timeout=1000)


# What the person does, in the order of the program.
JOURNEY = [
    tell_the_story,
    check_in,
    ride_out_an_urge,
    read_letters,
    focus_on_yourself,
    keep_a_memory,
    check_readiness,
    draft_a_first_text,
    look_at_insights,
    export_my_data,
    delete_my_account,
]


# The phone run is in light mode, the desktop run in dark, so both themes are checked by axe
# in the states only a journey reaches (a story's reading, a reviewed draft).
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_whole_program_in_one_sitting(pages, size: str) -> None:
    page = pages(viewport=PHONE if size == "phone" else DESKTOP, dark=size == "desktop")
    page.username = f"journey-{size}"
    sign_up(page, page.username)
    answer_profile(page)
    for step in JOURNEY:
        step(page)
