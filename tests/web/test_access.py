"""The access matrix: every route of the app, as a stranger, as bob, and as alice herself.

Routes are read from the app itself, so a route added later is checked without anyone
remembering to add it here. For each one:

- anonymous: a page sends them to sign in (303 to /login?next=...); the API answers 401;
- bob, signed in: never sees a word of alice's (every free text of hers holds MARKER), gets
  404 for any of her ids, and nothing of alice's changes, whatever he sends;
- alice: can open every page of hers, so the ids filled in are real and the 404s above mean
  something.

Path parameters are filled from alice's rows: ``{letter_id}`` is her letter, ``{day}`` her
check-in's day; a parameter this file can't fill fails with the name to add to PARAMS.
Routes that need something special are in the explicit tables below, each with the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from secondchance import clock
from secondchance.config import Settings
from secondchance.db import make_engine
from secondchance.models import (
    Activity,
    ApiToken,
    Base,
    CheckIn,
    Conversation,
    JournalEntry,
    Letter,
    Memory,
    ReadinessCheck,
    ReminderSetting,
    Story,
    WebSession,
)
from secondchance.services import data
from secondchance.services.accounts import create_api_token
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, log_urge, start_no_contact
from secondchance.services.journal import write_entry
from secondchance.services.letters import write_letter
from secondchance.services.memories import add_memory
from secondchance.services.people import find_user
from secondchance.services.reconnect import take_readiness_check
from secondchance.services.reminders import ReminderInput
from secondchance.services.reminders import save_settings as save_reminders
from secondchance.services.safety_plan import save_plan
from secondchance.services.selfcare import log_activity
from secondchance.web import create_app
from webtools import PASSWORD, Browser, sign_up

# One word no page would ever print unless it came from alice's own rows.
MARKER = "zebralantern"
API = "/api/v1"
POSTGRES_URL = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL")

# Routes that aren't the app's own pages or API: nothing of anyone's is behind them.
NOT_APP = {
    f"{API}/openapi.json": "the API's schema: public by design, holds no one's data",
    f"{API}/docs": "the API's documentation page: public by design",
    "/docs/oauth2-redirect": "FastAPI's helper for the docs page; no data",
    "/static": "stylesheets, scripts and icons: the same for everyone",
}

# Routes anyone may open, each with the reason. They are still checked: no marker, no 500.
PUBLIC = {
    ("GET", "/signup"): "the sign-up form",
    ("POST", "/signup"): "signing up",
    ("GET", "/login"): "the sign-in form",
    ("POST", "/login"): "signing in",
    ("GET", "/forgot"): "a forgotten password is reset with a recovery code, signed out",
    ("POST", "/forgot"): "resetting the password with a recovery code",
    ("POST", "/demo"): "'Try the demo' makes a private copy for a visitor without an account",
    ("POST", "/logout"): "signing out needs no account: it ends whatever session there is",
    ("GET", "/quick-exit"): "must work for anyone, at once, as a plain link",
    ("GET", "/weather"): "the neutral page quick exit lands on",
    ("GET", "/help"): "help lines for anyone: someone in distress is never asked to sign in",
    ("GET", "/goodbye"): "where a deleted account lands, already signed out",
    ("GET", "/manifest.webmanifest"): "the installable app's manifest",
    ("GET", "/sw.js"): "the service worker script",
    ("GET", "/offline"): "the page shown when there's no connection",
    ("GET", "/healthz"): "the health check for a load balancer",
    ("GET", "/healthz/live"): "the liveness check for a process manager",
    ("GET", "/privacy"): "the privacy policy, read before signing up",
    ("GET", "/.well-known/security.txt"): "where to report a security problem (RFC 9116)",
    ("GET", "/calendar/{secret}.ics"): (
        "a calendar app can't sign in: the random secret in the address is the key (a wrong "
        "one is 404), and the feed holds times, never anything written"
    ),
}

# Path parameters that aren't ``<table>_id``: which of alice's rows fills them.
PARAMS = {
    "token_id": ApiToken,
    "check_id": ReadinessCheck,
    "entry_id": JournalEntry,
}

# A body for bob where an empty one would be refused before the ownership check runs, which
# would prove nothing. Keyed by (method, path template).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/journal/{entry_id}"): {"text": "bob's words"},
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # the template, e.g. /letters/{letter_id}

    @property
    def api(self) -> bool:
        return self.path.startswith(f"{API}/") or self.path == API

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _route_contexts(app: Any) -> Iterator[Any]:
    """Every route with its full path, also inside included routers (FastAPI >= 0.130 keeps
    included routers as one entry of ``app.routes``)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: the list is already flat
        yield from app.routes
        return
    yield from iter_route_contexts(app.routes)


def _original(route: Any) -> Any:
    return getattr(route, "original_route", route)


def endpoints(app: Any) -> list[Endpoint]:
    """Every (method, path) the app answers, apart from NOT_APP, in the app's order."""
    found: list[Endpoint] = []
    for route in _route_contexts(app):
        path = route.path
        if path in NOT_APP:
            continue
        if not isinstance(_original(route), APIRoute):
            raise AssertionError(f"{path}: a route this matrix doesn't know; add it to NOT_APP")
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append(Endpoint(method, path))
    return found


def _collect() -> list[Endpoint]:
    app = create_app(
        Settings(database_url="sqlite://", environment="test", secret_key="only-listing"),
        migrate=False,
    )
    try:
        return endpoints(app)
    finally:
        app.state.engine.dispose()


ENDPOINTS = _collect()
PRIVATE = [e for e in ENDPOINTS if (e.method, e.path) not in PUBLIC]
WITH_IDS = [e for e in PRIVATE if e.params]


@dataclass
class World:
    """One app on one database, with alice's rows, and browsers for alice, bob and a stranger."""

    app: Any
    alice: Browser
    bob: Browser
    stranger: Browser
    values: dict[str, str]  # path parameter -> alice's value

    def path(self, endpoint: Endpoint) -> str:
        path = endpoint.path
        for name in endpoint.params:
            if name not in self.values:
                pytest.fail(
                    f"{endpoint}: can't fill {{{name}}} from alice's rows. Add it to PARAMS "
                    "(or name it <table>_id)."
                )
            path = re.sub(r"{" + name + r"(?::\w+)?}", self.values[name], path)
        return path


def _fill_alice(app: Any, now: datetime) -> None:
    """Alice writes MARKER into every kind of row she can own."""
    with app.state.sessions() as session, session.begin():
        alice = find_user(session, "alice")
        start_no_contact(session, alice, now, started_at=now - timedelta(days=20))
        log_contact(
            session, alice, now, direction="ex_to_you", channel="text", note=f"{MARKER} call"
        )
        log_urge(session, alice, now, intensity=6, trigger=f"{MARKER} song")
        write_letter(session, alice, now, title=f"{MARKER} title", body=f"Dear {MARKER}")
        save_checkin(session, alice, CheckInInput(mood=6, note=f"{MARKER} day"), now)
        log_activity(session, alice, now, kind="exercise", note=f"{MARKER} run")
        add_memory(session, alice, now, title=f"{MARKER} goat", body=MARKER, tags=[MARKER])
        take_readiness_check(
            session,
            alice,
            now,
            {
                "see_without_breaking_down": True,
                "okay_without_reply": False,
                "okay_with_new_partner": True,
                "life_you_enjoy": True,
                "keep_it_light": True,
            },
        )
        save_plan(session, alice, {"reasons": f"{MARKER} reasons", "people": MARKER}, now)
        write_entry(session, alice, now, text=f"{MARKER} journal", lesson_slug="slips")
        create_api_token(session, alice, f"{MARKER} script", now)
        save_reminders(session, alice, ReminderInput(True, True, "20:00"), now)
        # Tables whose actions need a later step (or another area's service): rows as such.
        session.add(Story(user_id=alice.id, created_at=now, text=f"We broke up. {MARKER}."))
        session.add(
            Conversation(
                user_id=alice.id,
                started_at=now - timedelta(hours=1),
                started_by="ex",
                messages=4,
                ex_replied=True,
                ended_by="you",
                relationship_talk=False,
                note=f"{MARKER} chat",
            )
        )


def _values(app: Any) -> dict[str, str]:
    """Each path parameter's value: ``<table>_id`` from the table, PARAMS, and ``day``."""
    models = [m for m in Base.registry.mappers]
    with app.state.sessions() as session:
        alice = find_user(session, "alice")
        assert alice is not None

        def first_id(model: Any) -> str:
            found = session.scalar(select(model.id).where(model.user_id == alice.id).limit(1))
            assert found is not None, f"alice has no {model.__tablename__}"
            return str(found)

        values: dict[str, str] = {}
        for mapper in models:
            model = mapper.class_
            table = model.__tablename__
            if "user_id" not in model.__table__.columns or "id" not in model.__table__.columns:
                continue
            if session.scalar(select(func.count()).where(model.user_id == alice.id)):
                singular = table[:-3] + "y" if table.endswith("ies") else table[:-1]
                values[f"{singular}_id"] = first_id(model)
        for name, model in PARAMS.items():
            values[name] = first_id(model)
        # Fixing a mistake (/entries/{kind}/{entry_id}/...) is checked on one of alice's activities.
        values["kind"], values["entry_id"] = "activity", values["activity_id"]
        day = session.scalar(select(CheckIn.day).where(CheckIn.user_id == alice.id))
        values["day"] = day.isoformat()  # type: ignore[union-attr]
        values["slug"] = "slips"  # a lesson: the same for everyone, nobody's row
        # The calendar feed is opened with alice's own secret: it must not show her words.
        values["secret"] = session.scalar(
            select(ReminderSetting.calendar_secret).where(ReminderSetting.user_id == alice.id)
        )
    assert {"letter_id", "memory_id", "activity_id"} <= set(values)
    assert Letter and Memory and Activity  # the tables the naming rule must cover
    return values


def _database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('access') / 'access.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("SECONDCHANCE_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    worker = re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))
    schema = f"sc_access_{worker}_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema} -csynchronous_commit=off"}
    )
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Built once per database for the whole module (nothing bob tries changes it)."""
    databases = _database(request.param, tmp_path_factory)
    url = next(databases)
    app = create_app(Settings(database_url=url, environment="test", secret_key="access-key"))
    alice = sign_up(Browser(app), "alice")
    bob = sign_up(Browser(app), "bob", ex_name="Jo", ex_pronouns="she")
    _fill_alice(app, clock.now())
    stranger = Browser(app)
    stranger.get("/login")
    yield World(app, alice, bob, stranger, _values(app))
    app.state.engine.dispose()
    next(databases, None)


def snapshot(app: Any) -> tuple[Any, ...]:
    """Everything of alice's that bob must not change: her export, tokens and sessions."""
    with app.state.sessions() as session:
        alice = find_user(session, "alice")
        assert alice is not None, "alice's account is gone"
        export = data.export_account(session, alice, datetime(2000, 1, 1, tzinfo=UTC))
        tokens = session.scalars(select(ApiToken.name).where(ApiToken.user_id == alice.id)).all()
        sessions = session.scalar(select(func.count()).where(WebSession.user_id == alice.id))
        return export, tuple(tokens), sessions


def signed_in(world: World, browser: Browser, username: str) -> Browser:
    """Sign ``browser`` in again if an earlier route (sign out, sign out everywhere) ended it."""
    if browser.client.get(f"{API}/profile").status_code == 200:
        return browser
    browser.get("/login")
    response = browser.post("/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 303, f"{username} couldn't sign in again: {response.text}"
    browser.get("/settings")  # a fresh CSRF token from a page
    return browser


def send(browser: Browser, endpoint: Endpoint, path: str, body: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    """One request the way a browser or an API client would make it."""
    if endpoint.api:
        kwargs = {} if endpoint.method in ("GET", "HEAD") else {"json": body or {}}
        return browser.api(endpoint.method, path, **kwargs)
    if endpoint.method == "GET":
        return browser.get(path)
    if endpoint.method == "POST":
        return browser.post(path, body or {})
    return browser.htmx(endpoint.method, path, body or {})


def leaked(response) -> bool:  # type: ignore[no-untyped-def]
    return MARKER.encode() in response.content


@pytest.mark.parametrize("endpoint", PRIVATE, ids=str)
def test_anonymous_is_asked_to_sign_in(world: World, endpoint: Endpoint) -> None:
    path = world.path(endpoint)
    if endpoint.api:
        kwargs = {} if endpoint.method == "GET" else {"json": {}}
        response = world.stranger.client.request(endpoint.method, path, **kwargs)
        assert response.status_code == 401, f"{endpoint}: {response.status_code}"
    else:
        response = send(world.stranger, endpoint, path)
        assert response.status_code == 303, f"{endpoint}: {response.status_code}"
        # ...and back to the same page after signing in (a form's page, for a POST).
        assert response.headers["location"] == f"/login?next={path}", endpoint
    assert not leaked(response)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e not in PRIVATE], ids=str)
def test_public_routes_show_nothing_of_alice_s(world: World, endpoint: Endpoint) -> None:
    browser = Browser(world.app)
    browser.get("/login")
    response = send(browser, endpoint, world.path(endpoint))
    assert response.status_code < 500 and not leaked(response)


@pytest.mark.parametrize("endpoint", PRIVATE, ids=str)
def test_bob_can_neither_read_nor_change_alice_s_data(world: World, endpoint: Endpoint) -> None:
    bob = signed_in(world, world.bob, "bob")
    before = snapshot(world.app)
    path = world.path(endpoint)
    response = send(bob, endpoint, path, BODIES.get((endpoint.method, endpoint.path)))
    assert response.status_code < 500, f"{endpoint}: {response.status_code} {response.text[:300]}"
    assert not leaked(response), f"{endpoint} showed bob something of alice's"
    ids = [p for p in endpoint.params if p.endswith("_id")]
    if ids:
        assert response.status_code == 404, (
            f"{endpoint} with alice's {ids}: expected 404, got {response.status_code} "
            f"{response.text[:300]} (add a body to BODIES if validation ran first)"
        )
    assert snapshot(world.app) == before, f"{endpoint} changed alice's data for bob"


@pytest.mark.parametrize("endpoint", [e for e in PRIVATE if e.method == "GET"], ids=str)
def test_alice_can_open_her_own(world: World, endpoint: Endpoint) -> None:
    alice = signed_in(world, world.alice, "alice")
    response = send(alice, endpoint, world.path(endpoint))
    assert response.status_code < 400, f"{endpoint}: {response.status_code} {response.text[:300]}"
    if endpoint.params and endpoint.api:
        assert leaked(response), f"{endpoint} didn't show alice her own row"


def test_every_route_is_in_the_matrix() -> None:
    """The lists above come from the app; this guards against them silently being empty."""
    paths = {e.path for e in ENDPOINTS}
    assert {"/", "/settings", f"{API}/export", "/insights", "/more"} <= paths
    assert len(PRIVATE) > 40 and WITH_IDS
