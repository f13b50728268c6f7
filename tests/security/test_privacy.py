"""The privacy policy page and /.well-known/security.txt: public, linked, and saying the truth."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from secondchance.config import Settings
from secondchance.web import create_app
from webtools import Browser


def test_the_privacy_page_is_public_and_says_what_is_kept_where_and_by_whom(
    browser: Browser,
) -> None:
    page = browser.get("/privacy")
    assert page.status_code == 200
    text = page.text
    for words in [
        "What is stored",
        "argon2id",
        "Where it is kept",
        "no analytics",
        "Who can see it",
        "download everything as JSON or CSV",
        "delete your account",
        "Reporting a security problem",
        "SECONDCHANCE_SECURITY_CONTACT",
        "/.well-known/security.txt",
    ]:
        assert words in text, words


def test_the_privacy_page_is_linked_from_sign_up_and_more(alice: Browser, browser: Browser) -> None:
    assert 'href="/privacy"' in browser.get("/signup").text
    assert 'href="/privacy"' in alice.get("/more").text
    assert alice.get("/privacy").status_code == 200


def _app(db_url: str, contact: str):  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=db_url, environment="test", secret_key="k", security_contact=contact
    )
    return create_app(settings)


def test_the_operator_s_security_contact_is_shown_and_published(db_url: str) -> None:
    app = _app(db_url, "security@example.org")
    try:
        client = TestClient(app, base_url="https://coach.example.org")
        page = client.get("/privacy")
        assert 'href="mailto:security@example.org"' in page.text
        txt = client.get("/.well-known/security.txt")
        assert txt.status_code == 200
        assert txt.headers["content-type"].startswith("text/plain")
        fields = dict(line.split(": ", 1) for line in txt.text.strip().splitlines())
        assert fields["Contact"] == "mailto:security@example.org"
        assert fields["Canonical"] == "https://coach.example.org/.well-known/security.txt"
        expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
        assert timedelta(days=300) < expires - datetime.now(expires.tzinfo) <= timedelta(days=365)
        assert "strict-transport-security" in txt.headers
    finally:
        app.state.engine.dispose()


def test_without_a_contact_security_txt_points_to_the_privacy_page(browser: Browser) -> None:
    txt = browser.client.get("/.well-known/security.txt").text
    assert re.search(r"^Contact: http://testserver/privacy#report$", txt, re.M)
    assert re.search(r"^Expires: \d{4}-\d\d-\d\dT", txt, re.M)


def test_no_request_is_traced_or_exported_whatever_the_environment_says(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An operator's variable meant for another service must not make this one send its
    # requests (paths, people's ids, errors) to a telemetry collector.
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    app = _app(db_url, "")
    try:
        with TestClient(app) as client:
            assert client.get("/healthz/live").status_code == 200
        settings = app._telemetry  # FastAPI's own record of what it will trace and send
        assert not any(settings[k] for k in ("tracing", "metrics", "logs", "auto_configure"))
    finally:
        app.state.engine.dispose()
