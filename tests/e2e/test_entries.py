"""Fixing a mistake in a real browser: Undo a wrong tap on 'I did', and edit an activity from
the focus board.

With SECONDCHANCE_SCREENSHOTS=1 it also saves undo.png and edit.png to docs/screenshots/ for the
README's "Fix a mistake" (otherwise they go to a temporary folder and are thrown away).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.browse import assert_accessible, choose, new_person
from secondchance.services.contact import start_no_contact
from secondchance.services.people import find_user

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def keep_picture(page: Page, name: str, folder: Path) -> None:
    target = folder / f"{name}.png"
    page.screenshot(path=target, animations="disabled", caret="hide")
    assert target.stat().st_size < 300_000, f"{name}.png is too large to keep in the repo"
    if os.environ.get("SECONDCHANCE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, SCREENSHOTS / target.name)


def current_streak(page: Page) -> str:
    page.goto("/")
    return page.locator(".streaks div", has_text="Current streak").locator("dd").inner_text()


def test_undo_after_a_wrong_tap_on_i_did_gives_the_streak_back(pages, site, tmp_path: Path) -> None:
    page = pages(scale=2)
    new_person(page, "undo-wrong-tap")
    now = datetime.now(UTC)
    # Streaks count the person's calendar days: start at noon ten of their days ago, so the
    # count is 10 at any hour (ten days and an hour ago is 11 days back just after midnight).
    today = now.astimezone(ZoneInfo("Europe/London")).date()
    started = datetime.combine(today - timedelta(days=10), time(12), ZoneInfo("Europe/London"))
    with site.session() as session:
        user = find_user(session, "undo-wrong-tap")
        start_no_contact(session, user, now, started_at=started.astimezone(UTC))
    assert current_streak(page) == "10"
    page.goto("/contact")
    choose(page, "I did")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("status")).to_contain_text("Your streak starts again")
    undo = page.get_by_role("button", name="Undo: that was a mistake")
    expect(undo).to_be_visible()
    assert_accessible(page)
    keep_picture(page, "undo", tmp_path)
    undo.click()
    expect(page.get_by_text("Undone — nothing was kept")).to_be_visible()
    expect(page.locator("#contact-lately")).to_contain_text("Nothing logged")
    assert current_streak(page) == "10"


def test_an_activity_is_edited_from_the_focus_board(pages, tmp_path: Path) -> None:
    page = pages(scale=2)
    new_person(page, "edit-activity")
    page.goto("/focus")
    page.get_by_role("button", name="Exercise", exact=True).click()
    recent = page.locator(".focus-recent li")
    expect(recent).to_have_count(1)
    recent.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_role("heading", name="Change this activity")).to_be_visible()
    expect(page.get_by_label("Exercise", exact=True)).to_be_checked()  # prefilled
    choose(page, "A gratitude note")
    page.get_by_label("A note for yourself").fill("Thankful for my sister's call")
    assert_accessible(page)
    keep_picture(page, "edit", tmp_path)
    page.get_by_role("button", name="Save the change").click()
    expect(page).to_have_url(re.compile(r"/focus$"))
    expect(page.get_by_text("Changed.")).to_be_visible()
    expect(recent).to_have_count(1)
    expect(recent).to_contain_text("A gratitude note")
    expect(recent).to_contain_text("Thankful for my sister's call")
    expect(recent).not_to_contain_text("Exercise")


def test_a_memory_saved_by_mistake_is_undone_from_the_page_it_lands_on(page) -> None:
    new_person(page, "undo-memory")
    page.goto("/memories")
    page.get_by_label("What do you call it?").fill("The goat at the fair")
    page.get_by_role("button", name=re.compile("^Keep")).click()
    expect(page.get_by_role("status").first).to_contain_text("Memory kept")
    page.get_by_role("button", name="Undo: that was a mistake").click()
    expect(page.get_by_text("Undone — nothing was kept")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("The goat at the fair")
