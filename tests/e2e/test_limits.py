"""Every free-text field says how much it holds, holds exactly what the service takes, and a
paste that is too long keeps every word and says so where the eye is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.browse import new_person
from secondchance.services.validate import LIMITS

pytestmark = pytest.mark.e2e

PASTE = """(field, text) => {
  field.focus();
  const data = new DataTransfer();
  data.setData("text/plain", text);
  const event = {clipboardData: data, bubbles: true, cancelable: true};
  field.dispatchEvent(new ClipboardEvent("paste", event));
}"""


def paste(page: Page, selector: str, text: str) -> None:
    """Paste ``text`` into the field the way a clipboard paste reaches the page."""
    page.locator(selector).evaluate(PASTE, text)


def test_a_too_long_sos_letter_keeps_every_word_and_says_so(page) -> None:
    new_person(page, "long-letter")
    page.goto("/sos")
    letter = "I miss you and I hate that I do. " * 1600  # about 52,800 characters
    assert len(letter.strip()) > LIMITS["letter_body"]
    paste(page, "#letter-body", letter)
    body = page.locator("#letter-body")
    said = page.locator("#letter-body-limit")
    expect(said).to_be_visible()
    expect(said).to_contain_text("Everything you pasted is still here")
    assert len(body.input_value()) == len(letter)
    page.get_by_role("button", name="Keep this letter").click()
    error = page.locator("#body-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("too long")
    expect(error).to_contain_text(f"up to {LIMITS['letter_body']:,}")
    expect(error).to_be_in_viewport()
    expect(body).to_be_focused()
    assert body.input_value() == letter
    # Trimmed to fit, it is kept.
    body.fill(letter[: LIMITS["letter_body"]])
    page.get_by_role("button", name="Keep this letter").click()
    expect(page.locator("#sos-letter")).to_contain_text("kept")


def test_a_too_long_check_in_note_keeps_the_words_and_focuses_the_message(page) -> None:
    new_person(page, "long-note")
    page.goto("/checkin")
    page.locator("label").filter(has=page.get_by_label("6", exact=True)).click()
    note = "Today was a long one. " * 300  # 6,600 characters
    paste(page, "#checkin-note", note)
    expect(page.locator("#checkin-note-limit")).to_contain_text("trim about")
    page.get_by_role("button", name="Save check-in").click()
    error = page.locator("#note-error")
    expect(error).to_contain_text("too long")
    expect(page.locator("#checkin-note")).to_be_focused()
    expect(error).to_be_in_viewport()
    assert page.locator("#checkin-note").input_value() == note


def test_a_paste_that_fits_is_left_to_the_browser_and_says_nothing(page) -> None:
    new_person(page, "short-note")
    page.goto("/sos")
    page.locator("#urge-trigger").fill("a song on the radio")
    expect(page.locator("#urge-trigger-limit")).to_have_count(0)


# Which limit each field of each page has (by the field's name).
FORMS = {
    "/checkin": {"note": "checkin_note"},
    "/contact": {"note": "contact_note"},
    "/sos": {"trigger": "urge_trigger", "instead": "urge_instead", "body": "letter_body"},
    "/letters/new": {"title": "letter_title", "body": "letter_body"},
    "/memories": {"title": "memory_title", "body": "memory_body", "tags": "memory_tags"},
    "/focus": {"note": "activity_note"},
    "/welcome/story": {"story": "story"},
    "/help/plan": {
        "warning_signs": "safety_plan_part",
        "calming": "safety_plan_part",
        "reasons": "safety_plan_part",
        "people": "safety_plan_part",
    },
    "/welcome": {"name": "name", "ex_name": "ex_name"},
    "/settings": {"name": "token_name"},
}

FIELDS = """() => [...document.querySelectorAll(
  "main form textarea, main form input[type=text], main form input:not([type])"
)].filter(f => !f.readOnly && f.name !== "timezone")
 .map(f => [f.name, f.getAttribute("maxlength")])"""


def test_every_text_field_holds_exactly_what_the_service_takes(page) -> None:
    new_person(page, "walk-forms")
    for path, expected in FORMS.items():
        page.goto(path)
        found = page.evaluate(FIELDS)
        assert found, f"no text field on {path}"
        for name, maxlength in found:
            assert name in expected, f"{path}: field {name!r} has no limit listed here"
            assert maxlength == str(LIMITS[expected[name]]), f"{path} {name}: {maxlength}"
        assert {name for name, _ in found} == set(expected), path
