"""Lists keep up: what a person just logged shows in the list beside the form at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.browse import choose, new_person

pytestmark = pytest.mark.e2e


def test_a_contact_shows_in_lately_the_moment_it_is_logged(page) -> None:
    new_person(page, "lately-contact")
    page.goto("/contact")
    lately = page.locator("#contact-lately")
    expect(lately).to_contain_text("Nothing logged")
    choose(page, "I did")
    page.get_by_label("Note").fill("called him after the party")
    page.get_by_role("button", name="Log it").click()
    expect(lately).to_contain_text("You reached out")
    expect(lately).to_contain_text("called him after the party")
    expect(lately).not_to_contain_text("Nothing logged")


def test_a_wrong_password_to_delete_the_account_is_shown_where_the_eye_is(page) -> None:
    new_person(page, "delete-typo")
    page.watch.expect("status of 400")  # type: ignore[attr-defined]  # the refused password
    page.goto("/settings")
    page.get_by_label("Type your password to confirm").fill("not my password at all")
    page.get_by_role("button", name="Delete everything").click()
    field = page.get_by_label("Type your password to confirm")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(page.locator("#delete_password-error")).to_be_in_viewport()


def test_a_too_long_im_safe_now_note_is_shown_beside_the_field_with_the_words_kept(page) -> None:
    new_person(page, "safe-now-note")
    page.goto("/checkin")
    choose(page, "4")
    page.locator("#checkin-note").fill("I want to kill myself")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("button", name="Save check-in")).to_have_count(0)
    page.watch.expect("status of 400")  # type: ignore[attr-defined]  # the note refused
    page.goto("/safety")
    page.locator("input[name=kinds]").first.check()
    note = page.locator("#clear-note")
    # A paste can run past the box's own limit (maxlength); the server still says no, kindly.
    note.evaluate("field => field.removeAttribute('maxlength')")
    words = "I talked to my sister and I feel steadier now. " * 12  # about 570 characters
    note.fill(words)
    page.get_by_role("button", name="I'm safe now").click()
    error = page.locator("#note-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("500")
    expect(error).to_be_in_viewport()
    expect(note).to_be_focused()
    expect(note).to_have_value(words)
