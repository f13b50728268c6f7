"""Fixing a mistake through the API: PATCH and DELETE for every kind of entry."""

from __future__ import annotations

import pytest

from web.test_step4 import fill_with_demo, phase_of
from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")

# (path, what to log, a change, the field that shows it, a change the create model refuses)
KINDS = [
    ("contacts", {"direction": "you_to_ex"}, {"note": "wrong tap"}, "note", {"channel": 5}),
    ("urges", {"intensity": 7}, {"intensity": 3}, "intensity", {"intensity": 11}),
    ("checkins", {"mood": 4}, {"mood": 6}, "mood", {"mood": 0}),
    ("activities", {"kind": "exercise"}, {"kind": "gratitude"}, "kind", {"note": "x" * 9000}),
    ("memories", {"title": "Goat"}, {"text": "the wedding"}, "text", {"title": "x" * 300}),
    ("letters", {"body": "Dear you"}, {"title": "First"}, "title", {"body": ""}),
]


def status(browser: Browser) -> dict:
    return browser.api("GET", "/api/v1/status").json()


@pytest.mark.parametrize(("path", "made", "change", "field", "refused"), KINDS)
def test_every_kind_can_be_changed_and_deleted_only_by_its_owner(
    alice: Browser, bob: Browser, path: str, made: dict, change: dict, field: str, refused: dict
) -> None:
    logged = alice.api("POST", f"/api/v1/{path}", json=made)
    assert logged.status_code == 201, logged.text
    entry_id = alice.api("GET", f"/api/v1/{path}").json()[0].get("id", logged.json().get("id"))
    url = f"/api/v1/{path}/{entry_id}"
    bad = alice.api("PATCH", url, json=refused)
    assert bad.status_code == 422, bad.text
    assert bob.api("PATCH", url, json=change).status_code == 404
    changed = alice.api("PATCH", url, json=change)
    assert changed.status_code == 200, changed.text
    assert changed.json()[field] == change[field]
    assert bob.api("DELETE", url).status_code == 404
    assert alice.api("DELETE", url).status_code == 204
    assert alice.api("DELETE", url).status_code == 404
    assert all(e.get("id") != entry_id for e in alice.api("GET", f"/api/v1/{path}").json())


def test_a_slip_changed_to_a_message_let_be_gives_the_streak_back(alice: Browser) -> None:
    alice.get("/no-contact/start")
    alice.post("/no-contact/start", {"started_on": "2026-11-08"})
    before = status(alice)["streaks"]
    logged = alice.api("POST", "/api/v1/contacts", json={"direction": "you_to_ex"}).json()
    assert status(alice)["streaks"]["current"] == 0
    url = f"/api/v1/contacts/{logged['id']}"
    changed = alice.api("PATCH", url, json={"direction": "ex_to_you", "answered": False})
    assert changed.json()["slip"] is False
    assert status(alice)["streaks"] == before


def test_a_check_in_keeps_its_day_and_an_unknown_field_is_named(alice: Browser) -> None:
    alice.api("POST", "/api/v1/checkins", json={"mood": 4, "day": "2026-11-15"})
    [row] = alice.api("GET", "/api/v1/checkins").json()
    url = f"/api/v1/checkins/{row['id']}"
    moved = alice.api("PATCH", url, json={"day": "2026-11-16"})
    assert moved.status_code == 422 and "belongs to its day" in moved.text
    assert "colour" in alice.api("PATCH", url, json={"colour": "red"}).text
    again = alice.api("PATCH", url, json={"note": "better than I thought"}).json()
    assert again["day"] == "2026-11-15" and again["mood"] == 4


def test_deleting_the_only_conversation_opens_no_contact_again(alice: Browser) -> None:
    fill_with_demo(alice)
    body = {"started_by": "you", "started_at": "2026-11-18T06:00:00-05:00"}
    logged = alice.api("POST", "/api/v1/conversations", json=body).json()
    assert phase_of(alice) == "reconnected"
    url = f"/api/v1/conversations/{logged['id']}"
    assert alice.api("PATCH", url, json={"messages": 12}).json()["messages"] == 12
    assert alice.api("DELETE", url).status_code == 204
    assert phase_of(alice) != "reconnected"
