"""Signing up, in and out; sessions, throttling, tokens and the quick exit."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from secondchance.models import User, WebSession
from webtools import PASSWORD, Browser, sign_up


def test_a_new_person_signs_up_and_is_asked_the_profile_questions(browser: Browser) -> None:
    browser.get("/signup")
    response = browser.post("/signup", {"username": "Carol", "password": PASSWORD})
    assert "Your recovery codes" in response.text and 'href="/welcome"' in response.text
    page = browser.get("/welcome")
    assert "Let's begin" in page.text
    assert "Your ex" in page.text


def test_pages_ask_for_sign_in_and_come_back_after(browser: Browser) -> None:
    response = browser.get("/help/plan?from=sos")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/help/plan?from=sos"
    sign_up(Browser(browser.client.app), "dora")
    browser.get(response.headers["location"])
    signed_in = browser.post(
        "/login", {"username": "dora", "password": PASSWORD, "next": "/help/plan?from=sos"}
    )
    assert signed_in.headers["location"] == "/help/plan?from=sos"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil"])
def test_sign_in_never_redirects_off_site(alice: Browser, target: str) -> None:
    browser = Browser(alice.client.app)
    browser.get("/login")
    response = browser.post("/login", {"username": "alice", "password": PASSWORD, "next": target})
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("username", "password", "says"),
    [
        ("ab", PASSWORD, "3 to 40"),
        ("carol", "short", "at least 10"),
        ("carol", "password123", "too easy"),
        ("carol", "carol-is-my-name", "too easy"),
    ],
)
def test_sign_up_explains_what_is_wrong_and_keeps_the_name(browser, username, password, says):
    browser.get("/signup")
    response = browser.post("/signup", {"username": username, "password": password})
    assert response.status_code == 400
    assert says in response.text
    assert f'value="{username}"' in response.text


def test_a_taken_name_is_refused(alice: Browser) -> None:
    other = Browser(alice.client.app)
    other.get("/signup")
    response = other.post("/signup", {"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 400 and "taken" in response.text


def test_a_wrong_password_does_not_say_which_part_was_wrong(alice: Browser) -> None:
    other = Browser(alice.client.app)
    other.get("/login")
    wrong = other.post("/login", {"username": "alice", "password": "not it at all!"})
    nobody = other.post("/login", {"username": "nobody", "password": "not it at all!"})
    assert wrong.status_code == nobody.status_code == 400
    assert "don't match" in unescape(wrong.text) and "don't match" in unescape(nobody.text)


def test_sessions_are_stored_as_hashes(alice: Browser, app) -> None:  # type: ignore[no-untyped-def]
    cookie = alice.client.cookies.get("sc_session")
    with app.state.sessions() as session:
        hashes = session.scalars(select(WebSession.token_hash)).all()
        stored = session.scalar(select(User.password_hash).where(User.username == "alice"))
    assert cookie and cookie not in hashes and len(hashes) == 1
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_session_cookie_flags(browser: Browser) -> None:
    browser.get("/signup")
    response = browser.post("/signup", {"username": "erin", "password": PASSWORD})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("sc_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test


def test_cookies_are_secure_over_https(app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    page = client.get("/signup")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/signup", data={"csrf_token": token, "username": "fay", "password": PASSWORD}
    )
    cookies = response.headers.get_list("set-cookie")
    assert all("Secure" in c for c in cookies if c.startswith(("sc_session=", "sc_csrf=")))
    assert "max-age=31536000" in response.headers["strict-transport-security"]


def test_signing_out_ends_the_session_on_the_server(alice: Browser) -> None:
    cookie = alice.client.cookies.get("sc_session")
    assert alice.post("/logout").headers["location"] == "/login"
    thief = Browser(alice.client.app)
    thief.client.cookies.set("sc_session", cookie)
    assert thief.get("/").status_code == 303


def test_quick_exit_signs_out_and_lands_somewhere_neutral(alice: Browser) -> None:
    response = alice.get("/quick-exit")
    assert response.status_code == 303 and response.headers["location"] == "/weather"
    neutral = alice.get("/weather")
    assert "Weather" in neutral.text and "secondchance" not in neutral.text
    assert alice.get("/").status_code == 303  # Back would ask for a sign-in


def test_every_page_has_help_and_quick_exit(alice: Browser) -> None:
    page = alice.get("/")
    assert 'href="/help"' in page.text and 'id="quick-exit"' in page.text


def test_the_quick_sign_up_of_the_tests_makes_what_the_forms_make(app) -> None:  # type: ignore[no-untyped-def]
    """Most tests make people with ``webtools.sign_up`` (the services, without the pages);
    it must leave the same account, profile, recovery codes and session as the real forms."""
    from secondchance.models import Profile, RecoveryCode
    from webtools import sign_up_through_forms

    answers = {"goal": "move_on", "breakup_date": "2026-10-01", "timezone": "Asia/Tokyo"}
    through_forms = sign_up_through_forms(Browser(app), "carol", **answers)
    quick = sign_up(Browser(app), "dave", **answers)

    def made(username: str) -> tuple:
        with app.state.sessions() as session:
            user = session.scalar(select(User).where(User.username == username))
            profile = session.get(Profile, user.id)
            columns = {
                c.key: getattr(profile, c.key)
                for c in Profile.__table__.columns
                if c.key not in ("user_id", "name", "created_at", "updated_at")
            }
            codes = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id))
            sessions = session.scalars(select(WebSession).where(WebSession.user_id == user.id))
            return (
                columns,
                len(list(codes)),
                len(list(sessions)),
                user.password_hash.rsplit("$", 2)[0],
            )

    assert made("carol") == made("dave")
    for browser in (through_forms, quick):
        assert browser.get("/").status_code == 200
        assert browser.post("/logout").headers["location"] == "/login"
        assert browser.get("/").status_code == 303


@pytest.mark.every_database
@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/login", {"password": PASSWORD}),
        ("/forgot", {"code": "abcd-efgh", "new_password": "a new and happy sentence"}),
    ],
)
def test_a_stray_control_character_in_the_name_is_a_wrong_name_not_an_error(
    alice: Browser, path: str, form: dict[str, str]
) -> None:
    # PostgreSQL refuses a NUL in any query; a pasted one must not make the page fail.
    response = alice.post(path, {"username": "ali\x00ce", **form})
    assert response.status_code == 400, response.status_code
    assert "match" in unescape(response.text)
