"""Helpers for web tests: a TestClient that behaves like a person's browser."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

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


def sign_up(browser: Browser, username: str, *, profile: bool = True, **answers: str) -> Browser:
    browser.get("/signup")
    response = browser.post("/signup", {"username": username, "password": PASSWORD})
    assert response.status_code == 200 and "Your recovery codes" in response.text, response.text
    if profile:
        form = {
            "name": username.capitalize(),
            "ex_name": "Sam",
            "ex_pronouns": "he",
            "who_ended": "ex",
            "goal": "reconcile",
            "country": "GB",
            "timezone": "Europe/London",
            **answers,
        }
        browser.get("/welcome")
        assert browser.post("/welcome", form).status_code == 303
    return browser
