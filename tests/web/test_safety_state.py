"""The remembered safety state on the web and in the API: Today shows it kindly until the
person's own "I'm safe now", a story told again can't switch protection off, and bob never
sees alice's."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from secondchance import clock
from secondchance.models import SafetyClearance, SafetySignal
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user
from webtools import Browser

CRISIS = "I want to kill myself"
ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)
PLAIN_STORY = "We broke up a month ago after a year together. He ended it. I miss him."


def rows(browser: Browser, model):  # type: ignore[no-untyped-def]
    with browser.client.app.state.sessions() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def checkin(browser: Browser, note: str, day: str = "") -> None:
    browser.get("/checkin")
    response = browser.post("/checkin", {"mood": "4", "note": note, "day": day})
    assert response.status_code in (200, 303), response.text


def tell(browser: Browser, story: str) -> None:
    browser.get("/welcome/story")
    assert browser.post("/welcome/story", {"story": story}).status_code in (200, 303)


def today(browser: Browser) -> str:
    return unescape(browser.get("/").text)


def safety_box(page: str) -> str:
    start = page.find('id="safety-state"')
    return page[start : page.find("</section>", start)] if start >= 0 else ""


def test_a_crisis_in_a_checkin_note_stays_on_today_after_two_ordinary_checkins(
    alice: Browser, frozen: None
) -> None:
    checkin(alice, CRISIS, day="2026-11-16")
    checkin(alice, "went for a walk with my sister", day="2026-11-17")
    checkin(alice, "a calmer day")
    box = safety_box(today(alice))
    assert "You don't have to carry this alone" in box
    assert "116 123" in box  # Samaritans, for alice in GB: help lines first
    assert 'href="/help"' in box and 'href="/safety"' in box
    assert "since Wednesday 18 November" in box  # when it was written
    status = alice.api("GET", "/api/v1/status").json()
    assert status["safety"]["crisis"] is True and status["recent_crisis"] is True
    assert status["safety"]["evidence"][0]["quote"] == "kill myself"


def test_abuse_protection_survives_a_story_told_again_without_the_words(
    alice: Browser, frozen: None
) -> None:
    tell(alice, ABUSE_STORY)
    tell(alice, PLAIN_STORY)
    page = today(alice)
    assert "Your safety comes first" in safety_box(page)
    assert "0808 2000 247" in page  # the UK abuse helpline
    assert "I want to text him" not in page and "time to miss you" not in page
    step4 = unescape(alice.get("/step4").text)
    assert "Your life, your safety" in step4 and "Draft my first text" not in step4
    assert alice.api("GET", "/api/v1/status").json()["protection"] is True


def test_under_abuse_nothing_invites_contact_even_with_step4_earned(
    alice: Browser, frozen: None
) -> None:
    with alice.client.app.state.sessions() as session, session.begin():
        fill_demo(session, find_user(session, "alice"), clock.now())
    assert "Draft my first text" in alice.get("/step4").text  # every gate met
    checkin(alice, "he hit me")
    page = today(alice)
    actions = page[page.find('class="actions"') : page.find("</ol>")]
    assert "first text" not in actions and 'data-action="decide"' not in actions
    assert "I want to text" not in page
    step4 = unescape(alice.get("/step4").text)
    assert "no re-contact, no first text" in step4 and 'href="/step4/compose"' not in step4
    assert alice.get("/step4/compose").status_code == 303
    assert alice.post("/step4/draft", {"draft": "Hey"}).status_code == 303
    assert "Your first text will grow" not in unescape(alice.get("/memories").text)
    step4_api = alice.api("GET", "/api/v1/step4").json()
    assert step4_api["closure"] is True and step4_api["unlocked"] is False


def test_a_submitted_draft_is_remembered_but_the_live_review_is_not(alice: Browser) -> None:
    alice.get("/step4/compose")
    typing = alice.htmx("POST", "/step4/review", {"draft": CRISIS})
    assert typing.status_code == 200 and "116 123" in typing.text  # help at once, all the same
    assert rows(alice, SafetySignal) == []
    kept = alice.htmx("POST", "/step4/draft", {"draft": CRISIS})
    assert kept.status_code == 200 and "116 123" in kept.text
    [signal] = rows(alice, SafetySignal)
    assert (signal.kind, signal.source, signal.source_id) == ("crisis", "draft", None)
    plain = alice.post("/step4/draft", {"draft": "Haha, saw a goat today"})
    assert plain.status_code == 200 and "Your first text" in plain.text
    assert len(rows(alice, SafetySignal)) == 1
    abuse = alice.post("/step4/draft", {"draft": "you hit me and I still miss you"})
    assert abuse.status_code == 303 and abuse.headers["location"] == "/step4"


def test_im_safe_now_is_the_persons_own_confirmed_act_and_is_logged(alice: Browser) -> None:
    checkin(alice, CRISIS)
    tell(alice, ABUSE_STORY)
    page = unescape(alice.get("/safety").text)
    assert "Nothing you wrote is deleted" in page and "comes back on its own" in page
    assert "brings back the usual program" in page  # what setting protection aside means
    assert 'action="/safety/clear"' in page and 'name="csrf_token"' in page
    assert "kill myself" in page  # what it is based on, so a misreading can be seen
    unticked = alice.post("/safety/clear", {"note": "nothing ticked"})
    assert unticked.status_code == 400 and "Tick what you'd like" in unescape(unticked.text)
    forged = alice.client.post("/safety/clear", data={"kinds": "crisis"})
    assert forged.status_code == 403 and rows(alice, SafetyClearance) == []
    done = alice.post("/safety/clear", {"kinds": "crisis", "note": "talked to my sister"})
    assert done.status_code == 303 and done.headers["location"] == "/"
    [logged] = rows(alice, SafetyClearance)
    assert logged.kinds == ["crisis"] and logged.note == "talked to my sister"
    box = safety_box(today(alice))
    assert "You don't have to carry this alone" not in box
    assert "Your safety comes first" in box  # protection stays: it wasn't chosen
    alice.post("/safety/clear", {"kinds": "abuse"})
    assert safety_box(today(alice)) == ""
    assert "nothing to set aside" in unescape(alice.get("/safety").text)


def test_words_written_after_clearing_bring_it_back(alice: Browser) -> None:
    checkin(alice, CRISIS)
    alice.get("/safety")
    alice.post("/safety/clear", {"kinds": "crisis"})
    assert safety_box(today(alice)) == ""
    alice.get("/letters/new")
    alice.post("/letters", {"title": "", "body": CRISIS})
    assert "You don't have to carry this alone" in safety_box(today(alice))


def test_the_api_shows_and_clears_the_state(alice: Browser) -> None:
    assert alice.api("GET", "/api/v1/safety").json()["crisis"] is False
    alice.api("POST", "/api/v1/checkins", json={"mood": 3, "note": CRISIS})
    alice.api("POST", "/api/v1/letters", json={"body": "he hit me"})
    state = alice.api("GET", "/api/v1/safety").json()
    assert state["crisis"] and state["abuse"] and state["since"]
    assert {e["source"] for e in state["evidence"]} == {"checkin", "letter"}
    cleared = alice.api("POST", "/api/v1/safety/clear", json={"kinds": ["abuse"]})
    assert cleared.status_code == 200 and cleared.json()["cleared"] == ["abuse"]
    assert cleared.json()["state"]["abuse"] is False
    assert alice.api("GET", "/api/v1/safety").json()["crisis"] is True
    refused = alice.api("POST", "/api/v1/safety/clear", json={"kinds": ["everything"]})
    assert refused.status_code == 422
    assert alice.api("POST", "/api/v1/safety/clear", json={}).json()["cleared"] == ["crisis"]
    assert len(rows(alice, SafetyClearance)) == 2


def test_the_api_review_remembers_only_a_kept_draft(alice: Browser) -> None:
    alice.api("POST", "/api/v1/review", json={"text": CRISIS})
    assert rows(alice, SafetySignal) == []
    kept = alice.api("POST", "/api/v1/review", json={"text": CRISIS, "kept": True})
    assert kept.status_code == 200 and kept.json()["safety"]["crisis"] is True
    assert [s.source for s in rows(alice, SafetySignal)] == ["draft"]


def test_bob_never_sees_alices_state(alice: Browser, bob: Browser) -> None:
    checkin(alice, CRISIS)
    tell(alice, ABUSE_STORY)
    assert safety_box(today(bob)) == ""
    assert bob.api("GET", "/api/v1/safety").json() == {
        "crisis": False,
        "concern": False,
        "abuse": False,
        "since": None,
        "evidence": [],
    }
    assert bob.api("GET", "/api/v1/status").json()["safety"]["evidence"] == []
    assert "nothing to set aside" in unescape(bob.get("/safety").text)
    assert bob.api("POST", "/api/v1/safety/clear", json={}).json()["cleared"] == []
    bob.post("/safety/clear", {})
    assert rows(alice, SafetyClearance) == []
    assert alice.api("GET", "/api/v1/safety").json()["abuse"] is True
