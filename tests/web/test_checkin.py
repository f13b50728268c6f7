"""The daily check-in, as a person on a phone uses it: one per day, past days, help first."""

from __future__ import annotations

import re
from html import unescape

import pytest

from secondchance.config import Settings
from secondchance.services.safety_notice import notice_for
from secondchance.web import create_app
from webtools import CALM_SAFETY, Browser, api_schema, sign_up

TODAY = "2026-11-18"  # the frozen Wednesday, in London

pytestmark = pytest.mark.usefixtures("frozen")


def answers(**changes: object) -> dict:
    form = {
        "mood": "6",
        "emotions": ["calm", "hopeful"],
        "cried": "no",
        "social_checks": "2",
        "slept_well": "yes",
        "note": "Walked by the sea after work.",
    }
    return {**form, **changes}


def checked(page: str, name: str) -> list[str]:
    """The values of the ticked radios or checkboxes called ``name`` in a page."""
    pattern = rf'<input type="(?:radio|checkbox)" name="{name}" value="([^"]+)" checked'
    return re.findall(pattern, page)


def saved(browser: Browser) -> list[dict]:
    return browser.api("GET", "/api/v1/checkins").json()


def test_a_check_in_is_saved_and_answered_with_what_it_says(alice: Browser) -> None:
    alice.get("/checkin")
    response = alice.post("/checkin", answers())
    assert response.status_code == 303
    assert response.headers["location"] == f"/checkin?day={TODAY}&saved=new"
    page = unescape(alice.follow(response).text)
    assert "Check-in saved" in page and "2 looks at his profile" in page
    assert "Thank you for showing up for yourself" not in page
    [row] = saved(alice)
    assert row["day"] == TODAY
    assert row["mood"] == 6 and row["emotions"] == ["calm", "hopeful"]
    assert row["social_checks"] == 2 and row["slept_well"] is True and row["cried"] is False


def test_coming_back_shows_todays_answers_to_edit(alice: Browser) -> None:
    alice.get("/checkin")
    alice.post("/checkin", answers(cried="yes"))
    page = unescape(alice.get("/checkin").text)
    assert "editing replaces them" in page
    assert checked(page, "mood") == ["6"]
    assert checked(page, "emotions") == ["calm", "hopeful"]
    assert checked(page, "cried") == ["yes"]
    assert "Walked by the sea after work." in page
    assert "Save changes" in page


def test_checking_in_twice_in_a_day_replaces_the_first(alice: Browser) -> None:
    alice.get("/checkin")
    alice.post("/checkin", answers(mood="4"))
    second = alice.post("/checkin", answers(mood="7", emotions=["proud"]))
    assert "Check-in updated" in unescape(alice.follow(second).text)
    [row] = saved(alice)
    assert row["mood"] == 7 and row["emotions"] == ["proud"]


@pytest.mark.parametrize(
    ("mood", "reason"),
    [
        ("11", "should be from 1 to 10, not 11"),
        ("0", "should be from 1 to 10, not 0"),
        ("", "Pick a number from 1 to 10"),
        ("lots", "should be a whole number from 1 to 10"),
    ],
)
def test_a_mood_outside_the_scale_is_refused_and_what_was_typed_is_kept(
    alice: Browser, mood: str, reason: str
) -> None:
    alice.get("/checkin")
    response = alice.post("/checkin", answers(mood=mood, note="Still here <3"))
    assert response.status_code == 400
    page = unescape(response.text)
    assert reason in page
    assert 'aria-describedby="mood-error"' in page and 'id="mood-error"' in page
    assert "Still here <3" in page
    assert checked(page, "emotions") == ["calm", "hopeful"]
    assert saved(alice) == []


def test_a_past_day_can_be_filled_in(alice: Browser) -> None:
    page = unescape(alice.get("/checkin?day=2026-11-15").text)
    assert "Filling in Sunday 15 November" in page
    assert 'name="day" value="2026-11-15"' in page
    response = alice.post("/checkin", answers(mood="3", day="2026-11-15"))
    assert "Sunday 15 November: mood <strong>3</strong>" in unescape(alice.follow(response).text)
    assert [row["day"] for row in saved(alice)] == ["2026-11-15"]
    assert checked(alice.get("/checkin?day=2026-11-15").text, "mood") == ["3"]
    assert checked(alice.get("/checkin").text, "mood") == []


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2026-11-19", "2026-11-19 hasn't happened yet (today is 2026-11-18)"),
        ("2026-02-30", "should be a real date"),
    ],
)
def test_a_future_or_impossible_day_is_refused_with_the_reason(
    alice: Browser, day: str, reason: str
) -> None:
    shown = alice.get(f"/checkin?day={day}")
    assert shown.status_code == 400
    assert reason in unescape(shown.text)
    assert 'id="day-error"' in shown.text
    posted = alice.post("/checkin", answers(day=day))
    assert posted.status_code == 400
    assert reason in unescape(posted.text)
    assert saved(alice) == []


def test_with_htmx_the_form_turns_into_the_saved_state_and_the_list_refreshes(
    alice: Browser,
) -> None:
    alice.get("/checkin")
    response = alice.htmx("POST", "/checkin", answers(mood="8"))
    assert response.status_code == 200
    text = unescape(response.text)
    assert "<html" not in text
    assert 'id="checkin"' in text and "Check-in saved" in text
    assert "mood <strong>8</strong> of 10, calm, hopeful" in text
    assert 'id="checkin-recent"' in text and 'hx-swap-oob="true"' in text


def test_with_htmx_a_refused_answer_comes_back_as_the_form_with_the_reason(
    alice: Browser,
) -> None:
    alice.get("/checkin")
    response = alice.htmx("POST", "/checkin", answers(mood="11"))
    # htmx ignores 4xx answers, so the form comes back with 200 and the reason in it.
    assert response.status_code == 200
    text = unescape(response.text)
    assert "<html" not in text
    assert 'aria-invalid="true"' in text and "should be from 1 to 10, not 11" in text
    assert "Walked by the sea after work." in text
    assert saved(alice) == []


@pytest.mark.parametrize(
    ("note", "heading", "line"),
    [
        ("Honestly I don't want to be here anymore.", "You matter", "116 123"),
        ("He hit me last night when I asked for my keys.", "Your safety comes first", ""),
    ],
)
def test_a_note_that_speaks_of_crisis_or_abuse_shows_help_at_once_and_is_kept(
    alice: Browser, note: str, heading: str, line: str
) -> None:
    alice.get("/checkin")
    response = alice.post("/checkin", answers(note=note))
    assert response.status_code == 200  # stays with the person instead of moving on
    text = unescape(response.text)
    assert heading in text and 'role="alert"' in text
    assert line in text
    assert text.index(heading) < text.index("Check-in saved")
    assert saved(alice)[0]["note"] == note
    # Coming back does not make the help go away.
    assert heading in unescape(alice.get("/checkin").text)


def test_a_crisis_note_sent_with_htmx_shows_help_in_the_answer(alice: Browser) -> None:
    alice.get("/checkin")
    response = alice.htmx("POST", "/checkin", answers(note="I want to kill myself"))
    text = unescape(response.text)
    assert "You matter" in text and "Check-in saved" in text


def test_a_calm_note_shows_no_help_box(alice: Browser) -> None:
    alice.get("/checkin")
    response = alice.post("/checkin", answers(note="A good day, honestly."))
    assert response.status_code == 303
    assert "help-box" not in alice.get("/checkin").text


def test_the_last_seven_check_ins_are_listed_newest_first(alice: Browser) -> None:
    for day in range(8, 19):
        body = {"mood": day % 10 + 1, "day": f"2026-11-{day:02d}"}
        assert alice.api("POST", "/api/v1/checkins", json=body).status_code == 201
    page = unescape(alice.get("/checkin").text)
    recent = page[page.index("Your last check-ins") :]
    days = re.findall(r'href="/checkin\?day=(2026-11-\d\d)"', recent)
    assert days == [f"2026-11-{d}" for d in range(18, 11, -1)]


def test_the_api_creates_replaces_lists_and_reads_a_day(alice: Browser) -> None:
    first = alice.api("POST", "/api/v1/checkins", json={"mood": 5, "emotions": ["tired"]})
    assert first.status_code == 201
    assert first.json()["replaced"] is False and first.json()["day"] == TODAY
    again = alice.api("POST", "/api/v1/checkins", json={"mood": 6, "note": "better"})
    assert again.status_code == 200 and again.json()["replaced"] is True
    past = alice.api("POST", "/api/v1/checkins", json={"mood": 2, "day": "2026-11-17"})
    assert past.status_code == 201
    listed = alice.api("GET", "/api/v1/checkins?limit=1").json()
    assert [row["day"] for row in listed] == [TODAY]
    one = alice.api("GET", "/api/v1/checkins/2026-11-17")
    assert one.status_code == 200 and one.json()["mood"] == 2
    assert alice.api("GET", "/api/v1/checkins/2026-11-01").status_code == 404


def test_the_api_reports_what_the_safety_check_saw(alice: Browser) -> None:
    body = {"mood": 2, "note": "I feel like ending it all"}
    result = alice.api("POST", "/api/v1/checkins", json=body).json()
    assert result["safety"]["crisis"] is True
    assert any("116 123" in line["contact"] for line in result["safety"]["help"])
    calm = alice.api("POST", "/api/v1/checkins", json={"mood": 6, "note": "ok"}).json()
    assert calm["safety"] == CALM_SAFETY


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mood": 11}, "mood"),
        ({"mood": 5, "emotions": ["hangry"]}, "emotions"),
        ({"mood": 5, "day": "2026-11-19"}, "day"),
        ({"mood": 5, "social_checks": -1}, "social_checks"),
    ],
)
def test_the_api_refuses_bad_answers_with_422(alice: Browser, body: dict, field: str) -> None:
    response = alice.api("POST", "/api/v1/checkins", json=body)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert saved(alice) == []


def test_bob_never_sees_or_changes_alices_check_ins(alice: Browser, bob: Browser) -> None:
    alice.get("/checkin")
    alice.post("/checkin", answers(note="Alice's private note"))
    assert "Alice's private note" not in unescape(bob.get("/checkin").text)
    assert "Alice's private note" not in unescape(bob.get(f"/checkin?day={TODAY}").text)
    assert bob.api("GET", "/api/v1/checkins").json() == []
    assert bob.api("GET", f"/api/v1/checkins/{TODAY}").status_code == 404
    bob.get("/checkin")
    bob.post("/checkin", answers(mood="1", note="Bob's day"))
    [row] = saved(alice)
    assert row["mood"] == 6 and row["note"] == "Alice's private note"


@pytest.fixture(scope="module")
def spec() -> dict:
    """The API's OpenAPI schema, made once for this file (it doesn't depend on the database)."""
    return api_schema()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/checkins"),
        ("get", "/api/v1/checkins"),
        ("get", "/api/v1/checkins/{day}"),
        ("post", "/api/v1/urges"),
        ("get", "/api/v1/urges"),
        ("post", "/api/v1/letters"),
        ("get", "/api/v1/letters"),
        ("get", "/api/v1/letters/{letter_id}"),
        ("post", "/api/v1/no-contact"),
        ("post", "/api/v1/contacts"),
        ("get", "/api/v1/contacts"),
    ],
)
def test_every_daily_api_endpoint_documents_its_answer(spec: dict, method: str, path: str) -> None:
    operation = spec["paths"][path][method]
    status = "201" if method == "post" else "200"
    assert operation["summary"]
    assert operation["responses"][status]["content"]["application/json"]["schema"]
    # The pages themselves are not part of the API's documentation.
    assert "/checkin" not in spec["paths"] and "/letters/{letter_id}" not in spec["paths"]


# ------------------------------------------------------------------ unanswered stays unknown


def test_a_fresh_check_in_preselects_no_answer_to_crying_or_sleep(alice: Browser) -> None:
    page = alice.get("/checkin").text
    assert checked(page, "cried") == [] and checked(page, "slept_well") == []


def test_skipped_questions_are_saved_as_not_answered(alice: Browser) -> None:
    alice.get("/checkin")
    form = {k: v for k, v in answers().items() if k not in ("cried", "slept_well")}
    assert alice.post("/checkin", form).status_code == 303
    [row] = saved(alice)
    assert row["cried"] is None and row["slept_well"] is None
    page = unescape(alice.get("/checkin").text)
    assert checked(page, "cried") == [] and checked(page, "slept_well") == []
    assert page.count("(optional: not answered)") == 2
    # The short list says nothing about tears or sleep rather than a guess.
    recent = page[page.index('id="checkin-recent"') :]
    assert "slept" not in recent and "tears" not in recent and "cried" not in recent


def test_an_answer_can_be_cleared_when_editing_the_day(alice: Browser) -> None:
    alice.get("/checkin")
    alice.post("/checkin", answers(cried="yes", slept_well="no"))
    page = unescape(alice.get("/checkin").text)
    assert "Clear answer" in page
    alice.post("/checkin", answers(cried="", slept_well="no"))
    [row] = saved(alice)
    assert row["cried"] is None and row["slept_well"] is False
    assert "slept badly" in unescape(alice.get("/checkin").text)


def test_the_api_takes_null_or_nothing_as_not_answered(alice: Browser) -> None:
    left_out = alice.api("POST", "/api/v1/checkins", json={"mood": 5})
    assert left_out.status_code == 201
    assert left_out.json()["cried"] is None and left_out.json()["slept_well"] is None
    answered = alice.api("POST", "/api/v1/checkins", json={"mood": 5, "cried": False})
    assert answered.json()["cried"] is False
    cleared = alice.api("POST", "/api/v1/checkins", json={"mood": 5, "cried": None})
    assert cleared.status_code == 200 and cleared.json()["cried"] is None
    assert alice.api("GET", f"/api/v1/checkins/{TODAY}").json()["cried"] is None


def test_the_api_gives_the_help_lines_the_one_safety_notice_decides(alice: Browser) -> None:
    # The command line asks the same function (tests/cli/test_cli_safety.py): one decision.
    note = "he hit me and I want to kill myself"
    result = alice.api("POST", "/api/v1/checkins", json={"mood": 2, "note": note}).json()
    expected = notice_for("GB", note)
    assert (result["safety"]["crisis"], result["safety"]["abuse"]) == (True, True)
    assert [line["name"] for line in result["safety"]["help"]] == [r.name for r in expected.help]


def test_the_apps_own_help_lines_come_with_a_crisis_note_and_on_help(db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A service's own lines (help_lines_file) are listed first, wherever help is shown.
    extra = tmp_path / "lines.toml"
    extra.write_text('[[countries.GB.crisis]]\nname = "Campus line"\ncontact = "0800 555 0100"\n')
    settings = Settings(
        database_url=db_url, environment="test", secret_key="k", help_lines_file=extra
    )
    app = create_app(settings)
    try:
        alice = sign_up(Browser(app), "alice")
        body = {"mood": 2, "note": "Honestly I don't want to be here anymore."}
        saved_now = alice.api("POST", "/api/v1/checkins", json=body).json()
        assert saved_now["safety"]["crisis"] is True
        assert saved_now["safety"]["help"][0]["contact"] == "0800 555 0100"
        assert "0800 555 0100" in alice.get("/help").text
    finally:
        app.state.engine.dispose()
