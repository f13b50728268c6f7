"""Focus on yourself (step 3): logging, this week's progress, the last two weeks, targets."""

from __future__ import annotations

import re
from html import unescape

import pytest

from webtools import CALM_SAFETY, Browser

TODAY = "2026-11-18"  # the frozen Wednesday


def main(response) -> str:  # type: ignore[no-untyped-def]
    text = response.text
    start = text.index("<main") if "<main" in text else 0
    end = text.index("</main>") if "</main>" in text else len(text)
    return unescape(text[start:end])


def words(response) -> str:  # type: ignore[no-untyped-def]
    """What a person reads: inline tags dropped, others turned into spaces, spaces collapsed."""
    inline = re.sub(r"</?(?:strong|mark|em|a|span)\b[^>]*>", "", main(response))
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def log(browser: Browser, kind: str, **form: str):  # type: ignore[no-untyped-def]
    return browser.post("/focus/activities", {"kind": kind, **form})


def test_the_page_shows_the_three_tracks_progress_and_why(alice: Browser, frozen) -> None:
    page = alice.get("/focus")
    assert page.status_code == 200
    text = words(page)
    for track in ("Look and feel good", "Happy and positive", "Fun and friends"):
        assert track in text
    for line in (
        "Exercise: 0 of 3 this week",
        "Going out or something new: 0 of 1 this week",
        "Positive practice: 0 of 4 this week",
        "Look-and-feel: 0 of 1 these two weeks",
    ):
        assert line in text
    assert page.text.count("<progress") == 4
    assert "Why this matters" in text and "him included" in text
    assert "Nothing yet, and that's fine." in text


def test_one_tap_logs_it_for_today_and_says_so(alice: Browser, frozen) -> None:
    alice.get("/focus")
    tapped = log(alice, "exercise")
    assert tapped.status_code == 303
    assert re.fullmatch(r"/focus\?logged=\d+#focus-board", tapped.headers["location"])
    page = alice.follow(tapped)
    text = words(page)
    assert "Logged. Good for you." in page.text
    assert "Exercise: 1 of 3 this week" in text
    assert re.search(r'<li class="just-logged" data-kind="exercise">\s*Exercise', page.text)
    assert "Today Exercise" in text


@pytest.mark.parametrize(
    ("logged", "line"),
    [
        # Two runs today and one eight days ago: only this week's two count.
        (
            [("exercise", TODAY), ("exercise", TODAY), ("exercise", "2026-11-10")],
            "Exercise: 2 of 3 this week",
        ),
        ([("going_out", "2026-11-12"), ("something_new", TODAY)], "Going out or something new: 2"),
        ([("gratitude", "2026-11-17"), ("reframe", "2026-11-16")], "Positive practice: 2 of 4"),
        # The look-and-feel target counts a fortnight: ten days ago still counts.
        ([("outfit", "2026-11-08")], "Look-and-feel: 1 of 1 these two weeks"),
        ([("hair", "2026-11-04")], "Look-and-feel: 0 of 1 these two weeks"),
    ],
)
def test_activities_count_toward_their_targets(alice: Browser, frozen, logged, line) -> None:
    alice.get("/focus")
    for kind, day in logged:
        assert log(alice, kind, day=day).status_code == 303
    assert line in words(alice.get("/focus"))


def test_a_met_target_is_marked_done(alice: Browser, frozen) -> None:
    alice.get("/focus")
    log(alice, "hair")
    log(alice, "outfit")
    page = alice.get("/focus")
    assert "Look-and-feel: 2 these two weeks, past your aim of 1" in words(page)
    assert '<li class="met" data-target="look">' in page.text


def test_with_htmx_only_the_board_comes_back(alice: Browser, frozen) -> None:
    alice.get("/focus")
    answer = alice.htmx("POST", "/focus/activities", {"kind": "gratitude"})
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<div id="focus-board"')
    assert "<html" not in answer.text
    assert "Positive practice: 1 of 4 this week" in words(answer)
    assert "Logged a gratitude note. Good for you." in answer.text


def test_a_past_day_and_a_note_are_kept(alice: Browser, frozen) -> None:
    alice.get("/focus")
    log(alice, "going_out", day="2026-11-16", note="Quiz night with Priya and Tom")
    text = words(alice.get("/focus"))
    assert "Monday 16 November Going out with friends Quiz night with Priya and Tom" in text


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"kind": "exercise", "day": "2026-11-19"}, "day", "hasn't happened yet"),
        ({"kind": "exercise", "day": "2026-02-30"}, "day", "real date"),
        ({"kind": "napping"}, "kind", "should be one of"),
    ],
)
def test_what_cannot_be_logged_is_explained_next_to_the_field(alice, frozen, form, field, says):
    alice.get("/focus")
    typed = {**form, "note": "felt strong today"}
    page = alice.post("/focus/activities", typed)
    assert page.status_code == 400
    assert says in words(page)
    assert f'id="{field}-error"' in page.text
    assert re.search(rf'aria-invalid="true" aria-describedby="{field}-error"', page.text)
    assert ">felt strong today</textarea>" in page.text
    assert '<details class="focus-more" open>' in page.text
    assert "Nothing yet" in words(page)


def test_with_htmx_a_refusal_comes_back_in_the_board(alice: Browser, frozen) -> None:
    alice.get("/focus")
    answer = alice.htmx("POST", "/focus/activities", {"kind": "exercise", "day": "2026-12-25"})
    assert answer.status_code == 200
    assert "hasn't happened yet" in unescape(answer.text) and 'id="day-error"' in answer.text


def test_a_note_in_crisis_shows_help_and_it_stays_after_a_lighter_one(alice, frozen) -> None:
    alice.get("/focus")
    heavy = log(alice, "exercise", note="ran until I couldn't think. I want to die honestly")
    page = alice.follow(heavy)
    assert 'role="alert"' in page.text and "116 123" in words(page)
    log(alice, "gratitude", note="I'm fine now, really")
    later = alice.get("/focus")
    assert 'role="alert"' in later.text and "116 123" in words(later)


def test_targets_can_be_changed(alice: Browser, frozen) -> None:
    alice.get("/focus")
    saved = alice.post(
        "/focus/targets", {"exercise": "5", "fun": "2", "positive": "3", "look": "2"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/focus"
    page = alice.follow(saved)
    assert "Targets saved." in page.text
    text = words(page)
    assert "Exercise: 0 of 5 this week" in text
    assert "Look-and-feel: 0 of 2 these two weeks" in text
    assert re.search(r'id="target-exercise"[^>]*value="5"', page.text.replace("\n", " "))


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"exercise": "50"}, "exercise", "Should be from 0 to 21, not 50. A plan nobody can keep"),
        ({"look": "30"}, "look", "up to 14 a fortnight is plenty"),
        ({"fun": "-1"}, "fun", "Should be from 0 to 21, not -1."),
        ({"positive": "lots"}, "positive", "whole number"),
    ],
)
def test_silly_targets_are_refused_with_the_reason_and_nothing_changes(
    alice, frozen, form, field, says
) -> None:
    alice.get("/focus")
    typed = {"exercise": "6", "fun": "2", "positive": "5", "look": "1", **form}
    page = alice.post("/focus/targets", typed)
    assert page.status_code == 400
    assert says in words(page)
    assert f'id="{field}-error"' in page.text
    flat = page.text.replace("\n", " ")
    assert re.search(rf'id="target-{field}"[^>]*value="{re.escape(form[field])}"', flat)
    assert re.search(rf'id="target-{field}"[^>]*aria-invalid="true"', flat)
    # Even the numbers that were fine are unchanged: it is all or nothing.
    targets = alice.api("GET", "/api/v1/targets").json()
    assert (targets["exercise"], targets["fun"], targets["positive"]) == (3, 1, 4)


def test_activities_are_logged_and_listed_through_the_api(alice: Browser, frozen) -> None:
    made = alice.api("POST", "/api/v1/activities", json={"kind": "going_out", "note": "bowling"})
    assert made.status_code == 201
    body = made.json()
    assert body["label"] == "Going out with friends" and body["track"] == "fun_and_friends"
    assert body["day"] == TODAY and body["safety"] == CALM_SAFETY
    alice.api("POST", "/api/v1/activities", json={"kind": "hair", "day": "2026-11-10"})
    listed = alice.api("GET", "/api/v1/activities").json()
    assert [a["kind"] for a in listed] == ["going_out", "hair"]
    assert [a["kind"] for a in alice.api("GET", "/api/v1/activities?days=7").json()] == [
        "going_out"
    ]
    one = alice.api("GET", f"/api/v1/activities/{body['id']}").json()
    assert one["note"] == "bowling"


def test_the_api_gives_help_with_a_note_in_crisis(alice: Browser) -> None:
    made = alice.api(
        "POST", "/api/v1/activities", json={"kind": "exercise", "note": "I want to kill myself"}
    )
    assert made.status_code == 201
    assert made.json()["safety"]["crisis"] is True
    assert any("116 123" in line["contact"] for line in made.json()["safety"]["help"])


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/v1/activities", {"kind": "napping"}),
        ("POST", "/api/v1/activities", {"kind": "exercise", "day": "2026-11-19"}),
        ("POST", "/api/v1/activities", {"kind": "exercise", "note": "x" * 2001}),
        ("GET", "/api/v1/activities?days=15", None),
        ("PUT", "/api/v1/targets", {"exercise": 50}),
        ("PUT", "/api/v1/targets", {"look": -1}),
    ],
)
def test_the_api_refuses_bad_input_with_422(alice, frozen, method, url, body) -> None:
    assert alice.api(method, url, json=body).status_code == 422


def test_targets_and_progress_through_the_api(alice: Browser, frozen) -> None:
    alice.api("POST", "/api/v1/activities", json={"kind": "exercise"})
    before = alice.api("GET", "/api/v1/targets").json()
    assert (before["exercise"], before["look"]) == (3, 1)
    exercise = next(p for p in before["progress"] if p["key"] == "exercise")
    assert exercise == {
        "key": "exercise",
        "label": "Exercise",
        "done": 1,
        "target": 3,
        "period_days": 7,
        "met": False,
    }
    after = alice.api("PUT", "/api/v1/targets", json={"exercise": 1, "look": 2})
    assert after.status_code == 200
    assert (after.json()["exercise"], after.json()["look"], after.json()["fun"]) == (1, 2, 1)
    assert next(p for p in after.json()["progress"] if p["key"] == "exercise")["met"] is True


def test_bob_can_neither_read_nor_change_alices_activities_or_targets(alice, bob, frozen):
    alice.get("/focus")
    made = alice.api("POST", "/api/v1/activities", json={"kind": "exercise", "note": "swim at 7"})
    activity = made.json()["id"]
    assert "swim at 7" not in bob.get("/focus").text
    assert bob.get(f"/focus?logged={activity}").status_code == 404
    assert bob.api("GET", f"/api/v1/activities/{activity}").status_code == 404
    assert bob.api("GET", "/api/v1/activities").json() == []
    bob.get("/focus")
    bob.post("/focus/targets", {"exercise": "7", "fun": "7", "positive": "7", "look": "7"})
    bob.api("PUT", "/api/v1/targets", json={"exercise": 9})
    assert alice.api("GET", "/api/v1/targets").json()["exercise"] == 3
    assert "Exercise: 1 of 3 this week" in words(alice.get(f"/focus?logged={activity}"))
