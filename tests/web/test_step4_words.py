"""Every page speaks to the step the person is in: the urge button and SOS in step 1, in step 4
(before and after contact resumes) and in protection, and pacing shown once on Today."""

from __future__ import annotations

import re
from html import unescape

import pytest

from secondchance import clock
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user
from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")

CHAT = {"started_by": "you", "messages": "6", "ex_replied": "0", "ended_by": "you", "note": ""}
ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)


def fill_with_demo(browser: Browser, username: str = "alice") -> None:
    """The six-week example, ending now: every gate met, step 4 open. The ex is Alex (he)."""
    with browser.client.app.state.sessions() as session, session.begin():
        fill_demo(session, find_user(session, username), clock.now())


def talk_again(browser: Browser) -> None:
    """Log a conversation this morning: no contact ends, talking has resumed."""
    browser.get("/step4/talk")
    response = browser.post("/step4/talk", {**CHAT, "started_at": "2026-11-18T06:00"})
    assert response.status_code == 303


def urge_button(today: str) -> str:
    [label] = re.findall(r'<a class="btn" href="/sos">([^<]+)</a>', today)
    return label


def test_in_step_1_sos_is_about_holding_no_contact(alice: Browser) -> None:
    alice.get("/no-contact/start")
    alice.post("/no-contact/start", {"started_on": "2026-11-10"})
    assert urge_button(unescape(alice.get("/").text)) == "I want to text him"
    page = unescape(alice.get("/sos").text)
    assert "I want to text him" in page and "Why not now" in page
    assert "8 days without contact." in page
    assert "Before you send anything" not in page and "/step4/compose" not in page


def test_in_step_4_sos_is_about_how_to_send_not_whether(alice: Browser) -> None:
    fill_with_demo(alice)
    assert urge_button(unescape(alice.get("/").text)) == "I want to message him right now"
    page = unescape(alice.get("/sos").text)
    assert "Before you send anything" in page
    assert "A second text before you hear back reads as chasing." in page
    assert 'href="/step4/compose"' in page
    assert "days without contact" not in page and "Why not now" not in page


def test_once_talking_again_sos_never_counts_days_without_contact(alice: Browser) -> None:
    fill_with_demo(alice)
    talk_again(alice)
    today = unescape(alice.get("/").text)
    assert urge_button(today) == "I want to message him right now"
    # Today's ring and streaks tell the no-contact run as done, not as still running.
    assert "No contact is behind you: you're talking again." in today
    assert "Your no-contact run" in today and "Current streak" not in today
    page = unescape(alice.get("/sos").text)
    assert "Before you send anything" in page
    assert "days without contact" not in page
    # The person's own pace comes along: the last message is still waiting for a reply.
    assert "Your pace right now" in page
    assert "Your last message is still waiting. Give him room to reply." in page


def test_pacing_advice_is_on_today_once(alice: Browser) -> None:
    fill_with_demo(alice)
    talk_again(alice)
    today = unescape(alice.get("/").text)
    assert 'id="pacing-title"' in today
    assert today.count("Your last message is still waiting. Give him room to reply.") == 1
    assert today.count("You've started today's conversation.") == 1


def test_in_protection_sos_never_coaches_contact(alice: Browser) -> None:
    fill_with_demo(alice)
    alice.get("/welcome/story")
    alice.post("/welcome/story", {"story": ABUSE_STORY})
    assert urge_button(unescape(alice.get("/").text)) == "I want to reach out"
    page = unescape(alice.get("/sos").text)
    assert "Each day without contact is a day of healing." in page
    assert "Before you send anything" not in page and "/step4/compose" not in page
    assert "miss you" not in page


def test_the_contact_page_does_not_call_talking_again_a_slip(alice: Browser) -> None:
    fill_with_demo(alice)
    before = unescape(alice.get("/contact").text)
    assert "a slip is data, not failure." in before and "You're talking again" not in before
    talk_again(alice)
    after = unescape(alice.get("/contact").text)
    assert "You're talking again, so contact now isn't a slip." in after
    assert 'href="/step4/talk"' in after
    assert "a slip is data, not failure." not in after.split("Lately")[0]


def test_the_focus_page_does_not_promise_a_gate_already_open(alice: Browser) -> None:
    fill_with_demo(alice)
    page = unescape(alice.get("/focus").text)
    assert "this step's gate opens" not in page
    assert "what this step's gate looks for" in page
