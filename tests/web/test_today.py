"""Today is rendered once per status and kept with it (web/routes/today.py): what a person
changes shows at once, and a form on it is still new on every visit."""

from __future__ import annotations

import re

import pytest

from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")

FORM_KEY = re.compile(
    r'action="/no-contact/start">\s*<input[^>]*><input[^>]*name="form_key" value="([^"]+)"'
)


def start_key(browser: Browser) -> str:
    found = FORM_KEY.search(browser.get("/").text)
    assert found, "Today offers to start no contact"
    return found.group(1)


def test_its_start_button_has_a_new_key_on_every_visit(alice: Browser) -> None:
    first, second = start_key(alice), start_key(alice)
    assert first != second
    started = alice.post("/no-contact/start", {"form_key": second})
    assert started.status_code == 303
    assert "Current streak" in alice.get("/").text
    assert FORM_KEY.search(alice.get("/").text) is None


def test_it_shows_a_changed_profile_at_once(alice: Browser) -> None:
    start_key(alice)
    alice.post("/no-contact/start", {})
    assert "I want to text him" in alice.get("/").text  # kept from here on
    changed = alice.api("PUT", "/api/v1/profile", json={"name": "Ali", "ex_pronouns": "she"})
    assert changed.status_code == 200
    page = alice.get("/").text
    assert "Hi Ali." in page and "I want to text her" in page
