"""The day's lesson in a real browser: Today leads with it, it opens, its journal prompt is
answered, and the lessons page shows it read.

With SECONDCHANCE_SCREENSHOTS=1 it also saves today_lesson.png (Today at phone size for the demo
person, who is in step 4) to docs/screenshots/ for the README's "A lesson a day".
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.browse import assert_accessible, new_person
from secondchance.services.demo import fill_demo_account

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO = ("demo-lesson", "just-looking-around")


def test_a_new_person_reads_todays_lesson_and_answers_its_prompt(page) -> None:
    new_person(page, "lesson-reader")
    card = page.locator("section.lesson-today")
    expect(card).to_contain_text("Today's lesson")
    expect(card).not_to_contain_text("· read")
    slug = card.get_attribute("data-lesson")
    title = card.get_by_role("heading", level=2).inner_text()
    assert slug and title
    card.get_by_role("link", name=f"Read: {title}").click()

    expect(page).to_have_url(re.compile(rf"/lessons/{slug}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".lesson-try")).not_to_be_empty()
    assert_accessible(page)
    prompt = page.locator("#journal-text")
    prompt.fill("A walk at lunch, and I didn't look at his page.")
    page.get_by_role("button", name="Keep it").click()
    expect(page.get_by_text("Kept in your journal.")).to_be_visible()
    expect(page.locator("#journal")).to_contain_text("A walk at lunch")

    page.goto("/lessons")
    item = page.locator(f'li[data-lesson="{slug}"]')
    expect(item).to_contain_text(title)
    expect(item).to_contain_text("· read")
    expect(page.locator("#journal-list-title").locator("..")).to_contain_text("A walk at lunch")
    assert_accessible(page)

    page.goto("/")  # read, so Today moves on to the next lesson
    expect(page.locator("section.lesson-today")).not_to_have_attribute("data-lesson", slug)


def test_the_demo_person_in_step_four_sees_readiness_on_today(
    pages, site, signed_in_cookies, tmp_path: Path
) -> None:
    with site.session() as session:
        fill_demo_account(session, *DEMO, datetime.now(UTC))
    page = pages(scale=2, cookies=signed_in_cookies(*DEMO))
    page.goto("/")
    card = page.locator("section.lesson-today")
    expect(card).to_have_attribute("data-lesson", "am-i-ready")
    expect(card.get_by_role("heading", level=2)).to_have_text("Are you ready?")
    card.scroll_into_view_if_needed()
    target = tmp_path / "today_lesson.png"
    page.screenshot(path=target, animations="disabled", caret="hide")
    assert target.stat().st_size < 300_000, "today_lesson.png is too large to keep in the repo"
    if os.environ.get("SECONDCHANCE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, SCREENSHOTS / target.name)
