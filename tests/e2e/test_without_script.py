"""The app with JavaScript switched off, as on a locked-down phone or a failed download: every
form still works as a plain form (POST, then a redirect with a notice), and quick exit is a
plain link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.browse import PASSWORD, choose

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(pages):  # type: ignore[no-untyped-def]
    return pages(script=False)


def test_the_first_days_work_without_javascript(page) -> None:
    page.goto("/signup")
    page.get_by_label("Choose a name to sign in with").fill("noscript-alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my space").click()
    page.get_by_role("link", name="I've saved them, continue").click()
    page.get_by_label("Your first name").fill("Alice")
    page.get_by_label("Your ex's first name").fill("Sam")
    choose(page, "he")
    # Nothing fills the time zone from the phone's own without script: the person types it.
    page.get_by_label("Your time zone").fill("Europe/London")
    page.get_by_role("button", name=re.compile("^Next")).click()
    page.get_by_role("link", name="Skip for now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hi Alice")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    choose(page, "7")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status").filter(has_text="Check-in saved")).to_have_count(1)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="SOS").click()
    # The timer can't run, so the page says how to ride it out with any clock.
    expect(page.get_by_text("Any clock will do")).to_be_visible()
    page.get_by_label("What you want to say to him").fill("I'm not sending this.")
    page.get_by_role("button", name="Keep this letter").click()
    expect(page.get_by_text("Nothing was sent").first).to_be_visible()

    page.goto("/step4/compose")
    page.get_by_label(re.compile("Your first text to Sam")).fill("I miss you so much")
    page.get_by_role("button", name="Review").click()
    expect(page.locator("#review .draft-marked mark.mark-problem")).to_have_text("miss you")
    expect(page.get_by_label(re.compile("Your first text to Sam"))).to_have_value(
        "I miss you so much"
    )

    page.get_by_role("link", name=re.compile("Quick exit")).click()
    expect(page).to_have_url(re.compile(r"/weather$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_without_javascript_a_wrong_tap_on_i_did_and_an_urge_can_be_undone(page) -> None:
    page.goto("/signup")
    page.get_by_label("Choose a name to sign in with").fill("noscript-undo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my space").click()
    page.get_by_role("link", name="I've saved them, continue").click()
    page.get_by_label("Your first name").fill("Alice")
    page.get_by_label("Your ex's first name").fill("Sam")
    choose(page, "he")
    page.get_by_label("Your time zone").fill("Europe/London")
    page.get_by_role("button", name=re.compile("^Next")).click()
    page.get_by_role("link", name="Skip for now").click()
    page.goto("/no-contact/start")
    page.get_by_role("button", name=re.compile("^Start")).click()
    page.goto("/contact")
    choose(page, "I did")
    page.get_by_role("button", name="Log it").click()
    # A plain form lands on Today, with the notice and Undo beside it.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status").first).to_contain_text("Logged.")
    page.get_by_role("button", name="Undo: that was a mistake").click()
    expect(page).to_have_url(re.compile(r"/contact$"))
    expect(page.get_by_text("Undone — nothing was kept")).to_be_visible()
    expect(page.locator("#contact-lately")).to_contain_text("Nothing logged")

    page.goto("/sos")
    choose(page, "7")
    choose(page, "I rode it out")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("You rode it out").first).to_be_visible()
    page.get_by_role("button", name="Undo: that was a mistake").click()
    expect(page).to_have_url(re.compile(r"/sos$"))
    expect(page.get_by_text("Undone — nothing was kept")).to_be_visible()
