"""Starting no contact, and logging contact kindly: a slip is data, not failure."""

from __future__ import annotations

import re
from html import unescape

import pytest

from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")

# Unkind words a slip must never be met with.
HARSH = re.compile(
    r"\b(fail(ed|ure to)|ruin\w*|blew it|weak|shame\w*|wasted|reset to zero)\b", re.I
)


def status(browser: Browser) -> dict:
    return browser.api("GET", "/api/v1/status").json()


def start(browser: Browser, **form: str) -> None:
    browser.get("/no-contact/start")
    response = browser.post("/no-contact/start", form)
    assert response.status_code == 303, response.text


def contact(browser: Browser, **form: str):  # type: ignore[no-untyped-def]
    browser.get("/contact")
    return browser.post("/contact", {"channel": "text", **form})


def test_no_contact_starts_from_today_with_one_tap(alice: Browser) -> None:
    today = unescape(alice.get("/").text)
    assert 'action="/no-contact/start"' in today
    response = alice.post("/no-contact/start", {})
    assert response.headers["location"] == "/"
    page = unescape(alice.follow(response).text)
    assert "No contact has begun" in page
    assert 'action="/no-contact/start"' not in page
    assert status(alice)["phase"] == "working"
    assert status(alice)["streaks"]["started_on"] == "2026-11-18"


def test_no_contact_can_start_on_an_earlier_day_with_a_longer_target(alice: Browser) -> None:
    start(alice, started_on="2026-11-08", target="30")
    state = status(alice)
    assert state["no_contact_target_days"] == 30
    assert state["streaks"]["started_on"] == "2026-11-08"
    assert state["streaks"]["current"] == 10
    assert "of 30 days" in alice.get("/").text


@pytest.mark.parametrize(
    ("form", "field", "reason"),
    [
        ({"target": "10"}, "target", "at least 14 days, because it takes about two weeks"),
        ({"target": "lots"}, "target", "should be a whole number"),
        ({"started_on": "2026-11-20"}, "started_on", "hasn't happened yet"),
        ({"started_on": "2026-11-31"}, "started_on", "should be a real date"),
    ],
)
def test_a_start_that_cannot_be_used_says_why_and_keeps_what_was_typed(
    alice: Browser, form: dict, field: str, reason: str
) -> None:
    alice.get("/no-contact/start")
    response = alice.post("/no-contact/start", form)
    assert response.status_code == 400
    page = unescape(response.text)
    assert reason in page and f'id="{field}-error"' in page
    for value in form.values():
        assert f'value="{value}"' in page
    assert status(alice)["phase"] == "not_started"


def test_starting_twice_says_it_is_already_running(alice: Browser) -> None:
    start(alice)
    assert "already running" in unescape(alice.get("/no-contact/start").text)
    again = alice.post("/no-contact/start", {})
    assert again.status_code == 400
    assert "already running, since Wednesday 18 November" in unescape(again.text)


@pytest.mark.parametrize(
    ("form", "notice", "is_slip"),
    [
        (
            {"direction": "ex_to_you", "answered": "no"},
            "You let it be, and that took strength: your streak holds.",
            False,
        ),
        (
            {"direction": "ex_to_you", "answered": "yes"},
            "A slip is data, not failure: your contact-free days still count.",
            True,
        ),
        (
            {"direction": "you_to_ex", "channel": "social_media"},
            "A slip is data, not failure: your contact-free days still count.",
            True,
        ),
    ],
)
def test_contact_from_the_ex_let_be_is_not_a_slip_but_answering_or_reaching_out_is(
    alice: Browser, form: dict, notice: str, is_slip: bool
) -> None:
    start(alice, started_on="2026-11-08")
    response = contact(alice, **form)
    assert response.headers["location"] == "/"
    today = unescape(alice.follow(response).text)
    assert notice in today
    assert not HARSH.search(today)
    streaks = status(alice)["streaks"]
    assert streaks["current"] == (0 if is_slip else 10)
    assert streaks["total"] == (9 if is_slip else 10)
    assert streaks["slips"] == (["2026-11-18"] if is_slip else [])


def test_the_slip_message_with_htmx_counts_the_days_kindly(alice: Browser) -> None:
    start(alice, started_on="2026-11-08")
    alice.get("/contact")
    response = alice.htmx(
        "POST", "/contact", {"direction": "you_to_ex", "channel": "call", "at": ""}
    )
    text = unescape(response.text)
    assert response.status_code == 200 and "<html" not in text
    assert "Your streak starts again from here, and that's okay." in text
    assert "Your longest run, 9 days without contact, is still yours" in text
    assert "all 9 contact-free days still count" in text and "data, not failure" in text
    assert not HARSH.search(text)


def test_with_htmx_contact_let_be_says_the_streak_holds(alice: Browser) -> None:
    start(alice, started_on="2026-11-08")
    alice.get("/contact")
    form = {"direction": "ex_to_you", "answered": "no", "channel": "text"}
    text = unescape(alice.htmx("POST", "/contact", form).text)
    assert "You let it be. Your streak holds." in text


def test_the_lately_list_shows_a_contact_the_moment_it_is_logged(alice: Browser) -> None:
    start(alice, started_on="2026-11-08")
    assert "Nothing logged" in alice.get("/contact").text
    form = {"direction": "you_to_ex", "channel": "call", "note": "called him, sorry"}
    text = unescape(alice.htmx("POST", "/contact", form).text)
    lately = text[text.index('id="contact-lately"') :]
    assert 'hx-swap-oob="true"' in lately.split(">", 1)[0]  # replaces the stale list in place
    assert "You reached out" in lately and "called him, sorry" in lately
    assert "Nothing logged" not in lately


def test_contact_before_no_contact_starts_is_simply_noted(alice: Browser) -> None:
    response = contact(alice, direction="ex_to_you", answered="no")
    assert "It's kept in your history." in unescape(alice.follow(response).text)


def test_an_earlier_contact_can_be_logged_with_its_time(alice: Browser) -> None:
    start(alice, started_on="2026-11-08")
    contact(alice, direction="you_to_ex", at="2026-11-12T21:15", note="Drunk text, oops")
    streaks = status(alice)["streaks"]
    assert streaks["slips"] == ["2026-11-12"]
    assert streaks["current"] == 6 and streaks["longest"] == 6
    page = unescape(alice.get("/contact").text)
    assert "Thu 12 Nov, 21:15" in page and "Drunk text, oops" in page
    assert "a slip: data, not failure" in page


@pytest.mark.parametrize(
    ("form", "field", "reason"),
    [
        ({}, "direction", "Who reached out: you, or them?"),
        ({"direction": "ex_to_you"}, "answered", "Did you answer, or let it be?"),
        ({"direction": "you_to_ex", "at": "2026-11-18T18:00"}, "at", "hasn't come yet"),
        ({"direction": "you_to_ex", "at": "yesterday"}, "at", "should be a date and time"),
        ({"direction": "you_to_ex", "channel": "pigeon"}, "channel", "should be one of"),
    ],
)
def test_a_contact_log_missing_something_says_what_and_keeps_the_note(
    alice: Browser, form: dict, field: str, reason: str
) -> None:
    response = contact(alice, note="He sent a meme", **form)
    assert response.status_code == 400
    page = unescape(response.text)
    assert reason in page and f'id="{field}-error"' in page
    assert "He sent a meme" in page
    assert alice.api("GET", "/api/v1/contacts").json() == []


def test_with_htmx_a_refused_contact_log_comes_back_as_the_form(alice: Browser) -> None:
    alice.get("/contact")
    response = alice.htmx("POST", "/contact", {"direction": "ex_to_you", "note": "kept"})
    text = unescape(response.text)
    assert response.status_code == 200 and "<html" not in text
    assert 'id="contact-form"' in text and "Did you answer, or let it be?" in text
    assert ">kept</textarea>" in text


@pytest.mark.parametrize(
    ("note", "heading"),
    [
        ("After he called I felt like ending it all.", "You matter"),
        ("He threatened me when I said I wouldn't come back.", "Your safety comes first"),
    ],
)
def test_a_note_of_crisis_or_abuse_shows_help_at_once(
    alice: Browser, note: str, heading: str
) -> None:
    start(alice)
    response = contact(alice, direction="ex_to_you", answered="yes", note=note)
    assert response.status_code == 200
    page = unescape(response.text)
    assert heading in page and 'role="alert"' in page
    assert len(alice.api("GET", "/api/v1/contacts").json()) == 1


def test_the_api_starts_no_contact_and_refuses_a_second_start(alice: Browser) -> None:
    made = alice.api(
        "POST", "/api/v1/no-contact", json={"started_on": "2026-11-10", "target_days": 28}
    )
    assert made.status_code == 201
    assert made.json()["target_days"] == 28
    assert made.json()["started_at"].startswith("2026-11-10")
    again = alice.api("POST", "/api/v1/no-contact", json={})
    assert again.status_code == 422
    assert "already running" in str(again.json()["detail"])


def test_the_api_explains_a_target_under_fourteen_days(alice: Browser) -> None:
    response = alice.api("POST", "/api/v1/no-contact", json={"target_days": 7})
    assert response.status_code == 422
    assert "two weeks" in str(response.json()["detail"])
    assert status(alice)["phase"] == "not_started"


def test_the_api_logs_and_lists_contact_with_what_it_means(alice: Browser) -> None:
    alice.api("POST", "/api/v1/no-contact", json={"started_on": "2026-11-08"})
    ignored = alice.api(
        "POST", "/api/v1/contacts", json={"direction": "ex_to_you", "channel": "text"}
    )
    assert ignored.status_code == 201
    assert ignored.json()["slip"] is False and ignored.json()["counts_as_slip"] is False
    assert "your streak holds" in ignored.json()["message"]
    slip = alice.api(
        "POST",
        "/api/v1/contacts",
        json={"direction": "you_to_ex", "channel": "call", "at": "2026-11-18T14:00:00+00:00"},
    ).json()
    assert slip["counts_as_slip"] is True and slip["answered"] is None
    assert "data, not failure" in slip["message"] and "9 contact-free days" in slip["message"]
    listed = alice.api("GET", "/api/v1/contacts").json()
    assert [c["channel"] for c in listed] == ["text", "call"]


@pytest.mark.parametrize(
    "body",
    [
        {"direction": "sideways"},
        {"direction": "you_to_ex", "channel": "pigeon"},
        {"direction": "you_to_ex", "at": "2026-11-19T10:00:00+00:00"},
    ],
)
def test_the_api_refuses_contact_it_cannot_log_with_422(alice: Browser, body: dict) -> None:
    assert alice.api("POST", "/api/v1/contacts", json=body).status_code == 422


def test_bob_never_sees_alices_contact_or_changes_her_streak(alice: Browser, bob: Browser) -> None:
    start(alice, started_on="2026-11-08")
    contact(alice, direction="ex_to_you", answered="no", note="Alice's private note")
    assert "Alice's private note" not in unescape(bob.get("/contact").text)
    assert bob.api("GET", "/api/v1/contacts").json() == []
    contact(bob, direction="you_to_ex")
    assert status(alice)["streaks"]["current"] == 10
    assert bob.get("/no-contact/start").text.count("already running") == 0


def test_the_note_limit_is_stated_and_checked_in_the_browser(alice: Browser) -> None:
    for url in ("/contact", "/checkin"):
        page = unescape(alice.get(url).text)
        assert "up to 5,000 characters" in page and 'maxlength="5000"' in page, url


def test_a_slip_logged_by_mistake_and_deleted_leaves_the_streak_as_it_was(
    alice: Browser, bob: Browser
) -> None:
    start(alice, started_on="2026-11-08")
    before = status(alice)["streaks"]
    assert before["current"] == 10
    contact(alice, direction="you_to_ex", note="wrong tap")  # one wrong tap on "I did"
    assert status(alice)["streaks"]["current"] == 0
    page = alice.get("/contact").text
    [contact_id] = re.findall(r'action="/contact/(\d+)/delete"', page)
    bob.get("/contact")
    assert bob.post(f"/contact/{contact_id}/delete", {}).status_code == 404  # not bob's
    response = alice.post(f"/contact/{contact_id}/delete", {})
    assert "Deleted" in unescape(alice.follow(response).text)
    assert status(alice)["streaks"] == before


def test_through_the_api_a_deleted_slip_leaves_the_streak_as_it_was(alice: Browser) -> None:
    start(alice, started_on="2026-11-08")
    before = status(alice)["streaks"]
    body = {"direction": "you_to_ex", "channel": "text"}
    logged = alice.api("POST", "/api/v1/contacts", json=body).json()
    assert logged["counts_as_slip"] and status(alice)["streaks"]["current"] == 0
    assert alice.api("DELETE", f"/api/v1/contacts/{logged['id']}").status_code == 204
    assert status(alice)["streaks"] == before
    assert alice.api("DELETE", f"/api/v1/contacts/{logged['id']}").status_code == 404
