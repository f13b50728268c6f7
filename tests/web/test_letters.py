"""Letters: written, kept, never sent; a sealed one waits for its day."""

from __future__ import annotations

import re
from html import unescape

import pytest
import time_machine

from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")

OPENING_DAY = "2026-12-01"  # a Tuesday, inside the sign-in's 30 days


def write(browser: Browser, **form: str) -> int:
    """Write a letter through the page; returns its id."""
    browser.get("/letters/new")
    response = browser.post("/letters", {"title": "", "body": "Words", **form})
    assert response.status_code == 303, response.text
    return browser.api("GET", "/api/v1/letters?limit=1").json()[0]["id"]


def test_the_letters_page_says_nothing_is_ever_sent(alice: Browser) -> None:
    page = unescape(alice.get("/letters").text)
    assert "never sent anywhere" in page
    assert "No letters yet" in page
    assert 'href="/letters/new"' in page


def test_a_letter_is_written_listed_and_read(alice: Browser) -> None:
    alice.get("/letters/new")
    response = alice.post(
        "/letters", {"title": "The lake", "body": "Remember the lake?\nI do.", "sealed_until": ""}
    )
    assert response.headers["location"] == "/letters"
    listing = unescape(alice.follow(response).text)
    assert "Your letter is kept. Nothing was sent." in listing
    letter_id = re.search(r'href="/letters/(\d+)">The lake</a>', listing).group(1)
    assert "written Wednesday 18 November" in listing
    page = unescape(alice.get(f"/letters/{letter_id}").text)
    assert '<h1 id="letter-title">The lake</h1>' in page
    assert "Remember the lake?\nI do." in page
    assert "never sent" in page


def test_a_letter_without_a_title_is_untitled(alice: Browser) -> None:
    letter_id = write(alice, body="Just this.")
    assert "Untitled" in alice.get(f"/letters/{letter_id}").text


def test_a_sealed_letter_cannot_be_read_before_its_day(alice: Browser) -> None:
    letter_id = write(
        alice, title="For later", body="Open me in December.", sealed_until=OPENING_DAY
    )
    listing = unescape(alice.get("/letters").text)
    assert "Sealed until Tuesday 1 December" in listing
    assert "For later" not in listing
    page = alice.get(f"/letters/{letter_id}")
    assert page.status_code == 200
    text = unescape(page.text)
    assert "sealed until <strong>Tuesday 1 December 2026</strong>" in text
    assert "Open me in December." not in text and "For later" not in text
    item = alice.api("GET", f"/api/v1/letters/{letter_id}").json()
    assert item["sealed"] is True and item["sealed_until"] == OPENING_DAY
    assert item["body"] is None and item["title"] is None


def test_a_sealed_letter_opens_on_its_day(alice: Browser) -> None:
    letter_id = write(
        alice, title="For later", body="Open me in December.", sealed_until=OPENING_DAY
    )
    # The day before, late in the evening in London: still sealed.
    with time_machine.travel("2026-11-30 23:30:00+00:00", tick=False):
        assert "Open me in December." not in alice.get(f"/letters/{letter_id}").text
    with time_machine.travel("2026-12-01 00:05:00+00:00", tick=False):
        page = unescape(alice.get(f"/letters/{letter_id}").text)
        assert "Open me in December." in page
        assert "opened Tuesday 1 December" in unescape(alice.get("/letters").text)
        item = alice.api("GET", f"/api/v1/letters/{letter_id}").json()
        assert item["sealed"] is False and item["body"] == "Open me in December."


def test_a_final_letter_is_offered_from_the_link_and_marked(alice: Browser) -> None:
    form = unescape(alice.get("/letters/new?final=1").text)
    assert "Your final letter" in form
    assert re.search(r'name="final" value="1"[^>]*checked', form)
    assert not re.search(r'name="final" value="1"[^>]*checked', alice.get("/letters/new").text)
    write(alice, title="Goodbye", body="Thank you, and goodbye.", final="1")
    assert "final letter" in alice.get("/letters").text
    assert alice.api("GET", "/api/v1/letters").json()[0]["kind"] == "final"


@pytest.mark.parametrize(
    ("form", "field", "reason"),
    [
        ({"title": "Kept title", "body": "  "}, "body", "can't be empty"),
        ({"title": "Kept title", "body": "Hi", "sealed_until": "2026-11-18"}, "sealed_until",
         "should be a day after today"),
        ({"title": "Kept title", "body": "Hi", "sealed_until": "2026-11-01"}, "sealed_until",
         "should be a day after today"),
        ({"title": "Kept title", "body": "Hi", "sealed_until": "someday"}, "sealed_until",
         "should be a real date"),
    ],
)  # fmt: skip
def test_a_letter_that_cannot_be_kept_says_why_next_to_the_field(
    alice: Browser, form: dict, field: str, reason: str
) -> None:
    alice.get("/letters/new")
    response = alice.post("/letters", form)
    assert response.status_code == 400
    page = unescape(response.text)
    assert reason in page and f'id="{field}-error"' in page
    assert 'value="Kept title"' in page
    assert alice.api("GET", "/api/v1/letters").json() == []


def test_words_of_crisis_in_a_letter_bring_help_at_once_and_again_on_reading(
    alice: Browser,
) -> None:
    alice.get("/letters/new")
    response = alice.post("/letters", {"body": "Some nights I don't want to live anymore."})
    assert response.status_code == 200
    page = unescape(response.text)
    assert "You matter" in page and "Your letter is kept. Nothing was sent." in page
    letter_id = alice.api("GET", "/api/v1/letters").json()[0]["id"]
    assert "You matter" in unescape(alice.get(f"/letters/{letter_id}").text)


def test_what_a_letter_says_is_shown_as_text_not_markup(alice: Browser) -> None:
    letter_id = write(alice, title="<b>bold</b>", body="<script>alert(1)</script>")
    page = alice.get(f"/letters/{letter_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in alice.get("/letters").text


def test_letters_are_listed_newest_first(alice: Browser) -> None:
    for title in ("First", "Second", "Third"):
        write(alice, title=title)
    listing = alice.get("/letters").text
    assert listing.index("Third") < listing.index("Second") < listing.index("First")
    assert [x["title"] for x in alice.api("GET", "/api/v1/letters").json()] == [
        "Third",
        "Second",
        "First",
    ]


def test_the_api_keeps_lists_and_reads_letters(alice: Browser) -> None:
    made = alice.api("POST", "/api/v1/letters", json={"body": "Dear Sam", "title": "One"})
    assert made.status_code == 201
    body = made.json()
    assert body["sent"] is False and body["kind"] == "unsent" and body["body"] == "Dear Sam"
    sealed = alice.api(
        "POST", "/api/v1/letters", json={"body": "Later", "sealed_until": OPENING_DAY}
    ).json()
    assert sealed["sealed"] is True and sealed["body"] is None
    assert alice.api("GET", f"/api/v1/letters/{body['id']}").json()["body"] == "Dear Sam"
    assert alice.api("GET", "/api/v1/letters/999999").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"body": ""},
        {"body": "Hi", "kind": "angry"},
        {"body": "Hi", "sealed_until": "2026-11-18"},
        {"body": "Hi", "sealed_until": "2026-13-01"},
    ],
)
def test_the_api_refuses_a_letter_it_cannot_keep_with_422(alice: Browser, body: dict) -> None:
    assert alice.api("POST", "/api/v1/letters", json=body).status_code == 422
    assert alice.api("GET", "/api/v1/letters").json() == []


def test_bob_can_neither_read_nor_list_alices_letters(alice: Browser, bob: Browser) -> None:
    letter_id = write(alice, title="Alice's letter", body="Only for Alice.")
    response = bob.get(f"/letters/{letter_id}")
    assert response.status_code == 404
    assert "Only for Alice." not in response.text
    assert "Alice's letter" not in unescape(bob.get("/letters").text)
    assert bob.api("GET", f"/api/v1/letters/{letter_id}").status_code == 404
    assert bob.api("GET", "/api/v1/letters").json() == []
