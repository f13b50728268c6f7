"""In a real browser: Today leads with the day's lesson, reading it marks it read, and the
journal keeps the answer to its prompt."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.browse import assert_accessible, new_person

pytestmark = pytest.mark.e2e


def test_todays_lesson_is_read_answered_and_marked(page) -> None:
    new_person(page, "lesson-reader")
    page.goto("/")
    card = page.locator(".lesson-today")
    expect(card).to_be_visible()
    title = card.locator("h2").inner_text()
    slug = card.get_attribute("data-lesson")
    expect(card).not_to_contain_text("· read")

    card.get_by_role("link", name=f"Read: {title}").click()
    expect(page).to_have_url(f"/lessons/{slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)

    answer = "I made tea and sat with the feeling for ten minutes. It passed."
    page.locator("#journal-text").fill(answer)
    page.get_by_role("button", name="Keep it").click()
    page.goto("/journal")
    expect(page.locator("main")).to_contain_text(answer)

    page.goto("/lessons")
    expect(page.locator(f'li[data-lesson="{slug}"]')).to_contain_text("read")
    page.goto("/")
    after = page.locator(".lesson-today")
    expect(after).to_be_visible()
    if after.get_attribute("data-lesson") == slug:
        expect(after).to_contain_text("· read")  # nothing new to read today
