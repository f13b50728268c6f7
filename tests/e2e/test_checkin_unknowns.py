"""A check-in question left blank stays blank: nothing is answered for the person."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.browse import choose, new_person

pytestmark = pytest.mark.e2e


def test_picking_only_a_mood_saves_the_other_answers_as_not_given(page) -> None:
    new_person(page, "only-a-mood")
    page.goto("/checkin")
    radios = page.locator('input[name="cried"], input[name="slept_well"]')
    expect(radios).to_have_count(4)
    for n in range(4):
        expect(radios.nth(n)).not_to_be_checked()
    choose(page, "6")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status").first).to_contain_text("Check-in saved")
    page.goto("/checkin")
    expect(page.get_by_role("group", name="Did you cry today?")).to_contain_text("not answered")
    expect(page.get_by_role("group", name="Did you sleep well?")).to_contain_text("not answered")
    for n in range(4):
        expect(radios.nth(n)).not_to_be_checked()
    expect(page.locator("#checkin-recent")).not_to_contain_text("slept")
    # The calm gate on Today asks for answers rather than guessing from a blank.
    page.goto("/")
    expect(
        page.get_by_text("Answer 'Did you cry?' on a few check-ins to see this")
    ).to_be_attached()
