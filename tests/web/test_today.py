"""Today is rendered once per status and kept with it (web/routes/today.py): what a person
changes shows at once, and a form on it is still new on every visit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine

from secondchance.services.accounts import SESSION_DAYS
from secondchance.web.deps import SESSION_COOKIE
from webtools import FROZEN, Browser, sign_up

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


def test_it_asks_someone_to_sign_in_again_once_their_session_has_ended(alice: Browser) -> None:
    assert alice.get("/").status_code == 200
    ended = datetime.fromisoformat(FROZEN) + timedelta(days=SESSION_DAYS, minutes=1)
    with time_machine.travel(ended, tick=False):
        response = alice.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_it_asks_a_stranger_to_sign_in(browser: Browser) -> None:
    browser.client.cookies.set(SESSION_COOKIE, "not-a-session", domain="testserver.local")
    response = browser.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/"


def test_it_sends_someone_still_onboarding_to_the_welcome_questions(app) -> None:  # type: ignore[no-untyped-def]
    carol = sign_up(Browser(app), "carol", profile=False)
    response = carol.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"
