"""One limit per free-text field, shared by the service and the form: the form's maxlength is
the service's number, and text over it comes back with a kind message and every word kept."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from secondchance.services.validate import LIMITS
from secondchance.web.routes.entries import FORMS
from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")

TEMPLATES = Path(__file__).parents[2] / "src" / "secondchance" / "web" / "templates"
TAG = re.compile(r"<(textarea|input)\b[^>]*>", re.S)
# Not free text: a recovery code, a time zone picked from a list, a name filled by a macro
# (welcome.html passes its maxlength in ``extra``; the browser walk checks it), a secret shown.
NOT_FREE_TEXT = ('name="code"', 'name="timezone"', "{{ extra|safe }}", "readonly")


def text_fields() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in TAG.finditer(path.read_text()):
            tag = match.group(0)
            kind = re.search(r'type="([^"]+)"', tag)
            if match.group(1) == "input" and kind and kind.group(1) not in ("text", "search"):
                continue
            if any(skip in tag for skip in NOT_FREE_TEXT):
                continue
            found.append((path.name, tag))
    return found


def test_every_text_field_in_every_template_takes_its_limit_from_the_shared_list() -> None:
    fields = text_fields()
    assert len(fields) >= 15
    for name, tag in fields:
        if name == "entry_edit.html":  # one form for every kind: each field names its limit
            assert 'maxlength="{{ limits[f.limit] }}"' in tag, tag
            continue
        used = re.search(r'maxlength="\{\{ limits\.(\w+) \}\}"', tag)
        assert used, f"{name}: {tag}"
        assert used.group(1) in LIMITS, f"{name}: {used.group(1)}"


def test_every_free_text_field_of_the_edit_form_names_a_shared_limit() -> None:
    free = [f for form in FORMS.values() for f in form if f.type in ("text", "textarea")]
    assert len(free) >= 10
    for field in free:
        assert field.limit in LIMITS, field


def over(key: str) -> str:
    """Text one word past the limit of ``key``, ending in a word to find again."""
    return "w" * LIMITS[key] + " lastword"


# (page to open, where the form posts, the rest of the form, the long field, its limit)
CASES = [
    ("/checkin", "/checkin", {"mood": "6"}, "note", "checkin_note"),
    ("/contact", "/contact", {"direction": "you_to_ex", "channel": "text"}, "note", "contact_note"),
    ("/sos", "/sos/letter", {}, "body", "letter_body"),
    ("/sos", "/sos/urge", {"intensity": "8", "outcome": "resisted"}, "trigger", "urge_trigger"),
    ("/sos", "/sos/urge", {"intensity": "8", "outcome": "resisted"}, "instead", "urge_instead"),
    ("/letters/new", "/letters", {"body": "Words"}, "title", "letter_title"),
    ("/letters/new", "/letters", {}, "body", "letter_body"),
    ("/memories", "/memories", {"body": "b"}, "title", "memory_title"),
    ("/memories", "/memories", {"title": "The goat"}, "body", "memory_body"),
    ("/memories", "/memories", {"title": "The goat"}, "tags", "memory_tags"),
    ("/focus", "/focus/activities", {"kind": "exercise"}, "note", "activity_note"),
    ("/help/plan", "/help/plan", {}, "reasons", "safety_plan_part"),
    ("/welcome/story", "/welcome/story", {}, "story", "story"),
]


@pytest.mark.parametrize(("page", "action", "form", "field", "key"), CASES)
def test_too_long_text_is_refused_kindly_and_kept(
    alice: Browser, page: str, action: str, form: dict, field: str, key: str
) -> None:
    alice.get(page)
    typed = over(key)
    response = alice.post(action, {**form, field: typed})
    assert response.status_code == 400, (response.status_code, response.headers)
    text = unescape(response.text)
    assert "too long" in text and f"up to {LIMITS[key]:,}" in text
    assert "Everything you wrote is still here" in text
    assert typed in text  # every word is back in the box
    assert 'aria-invalid="true"' in text


# On PostgreSQL too: it enforces the columns' lengths, SQLite doesn't. (Text over a limit is
# refused by the services before anything is written, and a page's words are the same on any
# database: the tests of those run on SQLite alone.)
@pytest.mark.every_database
@pytest.mark.parametrize(("page", "action", "form", "field", "key"), CASES)
def test_text_at_the_limit_is_taken(
    alice: Browser, page: str, action: str, form: dict, field: str, key: str
) -> None:
    alice.get(page)
    full = "w" * LIMITS[key]
    if key == "memory_tags":  # a full line of tags, each within its own limit
        full = ", ".join(["t" * (LIMITS["memory_tag"] - 2)] * 25)[: LIMITS[key]]
    response = alice.post(action, {**form, field: full})
    assert response.status_code in (200, 303), unescape(response.text)[:300]


def test_each_form_states_its_limit_in_words(alice: Browser) -> None:
    assert "up to 5,000 characters" in unescape(alice.get("/checkin").text)
    letters = unescape(alice.get("/letters/new").text)
    assert "up to 50,000 characters, about 8,000 words: plenty of room" in letters
    story = unescape(alice.get("/welcome/story").text)
    assert "Take all the room you need: up to 50,000 characters" in story
    assert "up to 2,000 characters" in unescape(alice.get("/sos").text)


FIELD = re.compile(
    r"<(?:textarea|input)\b[^>]*\bid=\"([^\"]+)\"[^>]*\bmaxlength=\"(\d+)\"[^>]*>", re.S
)


def stated_beside(text: str, field_id: str, limit: int) -> bool:
    """Whether the field's label or its hint says its limit ("up to 1,000", "10 to 1,000")."""
    said = f"{limit:,}"
    label = re.search(rf'<label for="{field_id}">(.*?)</label>', text, re.S)
    hint = re.search(rf'id="{field_id}-hint">(.*?)</p>', text, re.S)
    return any(part and said in part.group(1) for part in (label, hint))


@pytest.mark.parametrize(
    "path",
    ["/welcome", "/memories", "/letters/new", "/settings", "/sos", "/contact", "/checkin"],
)
def test_every_field_with_a_limit_says_it_beside_the_field(alice: Browser, path: str) -> None:
    text = unescape(alice.get(path).text)
    found = FIELD.findall(text)
    assert found, path
    for field_id, limit in found:
        if field_id in ("letter-body", "memory-title") or stated_beside(text, field_id, int(limit)):
            continue  # (the letter and memory hints are checked by their own ids below)
        raise AssertionError(f"{path}: #{field_id} has maxlength {limit} but doesn't say so")
    if path == "/memories":
        assert f"up to {LIMITS['memory_title']:,} characters" in text
    if path == "/letters/new":
        assert f"up to {LIMITS['letter_body']:,} characters" in text


def test_the_sign_up_page_says_how_long_a_name_and_a_password_may_be(browser: Browser) -> None:
    text = unescape(browser.get("/signup").text)
    assert f"up to {LIMITS['username']} characters" in text
    assert f'maxlength="{LIMITS["password"]}"' in text
    assert f"10 to {LIMITS['password']:,} characters" in text


def test_a_name_too_long_is_refused_beside_its_field_with_every_letter_kept(
    alice: Browser,
) -> None:
    alice.get("/welcome")
    long_name = "A" * (LIMITS["name"] + 1)
    response = alice.post("/welcome", {"name": long_name, "ex_name": "Sam", "ex_pronouns": "he"})
    text = unescape(response.text)
    assert response.status_code == 400
    assert 'aria-invalid="true" aria-describedby="name-error"' in text
    assert 'id="name-error"' in text
    assert f'value="{long_name}"' in text
