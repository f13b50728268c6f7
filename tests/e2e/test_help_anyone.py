"""Help for anyone, in a real browser: reached from the sign-in page signed out, from the
profile questions before onboarding is finished, and from Today; the country can be chosen
without script; and quick exit then Back never shows the page that was open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.browse import answer_profile, assert_accessible, sign_up, skip_story

pytestmark = pytest.mark.e2e

# The browser's language is en-GB (see conftest.open_page), so signed out Help guesses the UK.
HELP = re.compile("^Help now")


def see_lines(page: Page, name: str, number: str) -> None:
    """On the Help page, the line called ``name`` is listed with ``number`` to call."""
    expect(page).to_have_url(re.compile(r"/help(\?.*)?$"))
    expect(page.get_by_role("heading", name="Talk to someone now")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=name).first).to_contain_text(number)


def test_help_in_three_states_of_an_account(page: Page) -> None:
    # Signed out: from the sign-in page, one tap to Help.
    page.goto("/login")
    page.get_by_role("banner").get_by_role("link", name=HELP).click()
    see_lines(page, "Samaritans", "116 123")
    expect(page.get_by_role("link", name=re.compile("Quick exit"))).to_be_visible()
    expect(page.get_by_role("heading", name="What to do right now")).to_be_visible()
    assert_accessible(page)

    # Mid-onboarding: just signed up, profile questions not answered.
    sign_up(page, "help-anyone")
    page.get_by_role("banner").get_by_role("link", name=HELP).click()
    see_lines(page, "Samaritans", "116 123")
    page.get_by_role("link", name="SOS: ride out an urge").click()
    expect(page).to_have_url(re.compile(r"/sos$"))
    expect(page.get_by_role("heading", name="I want to text them")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Write my reasons").click()
    expect(page).to_have_url(re.compile(r"/help/plan$"))
    page.get_by_label("My reasons to keep going").fill("My sister")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("status")).to_contain_text("safety plan is saved")
    expect(page.get_by_role("listitem").filter(has_text="My sister")).to_be_visible()
    page.get_by_role("link", name="Back to setting up your space").click()
    expect(page).to_have_url(re.compile(r"/welcome$"))

    # Signed in, onboarded: Help from Today.
    answer_profile(page)
    skip_story(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hi Alice")
    page.get_by_role("banner").get_by_role("link", name=HELP).click()
    see_lines(page, "Samaritans", "116 123")
    expect(page.get_by_role("listitem").filter(has_text="My sister")).to_be_visible()


def test_the_sign_up_page_links_to_help_and_any_country_can_be_chosen(page: Page) -> None:
    page.goto("/signup")
    page.get_by_role("main").get_by_role("link", name="Help lines").click()
    page.get_by_label("Where you are").select_option(label="Australia")
    page.get_by_role("button", name="Show the lines for there").click()
    see_lines(page, "Lifeline", "13 11 14")
    # Chosen once, kept: the next visit opens on Australia.
    page.goto("/help")
    expect(page.get_by_label("Where you are")).to_have_value("AU")
    page.get_by_label("Where you are").select_option(label="Other country")
    page.get_by_role("button", name="Show the lines for there").click()
    see_lines(page, "Find A Helpline", "findahelpline.com")
    expect(page.get_by_text("your local emergency number").first).to_be_visible()


def test_the_country_can_be_chosen_without_script(pages) -> None:  # type: ignore[no-untyped-def]
    page = pages(script=False)
    page.goto("/help")
    page.get_by_label("Where you are").select_option("NZ")
    page.get_by_role("button", name="Show the lines for there").click()
    see_lines(page, "Need to talk? 1737", "1737")


def test_quick_exit_from_help_then_back_does_not_show_the_app(page: Page) -> None:
    sign_up(page, "help-exit")
    answer_profile(page)
    skip_story(page)
    page.get_by_role("banner").get_by_role("link", name=HELP).click()
    see_lines(page, "Samaritans", "116 123")
    before = page.evaluate("history.length")
    page.get_by_role("link", name=re.compile("Quick exit")).click()
    expect(page).to_have_url(re.compile(r"/weather$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    # Help was replaced in the history by the neutral page, not pushed after it.
    assert page.evaluate("history.length") == before
    page.go_back()
    # Back reaches the page before Help (Today), and the session is over: it asks for a sign-in
    # and shows nothing of hers, and never the Help page that was open.
    expect(page).not_to_have_url(re.compile(r"/help"))
    expect(page.get_by_text("Hi Alice")).to_have_count(0)
    expect(page.get_by_text("Talk to someone now")).to_have_count(0)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/weather$"))


def test_quick_exit_lands_on_the_neutral_page_even_offline(page: Page) -> None:
    """Without a connection the service worker answers pages with the offline page, which is
    the app's own: quick exit must land on the neutral page instead (kept by the worker)."""
    page.goto("/help")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker's care
    assert page.evaluate("!!navigator.serviceWorker.controller")
    page.context.set_offline(True)
    page.get_by_role("link", name=re.compile("Quick exit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    expect(page.get_by_text("secondchance")).to_have_count(0)
    page.context.set_offline(False)
