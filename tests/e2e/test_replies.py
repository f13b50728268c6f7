"""In a real browser, a check-in is answered with what it says, in place and accessibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.browse import assert_accessible, choose, new_person

pytestmark = pytest.mark.e2e


def test_twelve_profile_looks_are_answered_with_muting_for_now(page) -> None:
    new_person(page, "reply-looks")
    page.goto("/checkin")
    choose(page, "5")
    page.get_by_label("Times you looked at his profile").fill("12")
    page.get_by_role("button", name="Save check-in").click()
    reply = page.locator("[data-reply]")
    expect(reply).to_contain_text("12 looks at his profile")
    expect(reply).to_contain_text("One thing to try:")
    expect(reply).not_to_contain_text("Thank you for showing up")
    link = reply.get_by_role("link", name="Read: social media, for now")
    expect(link).to_have_attribute("href", "/lessons/social-media")
    assert_accessible(page)
