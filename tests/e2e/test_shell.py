"""The app's shell in a real browser: signing up, Today, Help, quick exit, light and dark."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.browse import answer_profile, assert_accessible, new_person, sign_up, skip_story

pytestmark = pytest.mark.e2e


def test_it_signs_up_and_lands_on_today(page) -> None:
    new_person(page, "shell-alice")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_it_shows_why_a_sign_up_was_refused_next_to_the_field(page, watch) -> None:
    watch.expect("status of 400")
    page.goto("/signup")
    page.get_by_label("Choose a name to sign in with").fill("shell-short")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create my space").click()
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Choose a name to sign in with")).to_have_value("shell-short")
    assert_accessible(page)


def test_quick_exit_lands_on_the_neutral_page_and_back_does_not_show_the_app(page) -> None:
    new_person(page, "shell-exit")
    page.goto("/help")
    page.get_by_role("link", name=re.compile("Quick exit")).click()
    expect(page).to_have_url(re.compile(r"/weather$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    page.go_back()
    # The page that was open was replaced in the history, and the session is over: Back shows
    # the sign-in page (or stays on the weather), never the app.
    expect(page).to_have_url(re.compile(r"/(login\?next=.*|weather)$"))
    expect(page.get_by_text("Hi Alice")).to_have_count(0)
    expect(page.get_by_text("Talk to someone now")).to_have_count(0)


def test_three_escapes_leave_at_once(page) -> None:
    new_person(page, "shell-escape")
    for _ in range(3):
        page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/weather$"))


def test_the_theme_toggle_switches_and_is_remembered(page) -> None:
    new_person(page, "shell-theme")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "auto")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_role("button", name="Switch light or dark").click()
    expect(html).to_have_attribute("data-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    page.get_by_role("button", name="Switch light or dark").click()
    expect(html).to_have_attribute("data-theme", "light")


def test_the_way_in_has_no_serious_accessibility_problems(themed_page) -> None:
    """Signing up and the first questions, before there is any data (the demo account's pages
    are checked in test_demo)."""
    page = themed_page
    for path in ["/signup", "/login", "/weather"]:
        page.goto(path)
        assert_accessible(page)
    sign_up(page, f"shell-axe-{page.theme}")
    assert_accessible(page)
    answer_profile(page)
    assert_accessible(page)
    skip_story(page)
    assert_accessible(page)


def test_a_safety_plan_written_on_a_good_day_is_there_on_the_help_page(page) -> None:
    new_person(page, "shell-plan")
    page.get_by_role("link", name=re.compile("Help now")).click()
    expect(page.get_by_role("heading", name="Talk to someone now")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Samaritans")).to_contain_text("116 123")
    page.get_by_role("link", name="Write my plan").click()
    page.get_by_label("My reasons to keep going").fill("My sister\nThe dog needs walks")
    page.get_by_label("People I can call").fill("Mum")
    page.get_by_role("button", name="Save my plan").click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_role("status")).to_contain_text("safety plan is saved")
    expect(page.get_by_role("listitem").filter(has_text="The dog needs walks")).to_be_visible()
    expect(page.get_by_role("link", name="Edit my plan")).to_be_visible()


def test_a_help_line_can_be_called_with_one_tap(page) -> None:
    new_person(page, "shell-tap")
    page.goto("/help")
    samaritans = page.get_by_role("listitem").filter(has_text="Samaritans")
    expect(samaritans.get_by_role("link")).to_have_attribute("href", "tel:116123", timeout=2000)


def _focused(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          const shown = e.matches("input") && e.nextElementSibling ? e.nextElementSibling : e;
          return {tag: e.tagName, name: e.name || "", value: e.value || "",
                  text: (e.textContent || "").trim(), checked: !!e.checked,
                  outline: getComputedStyle(shown).outlineStyle};
        }"""
    )


def _tab_until(page, wanted, limit: int = 60) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached by Tab on {page.url}")


def test_a_check_in_can_be_done_with_the_keyboard_alone(page) -> None:
    new_person(page, "shell-keyboard")
    page.goto("/checkin")
    page.mouse.click(0, 0)
    mood = _tab_until(page, lambda f: f["name"] == "mood")
    # The chip of the focused choice shows a focus ring.
    assert mood["outline"] != "none", "the focused mood chip shows no focus ring"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    chosen = _focused(page)
    assert chosen["value"] == "6" and chosen["checked"], chosen
    _tab_until(page, lambda f: f["name"] == "emotions")
    page.keyboard.press("Space")
    assert _focused(page)["checked"], "Space didn't tick the feeling"
    _tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Save check-in")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Check-in saved")).to_have_count(1)
