"""What a newcomer sees first, in a real browser on a phone-sized screen: a welcome (not
"Welcome back"), a day-1 timeline that is one small square, and "an 8", not "a 8"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.browse import choose, new_person
from webtools import daytime_zone

pytestmark = pytest.mark.e2e


def test_a_first_visit_is_welcomed_as_a_first_visit(page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to secondchance")
    expect(page.locator("main")).not_to_contain_text("Welcome back")
    expect(page.get_by_role("link", name="Create your space")).to_be_visible()


def test_on_day_one_the_timeline_is_a_small_square_and_an_8_is_said_right(page) -> None:
    # The reply to a urge says its number by day; late at night it gives the night plan instead.
    new_person(page, "first-look", timezone=daytime_zone())
    page.goto("/no-contact/start")
    page.get_by_role("button", name=re.compile("^Start")).click()
    page.goto("/insights")
    chart = page.locator("svg[aria-labelledby='timeline-title']")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(1)
    day = chart.locator("rect").bounding_box()
    whole = chart.bounding_box()
    assert day and whole and day["width"] < whole["width"] / 10, (day, whole)

    page.goto("/sos")
    choose(page, "8")
    choose(page, "I rode it out")
    page.locator("#sos-urge").get_by_role("button", name="Log it").click()
    expect(page.locator("#sos-urge")).to_contain_text("an 8 out of 10")
    expect(page.locator("#sos-urge")).not_to_contain_text("a 8")
