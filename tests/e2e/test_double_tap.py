"""A double tap is one entry: two taps on Focus 50-300 ms apart log one activity.

Found on a phone: two quick taps on a Focus button logged two activities and moved the step-3
count twice. The taps here are real mouse clicks on the spot where the button is, so the second
lands on whatever is there by then: the same button still waiting for its answer, or the board
the answer brought.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.browse import new_person

pytestmark = pytest.mark.e2e


def exercise_count(page: Page) -> int:
    """The step-3 count for exercise as the Focus page says it ("Exercise: 1 of 3 this week")."""
    text = page.locator("#progress-exercise").inner_text()
    found = re.search(r"Exercise: (\d+)", text)
    assert found, text
    return int(found.group(1))


def listed(page: Page) -> int:
    """How many exercise entries the Focus page lists in the last two weeks."""
    return page.locator(".focus-recent li[data-kind=exercise]").count()


@pytest.mark.parametrize("gap_ms", [50, 150, 300])
def test_two_quick_taps_on_a_focus_button_log_one_activity(page: Page, gap_ms: int) -> None:
    new_person(page, f"double-tap-{gap_ms}")
    page.goto("/focus")
    assert exercise_count(page) == 0
    button = page.locator('form[action="/focus/activities"] button', has_text="Exercise").first
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(gap_ms)
    page.mouse.click(x, y)
    expect(page.locator("#focus-board [role=status]")).to_contain_text("Logged exercise")
    page.wait_for_timeout(1000)  # time for a second entry to arrive, were one coming
    page.reload()
    assert exercise_count(page) == 1
    assert listed(page) == 1


def test_the_same_form_sent_twice_at_once_by_the_browser_is_one_activity(page: Page) -> None:
    """Even when both posts leave the browser (no script to stop the second), one is kept."""
    new_person(page, "double-send")
    page.goto("/focus")
    statuses = page.evaluate(
        """async () => {
            const form = [...document.querySelectorAll('form[action="/focus/activities"]')]
                .find((f) => f.querySelector('input[name=kind][value=exercise]'));
            const body = new URLSearchParams(new FormData(form));
            const send = () => fetch('/focus/activities', {
                method: 'POST', body, headers: {'HX-Request': 'true'}, redirect: 'manual',
            }).then((r) => r.status);
            return Promise.all([send(), send()]);
        }"""
    )
    assert sorted(statuses) == [200, 204]
    page.goto("/focus")
    assert exercise_count(page) == 1
    assert listed(page) == 1
