"""Fixing a mistake on the web: Undo just after logging, and Edit and Delete from every list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
import time_machine

from web.test_step4 import fill_with_demo, phase_of
from webtools import FROZEN, Browser

pytestmark = pytest.mark.usefixtures("frozen")


def status(browser: Browser) -> dict:
    return browser.api("GET", "/api/v1/status").json()


def start(browser: Browser) -> None:
    browser.get("/no-contact/start")
    assert browser.post("/no-contact/start", {"started_on": "2026-11-08"}).status_code == 303


def log_slip(browser: Browser):  # type: ignore[no-untyped-def]
    browser.get("/contact")
    return browser.htmx("POST", "/contact", {"direction": "you_to_ex", "channel": "text"})


def test_undo_right_after_a_wrong_tap_gives_the_streak_back(alice: Browser) -> None:
    start(alice)
    before = status(alice)["streaks"]
    result = unescape(log_slip(alice).text)
    assert status(alice)["streaks"]["current"] == 0
    [undo] = re.findall(r'action="(/entries/contact/\d+/undo)"', result)
    assert "Undo: that was a mistake" in result
    response = alice.post(undo, {})
    assert response.headers["location"] == "/contact"
    assert "Undone — nothing was kept" in unescape(alice.follow(response).text)
    assert status(alice)["streaks"] == before


def test_undo_is_refused_once_the_moment_has_passed(alice: Browser) -> None:
    start(alice)
    [undo] = re.findall(r'action="(/entries/contact/\d+/undo)"', log_slip(alice).text)
    with time_machine.travel(datetime.fromisoformat(FROZEN) + timedelta(minutes=11), tick=False):
        response = alice.post(undo, {})
        assert "you can still change or delete it" in unescape(alice.follow(response).text)
    assert status(alice)["streaks"]["current"] == 0  # still there: Delete in the list remains


def test_a_contact_is_edited_from_lately_and_the_streak_follows(
    alice: Browser, bob: Browser
) -> None:
    start(alice)
    before = status(alice)["streaks"]
    log_slip(alice)
    lately = alice.get("/contact").text
    [edit] = re.findall(r'href="(/entries/contact/\d+/edit)"', lately)
    form = unescape(alice.get(edit).text)
    assert 'value="you_to_ex" checked' in form  # prefilled with the entry
    assert bob.get(edit).status_code == 404
    bad = alice.post(
        edit,
        {
            "direction": "ex_to_you",
            "answered": "no",
            "channel": "fax",
            "at": "2026-11-18T09:00",
            "note": "keep me",
        },
    )
    assert bad.status_code == 400
    page = unescape(bad.text)  # the reason beside the field, and nothing typed is lost
    assert "Should be one of text, call" in page and "keep me" in page
    assert status(alice)["streaks"]["current"] == 0
    ok = alice.post(
        edit,
        {
            "direction": "ex_to_you",
            "answered": "no",
            "channel": "text",
            "at": "2026-11-18T09:00",
            "note": "",
        },
    )
    assert ok.headers["location"] == "/contact"
    assert "Changed." in unescape(alice.follow(ok).text)
    assert status(alice)["streaks"] == before


# (kind, how to log one through the API, the page it is listed on, a form change, what shows it)
KINDS = [
    ("urge", "/api/v1/urges", {"intensity": 7}, "/sos", {"intensity": "3"}, "intensity"),
    ("checkin", "/api/v1/checkins", {"mood": 4}, "/checkin", {"mood": "8"}, "mood"),
    (
        "activity",
        "/api/v1/activities",
        {"kind": "exercise"},
        "/focus",
        {"kind": "gratitude"},
        "kind",
    ),
    ("memory", "/api/v1/memories", {"title": "Goat"}, "/memories", {"title": "The goat"}, "title"),
    ("letter", "/api/v1/letters", {"body": "Dear you"}, "/letters", {"title": "First"}, "title"),
]


@pytest.mark.parametrize(("kind", "api", "made", "home", "change", "field"), KINDS)
def test_every_kind_is_edited_and_deleted_from_its_list(
    alice: Browser,
    bob: Browser,
    kind: str,
    api: str,
    made: dict,
    home: str,
    change: dict,
    field: str,
) -> None:
    assert alice.api("POST", api, json=made).status_code == 201
    [row] = alice.api("GET", api).json()
    listed = alice.get(home).text
    edit = f"/entries/{kind}/{row['id']}/edit"
    assert f'href="{edit}"' in listed, f"no Edit link on {home}"
    form = unescape(alice.get(edit).text)
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    values |= dict(re.findall(r'name="(\w+)" value="([^"]*)" checked', form))
    values |= dict(re.findall(r'<textarea [^>]*name="(\w+)"[^>]*>([^<]*)<', form))
    response = alice.post(edit, {**values, **change})
    assert response.status_code == 303, response.text
    [after] = alice.api("GET", api).json()
    assert str(after[field]) == change[field]
    delete = f"/entries/{kind}/{row['id']}/delete"
    assert "Yes, delete it" in alice.get(delete).text
    assert bob.post(delete, {}).status_code == 404
    response = alice.post(delete, {})
    assert response.headers["location"] == home
    assert "Deleted." in unescape(alice.follow(response).text)
    assert alice.api("GET", api).json() == []


def test_a_conversation_is_edited_and_deleting_it_reopens_no_contact(alice: Browser) -> None:
    fill_with_demo(alice)
    alice.get("/step4/talk")
    chat = {
        "started_by": "you",
        "messages": "6",
        "ex_replied": "1",
        "started_at": "2026-11-18T06:00",
    }
    alice.post("/step4/talk", chat)
    [row] = alice.api("GET", "/api/v1/conversations").json()
    assert f"/entries/conversation/{row['id']}/edit" in alice.get("/step4/talk").text
    assert phase_of(alice) == "reconnected"
    alice.get(f"/entries/conversation/{row['id']}/delete")
    alice.post(f"/entries/conversation/{row['id']}/delete", {})
    assert phase_of(alice) != "reconnected"


def test_a_new_check_in_and_an_urge_offer_undo_and_undo_takes_them_back(alice: Browser) -> None:
    alice.get("/checkin")
    saved = alice.htmx("POST", "/checkin", {"mood": "4"}).text
    [undo] = re.findall(r'action="(/entries/checkin/\d+/undo)"', saved)
    assert "Undone" in unescape(alice.follow(alice.post(undo, {})).text)
    assert alice.api("GET", "/api/v1/checkins").json() == []
    alice.get("/sos")
    logged = alice.htmx("POST", "/sos/urge", {"intensity": "6", "outcome": "resisted"}).text
    [undo] = re.findall(r'action="(/entries/urge/\d+/undo)"', logged)
    response = alice.post(undo, {})
    assert response.headers["location"] == "/sos"
    assert alice.api("GET", "/api/v1/urges").json() == []


def test_contact_backfilled_to_an_earlier_day_offers_edit_in_the_list_not_undo(
    alice: Browser,
) -> None:
    start(alice)
    alice.get("/contact")
    form = {"direction": "you_to_ex", "channel": "text", "at": "2026-11-12T20:00"}
    result = alice.htmx("POST", "/contact", form).text
    assert "/undo" not in result
    assert re.search(r'href="/entries/contact/\d+/edit"', result)  # the list beside it


def undo_of(kind: str, text: str) -> str:
    """The one Undo form's action for ``kind`` on a page."""
    [action] = re.findall(rf'action="(/entries/{kind}/\d+/undo)"', unescape(text))
    return action


def undo_fields(text: str) -> dict[str, str]:
    """The Undo form's own fields (where to come back to), as a browser would send them."""
    return dict(re.findall(r'<input type="hidden" name="(back)" value="([^"]*)"', text))


@pytest.mark.parametrize(
    ("kind", "form_page", "post", "form", "home", "api"),
    [
        ("letter", "/letters/new", "/letters", {"body": "Dear you"}, "/letters", "letters"),
        ("letter", "/sos", "/sos/letter", {"body": "Not a text"}, "/sos", "letters"),
        ("memory", "/memories", "/memories", {"title": "The goat"}, "/memories", "memories"),
    ],
)
def test_a_letter_or_a_memory_just_saved_offers_undo_and_undo_takes_it_back(
    alice: Browser,
    bob: Browser,
    kind: str,
    form_page: str,
    post: str,
    form: dict,
    home: str,
    api: str,
) -> None:
    alice.get(form_page)
    response = alice.post(post, form)
    assert response.headers["location"] == home
    landed = alice.follow(response).text
    undo = undo_of(kind, landed)
    assert "Undo: that was a mistake" in landed
    assert "/undo" not in alice.get(home).text  # offered once, beside the notice
    assert bob.post(undo, {}).status_code == 404
    response = alice.post(undo, undo_fields(landed))
    assert response.headers["location"] == home
    assert "Undone" in unescape(alice.follow(response).text)
    assert alice.api("GET", f"/api/v1/{api}").json() == []


def test_a_letter_kept_from_sos_with_htmx_offers_undo_in_its_answer(alice: Browser) -> None:
    alice.get("/sos")
    kept = alice.htmx("POST", "/sos/letter", {"body": "All of it, here."}).text
    response = alice.post(undo_of("letter", kept), undo_fields(kept))
    assert response.headers["location"] == "/sos"  # back where the letter was written
    assert alice.api("GET", "/api/v1/letters").json() == []


def test_a_conversation_just_logged_offers_undo_and_undo_reopens_no_contact(
    alice: Browser,
) -> None:
    fill_with_demo(alice)
    before = phase_of(alice)
    alice.get("/step4/talk")
    chat = {"started_by": "you", "messages": "3", "ex_replied": "1", "started_at": ""}
    landed = alice.follow(alice.post("/step4/talk", chat)).text
    assert "Conversation logged." in landed
    assert phase_of(alice) == "reconnected"
    response = alice.post(undo_of("conversation", landed), {})
    assert response.headers["location"] == "/step4/talk"
    assert "Undone" in unescape(alice.follow(response).text)
    assert phase_of(alice) == before
    assert alice.api("GET", "/api/v1/conversations").json() == []


def test_a_conversation_logged_for_an_earlier_day_offers_no_undo(alice: Browser) -> None:
    fill_with_demo(alice)
    alice.get("/step4/talk")
    chat = {"started_by": "you", "messages": "3", "started_at": "2026-11-18T06:00"}
    assert "/undo" not in alice.follow(alice.post("/step4/talk", chat)).text


@pytest.mark.parametrize(
    ("kind", "post", "form", "lands", "home"),
    [
        ("contact", "/contact", {"direction": "you_to_ex", "channel": "text"}, "/", "/contact"),
        ("urge", "/sos/urge", {"intensity": "7", "outcome": "acted"}, "/sos?after=acted", "/sos"),
        ("urge", "/sos/urge", {"intensity": "7", "outcome": "resisted"}, "/", "/sos"),
    ],
)
def test_without_script_a_plain_form_lands_beside_undo_and_undo_gives_the_streak_back(
    alice: Browser, kind: str, post: str, form: dict, lands: str, home: str
) -> None:
    start(alice)
    before = status(alice)["streaks"]
    alice.get(home)
    response = alice.post(post, form)  # a plain form post: no htmx
    assert response.headers["location"] == lands
    landed = alice.follow(response).text
    undo = undo_of(kind, landed)
    assert '<form method="post" action="' + undo in landed  # a plain form, no script needed
    response = alice.post(undo, {})
    assert response.headers["location"] == home
    assert "Undone" in unescape(alice.follow(response).text)
    assert status(alice)["streaks"] == before
    assert alice.api("GET", f"/api/v1/{kind}s").json() == []
