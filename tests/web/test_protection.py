"""Safety before strategy, across the app: a story that shows abuse changes the advice."""

from __future__ import annotations

from html import unescape

from webtools import Browser

ABUSE_STORY = (
    "We were together two years. He checked my phone every night, told me my friends were bad "
    "for me until I stopped seeing them, and last month he hit me. I left two weeks ago."
)


def tell(browser: Browser, story: str) -> None:
    browser.get("/welcome/story")
    assert browser.post("/welcome/story", {"story": story}).status_code in (200, 303)


def test_after_an_abuse_story_today_step4_and_talk_are_about_safety(alice: Browser) -> None:
    tell(alice, ABUSE_STORY)
    today = unescape(alice.get("/").text)
    assert "Your safety comes first" in today
    assert "0808 2000 247" in today  # the UK abuse helpline, for alice in GB
    assert "Keep your distance, for you" in today
    assert "time to miss you" not in today and "I want to text him" not in today
    step4 = unescape(alice.get("/step4").text)
    assert "Your life, your safety" in step4 and "Draft my first text" not in step4
    assert alice.get("/step4/compose").status_code == 303
    response = alice.post("/step4/talk", {"started_by": "you", "messages": "3"})
    assert response.status_code in (303, 400)
    api = alice.api("POST", "/api/v1/conversations", json={"started_by": "you", "messages": 3})
    assert api.status_code == 422 and "your safety" in api.json()["detail"][0]["msg"]
    status = alice.api("GET", "/api/v1/status").json()
    assert status["protection"] is True and status["step4_unlocked"] is False


def test_an_ordinary_story_changes_nothing(alice: Browser) -> None:
    tell(alice, "We broke up a month ago after a year together. He ended it. I miss him.")
    today = unescape(alice.get("/").text)
    assert "Your safety comes first" not in today
    assert "Give him time to miss you" in today
