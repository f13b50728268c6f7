"""Security headers on every response: every page and API read the app has (read from the app,
so new routes are covered), as a stranger and as alice, and every kind of error: 303, 401, 403,
404, 405, 413, 422, 429-free, 500, and static files."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from webtools import Browser

REQUIRED = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def assert_secure(response: Any, label: str) -> None:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp, f"{label}: CSP {csp!r}"
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, label
    assert "object-src 'none'" in csp, label
    for name, value in REQUIRED.items():
        assert headers.get(name) == value, f"{label}: {name}={headers.get(name)!r}"
    if "static" not in label:  # stylesheets and scripts may be cached: nothing private in them
        assert "no-store" in headers.get("cache-control", "") or "no-cache" in headers.get(
            "cache-control", ""
        ), f"{label}: cache-control {headers.get('cache-control')!r}"


def _get_paths(app: Any) -> list[str]:
    try:
        from fastapi.routing import iter_route_contexts

        contexts = list(iter_route_contexts(app.routes))
    except ImportError:
        contexts = list(app.routes)
    paths = []
    for context in contexts:
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
            paths.append(context.path)
    return paths


def _fill(path: str) -> str:
    return re.sub(r"{day}", "2026-11-18", re.sub(r"{\w+_id}", "1", path))


def test_every_get_route_has_the_headers_for_strangers_and_alice(alice: Browser, app) -> None:  # type: ignore[no-untyped-def]
    stranger = TestClient(app, follow_redirects=False)
    paths = [_fill(p) for p in _get_paths(app) if p != "/quick-exit"]
    assert len(paths) > 40
    for path in paths:
        assert_secure(stranger.get(path), f"stranger GET {path}")
        assert_secure(alice.client.get(path), f"alice GET {path}")
    assert_secure(alice.client.get("/quick-exit"), "GET /quick-exit")


@pytest.mark.parametrize(
    "path", ["/static/app.css", "/static/app.js", "/manifest.webmanifest", "/sw.js"]
)
def test_static_files_have_the_headers(browser: Browser, path: str) -> None:
    response = browser.client.get(path)
    assert response.status_code == 200, path
    assert_secure(response, f"GET {path}")


def test_every_kind_of_error_has_the_headers(alice: Browser, browser: Browser) -> None:
    cases = {
        "404 page": browser.client.get("/no-such-page"),
        "404 static": browser.client.get("/static/nope.css"),
        "404 api": alice.api("GET", "/api/v1/letters/999999"),
        "405": browser.client.delete("/login"),
        "401": browser.client.get("/api/v1/status"),
        "403 csrf": alice.client.post("/checkin", data={"mood": "5"}),
        "413": alice.post("/letters", {"body": "x" * 1_100_000}),
        "422 api": alice.api("POST", "/api/v1/checkins", json={"mood": "very"}),
        "422 form": alice.post("/letters", {"title": "x" * 100_000}),
        "303": browser.client.get("/"),
    }
    for label, response in cases.items():
        expected = int(label.split()[0])
        assert response.status_code == expected, f"{label}: {response.status_code}"
        assert_secure(response, label)


def test_a_server_error_has_the_headers_too(app) -> None:  # type: ignore[no-untyped-def]
    """Starlette's 500 is made outside the app's middleware; it used to come without them."""

    @app.get("/api/v1/boom-for-test")
    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("a bug")

    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    page = client.get("/boom-for-test")
    assert page.status_code == 500 and "Everything you saved before is safe" in page.text
    assert_secure(page, "500 page")
    api = client.get("/api/v1/boom-for-test")
    assert api.status_code == 500 and api.json()["detail"]
    assert_secure(api, "500 api")
    with pytest.raises(RuntimeError, match="a bug"):  # still raised, so it is logged
        TestClient(app).get("/boom-for-test")


def test_an_api_client_with_a_token_gets_no_csrf_cookie_but_a_browser_still_does(
    app,  # type: ignore[no-untyped-def]
    alice: Browser,
) -> None:
    secret = alice.api("POST", "/api/v1/tokens", json={"name": "script"}).json()["token"]
    with TestClient(app) as script:  # no cookies: a script, not alice's browser
        bearer = {"Authorization": f"Bearer {secret}"}
        saved = script.post("/api/v1/checkins", json={"mood": 6}, headers=bearer)
        assert saved.status_code == 201, saved.text
        assert "set-cookie" not in saved.headers
        assert "sc_csrf=" in script.get("/login").headers.get("set-cookie", "")
