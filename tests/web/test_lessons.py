"""The daily lesson on Today, the lessons page, and the journal that answers the prompts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
import time_machine

from secondchance import clock
from secondchance.program.lessons import all_lessons, by_slug
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user
from webtools import FROZEN, Browser

pytestmark = pytest.mark.usefixtures("frozen")

CRISIS = "I want to kill myself"
ABUSE = "He checked my phone every night and wouldn't let me see my friends. He hit me."
LESSON = re.compile(r'class="card lesson-today"[^>]*data-lesson="([a-z0-9-]+)"')


def today_lesson(browser: Browser) -> str:
    page = browser.get("/").text
    found = LESSON.search(page)
    assert found, "Today shows a lesson"
    return found.group(1)


def start(browser: Browser) -> None:
    browser.get("/no-contact/start")
    assert browser.post("/no-contact/start", {}).status_code == 303


def later(days: int):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.fromisoformat(FROZEN) + timedelta(days=days), tick=False)


def test_a_new_person_sees_a_step_one_lesson_and_another_on_day_nine(alice: Browser) -> None:
    start(alice)
    first = today_lesson(alice)
    assert by_slug(all_lessons(), first).step == 1
    page = unescape(alice.get("/").text)
    assert page.index("lesson-today") < page.index('id="step-title"'), "the lesson leads"
    with later(8):
        ninth = today_lesson(alice)
    assert by_slug(all_lessons(), ninth).step == 1
    assert ninth != first


def test_the_demo_person_in_step_four_sees_a_step_four_lesson_on_today(alice: Browser) -> None:
    with alice.client.app.state.sessions() as session, session.begin():
        fill_demo(session, find_user(session, "alice"), clock.now())
    lesson = by_slug(all_lessons(), today_lesson(alice))
    assert lesson.step == 4 and lesson.slug == "am-i-ready"
    alice.get(f"/lessons/{lesson.slug}")
    assert today_lesson(alice) == "the-first-text"


def test_a_person_in_protection_never_sees_a_win_back_lesson_on_today(alice: Browser) -> None:
    start(alice)
    alice.get("/welcome/story")
    alice.post("/welcome/story", {"story": ABUSE})
    seen = set()
    for day in range(0, 29, 2):
        with later(day):
            slug = today_lesson(alice)
            alice.get(f"/lessons/{slug}")  # read, so the next one comes
            seen.add(slug)
    lessons = [by_slug(all_lessons(), slug) for slug in seen]
    assert all(lesson.safe and not lesson.win_back for lesson in lessons), seen


def test_the_lesson_uses_the_exs_pronouns(bob: Browser) -> None:
    start(bob)
    page = unescape(bob.get("/lessons/social-media").text)
    assert "Checking her profile" in page
    assert "{" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_opening_a_lesson_marks_it_read_and_today_moves_on(alice: Browser) -> None:
    start(alice)
    first = today_lesson(alice)
    page = unescape(alice.get(f"/lessons/{first}").text)
    lesson = by_slug(all_lessons(), first).in_words("Sam", "he")
    assert lesson.title in page and lesson.try_today in page and lesson.prompt in page
    listing = unescape(alice.get("/lessons").text)
    marked = rf'data-lesson="{first}"><a [^>]+>[^<]+</a> <span class="muted">· read'
    assert re.search(marked, listing)
    assert today_lesson(alice) != first


def test_a_lesson_that_does_not_exist_is_a_kind_404(alice: Browser) -> None:
    assert alice.get("/lessons/no-such-lesson").status_code == 404


def test_a_journal_answer_is_kept_listed_edited_and_deleted(alice: Browser) -> None:
    start(alice)
    alice.get("/lessons/crying-spiral")
    response = alice.post("/journal", {"lesson": "crying-spiral", "text": "Tea and a walk help."})
    assert response.headers["location"] == "/lessons/crying-spiral#journal"
    page = unescape(alice.follow(response).text)
    assert "Kept in your journal." in page and "Tea and a walk help." in page
    entry = alice.api("GET", "/api/v1/journal").json()[0]
    assert entry["lesson_slug"] == "crying-spiral"
    assert entry["prompt"].startswith("What usually sets off a crying spiral")
    assert entry["day"] == FROZEN[:10], "saved with the day"
    with later(5):  # readable later, on the journal page and beside its lesson
        assert "Tea and a walk help." in unescape(alice.get("/journal").text)
        assert "Tea and a walk help." in unescape(alice.get("/lessons/crying-spiral").text)
    alice.get(f"/journal/{entry['id']}/edit")
    edited = alice.post(f"/journal/{entry['id']}", {"text": "Tea, a walk, and my sister."})
    assert "and my sister" in unescape(alice.follow(edited).text)
    alice.get("/journal")
    deleted = alice.post(f"/journal/{entry['id']}/delete")
    assert "Nothing written yet" in unescape(alice.follow(deleted).text)


def test_an_empty_entry_is_refused_and_what_was_typed_is_kept(alice: Browser) -> None:
    alice.get("/journal")
    response = alice.post("/journal", {"text": "   "})
    assert response.status_code == 400
    assert "can't be empty" in unescape(response.text)


def test_bob_cannot_touch_alices_journal(alice: Browser, bob: Browser) -> None:
    alice.get("/journal")
    alice.post("/journal", {"text": "Mine alone."})
    entry_id = alice.api("GET", "/api/v1/journal").json()[0]["id"]
    assert bob.get(f"/journal/{entry_id}/edit").status_code == 404
    bob.get("/journal")
    assert bob.post(f"/journal/{entry_id}", {"text": "x"}).status_code == 404
    assert bob.post(f"/journal/{entry_id}/delete").status_code == 404
    assert bob.api("DELETE", f"/api/v1/journal/{entry_id}").status_code == 404
    assert alice.api("GET", "/api/v1/journal").json()[0]["text"] == "Mine alone."


def test_a_crisis_in_the_journal_shows_help_and_is_remembered(alice: Browser) -> None:
    start(alice)
    alice.get("/lessons/crying-spiral")
    response = alice.post("/journal", {"lesson": "crying-spiral", "text": CRISIS})
    assert response.status_code == 200
    page = unescape(response.text)
    assert "you don't have to carry this alone" in page
    assert "116 123" in page  # Samaritans, for someone in the UK
    assert "Your words are kept" in page
    state = alice.api("GET", "/api/v1/status").json()
    assert state["safety"]["crisis"] is True
    assert by_slug(all_lessons(), today_lesson(alice)).slug == "crisis-help-first"


def test_abuse_in_the_journal_turns_on_protection_and_no_win_back_lesson(alice: Browser) -> None:
    start(alice)
    alice.get("/journal")
    response = alice.post("/journal", {"text": ABUSE})
    assert "Your safety comes first" in unescape(response.text)
    for day in (0, 3, 9, 16, 25):  # within the sign-in's 30 days
        with later(day):
            lesson = by_slug(all_lessons(), today_lesson(alice))
            assert lesson.safe and not lesson.win_back
            assert alice.get(f"/lessons/{lesson.slug}").status_code == 200
    assert alice.get("/lessons/why-absence").status_code == 404, "win-back lessons are hidden"
    listed = {item["slug"] for item in alice.api("GET", "/api/v1/lessons").json()}
    assert not any(by_slug(all_lessons(), slug).win_back for slug in listed)


def test_the_api_gives_todays_lesson_and_keeps_journal_entries(alice: Browser) -> None:
    start(alice)
    today = alice.api("GET", "/api/v1/lessons/today").json()
    assert today["your_step"] == 1 and today["day_in_step"] == 1 and today["read"] is False
    assert today["url"] == f"/lessons/{today['slug']}"
    read = alice.api("POST", f"/api/v1/lessons/{today['slug']}/read").json()
    assert read["read"] is True
    assert {x["slug"]: x["read"] for x in alice.api("GET", "/api/v1/lessons").json()}[today["slug"]]
    kept = alice.api("POST", "/api/v1/journal", json={"text": "Calm day.", "lesson_slug": "slips"})
    assert kept.status_code == 201 and kept.json()["safety"]["crisis"] is False
    entry_id = kept.json()["id"]
    changed = alice.api("PUT", f"/api/v1/journal/{entry_id}", json={"text": CRISIS}).json()
    assert changed["safety"]["crisis"] is True and changed["safety"]["help"]
    assert alice.api("DELETE", f"/api/v1/journal/{entry_id}").status_code == 204
    assert alice.api("GET", "/api/v1/journal").json() == []
    wrong = alice.api("POST", "/api/v1/journal", json={"text": "x", "lesson_slug": "nope"})
    assert wrong.status_code in (400, 422)
