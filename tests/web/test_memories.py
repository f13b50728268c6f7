"""The memory bank on the web and in the API: keep, list, remove (asking first), and privacy."""

from __future__ import annotations

import re
from html import unescape

import pytest

from webtools import CALM_SAFETY, Browser

GOAT = {
    "title": "The goat at the wedding",
    "body": "It ate the seating chart and we ended up at the kids' table.",
    "tags": "goat, Wedding, , goat",
    "inside_joke": "1",
}


def keep(browser: Browser, **fields: str) -> int:
    """Add a memory through the page; return its id (read from the list)."""
    browser.get("/memories")
    response = browser.post("/memories", {**GOAT, **fields})
    assert response.status_code == 303, response.text
    title = fields.get("title", GOAT["title"])
    page = unescape(browser.get("/memories").text)
    found = re.search(
        rf'id="memory-(\d+)">\s*<div class="memory">\s*<h3[^>]*>{re.escape(title)}', page
    )
    assert found, page
    return int(found.group(1))


def test_a_kept_memory_is_listed_with_its_tags_and_says_the_first_text_grows_from_it(
    alice: Browser,
) -> None:
    alice.get("/memories")
    response = alice.post("/memories", GOAT)
    assert response.headers["location"] == "/memories"
    page = unescape(alice.follow(response).text)
    assert "Memory kept." in page
    assert "Your first text will grow from these" in page
    assert "The goat at the wedding" in page and "kids' table" in page
    assert "inside joke" in page
    tags = re.findall(r'<li class="tag">([^<]+)</li>', page)
    assert tags == ["goat", "wedding"]  # lower-cased, blanks and repeats dropped


def test_memories_are_listed_newest_first(alice: Browser) -> None:
    keep(alice, title="Lost in Lisbon")
    keep(alice, title="Pancake Sundays")
    page = alice.get("/memories").text
    assert page.index("Pancake Sundays") < page.index("Lost in Lisbon")


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"title": "  "}, "title", "can't be empty"),
        ({"title": "x" * 201}, "title", "too long"),
        ({"tags": "a" * 41}, "tags", "too long"),
    ],
)
def test_a_problem_is_explained_next_to_its_field_and_what_was_typed_is_kept(
    alice: Browser, fields: dict[str, str], field: str, says: str
) -> None:
    alice.get("/memories")
    response = alice.post("/memories", {**GOAT, **fields})
    assert response.status_code == 400
    page = unescape(response.text)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]+)</p>', page)
    assert error and says in error.group(1)
    assert 'aria-invalid="true"' in response.text
    assert GOAT["body"] in page  # the story typed is still there
    assert "checked" in re.search(r'<input id="memory-joke"[^>]*>', page).group(0)


def test_removing_asks_first_then_removes(alice: Browser) -> None:
    memory_id = keep(alice)
    confirm = alice.get(f"/memories/{memory_id}/remove")
    assert confirm.status_code == 200
    assert "can't be undone" in unescape(confirm.text)
    response = alice.post(f"/memories/{memory_id}/remove")
    assert response.headers["location"] == "/memories"
    page = unescape(alice.follow(response).text)
    assert "Memory removed." in page
    assert "The goat at the wedding" not in page


def test_with_htmx_the_question_replaces_the_item_and_keep_it_puts_it_back(alice: Browser) -> None:
    memory_id = keep(alice)
    page = alice.get("/memories").text
    assert f'hx-get="/memories/{memory_id}/remove" hx-target="#memory-{memory_id}"' in page
    question = alice.htmx("GET", f"/memories/{memory_id}/remove")
    assert "<html" not in question.text and "Yes, remove it" in question.text
    assert f'action="/memories/{memory_id}/remove"' in question.text
    item = alice.htmx("GET", f"/memories/{memory_id}")
    assert "<html" not in item.text and "The goat at the wedding" in item.text
    assert ">Remove</a>" in item.text


def test_without_htmx_keep_it_goes_back_to_the_bank(alice: Browser) -> None:
    memory_id = keep(alice)
    response = alice.get(f"/memories/{memory_id}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/memories#memory-{memory_id}"


def test_crisis_words_in_a_memory_show_help_first_and_the_memory_is_kept(alice: Browser) -> None:
    alice.get("/memories")
    response = alice.post(
        "/memories", {"title": "Our last summer", "body": "Some nights I wish I was dead."}
    )
    assert response.status_code == 200
    page = unescape(response.text)
    assert 'class="card help-box"' in page
    assert page.index("help-box") < page.index("Add a memory")
    assert "116 123" in page  # Samaritans, for alice in the UK
    assert "Your memory is kept." in page and "Our last summer" in page


def test_text_in_memories_comes_back_escaped(alice: Browser) -> None:
    keep(alice, title="<script>alert(1)</script>")
    page = alice.get("/memories").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_api_keeps_lists_and_removes_memories(alice: Browser) -> None:
    body = {"title": "Lost in Lisbon", "text": "Custard tarts at the airport", "tags": ["Lisbon"]}
    created = alice.api("POST", "/api/v1/memories", json={**body, "inside_joke": True})
    assert created.status_code == 201
    data = created.json()
    assert data["title"] == "Lost in Lisbon" and data["tags"] == ["lisbon"]
    assert data["inside_joke"] is True
    assert data["safety"] == CALM_SAFETY
    listed = alice.api("GET", "/api/v1/memories").json()
    assert [m["id"] for m in listed] == [data["id"]]
    assert alice.api("DELETE", f"/api/v1/memories/{data['id']}").status_code == 204
    assert alice.api("GET", "/api/v1/memories").json() == []
    assert alice.api("DELETE", f"/api/v1/memories/{data['id']}").status_code == 404


def test_the_api_says_when_a_memory_shows_a_crisis(alice: Browser) -> None:
    created = alice.api(
        "POST", "/api/v1/memories", json={"title": "Tonight", "text": "I want to kill myself"}
    )
    assert created.status_code == 201
    assert created.json()["safety"]["crisis"] is True


@pytest.mark.parametrize(
    "body",
    [{"title": "   "}, {"title": "x" * 201}, {"text": "no title"}, {"title": "ok", "tags": "a,b"}],
)
def test_the_api_refuses_bad_memories_with_422(alice: Browser, body: dict) -> None:
    assert alice.api("POST", "/api/v1/memories", json=body).status_code == 422
    assert alice.api("GET", "/api/v1/memories").json() == []


def test_bob_can_neither_see_nor_remove_alices_memories(alice: Browser, bob: Browser) -> None:
    memory_id = keep(alice)
    assert "The goat at the wedding" not in bob.get("/memories").text
    assert bob.api("GET", "/api/v1/memories").json() == []
    bob.get("/memories")
    attempts = [
        bob.get(f"/memories/{memory_id}/remove"),
        bob.htmx("GET", f"/memories/{memory_id}/remove"),
        bob.htmx("GET", f"/memories/{memory_id}"),
        bob.get(f"/memories/{memory_id}"),
        bob.post(f"/memories/{memory_id}/remove"),
        bob.api("DELETE", f"/api/v1/memories/{memory_id}"),
    ]
    for response in attempts:
        assert response.status_code == 404, response.request.url
        assert "The goat at the wedding" not in response.text
    assert "The goat at the wedding" in alice.get("/memories").text
