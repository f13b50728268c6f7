"""Attacks, each tried for real against the app: cross-site request forgery on every
state-changing route, session fixation, password guessing, stored XSS, open redirects, and
secrets or private words leaking into logs."""

from __future__ import annotations

import ast
import json
import logging
import re
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from secondchance.services import data
from secondchance.services.people import find_user
from webtools import PASSWORD, TOKEN, Browser

API = "/api/v1"
SRC = Path(__file__).resolve().parents[2] / "src" / "secondchance"


def _routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, read from the app (new routes included)."""
    try:
        from fastapi.routing import iter_route_contexts

        contexts = list(iter_route_contexts(app.routes))
    except ImportError:
        contexts = list(app.routes)
    found = []
    for context in contexts:
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            found += [(m, context.path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return found


def _fill(path: str) -> str:
    return re.sub(r"{day}", "2026-11-18", re.sub(r"{\w+_id}", "1", path))


def _export(app: Any, username: str) -> Any:
    with app.state.sessions() as session:
        return data.export_account(
            session, find_user(session, username), datetime(2000, 1, 1, tzinfo=UTC)
        )


# ------------------------------------------------------------------------------------- CSRF


def _writes(app: Any, api: bool) -> list[tuple[str, str]]:
    return [
        (m, p)
        for m, p in _routes(app)
        if m in {"POST", "PUT", "PATCH", "DELETE"} and p.startswith(f"{API}/") == api
    ]


def test_every_state_changing_page_route_refuses_a_forged_request(world: Any) -> None:
    """No token, a wrong token, or another person's token: 403, and nothing of alice's changes.
    Routes are read from the app, so a form added later is covered without being listed."""
    alice, bob = world.signed_in(), world.bob
    routes = _writes(world.app, api=False)
    assert len(routes) > 20
    before = _export(world.app, "alice")
    for method, path in routes:
        url = _fill(path)
        form = {"title": "forged", "body": "forged", "note": "forged", "mood": "5"}
        attempts = {
            "no token": alice.client.request(method, url, data=form),
            "bob's token": alice.client.request(
                method, url, data={**form, "csrf_token": bob.csrf()}
            ),
            "forged header": alice.client.request(
                method, url, data=form, headers={"X-CSRF-Token": "forged.value"}
            ),
        }
        for how, response in attempts.items():
            assert response.status_code == 403, (
                f"{method} {path} with {how}: {response.status_code}"
            )
    assert _export(world.app, "alice") == before
    assert alice.get("/").status_code == 200  # still signed in: even /logout was refused


def test_the_api_with_the_session_cookie_needs_the_csrf_header(world: Any) -> None:
    alice = world.signed_in()
    routes = _writes(world.app, api=True)
    assert len(routes) > 15
    before = _export(world.app, "alice")
    for method, path in routes:
        response = alice.client.request(method, _fill(path), json={})
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
    assert _export(world.app, "alice") == before


def test_the_api_with_a_bearer_token_is_exempt_by_design(world: Any) -> None:
    """A token is never sent by a browser on its own, so a forged page can't use it."""
    response = world.alice.client.post(
        f"{API}/letters", json={"title": "by token", "body": "kept"}, headers=world.bearer()
    )
    assert response.status_code == 201
    stranger = TestClient(world.app)
    assert stranger.post(f"{API}/letters", json={"body": "x"}).status_code == 401


# ------------------------------------------------------------------------- session fixation


def _session_cookie(response: Any) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("sc_session="):
            return header.split(";")[0].split("=", 1)[1]
    return None


def test_a_session_cookie_planted_before_sign_in_is_not_the_one_after(alice: Browser) -> None:
    victim = Browser(alice.client.app)
    victim.client.cookies.set("sc_session", "planted-by-an-attacker")
    victim.get("/login")
    response = victim.post("/login", {"username": "alice", "password": PASSWORD})
    fresh = _session_cookie(response)
    assert fresh and fresh != "planted-by-an-attacker"
    attacker = Browser(alice.client.app)
    attacker.client.cookies.set("sc_session", "planted-by-an-attacker")
    assert attacker.get("/").status_code == 303


def test_signing_in_again_issues_a_fresh_secret_and_ends_the_old_one(alice: Browser) -> None:
    old = alice.client.cookies.get("sc_session")
    alice.get("/login")
    response = alice.post("/login", {"username": "alice", "password": PASSWORD})
    new = _session_cookie(response)
    assert new and old and new != old
    thief = Browser(alice.client.app)
    thief.client.cookies.set("sc_session", old)
    assert thief.get("/").status_code == 303, "the session from before signing in still works"
    alice.client.cookies.set("sc_session", new)
    assert alice.get("/").status_code == 200


def test_signing_up_issues_a_fresh_secret(browser: Browser) -> None:
    browser.client.cookies.set("sc_session", "planted")
    browser.get("/signup")
    response = browser.post("/signup", {"username": "dora", "password": PASSWORD})
    assert _session_cookie(response) not in (None, "planted")


# ------------------------------------------------------------------------------ throttling


def _client(app: Any, address: str) -> Browser:
    browser = Browser(app)
    browser.client = TestClient(app, follow_redirects=False, client=(address, 50000))
    return browser


def test_guessing_from_one_address_is_throttled_across_names(alice: Browser) -> None:
    """10 failures from one address, each on a different name: that address waits, even with
    alice's right password, and a forged X-Forwarded-For doesn't get around it."""
    guesser = _client(alice.client.app, "203.0.113.7")
    guesser.get("/login")
    for n in range(10):
        response = guesser.post("/login", {"username": f"name{n}", "password": "guess guess"})
        assert response.status_code == 400
    blocked = guesser.post(
        "/login",
        {"username": "alice", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.1", "X-Real-IP": "198.51.100.1"},
    )
    assert blocked.status_code == 429
    elsewhere = _client(alice.client.app, "198.51.100.2")
    elsewhere.get("/login")
    ok = elsewhere.post("/login", {"username": "alice", "password": PASSWORD})
    assert ok.status_code == 303, "another address is not punished for this one"


def test_guessing_one_account_from_many_addresses_slows_the_guessers_not_alice(
    alice: Browser,
) -> None:
    guessers = []
    for n in range(5):
        guesser = _client(alice.client.app, f"192.0.2.{n + 1}")
        guesser.get("/login")
        assert (
            guesser.post("/login", {"username": "alice", "password": "nope nope"}).status_code
            == 400
        )
        guessers.append(guesser)
    again = guessers[0].post("/login", {"username": "alice", "password": "nope again"})
    assert again.status_code == 429, "a guesser's next try on the account waits"
    alice_phone = _client(alice.client.app, "192.0.2.99")
    alice_phone.get("/login")
    assert (
        alice_phone.post("/login", {"username": "alice", "password": PASSWORD}).status_code == 303
    ), "knowing her name is not enough to lock alice out"


# ------------------------------------------------------------------------------------- XSS

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"]


def _write_everything(alice: Browser, text: str) -> None:
    alice.get("/checkin")
    assert alice.post("/checkin", {"mood": "5", "note": f"note {text}"}).status_code == 303
    assert (
        alice.post("/letters", {"title": f"title {text}", "body": f"body {text}"}).status_code
        == 303
    )
    memory = {"title": f"memory {text}", "body": f"more {text}", "tags": "goat"}
    assert alice.post("/memories", memory).status_code == 303
    assert alice.post("/welcome/story", {"story": f"We broke up. {text}"}).status_code in (200, 303)
    urge = {"intensity": "5", "outcome": "resisted", "trigger": f"song {text}"}
    assert alice.post("/sos/urge", urge).status_code < 400
    assert alice.post("/help/plan", {"reasons": f"reasons {text}"}).status_code == 303


@pytest.mark.parametrize("index", [0, 1], ids=["script", "attribute"])
def test_what_people_write_comes_back_escaped_everywhere(alice: Browser, index: int) -> None:
    payload, escaped = PAYLOADS[index], ESCAPED[index]
    _write_everything(alice, payload)
    letter_id = re.search(r'href="/letters/(\d+)"', alice.get("/letters").text)
    assert letter_id
    pages = [
        "/",
        "/checkin",
        "/letters",
        f"/letters/{letter_id.group(1)}",
        "/memories",
        "/story",
        "/help",
        "/help/plan",
        "/insights",
        "/sos",
        "/step4/compose",
    ]
    shown = 0
    for path in pages:
        page = alice.get(path)
        assert page.status_code == 200, path
        assert payload not in page.text, f"{path} shows the payload unescaped"
        shown += escaped in page.text
    assert shown >= 6, f"the escaped payload appeared on only {shown} pages"
    for url in ("/step4/review", "/step4/compose"):
        review = alice.htmx("POST", url, {"draft": f"haha {payload} miss you"})
        assert review.status_code == 200
        assert payload not in review.text and escaped in review.text, url
    export = alice.get("/settings/export.json")
    assert export.headers["content-type"].startswith("application/json")
    assert export.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in export.headers.get("content-disposition", "")
    assert payload in json.dumps(export.json(), ensure_ascii=False)  # kept as written, as data


# --------------------------------------------------------------------------- open redirects

REDIRECTS = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "//evil.example@testserver",
    "/login?next=//evil.example",
]


def _same_site(location: str) -> bool:
    """Where a browser would go: WHATWG URL parsing strips tabs and newlines, and reads a
    backslash as a slash."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    target = urlsplit(urljoin("http://testserver/login", cleaned))
    return target.scheme == "http" and target.netloc == "testserver"


@pytest.mark.parametrize("target", REDIRECTS)
def test_signing_in_never_sends_anyone_off_site(alice: Browser, target: str) -> None:
    browser = Browser(alice.client.app)
    form = browser.client.get("/login", params={"next": target})
    hidden = re.search(r'name="next" value="([^"]*)"', form.text)
    assert hidden and _same_site(hidden.group(1)), hidden
    browser.get("/login")
    response = browser.post("/login", {"username": "alice", "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert _same_site(response.headers["location"]), response.headers["location"]


def test_the_sign_in_redirect_keeps_the_page_on_site(browser: Browser) -> None:
    response = browser.client.get("/letters", params={"from": "//evil.example"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/letters")
    assert _same_site(response.headers["location"])


# ----------------------------------------------------------------------------------- logs


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_passwords_tokens_and_private_words_never_reach_the_logs(app, caplog) -> None:  # type: ignore[no-untyped-def]
    """The real server (uvicorn with its access log on) and every logger at DEBUG, while people
    sign up, get a password wrong, and write a check-in note, a letter, a story and a draft."""
    import uvicorn

    secrets_ = {
        "password": "my very secret passphrase 42",
        "wrong": "a wrong guess 9a8b7c6d",
        "note": "note-words-only-alice-knows",
        "letter": "letter-words-only-alice-knows",
        "story": "story-words-only-alice-knows",
        "draft": "draft-words-only-alice-knows",
    }
    caplog.set_level(logging.DEBUG)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, log_level="debug", access_log=True
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        with httpx.Client(base_url=base, follow_redirects=False) as client:

            def token() -> str:
                found = TOKEN.search(client.get("/login").text)
                assert found
                return found.group(1)

            form = {"username": "erin", "password": secrets_["password"], "csrf_token": token()}
            assert client.post("/signup", data=form).status_code == 200  # the recovery codes
            profile = {
                "csrf_token": token(),
                "name": "Erin",
                "ex_name": "Sam",
                "ex_pronouns": "he",
                "who_ended": "ex",
                "goal": "reconcile",
                "country": "GB",
                "timezone": "Europe/London",
            }
            assert client.post("/welcome", data=profile).status_code == 303
            steps = [
                ("/checkin", {"mood": "4", "note": secrets_["note"]}),
                ("/letters", {"title": "t", "body": secrets_["letter"]}),
                ("/welcome/story", {"story": secrets_["story"]}),
                ("/step4/review", {"draft": secrets_["draft"]}),
                ("/logout", {}),
            ]
            for path, body in steps:
                assert client.post(path, data={**body, "csrf_token": token()}).status_code < 400
            wrong = {"username": "erin", "password": secrets_["wrong"], "csrf_token": token()}
            assert client.post("/login", data=wrong).status_code == 400
            tokens = [c.value for c in client.cookies.jar]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    # Everything the server side logged; httpx and httpcore are this test's own client.
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_side)
    assert "uvicorn.access" in logged and "POST /login" in logged, "the access log wasn't captured"
    for name, secret in secrets_.items():
        assert secret not in logged, f"the {name} reached the logs"
    for value in tokens:
        assert value not in logged, "a cookie's secret reached the logs"


SENSITIVE = {"password", "note", "text", "body", "draft", "story", "secret", "token", "form"}


def test_the_app_s_own_log_calls_pass_no_private_text() -> None:
    """Every logging call in the package, read from the source: none is given a variable that
    holds what a person wrote or a secret (a new call doing so fails here)."""
    calls = 0
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if not (isinstance(owner, ast.Name) and owner.id in {"log", "logger", "logging"}):
                continue
            if node.func.attr not in {"debug", "info", "warning", "error", "exception", "critical"}:
                continue
            calls += 1
            names = {n.id for arg in node.args for n in ast.walk(arg) if isinstance(n, ast.Name)}
            attrs = {
                n.attr for arg in node.args for n in ast.walk(arg) if isinstance(n, ast.Attribute)
            }
            assert not (names | attrs) & SENSITIVE, (
                f"{path}:{node.lineno} logs {(names | attrs) & SENSITIVE}"
            )
    assert calls >= 1
