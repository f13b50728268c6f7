"""Security headers, CSRF, size limits and escaping, on every kind of response."""

from __future__ import annotations

from html import unescape

import pytest

from webtools import Browser


@pytest.mark.parametrize(
    "path", ["/login", "/signup", "/", "/static/app.css", "/api/v1/status", "/nope"]
)
def test_security_headers_are_on_every_response(browser: Browser, path: str) -> None:
    headers = browser.client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_private_pages_are_never_cached(alice: Browser) -> None:
    assert alice.get("/").headers["cache-control"] == "no-store"


def test_a_form_without_the_token_is_refused(alice: Browser) -> None:
    response = alice.client.post("/welcome", data={"name": "Mallory", "ex_name": "X"})
    assert response.status_code == 403
    assert "expired" in response.text
    assert "Mallory" not in alice.get("/welcome").text


def test_a_token_from_another_browser_is_refused(alice: Browser, bob: Browser) -> None:
    response = alice.client.post("/welcome", data={"csrf_token": bob.csrf(), "name": "Mallory"})
    assert response.status_code == 403


def test_a_forged_csrf_cookie_is_replaced(browser: Browser) -> None:
    browser.client.cookies.set("sc_csrf", "forged.value")
    response = browser.client.get("/login")
    assert "sc_csrf=" in response.headers.get("set-cookie", "")


def test_huge_bodies_are_refused_with_413(alice: Browser) -> None:
    response = alice.post("/welcome", {"name": "x" * 1_100_000})
    assert response.status_code == 413


def test_text_people_write_comes_back_escaped(alice: Browser) -> None:
    alice.get("/welcome")
    alice.post(
        "/welcome",
        {
            "name": "<script>alert(1)</script>",
            "ex_name": "Sam",
            "goal": "reconcile",
            "ex_pronouns": "he",
            "who_ended": "ex",
            "country": "GB",
            "timezone": "Europe/London",
        },
    )
    page = alice.get("/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_the_default_secret_refuses_to_run_in_production(db_url: str) -> None:
    from secondchance.config import Settings
    from secondchance.web import create_app

    with pytest.raises(ValueError, match="SECONDCHANCE_SECRET_KEY"):
        create_app(Settings(database_url=db_url, environment="production"))


def test_a_page_that_does_not_exist_is_a_page_a_person_can_read(alice: Browser) -> None:
    response = alice.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "That isn't here" in unescape(response.text)
    api = alice.client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_passwords_are_hashed_slowly_unless_a_test_asks_otherwise(db_url: str) -> None:
    """The suite hashes at the smallest argon2 cost (tests/conftest.py); a real server hashes
    at argon2-cffi's defaults, and refuses the cheap cost in production."""
    from argon2 import Type

    from secondchance.config import Settings
    from secondchance.services import accounts
    from secondchance.web import create_app

    assert Settings.model_fields["password_hashing"].default == "standard"
    hasher, code_hasher = accounts.HASHING["standard"]
    assert hasher.type is Type.ID and hasher.time_cost >= 3 and hasher.memory_cost >= 64 * 1024
    assert code_hasher.type is Type.ID and code_hasher.memory_cost >= 8 * 1024
    with pytest.raises(ValueError, match="PASSWORD_HASHING"):
        create_app(
            Settings(
                database_url=db_url,
                environment="production",
                secret_key="a-real-secret-for-this-test",
                password_hashing="fast",
            )
        )
    standard = Settings(database_url=db_url, environment="production", password_hashing="standard")
    try:
        create_app(standard.model_copy(update={"secret_key": "a-real-secret-for-this-test"}))
        assert accounts.hash_password("a long and happy sentence").startswith(
            "$argon2id$v=19$m=65536,t=3,p=4$"
        )
    finally:
        accounts.use_hashing("fast")
