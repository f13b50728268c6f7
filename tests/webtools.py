"""Helpers for web tests: a TestClient that behaves like a person's browser."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from secondchance import clock
from secondchance.config import Settings
from secondchance.services import accounts
from secondchance.services.people import ProfileInput, save_profile
from secondchance.web import create_app
from secondchance.web.deps import SESSION_COOKIE

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long and happy sentence"
FROZEN = "2026-11-18 15:00:00+00:00"


class Browser:
    """A TestClient that behaves like a person's browser: keeps cookies, sends CSRF tokens."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        self.token = ""

    def get(self, url: str, **kwargs):  # type: ignore[no-untyped-def]
        response = self.client.get(url, **kwargs)
        found = TOKEN.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def csrf(self) -> str:
        if not self.token:
            self.get("/login")
        return self.token

    def post(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        form = {"csrf_token": self.csrf(), **(data or {})}
        return self.client.post(url, data=form, **kwargs)

    def htmx(self, method: str, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf()}
        return self.client.request(method, url, data=data, headers=headers)

    def api(self, method: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
        headers = {"X-CSRF-Token": self.csrf(), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def follow(self, response):  # type: ignore[no-untyped-def]
        while response.status_code in (302, 303, 307):
            response = self.get(response.headers["location"])
        return response


# What the welcome form sends for a new person, before a test's own answers.
PROFILE_FORM = {
    "ex_name": "Sam",
    "ex_pronouns": "he",
    "who_ended": "ex",
    "goal": "reconcile",
    "country": "GB",
    "timezone": "Europe/London",
}


def sign_up(browser: Browser, username: str, *, profile: bool = True, **answers: str) -> Browser:
    """Make ``username``'s account (and, with ``profile``, answer the welcome questions) and
    sign ``browser`` in: what the sign-up and welcome forms do, through the same services,
    without their pages. The forms themselves are tested through ``sign_up_through_forms``
    and in test_auth.py, test_recovery.py and security/test_attacks.py."""
    app = browser.client.app
    now = clock.now()
    with app.state.sessions() as session, session.begin():
        user, _codes = accounts.sign_up(session, username, PASSWORD, now)
        if profile:
            form = {"name": username.capitalize(), **PROFILE_FORM, **answers}
            form["breakup_date"] = form.get("breakup_date") or None
            save_profile(session, user, ProfileInput(**form), now)
        secret = accounts.start_session(session, user, now)
    # Where the app's own Set-Cookie puts it: a host without a dot is "<host>.local" to the jar.
    browser.client.cookies.set(SESSION_COOKIE, secret, domain="testserver.local", path="/")
    return browser


def sign_up_through_forms(
    browser: Browser, username: str, *, profile: bool = True, **answers: str
) -> Browser:
    """``sign_up`` through the real pages: /signup, then the /welcome form."""
    browser.get("/signup")
    response = browser.post("/signup", {"username": username, "password": PASSWORD})
    assert response.status_code == 200 and "Your recovery codes" in response.text, response.text
    if profile:
        form = {"name": username.capitalize(), **PROFILE_FORM, **answers}
        browser.get("/welcome")
        assert browser.post("/welcome", form).status_code == 303
    return browser


# The API's safety part for words that show nothing (``SafetyOut`` of a calm note).
CALM_SAFETY = {
    "level": "none",
    "crisis": False,
    "concern": False,
    "abuse": False,
    "evidence": [],
    "help": [],
}


def api_schema() -> dict:
    """The API's OpenAPI schema, from an app that never touches a database (the schema follows
    from the routes alone, so one made on SQLite holds for every database)."""
    app = create_app(
        Settings(database_url="sqlite://", environment="test", secret_key="only-listing"),
        migrate=False,
    )
    try:
        return app.openapi()
    finally:
        app.state.engine.dispose()


# Zones a person might live in, far enough apart that one of them is always in the daytime.
_ZONES = ("Europe/London", "Asia/Tokyo", "America/Los_Angeles", "Asia/Kolkata", "America/New_York")


def daytime_zone() -> str:
    """A time zone where it is now between 09:00 and 19:59: for a test of what the app says
    by day, which changes late at night (see ``program.replies.is_late``)."""
    moment = clock.now()
    for name in _ZONES:
        if 9 <= moment.astimezone(clock.zone(name)).hour < 20:
            return name
    raise AssertionError("no zone in daytime: widen _ZONES")
