"""Getting back into an account in a real browser: recovery codes shown once at sign-up, and a
forgotten password reset with one of them (which is then used up)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from e2e.browse import PASSWORD, answer_profile, new_person, sign_in, skip_story
from secondchance import clock

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a brand new sentence to remember"


def test_a_forgotten_password_is_reset_with_a_code_shown_at_sign_up(page) -> None:
    page.goto("/signup")
    page.get_by_label("Choose a name to sign in with").fill("forgot-alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my space").click()
    expect(page.get_by_text("This is the only time they are shown")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 8
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a text file").click()
    assert codes[0] in download.value.path().read_text()
    page.get_by_role("link", name="I've saved them, continue").click()
    answer_profile(page)
    skip_story(page)
    page.goto("/more")
    page.get_by_role("button", name=re.compile("Sign out")).click()

    page.goto("/forgot")
    page.get_by_label("Your name").fill("forgot-alice")
    page.get_by_label("One recovery code").fill(codes[0])
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("status").first).to_contain_text("Your password is changed")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hi Alice")

    # The code is used up: a second reset with it is refused, and says so.
    page.goto("/more")
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.watch.expect("status of 400")  # type: ignore[attr-defined]  # the spent code
    page.goto("/forgot")
    page.get_by_label("Your name").fill("forgot-alice")
    page.get_by_label("One recovery code").fill(codes[0])
    page.get_by_label("New password").fill("yet another long sentence")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_typos_cost_a_few_seconds_and_never_lock_the_account(page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page.watch.expect("status of 400")  # type: ignore[attr-defined]  # the typos
    page.watch.expect("status of 429")  # type: ignore[attr-defined]  # the short wait
    new_person(page, "typo-alice")
    page.goto("/more")
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.goto("/login")
    for _ in range(3):
        page.get_by_label("Name").fill("typo-alice")
        page.get_by_label("Password").fill("not my password at all")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("main")).to_contain_text("That name and password don't match.")
    page.get_by_label("Name").fill("typo-alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait = page.locator("main").get_by_text(re.compile(r"wait \d+ seconds"))
    expect(wait).to_be_visible()
    seconds = int(re.search(r"wait (\d+) seconds", wait.inner_text()).group(1))  # type: ignore[union-attr]
    assert seconds <= 10, "a few seconds, not a quarter of an hour"
    # The wait goes by on the server's clock (the app reads time from clock.now alone; the
    # server runs in this process) rather than in real seconds the test would sit through.
    later = timedelta(seconds=seconds + 1)
    monkeypatch.setattr(clock, "now", lambda: datetime.now(UTC) + later)
    sign_in(page, "typo-alice")  # the right password, and in: nothing stayed locked
