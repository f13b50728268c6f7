"""Step 4 in a real browser: after talking again, the urge button leads to step-4 words (not a
count of days without contact), pacing shows once on Today, and a chosen opener comes into view
in the composer and copies to the clipboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from secondchance.services.demo import fill_demo_account
from secondchance.services.reconnect import log_conversation

pytestmark = pytest.mark.e2e

PERSON = ("jordan4", "talking-again-now")
WAITING = "Your last message is still waiting. Give him room to reply."


@pytest.fixture(scope="module")
def talking_again(site, signed_in_cookies) -> list:  # type: ignore[no-untyped-def]
    """The demo's six weeks (step 4 open), then a first conversation an hour ago, his reply
    still to come."""
    now = datetime.now(UTC)
    with site.session() as session:
        log_conversation(
            session,
            fill_demo_account(session, *PERSON, now),
            now,
            started_by="you",
            messages=2,
            ex_replied=False,
            ended_by="you",
            started_at=now - timedelta(hours=1),
        )
    return signed_in_cookies(*PERSON)


def test_the_urge_button_in_step_4_opens_step_4_words(pages, talking_again) -> None:  # type: ignore[no-untyped-def]
    page = pages(cookies=talking_again)
    page.goto("/")
    today = page.locator("main").inner_text()
    assert today.count(WAITING) == 1  # pacing advice, once
    page.get_by_role("link", name="I want to message him right now").click()
    expect(page).to_have_url(re.compile(r"/sos$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you send anything")
    sos = page.locator("main").inner_text()
    assert "A second text before you hear back reads as chasing." in sos
    assert "days without contact" not in sos
    page.get_by_role("link", name="Review a draft first").click()
    expect(page).to_have_url(re.compile(r"/step4/compose$"))


def test_use_this_one_brings_the_draft_into_view_and_copy_puts_it_on_the_clipboard(  # type: ignore[no-untyped-def]
    pages, site, talking_again
) -> None:
    page = pages(cookies=talking_again)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.goto("/step4/compose")
    box = page.get_by_role("textbox", name=re.compile("Your next message to Alex"))
    box.fill("hey")
    use = page.get_by_role("button", name=re.compile("^Use this one")).first
    use.scroll_into_view_if_needed()
    chosen = use.inner_text().split(": ", 1)[1]
    use.click()
    expect(box).to_have_value(chosen)
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == chosen


def test_the_suggested_openers_read_as_a_person_would_text_them(pages, talking_again) -> None:  # type: ignore[no-untyped-def]
    page = pages(cookies=talking_again)
    page.goto("/step4/compose")
    page.get_by_role("textbox", name=re.compile("Your next message to Alex")).fill("hey")
    buttons = page.get_by_role("button", name=re.compile("^Use this one"))
    expect(buttons.first).to_be_visible()
    openers = [text.split(": ", 1)[1] for text in buttons.all_inner_texts()]
    assert openers, "the composer suggests openers from the demo's memories"
    said = " ".join(openers)
    # The awkward forms people saw: a memory's title dropped in as a noun phrase, capitals kept.
    assert "was Pancake Sundays" not in said and "thought of Karaoke" not in said
    assert " our Lost " not in said  # "the time we got lost in Lisbon"
    for opener in openers:
        assert opener[0].isupper(), opener
