"""Each thing a person logs through the web forms gets an answer to what it says."""

from __future__ import annotations

import re
from html import unescape

import pytest
import time_machine

from secondchance import clock
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user
from webtools import Browser, sign_up

TODAY = "2026-11-18"  # the frozen Wednesday (15:00 in London)
GENERIC = "Thank you for showing up for yourself"
ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)


def checkin(browser: Browser, day: str = "", **changes: str) -> str:
    """Check in through the form as the page sends it (htmx); returns the answer's text."""
    form = {
        "mood": "5",
        "cried": "no",
        "social_checks": "0",
        "slept_well": "yes",
        "note": "",
        "day": day,
        **changes,
    }
    browser.get("/checkin")
    response = browser.htmx("POST", "/checkin", form)
    assert response.status_code == 200, response.text
    return " ".join(unescape(response.text).split())


def start_no_contact(browser: Browser, started_on: str) -> None:
    browser.get("/no-contact/start")
    assert browser.post("/no-contact/start", {"started_on": started_on}).status_code == 303


def log_contact(browser: Browser, **form: str) -> str:
    browser.get("/contact")
    response = browser.htmx("POST", "/contact", {"channel": "text", "at": "", **form})
    assert response.status_code == 200, response.text
    return " ".join(unescape(response.text).split())


def log_urge(browser: Browser, **form: str) -> str:
    browser.get("/sos")
    response = browser.htmx("POST", "/sos/urge", {"outcome": "resisted", **form})
    assert response.status_code == 200, response.text
    return " ".join(unescape(response.text).split())


@pytest.mark.usefixtures("frozen")
def test_tears_three_days_running_and_twelve_looks_get_the_crying_spiral(alice: Browser) -> None:
    checkin(alice, "2026-11-16", cried="yes")
    checkin(alice, "2026-11-17", cried="yes")
    page = checkin(alice, cried="yes", social_checks="12", emotions="sad")
    assert "Tears 3 days running" in page and "crying spiral" in page
    assert "One thing to try:" in page
    assert 'href="/lessons/crying-spiral"' in page
    assert "And 12 looks at his profile today" in page and 'href="/lessons/social-media"' in page
    assert GENERIC not in page


@pytest.mark.usefixtures("frozen")
def test_tears_two_days_running_are_named_but_not_called_a_spiral(alice: Browser) -> None:
    checkin(alice, "2026-11-17", cried="yes")
    page = checkin(alice, cried="yes", mood="6", emotions="hopeful")
    assert "crying-spiral" not in page
    assert "Mood 6 of 10, feeling hopeful, no looks at his profile" in page


@pytest.mark.usefixtures("frozen")
def test_profile_checks_above_the_aim_get_muting_for_now(alice: Browser) -> None:
    page = checkin(alice, social_checks="12")
    assert "12 looks at his profile" in page
    assert "Muting or unfollowing him for now" in page
    assert 'href="/lessons/social-media"' in page
    assert GENERIC not in page


@pytest.mark.usefixtures("frozen")
def test_a_low_week_gets_self_care_and_a_second_one_offers_help(alice: Browser) -> None:
    checkin(alice, "2026-11-16", mood="2")
    checkin(alice, "2026-11-17", mood="3")
    page = checkin(alice, mood="3")
    assert "A low week" in page and 'href="/lessons/self-care"' in page
    assert 'href="/help"' not in page.split('data-reply="low_mood_week"')[1]
    for day in ("2026-11-09", "2026-11-10", "2026-11-11"):
        checkin(alice, day, mood="2")
    page = checkin(alice, mood="3")
    assert "Two heavy weeks" in page and "you don't have to carry it on your own" in page
    reply = page.split('data-reply="low_mood_weeks"')[1]
    assert 'href="/help"' in reply and 'href="/lessons/self-care"' in reply


def test_an_urge_at_ten_at_night_gets_the_plan_for_tonight(alice: Browser) -> None:
    with time_machine.travel("2026-11-18 21:59:00+00:00", tick=False):
        page = log_urge(alice, intensity="7")
    assert "weak-moments" not in page and "You rode it out" in page
    with time_machine.travel("2026-11-18 22:00:00+00:00", tick=False):
        page = log_urge(alice, intensity="7")
    assert "A late-night urge" in page and "It was 22:00" in page
    assert 'href="/lessons/weak-moments"' in page


def test_late_at_night_means_in_the_persons_own_time_zone(app) -> None:  # type: ignore[no-untyped-def]
    carol = sign_up(Browser(app), "carol", timezone="Asia/Tokyo")
    # 13:30 in London is 22:30 in Tokyo.
    with time_machine.travel("2026-11-18 13:30:00+00:00", tick=False):
        page = log_urge(carol, intensity="8", trigger="his playlist")
    assert "A late-night urge" in page and "It was 22:30" in page


@pytest.mark.usefixtures("frozen")
def test_a_slip_gets_kind_words_and_the_longest_run_kept(alice: Browser) -> None:
    start_no_contact(alice, "2026-11-08")
    page = log_contact(alice, direction="you_to_ex", channel="call")
    assert "A slip is data, not failure" in page
    assert "Your longest run, 9 days without contact, is still yours" in page
    assert 'href="/lessons/slips"' in page


@pytest.mark.usefixtures("frozen")
def test_in_protection_a_slip_gets_safety_not_coaching(alice: Browser) -> None:
    start_no_contact(alice, "2026-11-08")
    alice.get("/welcome/story")
    alice.post("/welcome/story", {"story": ABUSE_STORY})
    page = log_contact(alice, direction="ex_to_you", answered="yes", channel="text")
    reply = page.split('data-reply="slip_protection"')[1].split("</div>")[0]
    assert "what matters now is that you're safe" in reply.lower()
    assert 'href="/help"' in reply and "/lessons/slips" not in reply
    assert "miss you" not in reply and "back together" not in reply


@pytest.mark.usefixtures("frozen")
def test_a_conversation_with_no_reply_says_what_to_do_while_waiting(
    alice: Browser, bob: Browser
) -> None:
    with alice.client.app.state.sessions() as session, session.begin():
        fill_demo(session, find_user(session, "alice"), clock.now())
    alice.get("/step4/talk")
    form = {"started_by": "you", "messages": "1", "started_at": "2026-11-18T06:00"}
    response = alice.post("/step4/talk", form)  # "replied" left unticked
    page = " ".join(unescape(alice.follow(response).text).split())
    assert "No reply yet, and that's okay" in page
    assert "Don't send another message" in page
    # The reply is for this conversation only, and only for its owner.
    assert "No reply yet" not in alice.get("/step4/talk").text
    assert bob.get(response.headers["location"]).status_code == 404
    api = alice.api("POST", "/api/v1/conversations", json={"started_by": "ex", "messages": 4})
    assert api.json()["reply"]["title"] == "Alex started this one"


@pytest.mark.usefixtures("frozen")
def test_the_api_answers_each_create_with_the_same_reply(alice: Browser) -> None:
    for day in ("2026-11-16", "2026-11-17"):
        alice.api("POST", "/api/v1/checkins", json={"mood": 4, "cried": True, "day": day})
    made = alice.api("POST", "/api/v1/checkins", json={"mood": 4, "cried": True})
    assert made.status_code == 201
    reply = made.json()["reply"]
    assert reply["kind"] == "crying_spiral" and reply["link"] == "/lessons/crying-spiral"
    assert reply["title"] == "Tears 3 days running" and reply["try_now"]
    urge = alice.api("POST", "/api/v1/urges", json={"intensity": 3}).json()
    assert urge["reply"]["kind"] == "urge_resisted" and "a 3 out of 10" in urge["reply"]["text"]
    start_no_contact(alice, "2026-11-08")
    slip = alice.api("POST", "/api/v1/contacts", json={"direction": "you_to_ex"}).json()
    assert slip["reply"]["kind"] == "slip" and slip["reply"]["link"] == "/lessons/slips"
    assert "9 days without contact" in slip["reply"]["text"]


def test_an_urge_acted_on_late_gets_the_plan_beside_logging_the_contact(alice: Browser) -> None:
    with time_machine.travel("2026-11-18 15:00:00+00:00", tick=False):
        by_day = log_urge(alice, intensity="9", outcome="acted")
    assert "Log the contact" in by_day and "data-reply" not in by_day  # the card says it all
    with time_machine.travel("2026-11-18 23:10:00+00:00", tick=False):
        late = log_urge(alice, intensity="9", outcome="acted")
    assert "Log the contact" in late
    assert 'data-reply="late_urge"' in late and "It was 23:10" in late


@pytest.mark.usefixtures("frozen")
def test_without_javascript_the_days_page_answers_the_check_in(alice: Browser) -> None:
    checkin(alice, "2026-11-16", cried="yes")
    checkin(alice, "2026-11-17", cried="yes")
    alice.get("/checkin")
    form = {"mood": "4", "cried": "yes", "social_checks": "0", "slept_well": "no", "note": ""}
    response = alice.post("/checkin", form)
    assert response.headers["location"] == f"/checkin?day={TODAY}&saved=new"
    page = " ".join(unescape(alice.follow(response).text).split())
    assert "Check-in saved" in page and "Tears 3 days running" in page
    # A reload shows the same answer; the plain day's page is the form again.
    assert "Tears 3 days running" in unescape(alice.get(response.headers["location"]).text)
    assert "Tears 3 days running" not in alice.get("/checkin").text


def submit(browser: Browser, where: str, action: str, fields: dict[str, str]) -> str:
    """Post the form on ``where`` that goes to ``action`` as the page sends it (htmx, with the
    form's own csrf_token and form_key); returns the answer the page shows in its place."""
    html = browser.get(where).text
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    assert f'hx-post="{action}"' in form
    hidden = dict(re.findall(r'type="hidden" name="(csrf_token|form_key)" value="([^"]+)"', form))
    assert set(hidden) == {"csrf_token", "form_key"}, f"the form to {action} has no guard"
    response = browser.client.post(
        action, data={**hidden, **fields}, headers={"HX-Request": "true"}, follow_redirects=False
    )
    assert response.status_code == 200, response.text
    return " ".join(unescape(response.text).split())


CHECKIN = {"mood": "5", "cried": "no", "social_checks": "0", "slept_well": "yes", "note": ""}


@pytest.mark.usefixtures("frozen")
def test_the_five_answers_come_from_the_real_forms_with_their_guard(alice: Browser) -> None:
    for day in ("2026-11-16", "2026-11-17"):
        submit(alice, f"/checkin?day={day}", "/checkin", {**CHECKIN, "cried": "yes", "day": day})
    page = submit(alice, "/checkin", "/checkin", {**CHECKIN, "cried": "yes"})
    assert "Tears 3 days running" in page and 'href="/lessons/crying-spiral"' in page
    assert "One thing to try:" in page

    page = submit(alice, "/checkin", "/checkin", {**CHECKIN, "social_checks": "12"})
    assert "Muting or unfollowing him for now" in page and 'href="/lessons/social-media"' in page

    for day in ("2026-11-09", "2026-11-10", "2026-11-11", "2026-11-16", "2026-11-17"):
        submit(alice, f"/checkin?day={day}", "/checkin", {**CHECKIN, "mood": "2", "day": day})
    page = submit(alice, "/checkin", "/checkin", {**CHECKIN, "mood": "3"})
    reply = page.split('data-reply="low_mood_weeks"')[1]
    assert "Two heavy weeks" in page and 'href="/help"' in reply

    start_no_contact(alice, "2026-11-08")
    page = submit(alice, "/contact", "/contact", {"direction": "you_to_ex", "channel": "call"})
    assert "A slip is data, not failure" in page and 'href="/lessons/slips"' in page
    assert "Your longest run, 9 days without contact, is still yours" in page

    with time_machine.travel("2026-11-18 22:30:00+00:00", tick=False):
        page = submit(alice, "/sos", "/sos/urge", {"outcome": "resisted", "intensity": "7"})
    assert "A late-night urge" in page and 'href="/lessons/weak-moments"' in page


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("by_token", [True, False], ids=["token", "browser"])
def test_an_api_check_in_keeps_protection_from_its_own_note_and_from_before(
    alice: Browser, bob: Browser, by_token: bool
) -> None:
    # The check-in reads who calls with its token and knows then whether any safety signal was
    # ever stored: the reply must say the same as reading the whole state would.
    def check_in(browser: Browser, day: str, note: str) -> dict:  # type: ignore[type-arg]
        body = {"mood": 6, "social_checks": 9, "day": day, "note": note}
        if not by_token:
            return browser.api("POST", "/api/v1/checkins", json=body).json()["reply"]  # type: ignore[no-any-return]
        secret = browser.api("POST", "/api/v1/tokens", json={"name": day}).json()["token"]
        bearer = {"Authorization": f"Bearer {secret}"}
        answer = browser.client.request("POST", "/api/v1/checkins", json=body, headers=bearer)
        return answer.json()["reply"]  # type: ignore[no-any-return]

    shielded = "distance is what protects you"
    # No signal before, and this note shows abuse: protection from this very note.
    first = check_in(alice, "2026-11-16", "He grabbed my arm and I'm scared to go home.")
    assert first["kind"] == "social_checks" and shielded in first["text"]
    # A later note without the words: protection stays, read from what was stored.
    later = check_in(alice, "2026-11-17", "Quiet day, went for a walk.")
    assert later["kind"] == "social_checks" and shielded in later["text"]
    # Someone with no signal and a quiet note: the ordinary words.
    plain = check_in(bob, "2026-11-17", "Quiet day, went for a walk.")
    assert plain["kind"] == "social_checks" and shielded not in plain["text"]
    assert "Muting or unfollowing" in plain["text"]
