"""Urge SOS: ride it out, read your reasons, write a letter instead, log how it ended."""

from __future__ import annotations

from html import unescape

import pytest

from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")


def status(browser: Browser) -> dict:
    return browser.api("GET", "/api/v1/status").json()


def start_no_contact(browser: Browser, on: str = "2026-11-10") -> None:
    browser.get("/no-contact/start")
    assert browser.post("/no-contact/start", {"started_on": on}).status_code == 303


def test_the_page_offers_a_ten_minute_timer_that_reads_without_javascript(
    alice: Browser,
) -> None:
    page = unescape(alice.get("/sos").text)
    assert "I want to text him" in page
    assert 'data-timer="600"' in page and "data-timer-start" in page and "data-breath" in page
    assert ">10:00<" in page
    assert "Breathe in for four, out for six" in page
    assert "<script>" not in page  # the timer is app.js's; nothing inline


def test_without_reasons_the_page_gently_asks_for_some(alice: Browser) -> None:
    page = unescape(alice.get("/sos").text)
    assert "write down a few reasons" in page
    assert 'href="/help/plan"' in page


def test_the_persons_own_reasons_come_first(alice: Browser) -> None:
    alice.get("/help/plan")
    alice.post("/help/plan", {"reasons": "My sister's wedding\nSleeping through the night"})
    page = unescape(alice.get("/sos").text)
    assert "<li>My sister's wedding</li>" in page
    assert "<li>Sleeping through the night</li>" in page
    assert "write down a few reasons" not in page


@pytest.mark.parametrize(
    ("person", "words"),
    [("alice", "gives him room to notice you're gone"), ("bob", "gives her room")],
)
def test_why_no_contact_matters_uses_the_exs_pronouns(
    alice: Browser, bob: Browser, person: str, words: str
) -> None:
    browser = {"alice": alice, "bob": bob}[person]
    assert words in unescape(browser.get("/sos").text)


def test_the_streak_is_there_to_protect(alice: Browser) -> None:
    start_no_contact(alice)
    assert "8 days without contact." in unescape(alice.get("/sos").text)


def test_the_words_can_go_into_a_letter_instead(alice: Browser) -> None:
    alice.get("/sos")
    response = alice.post("/sos/letter", {"body": "I miss the way you laughed."})
    assert response.headers["location"] == "/sos"
    assert "Your letter is kept. Nothing was sent." in unescape(alice.follow(response).text)
    [letter] = alice.api("GET", "/api/v1/letters").json()
    assert letter["title"] == "Instead of a text"
    assert letter["body"] == "I miss the way you laughed."


def test_a_letter_from_sos_can_be_sealed(alice: Browser) -> None:
    alice.get("/sos")
    response = alice.post("/sos/letter", {"body": "Not yet.", "sealed_until": "2026-12-01"})
    assert "sealed and kept until its day" in unescape(alice.follow(response).text)
    [letter] = alice.api("GET", "/api/v1/letters").json()
    assert letter["sealed"] is True and letter["body"] is None


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"body": "   "}, "can't be empty"),
        ({"body": "Kept words", "sealed_until": "2026-11-18"}, "should be a day after today"),
        ({"body": "Kept words", "sealed_until": "soon"}, "should be a real date"),
    ],
)
def test_a_letter_that_cannot_be_kept_says_why_and_keeps_the_words(
    alice: Browser, form: dict, reason: str
) -> None:
    alice.get("/sos")
    response = alice.post("/sos/letter", form)
    assert response.status_code == 400
    page = unescape(response.text)
    assert reason in page
    assert form["body"].strip() in page
    assert alice.api("GET", "/api/v1/letters").json() == []


def test_with_htmx_the_letter_card_turns_into_kept(alice: Browser) -> None:
    alice.get("/sos")
    response = alice.htmx("POST", "/sos/letter", {"body": "All of it, here."})
    text = unescape(response.text)
    assert response.status_code == 200 and "<html" not in text
    assert 'id="sos-letter"' in text and "Your letter is kept. Nothing was sent." in text


def test_riding_an_urge_out_counts_on_today(alice: Browser) -> None:
    start_no_contact(alice)
    alice.get("/sos")
    form = {"intensity": "8", "outcome": "resisted", "trigger": "our song", "instead": "ran"}
    response = alice.post("/sos/urge", form)
    assert response.headers["location"] == "/"
    today = unescape(alice.follow(response).text)
    assert "You rode it out" in today
    assert "Urges acted on: <strong>0</strong>" in today
    measures = status(alice)["measures"]
    assert measures["urges_resisted"] == 1 and measures["urges_acted"] == 0


def test_reaching_out_is_met_kindly_and_counts_on_today(alice: Browser) -> None:
    start_no_contact(alice)
    alice.get("/sos")
    response = alice.post("/sos/urge", {"intensity": "9", "outcome": "acted"})
    assert response.headers["location"] == "/sos?after=acted"
    page = unescape(alice.follow(response).text)
    assert "Urges pass, and this one did too." in page
    assert "It's data, not failure" in page
    assert 'name="direction" value="you_to_ex"' in page
    assert "Urges acted on: <strong>1</strong>" in unescape(alice.get("/").text)
    assert status(alice)["measures"]["urges_acted"] == 1


def test_after_reaching_out_the_contact_is_logged_in_one_tap(alice: Browser) -> None:
    start_no_contact(alice)
    alice.get("/sos")
    offer = alice.follow(alice.post("/sos/urge", {"intensity": "9", "outcome": "acted"}))
    assert 'action="/contact"' in offer.text
    response = alice.post(
        "/contact",
        {"direction": "you_to_ex", "channel": "text", "note": "After an urge (9 out of 10)"},
    )
    assert "A slip is data, not failure" in unescape(alice.follow(response).text)
    streaks = status(alice)["streaks"]
    assert streaks["current"] == 0 and streaks["total"] == 7 and streaks["longest"] == 7


@pytest.mark.parametrize(
    ("form", "field", "reason"),
    [
        ({"outcome": "resisted"}, "intensity", "Pick how strong it was"),
        ({"intensity": "12", "outcome": "resisted"}, "intensity", "should be from 1 to 10"),
        ({"intensity": "5"}, "outcome", "Either answer is okay"),
    ],
)
def test_an_urge_log_that_is_missing_something_says_what_and_keeps_the_rest(
    alice: Browser, form: dict, field: str, reason: str
) -> None:
    alice.get("/sos")
    response = alice.post("/sos/urge", {**form, "trigger": "his birthday photos"})
    assert response.status_code == 400
    page = unescape(response.text)
    assert reason in page and f'id="{field}-error"' in page
    assert "his birthday photos" in page
    assert alice.api("GET", "/api/v1/urges").json() == []


@pytest.mark.parametrize(
    ("outcome", "says"),
    [("resisted", "You rode it out."), ("acted", "Log the contact")],
)
def test_with_htmx_the_urge_card_shows_what_comes_next(
    alice: Browser, outcome: str, says: str
) -> None:
    alice.get("/sos")
    response = alice.htmx("POST", "/sos/urge", {"intensity": "6", "outcome": outcome})
    text = unescape(response.text)
    assert response.status_code == 200 and "<html" not in text
    assert 'id="sos-urge"' in text and says in text


def test_crisis_words_in_an_urge_show_help_at_once(alice: Browser) -> None:
    alice.get("/sos")
    form = {"intensity": "10", "outcome": "resisted", "trigger": "I want to die without him"}
    response = alice.post("/sos/urge", form)
    assert response.status_code == 200
    page = unescape(response.text)
    assert "You matter" in page and "116 123" in page
    assert len(alice.api("GET", "/api/v1/urges").json()) == 1


def test_crisis_words_in_a_letter_show_help_at_once(alice: Browser) -> None:
    alice.get("/sos")
    response = alice.post("/sos/letter", {"body": "I keep thinking about ending my life."})
    assert response.status_code == 200
    page = unescape(response.text)
    assert "You matter" in page and "Your letter is kept" in page


def test_the_api_logs_and_lists_urges_newest_first(alice: Browser) -> None:
    first = alice.api("POST", "/api/v1/urges", json={"intensity": 4, "trigger": "payday"})
    assert first.status_code == 201
    assert first.json()["outcome"] == "resisted" and first.json()["safety"]["crisis"] is False
    earlier = {"intensity": 7, "outcome": "acted", "at": "2026-11-17T22:30:00+00:00"}
    assert alice.api("POST", "/api/v1/urges", json=earlier).status_code == 201
    listed = alice.api("GET", "/api/v1/urges").json()
    assert [u["intensity"] for u in listed] == [4, 7]


@pytest.mark.parametrize(
    "body",
    [
        {"intensity": 11},
        {"intensity": 5, "outcome": "maybe"},
        {"intensity": 5, "at": "2026-11-19T10:00:00+00:00"},
    ],
)
def test_the_api_refuses_a_bad_urge_with_422(alice: Browser, body: dict) -> None:
    assert alice.api("POST", "/api/v1/urges", json=body).status_code == 422


def test_bob_never_sees_alices_urges_or_reasons(alice: Browser, bob: Browser) -> None:
    alice.get("/help/plan")
    alice.post("/help/plan", {"reasons": "Alice's own reason"})
    alice.api("POST", "/api/v1/urges", json={"intensity": 4, "trigger": "Alice's trigger"})
    assert bob.api("GET", "/api/v1/urges").json() == []
    assert "Alice's own reason" not in unescape(bob.get("/sos").text)


@pytest.mark.parametrize(("intensity", "says"), [("8", "an 8 out of 10"), ("3", "a 3 out of 10")])
def test_an_urge_is_told_back_with_the_right_article(
    alice: Browser, intensity: str, says: str
) -> None:
    start_no_contact(alice)
    alice.get("/sos")
    answer = alice.htmx("POST", "/sos/urge", {"intensity": intensity, "outcome": "resisted"})
    assert f"This one was {says}" in " ".join(unescape(answer.text).split())
