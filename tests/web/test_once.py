"""The same form posted twice is one entry: every form carries a fresh key, handled once.

Two taps 50-300 ms apart used to log two activities. Here each kind of form is posted twice
with the very same fields (one after the other, and at the same moment from two threads) and
the person's history must hold one entry; a post that came back with an error must leave its
key free for the corrected one.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from secondchance.config import Settings
from secondchance.web import create_app
from webtools import Browser

# On PostgreSQL too: two writes at the same moment meet its unique keys and locks.
pytestmark = pytest.mark.every_database

CHECKIN = {
    "mood": "6",
    "emotions": ["calm", "hopeful"],
    "cried": "no",
    "social_checks": "2",
    "slept_well": "yes",
    "note": "Walked by the sea after work.",
}

# kind: (page with the form, where it posts, the fields a person fills in, the table it adds to)
KINDS: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "activity": ("/focus", "/focus/activities", {"kind": "exercise"}, "activities"),
    "contact": (
        "/contact",
        "/contact",
        {"direction": "ex_to_you", "channel": "text", "at": "", "answered": "no"},
        "contacts",
    ),
    "urge": ("/sos", "/sos/urge", {"intensity": "8", "outcome": "resisted"}, "urges"),
    "checkin": ("/checkin", "/checkin", CHECKIN, "checkins"),
    "memory": (
        "/memories",
        "/memories",
        {"title": "The goat at the wedding", "body": "It ate the seating chart."},
        "memories",
    ),
    "letter": (
        "/letters/new",
        "/letters",
        {"title": "The lake", "body": "Remember the lake?", "sealed_until": ""},
        "letters",
    ),
}


def form_key(html: str, action: str) -> str:
    """Return the form_key of the first form on the page that posts to ``action``."""
    start = html.index(f'action="{action}"')
    found = re.compile(r'name="form_key" value="([^"]+)"').search(html, start)
    assert found, f"no form_key in the form posting to {action}"
    return found.group(1)


def count(app, table: str) -> int:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


@pytest.fixture
def ready(alice: Browser) -> Browser:
    """Alice, with no contact running (the urge and contact forms belong to it)."""
    alice.get("/no-contact/start")
    assert alice.post("/no-contact/start", {"started_on": "2026-11-10"}).status_code == 303
    return alice


@pytest.mark.parametrize("kind", KINDS)
def test_it_keeps_one_entry_when_the_same_form_is_posted_twice(
    app, ready: Browser, kind: str
) -> None:
    where, action, fields, table = KINDS[kind]
    before = count(app, table)
    form = {**fields, "form_key": form_key(ready.get(where).text, action)}
    first = ready.post(action, form)
    assert first.status_code == 303, first.text
    assert count(app, table) == before + 1
    second = ready.post(action, form)
    assert count(app, table) == before + 1
    # The browser shows this second answer: the form's page, saying it was already saved.
    assert second.status_code == 303
    shown = unescape(ready.follow(second).text)
    assert "That was done already: one tap is enough." in shown


@pytest.mark.parametrize("kind", KINDS)
def test_it_keeps_one_entry_when_two_posts_of_a_form_arrive_together(
    app, ready: Browser, kind: str
) -> None:
    where, action, fields, table = KINDS[kind]
    before = count(app, table)
    form = {**fields, "form_key": form_key(ready.get(where).text, action), "csrf_token": ""}
    form["csrf_token"] = ready.csrf()
    answers: list[int] = []
    start = threading.Barrier(2)

    def tap(client: TestClient) -> None:
        start.wait()
        answers.append(client.post(action, data=form).status_code)

    with ready.client as client:  # one event loop for both, as in a real server
        taps = [threading.Thread(target=tap, args=(client,)) for _ in range(2)]
        for thread in taps:
            thread.start()
        for thread in taps:
            thread.join()
    assert answers == [303, 303]
    assert count(app, table) == before + 1


def test_a_second_tap_through_htmx_leaves_the_board_as_the_first_left_it(
    app, alice: Browser
) -> None:
    key = form_key(alice.get("/focus").text, "/focus/activities")
    form = {"kind": "gratitude", "form_key": key}
    first = alice.htmx("POST", "/focus/activities", form)
    assert first.status_code == 200 and 'id="focus-board"' in first.text
    # The swapped-in board has a fresh key, so the next tap is a new entry.
    assert form_key(first.text, "/focus/activities") != key
    second = alice.htmx("POST", "/focus/activities", form)
    assert second.status_code == 204 and second.text == ""
    assert count(app, "activities") == 1


def test_a_form_sent_back_with_an_error_saves_once_when_corrected(app, alice: Browser) -> None:
    key = form_key(alice.get("/focus").text, "/focus/activities")
    wrong = alice.post("/focus/activities", {"kind": "juggling", "form_key": key})
    assert wrong.status_code == 400 and count(app, "activities") == 0
    right = alice.post("/focus/activities", {"kind": "exercise", "form_key": key})
    assert right.status_code == 303 and count(app, "activities") == 1
    again = alice.post("/focus/activities", {"kind": "exercise", "form_key": key})
    assert again.status_code == 303 and count(app, "activities") == 1


def test_an_htmx_form_sent_back_with_an_error_keeps_its_key_free(app, alice: Browser) -> None:
    key = form_key(alice.get("/focus").text, "/focus/activities")
    wrong = alice.htmx("POST", "/focus/activities", {"kind": "juggling", "form_key": key})
    assert wrong.status_code == 200 and count(app, "activities") == 0
    right = alice.htmx("POST", "/focus/activities", {"kind": "exercise", "form_key": key})
    assert right.status_code == 200 and count(app, "activities") == 1


def test_each_showing_of_a_form_is_a_new_entry(app, alice: Browser) -> None:
    for _ in range(2):
        key = form_key(alice.get("/focus").text, "/focus/activities")
        assert alice.post("/focus/activities", {"kind": "exercise", "form_key": key}).is_redirect
    assert count(app, "activities") == 2


def test_one_persons_key_does_not_stop_anothers_form(app, alice: Browser, bob: Browser) -> None:
    key = form_key(alice.get("/focus").text, "/focus/activities")
    bob.get("/focus")
    for person in (alice, bob):
        person.post("/focus/activities", {"kind": "exercise", "form_key": key})
    assert count(app, "activities") == 2


class Forms(HTMLParser):
    """The POST forms of a page (their action, and whether a form_key is inside) and links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.links: list[str] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "form" and (values.get("method") or "get").lower() == "post":
            self._open = {"action": values.get("action"), "keyed": False}
            self.forms.append(self._open)
        if tag == "input" and self._open is not None and values.get("name") == "form_key":
            self._open["keyed"] = bool(values.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def test_every_post_form_on_every_page_of_the_demo_carries_a_form_key(db_url: str) -> None:
    settings = Settings(database_url=db_url, environment="test", secret_key="k" * 20, demo=True)
    app = create_app(settings)
    try:
        browser = Browser(app)
        browser.get("/login")
        assert browser.post("/demo").status_code == 303
        seen: set[str] = set()
        queue = deque(["/"])
        forms: list[tuple[str, dict[str, Any]]] = []
        while queue and len(seen) < 80:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            response = browser.get(path)
            if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
                continue
            parser = Forms()
            parser.feed(response.text)
            forms += [(path, form) for form in parser.forms]
            for href in parser.links:
                parts = urlsplit(urljoin(path, href))
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                skip = parts.netloc or parts.path.startswith(("/static", "/api", "/export"))
                if not skip and parts.path not in {"/logout", "/quick-exit"}:
                    queue.append(target)
        assert len(seen) > 15 and len(forms) > 15, (seen, forms)
        unkeyed = [(path, form["action"]) for path, form in forms if not form["keyed"]]
        assert unkeyed == []
    finally:
        app.state.engine.dispose()


def test_an_api_write_repeated_with_its_idempotency_key_is_one_entry(app, alice: Browser) -> None:
    secret = alice.api("POST", "/api/v1/tokens", json={"name": "script"}).json()["token"]
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "walk-2026-11-18"}
    body = {"kind": "exercise", "note": "a walk by the sea"}
    first = alice.client.post("/api/v1/activities", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = alice.client.post("/api/v1/activities", json=body, headers=headers)
    assert again.status_code == 409 and "Already done" in again.json()["detail"]
    assert count(app, "activities") == 1
    other = {**headers, "Idempotency-Key": "walk-2026-11-18-evening"}
    assert alice.client.post("/api/v1/activities", json=body, headers=other).status_code == 201
    assert count(app, "activities") == 2


def test_an_api_write_refused_leaves_its_idempotency_key_free(app, alice: Browser) -> None:
    headers = {"Idempotency-Key": "try-1"}
    wrong = alice.api("POST", "/api/v1/activities", json={"kind": "juggling"}, headers=headers)
    assert wrong.status_code == 422 and count(app, "activities") == 0
    right = alice.api("POST", "/api/v1/activities", json={"kind": "exercise"}, headers=headers)
    assert right.status_code == 201 and count(app, "activities") == 1
    too_long = {"Idempotency-Key": "x" * 61}
    refused = alice.api("POST", "/api/v1/activities", json={"kind": "exercise"}, headers=too_long)
    assert refused.status_code == 422 and count(app, "activities") == 1


def test_every_post_form_in_the_templates_uses_form_guard() -> None:
    """Also the forms the walk above doesn't reach (states the demo person isn't in)."""
    from secondchance.web.templating import TEMPLATES

    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for form in re.finditer(r"<form\b[^>]*>(.*?)</form>", source, re.S | re.I):
            if 'method="post"' in form.group(0)[:400].lower() and "form_guard()" not in form[1]:
                missing.append(f"{path.relative_to(TEMPLATES)}: {form.group(0)[:80]}")
    assert missing == []
