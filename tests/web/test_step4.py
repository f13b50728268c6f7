"""Step 4 on the web and in the API: gates, readiness, the composer's live review, conversations,
closure on the move-on path, and privacy."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import select

from secondchance import clock
from secondchance.analysis import review
from secondchance.analysis.draft import Finding
from secondchance.models import Conversation, ReadinessCheck
from secondchance.program.steps import READINESS_QUESTIONS
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user
from secondchance.services.status import current_status
from secondchance.web.routes._step4 import DRAFT_MAX
from secondchance.web.routes.step4_compose import Segment, marked_segments
from webtools import CALM_SAFETY, Browser, sign_up

ALL_YES = {q.key: "yes" for q in READINESS_QUESTIONS}
GOAT_DRAFT = "Haha, saw a goat today and thought of Sam's wedding"
CHAT = {"started_by": "you", "messages": "6", "ex_replied": "1", "ended_by": "you", "note": ""}


def fill_with_demo(browser: Browser, username: str = "alice") -> None:
    """Give ``username`` the six-week example (all gates met), ending now. Their ex is Alex."""
    with browser.client.app.state.sessions() as session, session.begin():
        fill_demo(session, find_user(session, username), clock.now())


def phase_of(browser: Browser, username: str = "alice") -> str:
    with browser.client.app.state.sessions() as session:
        return current_status(session, find_user(session, username), clock.now()).phase


def rows(browser: Browser, model):  # type: ignore[no-untyped-def]
    with browser.client.app.state.sessions() as session:
        return list(session.scalars(select(model)))


def live_review(browser: Browser, draft: str, **extra: str):  # type: ignore[no-untyped-def]
    browser.get("/step4/compose")
    return browser.htmx("POST", "/step4/review", {"draft": draft, **extra})


def marks(html: str) -> list[tuple[str, str, str]]:
    """Return (kind, rules, text) of every mark in the review's marked draft."""
    draft = re.search(r'<p class="draft-marked"[^>]*>(.*?)</p>', html, re.S)
    assert draft, html
    found = re.findall(
        r'<mark class="mark-(\w+)" data-rules="([^"]*)">(.*?)</mark>', draft.group(1)
    )
    return [(kind, rules, unescape(text)) for kind, rules, text in found]


# --------------------------------------------------------------------------------------------
# Gates and what is open
# --------------------------------------------------------------------------------------------


def test_a_new_person_sees_the_four_gates_locked_with_their_numbers(alice: Browser) -> None:
    page = unescape(alice.get("/step4").text)
    assert "Step 4 is locked for now" in page
    for title in ("No contact", "Calm and in control", "Focus on yourself", "Ready in yourself"):
        assert f"<strong>{title}</strong>" in page
    assert "Days without contact: <strong>0</strong>" in page
    assert "(aim: at least 21)" in page
    assert "Check-ins this week: <strong>0</strong>" in page
    assert "Readiness check (yes answers): <strong>none yet</strong>" in page
    assert page.count('class="gate-state">not yet<') == 4
    reasons = re.search(r'<ul class="lock-reasons">(.*?)</ul>', page, re.S).group(1)
    assert "Not started yet: no contact begins the day you decide." in reasons
    assert 'href="/step4/ready"' in page


def test_a_person_filled_with_the_demo_finds_step4_open(alice: Browser, frozen: None) -> None:
    fill_with_demo(alice)
    page = unescape(alice.get("/step4").text)
    assert "Step 4 is open." in page
    assert "locked" not in page
    assert page.count('class="gate-state">met<') == 4
    assert 'href="/step4/compose"' in page
    compose = unescape(alice.get("/step4/compose").text)
    assert "Not yet time to send" not in compose
    assert "Your first text to Alex" in compose


def test_before_step4_opens_the_composer_is_for_practice(alice: Browser) -> None:
    page = unescape(alice.get("/step4/compose").text)
    assert "Not yet time to send." in page
    assert "Step 4 is locked for now" in page
    assert "We never send anything" in page
    assert 'hx-post="/step4/review"' in page
    assert 'hx-trigger="input changed delay:400ms, submit"' in page
    assert 'hx-target="#review"' in page


def test_undecided_people_are_asked_to_decide_once_step4_opens(
    alice: Browser, frozen: None
) -> None:
    fill_with_demo(alice)
    assert alice.api("PUT", "/api/v1/profile", json={"goal": "undecided"}).status_code == 200
    for url in ("/step4", "/step4/compose"):
        page = unescape(alice.get(url).text)
        assert "do you want him back, for you?" in page
        assert 'href="/welcome"' in page
    assert "do you want him back" in alice.api("GET", "/api/v1/step4").json()["decide"]


def test_move_on_shows_closure_with_milestones_and_a_final_letter(app) -> None:  # type: ignore[no-untyped-def]
    carol = sign_up(Browser(app), "carol", goal="move_on")
    page = unescape(carol.get("/step4").text)
    assert "Close the chapter" in page
    assert "7 days without contact" in page and "A final letter, written and kept" in page
    assert 'href="/letters/new?final=1"' in page
    assert "/step4/compose" not in page and "/step4/talk" not in page
    assert "The four gates" not in page
    for url in ("/step4/compose", "/step4/talk", "/step4/ready"):
        response = carol.get(url)
        assert response.status_code == 303 and response.headers["location"] == "/step4"
    carol.get("/step4")
    refused = carol.htmx("POST", "/step4/review", {"draft": "Hi Sam"})
    assert refused.status_code == 303
    data = carol.api("GET", "/api/v1/step4").json()
    assert data["closure"] is True and data["unlocked"] is False
    assert [m["id"] for m in data["milestones"]][-1] == "final_letter"


# --------------------------------------------------------------------------------------------
# The live review
# --------------------------------------------------------------------------------------------


def test_typing_i_miss_you_marks_it_and_says_dont_send(alice: Browser, frozen: None) -> None:
    response = live_review(alice, "I miss you so much")
    assert response.status_code == 200
    assert "<html" not in response.text  # the partial alone
    html = response.text
    assert 'data-verdict="dont_send"' in html and "Don&#39;t send this one." in html
    # The mark sits exactly on the finding's span ("miss you"), right after the "I".
    assert '>I <mark class="mark-problem" data-rules="miss_you">miss you</mark> so much</p>' in html
    assert marks(html) == [("problem", "miss_you", "miss you")]
    assert 'data-rule="miss_you"' in html
    assert '<p id="review-status" hx-swap-oob="innerHTML">Don&#39;t send this one.' in html


def test_a_light_draft_from_the_memory_bank_is_good_to_send(alice: Browser, frozen: None) -> None:
    alice.api("POST", "/api/v1/memories", json={"title": "goat wedding", "tags": ["goat"]})
    html = live_review(alice, GOAT_DRAFT).text
    assert 'data-verdict="send"' in html
    assert "Good to send" in html
    kinds = {(kind, rules) for kind, rules, _ in marks(html)}
    assert ("strength", "light_tone") in kinds and ("strength", "shared_memory") in kinds
    assert all(kind == "strength" for kind, _ in kinds)
    page = unescape(html)
    assert 'data-rule="shared_memory"' in page and '"goat wedding"' in page
    assert "Ideas from your memory bank" in page
    assert "Random, but I just remembered our goat wedding 😄" in page


def test_the_review_is_the_same_as_the_analysis_with_the_persons_memories(
    alice: Browser, frozen: None
) -> None:
    alice.api("POST", "/api/v1/memories", json={"title": "goat wedding", "tags": ["goat"]})
    got = alice.api("POST", "/api/v1/review", json={"text": GOAT_DRAFT}).json()
    local_now = datetime(2026, 11, 18, 15, tzinfo=UTC).astimezone(clock.zone("Europe/London"))
    expected = review(
        GOAT_DRAFT,
        stage="first",
        memories=[{"title": "goat wedding", "text": "", "tags": ["goat"]}],
        now=local_now,
        ex_pronoun="he",
    ).to_dict()
    assert got == {**expected, "safety": CALM_SAFETY}
    plain = alice.api(
        "POST", "/api/v1/review", json={"text": GOAT_DRAFT, "include_memories": False}
    ).json()
    assert all("goat wedding" not in s for s in plain["suggestions"])


@pytest.mark.parametrize("htmx", [True, False])
def test_drafts_come_back_escaped(alice: Browser, frozen: None, htmx: bool) -> None:
    draft = '<script>alert("hi")</script> I miss you'
    if htmx:
        response = live_review(alice, draft)
    else:
        alice.get("/step4/compose")
        response = alice.post("/step4/compose", {"draft": draft})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;" in response.text
    assert ("problem", "miss_you", "miss you") in marks(response.text)


def test_without_javascript_the_review_button_shows_the_page_again_with_the_review(
    alice: Browser, frozen: None
) -> None:
    alice.get("/step4/compose")
    response = alice.post("/step4/compose", {"draft": "Hey"})
    assert response.status_code == 200
    page = unescape(response.text)
    assert "<html" in page
    assert re.search(r'<textarea name="draft"[^>]*>Hey</textarea>', page)
    assert 'data-verdict="revise"' in page and 'data-rule="generic"' in page


def test_choosing_a_suggestion_puts_it_in_the_box_and_reviews_it(
    alice: Browser, frozen: None
) -> None:
    alice.api("POST", "/api/v1/memories", json={"title": "goat wedding", "tags": ["goat"]})
    idea = "Random, but I just remembered our goat wedding 😄"
    html = unescape(live_review(alice, "Hey", use=idea).text)
    # data-chosen: step4.js brings the chosen text into view and puts the cursor in it.
    assert '<div class="field draft-field" id="draft-field" hx-swap-oob="true" data-chosen>' in html
    assert re.search(rf'<textarea name="draft"[^>]*>{re.escape(idea)}</textarea>', html)
    assert 'data-rule="shared_memory"' in html
    alice.get("/step4/compose")
    page = unescape(alice.post("/step4/compose", {"draft": "Hey", "use": idea}).text)
    assert re.search(rf'<textarea name="draft"[^>]*>{re.escape(idea)}</textarea>', page)
    assert 'hx-swap-oob="true">' not in page.split('id="review"')[0]


def test_the_live_review_reads_its_form_as_fastapi_would(alice: Browser, frozen: None) -> None:
    """The live review reads its own two fields (deps.form_fields): an empty ``use`` is no
    choice, as an empty form field is FastAPI's default; a field over its limit is a 422."""
    html = unescape(live_review(alice, "I miss you so much", use="").text)
    assert 'data-rule="miss_you"' in html and "data-chosen" not in html
    over = "a" * (DRAFT_MAX * 2 + 1)
    for fields in ({"draft": over}, {"draft": "Hey", "use": over}):
        refused = alice.htmx("POST", "/step4/review", fields)
        assert refused.status_code == 422, fields
        assert "at most" in refused.text


def test_typing_nothing_asks_for_a_draft(alice: Browser) -> None:
    html = live_review(alice, "   ").text
    assert "Start typing and the review appears here" in html
    assert "data-verdict" not in html


@pytest.mark.parametrize(
    ("draft", "heading", "verdict_shown"),
    [
        ("I wish I was dead. Can we talk?", "you don't have to carry this alone", False),
        ("He hit me. I miss you", "Your safety comes first", True),
    ],
)
def test_a_draft_that_shows_crisis_or_abuse_shows_help_first(
    alice: Browser, frozen: None, draft: str, heading: str, verdict_shown: bool
) -> None:
    html = live_review(alice, draft).text
    assert heading in unescape(html)
    assert "116 123" in html  # UK crisis line for alice
    help_at = html.index("help-box")
    if verdict_shown:
        assert help_at < html.index("data-verdict")
        assert ("problem", "miss_you", "miss you") in marks(html)
        assert all("abuse" not in rules for _, rules, _ in marks(html))
    else:
        assert "data-verdict" not in html and "Use this one" not in html
        assert "The text can wait" in html
    data = alice.api("POST", "/api/v1/review", json={"text": draft}).json()
    assert data["safety"]["crisis"] or data["safety"]["abuse"]
    assert data["suggestions"] == []


# --------------------------------------------------------------------------------------------
# Highlighting (pure)
# --------------------------------------------------------------------------------------------


def finding(rule: str, kind: str, start: int, end: int) -> Finding:
    return Finding(rule, kind, "warn", start, end, "", "")


@pytest.mark.parametrize(
    ("text", "findings", "expected"),
    [
        ("hello", [], [Segment("hello", "")]),
        ("I miss you", [finding("miss_you", "problem", 2, 10)], [
            Segment("I ", ""), Segment("miss you", "problem", ("miss_you",))]),
        # A problem inside a strength: the problem wins where they overlap.
        ("haha miss you", [finding("light_tone", "strength", 0, 13),
                           finding("miss_you", "problem", 5, 13)], [
            Segment("haha ", "strength", ("light_tone",)),
            Segment("miss you", "problem", ("miss_you",))]),
        # Two problems overlapping: three runs, the middle one carries both rules.
        ("abcdef", [finding("a", "problem", 0, 4), finding("b", "problem", 2, 6)], [
            Segment("ab", "problem", ("a",)), Segment("cd", "problem", ("a", "b")),
            Segment("ef", "problem", ("b",))]),
        # Whole-draft, timing, safety and out-of-range findings mark nothing.
        ("just this", [finding("short", "strength", 0, 9), finding("late_night", "problem", 0, 0),
                       finding("crisis", "problem", 0, 4), finding("x", "problem", 5, 99)],
         [Segment("just this", "")]),
        ("", [finding("empty", "problem", 0, 0)], []),
    ],
)  # fmt: skip
def test_marked_segments_cut_overlaps_and_give_the_text_back(
    text: str, findings: list[Finding], expected: list[Segment]
) -> None:
    segments = marked_segments(text, findings)
    assert segments == expected
    assert "".join(s.text for s in segments) == text


# --------------------------------------------------------------------------------------------
# Readiness
# --------------------------------------------------------------------------------------------


def test_the_readiness_questions_use_the_exs_name_and_pronouns(bob: Browser) -> None:
    page = unescape(bob.get("/step4/ready").text)
    assert "Could you see Jo without breaking down?" in page
    assert "If she didn't reply, or replied coolly, would you be okay?" in page
    assert page.count('value="yes"') == 5 and page.count('value="no"') == 5


def test_readiness_answers_are_stored_and_not_yet_gets_an_honest_warm_reply(
    alice: Browser,
) -> None:
    alice.get("/step4/ready")
    response = alice.post("/step4/ready", {**ALL_YES, "okay_without_reply": "no"})
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/step4/ready/\d+", location)
    page = unescape(alice.follow(response).text)
    assert "Thank you for answering honestly." in page
    assert "A first text only works when any answer, or none, would be okay." in page
    assert page.count("Not yet</strong>") == 1
    [stored] = rows(alice, ReadinessCheck)
    assert stored.answers == {**{k: True for k in ALL_YES}, "okay_without_reply": False}
    gates = unescape(alice.get("/step4").text)
    assert "Readiness check (yes answers): <strong>4</strong>" in gates


def test_five_yeses_meet_the_readiness_gate_and_say_what_is_still_to_come(alice: Browser) -> None:
    alice.get("/step4/ready")
    page = unescape(alice.follow(alice.post("/step4/ready", ALL_YES)).text)
    assert "Five times yes." in page
    assert "Step 4 is locked for now" in page  # the other gates are still to come
    assert 'data-gate="readiness"' not in page.split("lock-reasons")[1].split("</ul>")[0]
    gates = unescape(alice.get("/step4").text)
    assert "Readiness check (yes answers): <strong>5</strong>" in gates


def test_unanswered_questions_are_pointed_out_and_answers_kept(alice: Browser) -> None:
    alice.get("/step4/ready")
    answers = {"see_without_breaking_down": "yes", "life_you_enjoy": "no"}
    response = alice.post("/step4/ready", answers)
    assert response.status_code == 400
    page = response.text
    assert page.count("Choose yes or not yet.") == 3
    assert 'aria-describedby="okay_without_reply-error"' in page
    checked = re.findall(r'name="(\w+)" value="(\w+)" checked', page)
    assert sorted(checked) == [("life_you_enjoy", "no"), ("see_without_breaking_down", "yes")]
    assert rows(alice, ReadinessCheck) == []


# --------------------------------------------------------------------------------------------
# Conversations
# --------------------------------------------------------------------------------------------


def test_conversations_are_refused_before_step4_opens_with_the_reason(alice: Browser) -> None:
    page = unescape(alice.get("/step4/talk").text)
    assert "Step 4 is locked for now" in page
    assert 'name="started_by"' not in page  # no form to fill in for nothing
    response = alice.post("/step4/talk", CHAT)
    assert response.status_code == 400
    text = unescape(response.text)
    assert "Step 4 isn't open yet (still to come: no contact, calm and in control" in text
    assert "log it as contact" in text and "secondchance contact" not in text
    api = alice.api("POST", "/api/v1/conversations", json={"started_by": "you"})
    assert api.status_code == 422 and "isn't open yet" in api.json()["detail"][0]["msg"]
    assert rows(alice, Conversation) == []


def test_a_conversation_is_logged_once_step4_is_open_and_pacing_follows(
    alice: Browser, frozen: None
) -> None:
    fill_with_demo(alice)
    page = unescape(alice.get("/step4/talk").text)
    assert "Your first conversation ends no contact." in page
    # This morning in New York, where the demo lives: long enough ago for the chat to be over.
    morning = {"started_at": "2026-11-18T06:00", "note": "He laughed about the goat"}
    response = alice.post("/step4/talk", {**CHAT, **morning})
    assert response.headers["location"].startswith("/step4/talk?logged=")
    page = unescape(alice.follow(response).text)
    assert "Conversation logged." in page
    assert "He laughed about the goat" in page and "about 6 messages" in page
    assert 'data-advice="one_a_day"' in page  # you started today's conversation
    assert phase_of(alice) == "reconnected"
    compose = unescape(alice.get("/step4/compose").text)
    assert "Your next message to Alex" in compose
    assert 'data-advice="one_a_day"' in compose
    # Talking again, the review reads the log: a second text today is one too many.
    html = live_review(alice, "Haha that goat though").text
    assert 'data-rule="one_a_day"' in html


def test_a_refused_field_changes_nothing(alice: Browser, frozen: None) -> None:
    fill_with_demo(alice)
    alice.get("/step4/talk")
    response = alice.post("/step4/talk", {**CHAT, "messages": "lots", "note": "kept"})
    assert response.status_code == 400
    page = unescape(response.text)
    assert re.search(r'id="messages-error">[^<]*whole number', page)
    assert 'value="lots"' in page and ">kept</textarea>" in page
    assert rows(alice, Conversation) == []
    assert phase_of(alice) == "ready"  # no contact was not ended by a refused form


def test_a_future_time_is_refused_next_to_the_field(alice: Browser, frozen: None) -> None:
    fill_with_demo(alice)
    alice.get("/step4/talk")
    response = alice.post("/step4/talk", {**CHAT, "started_at": "2026-11-19T09:00"})
    assert response.status_code == 400
    assert 'id="started_at-error">is in the future' in response.text


def test_crisis_words_in_a_conversation_note_show_help_first(alice: Browser, frozen: None) -> None:
    fill_with_demo(alice)
    alice.get("/step4/talk")
    response = alice.post("/step4/talk", {**CHAT, "note": "After it I wanted to kill myself"})
    assert response.status_code == 200
    page = unescape(response.text)
    assert page.index("help-box") < page.index('id="talk-title"')
    assert "Conversation logged." in page
    assert len(rows(alice, Conversation)) == 1


def test_the_api_logs_and_lists_conversations(alice: Browser, frozen: None) -> None:
    fill_with_demo(alice)
    created = alice.api(
        "POST",
        "/api/v1/conversations",
        json={"started_by": "ex", "messages": 4, "started_at": "2026-11-18T14:00:00+00:00"},
    )
    assert created.status_code == 201
    data = created.json()
    assert data["started_by"] == "ex" and data["messages"] == 4
    assert data["pacing"] and data["safety"]["crisis"] is False
    listed = alice.api("GET", "/api/v1/conversations").json()
    assert [c["id"] for c in listed] == [data["id"]]
    bad = alice.api("POST", "/api/v1/conversations", json={"started_by": "them"})
    assert bad.status_code == 422


# --------------------------------------------------------------------------------------------
# The rest of the API
# --------------------------------------------------------------------------------------------


def test_the_step4_api_gives_gates_and_the_questions(bob: Browser) -> None:
    data = bob.api("GET", "/api/v1/step4").json()
    assert data["unlocked"] is False and data["closure"] is False
    assert [g["key"] for g in data["gates"]] == [
        "no_contact",
        "emotions",
        "self_focus",
        "readiness",
    ]
    assert data["gates"][0]["checks"][0]["target"] == "at least 21"
    assert data["readiness_questions"][0] == {
        "key": "see_without_breaking_down",
        "text": "Could you see Jo without breaking down?",
    }


def test_the_readiness_api_stores_answers_and_replies_to_not_yet(alice: Browser) -> None:
    answers = {q.key: True for q in READINESS_QUESTIONS} | {"keep_it_light": False}
    response = alice.api("POST", "/api/v1/readiness", json={"answers": answers})
    assert response.status_code == 201
    data = response.json()
    assert data["answers"] == answers and data["passed"] is False
    assert [r["key"] for r in data["replies"]] == ["keep_it_light"]
    missing = alice.api("POST", "/api/v1/readiness", json={"answers": {"keep_it_light": True}})
    assert missing.status_code == 422
    assert len(rows(alice, ReadinessCheck)) == 1


@pytest.mark.parametrize(
    "body", [{}, {"text": "hi", "stage": "later"}, {"text": "x" * 100_001}, {"text": 5}]
)
def test_the_review_api_refuses_bad_input_with_422(alice: Browser, body: dict) -> None:
    assert alice.api("POST", "/api/v1/review", json=body).status_code == 422


# --------------------------------------------------------------------------------------------
# Privacy
# --------------------------------------------------------------------------------------------


def test_bob_sees_none_of_alices_step4(alice: Browser, bob: Browser, frozen: None) -> None:
    alice.api("POST", "/api/v1/memories", json={"title": "goat wedding", "tags": ["goat"]})
    alice.get("/step4/ready")
    check_url = alice.post("/step4/ready", ALL_YES).headers["location"]
    fill_with_demo(alice)
    alice.get("/step4/talk")
    alice.post("/step4/talk", {**CHAT, "note": "Alice's private note"})
    # Alice's readiness answers are hers: bob gets "not found", as for an id that never was.
    assert bob.get(check_url).status_code == 404
    assert bob.get("/step4/ready/999999").status_code == 404
    assert "Alice's private note" not in bob.get("/step4/talk").text
    assert bob.api("GET", "/api/v1/conversations").json() == []
    # Bob's review never draws on alice's memory bank.
    bob_review = bob.api("POST", "/api/v1/review", json={"text": GOAT_DRAFT}).json()
    assert all("goat wedding" not in s for s in bob_review["suggestions"])
    assert "goat wedding" not in live_review(bob, GOAT_DRAFT).text
    # And bob's own step 4 is still locked: alice's progress isn't his.
    assert bob.api("GET", "/api/v1/step4").json()["unlocked"] is False
    assert "Step 4 is locked for now" in bob.get("/step4").text
    assert bob.post("/step4/talk", CHAT).status_code == 400
    assert len(rows(alice, Conversation)) == 1
