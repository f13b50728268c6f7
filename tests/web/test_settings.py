"""Settings: help lines, export and import, password, sessions, tokens, deleting everything;
and the More menu."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import func, select

from secondchance.models import HISTORY_TABLES, ApiToken, Profile, SafetyPlan, User, WebSession
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.demo import fill_demo
from secondchance.services.people import find_user
from secondchance.services.safety_plan import save_plan
from webtools import FROZEN, PASSWORD, Browser, sign_up

NOW = datetime.fromisoformat(FROZEN).astimezone(UTC)
NEW_PASSWORD = "another long and quiet sentence"

pytestmark = pytest.mark.usefixtures("frozen")


def errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The reasons shown next to fields, as a person reads them."""
    text = unescape(response.text)
    return [
        part.split(">", 1)[1].split("<", 1)[0] for part in text.split('class="field-error"')[1:]
    ]


def with_demo(app, username: str = "alice") -> None:  # type: ignore[no-untyped-def]
    """Six weeks of history, a safety plan and a note with characters that must survive."""
    with app.state.sessions() as session, session.begin():
        user = find_user(session, username)
        fill_demo(session, user, NOW)
        save_checkin(session, user, CheckInInput(mood=5, note="zebra «lantern» ✨"), NOW)
        save_plan(session, user, {"reasons": "My sister\nThe sea"}, NOW)


def signed_in(app, username: str, password: str = PASSWORD) -> Browser:  # type: ignore[no-untyped-def]
    browser = Browser(app)
    browser.get("/login")
    response = browser.post("/login", {"username": username, "password": password})
    assert response.status_code == 303 and response.headers["location"] == "/", response.text
    return browser


def comparable(export: dict) -> dict:
    """An export without what differs between two accounts: time, name, account creation."""
    people = [
        {k: v for k, v in person.items() if k not in {"username", "created_at"}}
        for person in export["people"]
    ]
    return {**{k: v for k, v in export.items() if k != "exported_at"}, "people": people}


# --- the page and help lines ---


def test_settings_show_the_profile_and_the_help_lines_of_their_country(alice: Browser) -> None:
    page = unescape(alice.get("/settings").text)
    assert "Sam (he)" in page and "21 days" in page
    assert "Samaritans" in page and "116 123" in page
    alice.post("/settings/country", {"country": "US"})
    page = unescape(alice.get("/settings").text)
    assert "988" in page and "Samaritans" not in page


def test_a_country_that_is_not_a_country_is_refused_next_to_the_field(alice: Browser) -> None:
    alice.get("/settings")
    response = alice.post("/settings/country", {"country": "Narnia"})
    assert response.status_code == 400
    assert errors(response) == ["should be a two-letter code like US or GB, not 'Narnia'"]
    assert 'aria-describedby="country-error"' in response.text


# --- export ---


def test_the_json_export_downloads_everything_but_the_password(alice: Browser) -> None:
    with_demo(alice.client.app)
    response = alice.get("/settings/export.json")
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition == 'attachment; filename="secondchance-export-2026-11-18.json"'
    export = response.json()
    (person,) = export["people"]
    assert person["username"] == "alice" and "password_hash" not in person
    assert any(c["note"] == "zebra «lantern» ✨" for c in person["checkins"])
    assert person["safety_plan"]["reasons"] == "My sister\nThe sea"
    assert len(person["urges"]) == 6 and person["profile"]["name"] == "Jordan"
    assert alice.api("GET", "/api/v1/export").json()["people"] == export["people"]


def test_the_csv_export_is_a_zip_of_one_file_per_table(alice: Browser) -> None:
    with_demo(alice.client.app)
    response = alice.get("/settings/export.csv.zip")
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"profiles.csv", "checkins.csv", "letters.csv", "safety_plans.csv"} <= names
    rows = list(csv.DictReader(io.StringIO(archive.read("checkins.csv").decode("utf-8"))))
    assert any(row["note"] == "zebra «lantern» ✨" for row in rows)
    assert {row["username"] for row in rows} == {"alice"}


# --- import ---


def test_export_then_import_into_a_new_account_gives_the_same_export(alice: Browser) -> None:
    with_demo(alice.client.app)
    exported = alice.get("/settings/export.json").content
    carol = sign_up(Browser(alice.client.app), "carol", profile=False)
    carol.get("/settings")
    response = carol.post(
        "/settings/import", files={"file": ("export.json", exported, "application/json")}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    today = carol.follow(response)
    assert "Imported. Everything is in." in today.text and "Jordan" in today.text
    again = carol.get("/settings/export.json").json()
    assert comparable(again) == comparable(json.loads(exported))
    assert again["people"][0]["username"] == "carol"


def test_import_into_an_account_with_history_is_refused_and_changes_nothing(
    alice: Browser,
) -> None:
    with_demo(alice.client.app)
    before = alice.get("/settings/export.json").content
    response = alice.post(
        "/settings/import", files={"file": ("export.json", before, "application/json")}
    )
    assert response.status_code == 400
    assert "already has days logged" in errors(response)[0]
    after = alice.get("/settings/export.json").json()
    assert comparable(after) == comparable(json.loads(before))


def export_of(people: list[dict]) -> bytes:
    return json.dumps({"format": "secondchance-export", "version": 1, "people": people}).encode()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "choose the export file"),
        (b"\x89PNG\r\n", "it isn't JSON"),
        (b'{"hello": "world"}', "this isn't a secondchance export file"),
        (export_of([{}, {}]), "this file holds 2 people"),
        (export_of([{"checkins": [{"mood": 5}]}]), "checkins[0]"),
        (export_of([{"urges": "lots"}]), "urges should be a list"),
        (export_of([{"favourite_colour": "blue"}]), "unexpected fields: favourite_colour"),
    ],
    ids=["empty", "not-json", "not-an-export", "two-people", "half-a-row", "wrong-shape", "extra"],
)
def test_a_bad_file_is_refused_with_the_reason(alice: Browser, content: bytes, says: str) -> None:
    alice.get("/settings")
    response = alice.post("/settings/import", files={"file": ("x.json", content, "text/plain")})
    assert response.status_code == 400
    assert says in errors(response)[0]
    assert 'aria-describedby="import-error"' in response.text


def test_import_checks_values_the_pages_rely_on(alice: Browser) -> None:
    with_demo(alice.client.app)
    export = alice.get("/settings/export.json").json()
    person = export["people"][0]
    bad_cases = [
        ("profile", "timezone", "Mars/Olympus", "isn't a time zone"),
        ("profile", "ex_pronouns", "it", "can't be 'it'"),
    ]
    dave = sign_up(Browser(alice.client.app), "dave", profile=False)
    for table, column, value, says in bad_cases:
        broken = json.loads(json.dumps(person))
        broken[table][column] = value
        body = json.dumps({**export, "people": [broken]}).encode()
        response = dave.post("/settings/import", files={"file": ("x.json", body, "text/plain")})
        assert response.status_code == 400 and says in errors(response)[0]
    broken = json.loads(json.dumps(person))
    broken["checkins"][0]["mood"] = 11
    response = dave.api("POST", "/api/v1/import", json={**export, "people": [broken]})
    assert response.status_code == 422 and "mood should be from 1 to 10" in response.text


def test_the_api_imports_into_an_empty_account_once(alice: Browser) -> None:
    with_demo(alice.client.app)
    export = alice.api("GET", "/api/v1/export").json()
    erin = sign_up(Browser(alice.client.app), "erin")
    response = erin.api("POST", "/api/v1/import", json=export)
    assert response.status_code == 201
    counts = response.json()["imported"]
    assert counts["profile"] == 1 and counts["urges"] == 6 and counts["checkins"] >= 39
    assert erin.api("GET", "/api/v1/profile").json()["name"] == "Jordan"
    again = erin.api("POST", "/api/v1/import", json=export)
    assert again.status_code == 422 and "already has days logged" in again.text


# --- deleting everything ---


def count_rows(app, user_id: int) -> int:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session:
        tables = [*HISTORY_TABLES, Profile, SafetyPlan, WebSession, ApiToken]
        total = sum(
            session.scalar(select(func.count()).where(model.user_id == user_id)) or 0  # type: ignore[attr-defined]
            for model in tables
        )
        return total + (session.scalar(select(func.count()).where(User.id == user_id)) or 0)


def test_a_wrong_password_deletes_nothing(alice: Browser) -> None:
    alice.get("/settings")
    response = alice.post("/settings/delete", {"password": "not my password at all"})
    assert response.status_code == 400
    assert errors(response) == ["isn't right; nothing was deleted"]
    assert 'aria-describedby="delete_password-error"' in response.text
    assert alice.get("/settings").status_code == 200


def test_deleting_the_account_deletes_everything_and_says_goodbye(alice: Browser) -> None:
    app = alice.client.app
    with_demo(app)
    alice.post("/settings/tokens", {"name": "script"})
    with app.state.sessions() as session:
        user_id = find_user(session, "alice").id  # type: ignore[union-attr]
    assert count_rows(app, user_id) > 50
    other = signed_in(app, "alice")
    alice.get("/settings")
    response = alice.post("/settings/delete", {"password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/goodbye"
    assert 'sc_session=""' in response.headers["set-cookie"]
    goodbye = alice.follow(response)
    assert "Your account and everything in it are deleted" in goodbye.text
    assert "Samaritans" not in goodbye.text  # nothing of theirs, not even their country
    assert count_rows(app, user_id) == 0
    assert other.get("/settings").status_code == 303  # signed out on every device
    stranger = Browser(app)
    stranger.get("/login")
    again = stranger.post("/login", {"username": "alice", "password": PASSWORD})
    assert again.status_code == 400


def test_the_api_deletes_the_account_with_the_password_and_the_token_stops(alice: Browser):
    secret = alice.api("POST", "/api/v1/tokens", json={"name": "script"}).json()["token"]
    bearer = {"Authorization": f"Bearer {secret}"}
    client = alice.client
    wrong = client.request("DELETE", "/api/v1/account", json={"password": "nope"}, headers=bearer)
    assert wrong.status_code == 422
    gone = client.request("DELETE", "/api/v1/account", json={"password": PASSWORD}, headers=bearer)
    assert gone.status_code == 204
    assert client.get("/api/v1/profile", headers=bearer).status_code == 401


def test_guessing_the_password_to_delete_is_throttled(alice: Browser) -> None:
    alice.get("/settings")
    # A few typos are free; then this client, having failed, must wait before any try.
    for _ in range(3):
        assert alice.post("/settings/delete", {"password": "a wrong guess"}).status_code == 400
    response = alice.post("/settings/delete", {"password": PASSWORD})
    assert response.status_code == 429 and "Too many tries in a row" in unescape(response.text)
    assert alice.get("/settings").status_code == 200


# --- password and sessions ---


def test_changing_the_password_signs_out_other_devices_but_not_this_one(alice: Browser) -> None:
    app = alice.client.app
    phone = signed_in(app, "alice")
    alice.get("/settings")
    response = alice.post(
        "/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 303
    assert "Password changed. Other devices are signed out." in alice.follow(response).text
    assert alice.get("/settings").status_code == 200
    assert phone.get("/settings").headers["location"] == "/login?next=/settings"
    signed_in(app, "alice", NEW_PASSWORD)
    stranger = Browser(app)
    stranger.get("/login")
    assert stranger.post("/login", {"username": "alice", "password": PASSWORD}).status_code == 400


@pytest.mark.parametrize(
    ("current", "new", "field", "says"),
    [
        ("not my password", NEW_PASSWORD, "current_password", "isn't right"),
        (PASSWORD, "short", "new_password", "needs at least 10 characters"),
        (PASSWORD, "password123", "new_password", "is too easy to guess"),
    ],
)
def test_a_password_change_explains_what_is_wrong(alice, current, new, field, says) -> None:
    alice.get("/settings")
    response = alice.post("/settings/password", {"current_password": current, "new_password": new})
    assert response.status_code == 400
    assert says in errors(response)[0]
    assert f'id="{field}-error"' in response.text
    assert f'value="{new}"' not in response.text  # passwords are never sent back


def test_the_api_changes_the_password(alice: Browser) -> None:
    wrong = alice.api(
        "POST", "/api/v1/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "new_password"]
    ok = alice.api(
        "POST",
        "/api/v1/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert ok.status_code == 204
    signed_in(alice.client.app, "alice", NEW_PASSWORD)


def test_sign_out_everywhere_else_keeps_this_device(alice: Browser) -> None:
    phone = signed_in(alice.client.app, "alice")
    alice.get("/settings")
    response = alice.post("/settings/sessions/end-all")
    assert "Signed out everywhere else." in alice.follow(response).text
    assert phone.get("/more").status_code == 303
    assert alice.get("/more").status_code == 200


def test_the_api_ends_every_session(alice: Browser) -> None:
    signed_in(alice.client.app, "alice")
    response = alice.api("POST", "/api/v1/sessions/end-all")
    assert response.status_code == 200 and response.json() == {"ended": 2}
    assert alice.get("/more").status_code == 303


# --- tokens ---


def test_a_token_is_shown_once_works_for_the_api_and_stops_when_revoked(alice: Browser) -> None:
    alice.get("/settings")
    made = alice.post("/settings/tokens", {"name": "my shortcut"})
    assert made.status_code == 200
    secret = made.text.split(
        'id="new-token-secret" class="token-secret" type="text" readonly value="'
    )[1]
    secret = secret.split('"')[0]
    assert secret.startswith("sc_")
    assert secret not in alice.get("/settings").text  # never shown again
    api = Browser(alice.client.app).client
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/profile", headers=bearer).json()["name"] == "Alice"
    listed = alice.api("GET", "/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["my shortcut"] and listed[0]["last_used_at"]
    assert "last used 18 Nov 2026" in alice.get("/settings").text
    token_id = listed[0]["id"]
    revoked = alice.post(f"/settings/tokens/{token_id}/revoke")
    assert alice.follow(revoked).text.count("Token revoked.") == 1
    assert api.get("/api/v1/profile", headers=bearer).status_code == 401


def test_tokens_through_htmx_swap_just_the_token_list(alice: Browser) -> None:
    alice.get("/settings")
    made = alice.htmx("POST", "/settings/tokens", {"name": "phone"})
    assert made.status_code == 200 and "<html" not in made.text
    assert 'id="tokens"' in made.text and "won't be shown again" in made.text
    refused = alice.htmx("POST", "/settings/tokens", {"name": "   "})
    assert refused.status_code == 200 and errors(refused) == ["can't be empty"]
    token_id = alice.api("GET", "/api/v1/tokens").json()[0]["id"]
    revoked = alice.htmx("POST", f"/settings/tokens/{token_id}/revoke")
    assert "No tokens yet." in revoked.text


def test_the_api_makes_lists_and_revokes_tokens(alice: Browser) -> None:
    made = alice.api("POST", "/api/v1/tokens", json={"name": "script"})
    assert made.status_code == 201 and made.json()["token"].startswith("sc_")
    listed = alice.api("GET", "/api/v1/tokens").json()
    assert "token" not in listed[0]
    assert alice.api("DELETE", f"/api/v1/tokens/{made.json()['id']}").status_code == 204
    assert alice.api("GET", "/api/v1/tokens").json() == []


def test_bob_can_neither_see_nor_revoke_alice_s_tokens(alice: Browser, bob: Browser) -> None:
    made = alice.api("POST", "/api/v1/tokens", json={"name": "alice-only"}).json()
    assert bob.api("GET", "/api/v1/tokens").json() == []
    assert "alice-only" not in bob.get("/settings").text
    assert bob.api("DELETE", f"/api/v1/tokens/{made['id']}").status_code == 404
    bob.get("/settings")
    assert bob.post(f"/settings/tokens/{made['id']}/revoke").status_code == 404
    assert [t["name"] for t in alice.api("GET", "/api/v1/tokens").json()] == ["alice-only"]


def test_bob_exports_only_his_own_data(alice: Browser, bob: Browser) -> None:
    with_demo(alice.client.app)
    export = bob.get("/settings/export.json").json()
    assert [p["username"] for p in export["people"]] == ["bob"]
    assert "lantern" not in json.dumps(export)
    archive = zipfile.ZipFile(io.BytesIO(bob.get("/settings/export.csv.zip").content))
    assert all(b"lantern" not in archive.read(name) for name in archive.namelist())


# (Anonymous visitors are asked to sign in on every route: tests/web/test_access.py.)

# --- the More menu ---


def test_more_links_to_every_area_and_signs_out(alice: Browser) -> None:
    page = alice.get("/more")
    for href in ["/letters", "/memories", "/step4", "/insights", "/contact", "/story", "/help"]:
        assert f'href="{href}"' in page.text
    assert 'href="/settings"' in page.text
    assert "If you and Sam were in touch" in page.text
    assert 'aria-current="page"' in page.text.split('href="/more"')[1][:40]
    response = alice.post("/logout")
    assert response.headers["location"] == "/login"
    assert alice.get("/more").status_code == 303
