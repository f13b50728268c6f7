"""Fixtures for the bad-input and attack tests: the real app on the real database (SQLite, and
PostgreSQL when configured), with alice and bob signed in (made through the services, see
webtools.sign_up).

The same shape as tests/web/conftest.py, kept here so these tests stand on their own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from secondchance import clock
from secondchance.config import Settings
from secondchance.db import make_engine
from secondchance.services.accounts import create_api_token, start_session
from secondchance.services.people import find_user
from secondchance.web import create_app
from webtools import Browser, sign_up

POSTGRES_URL = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL")
NO_POSTGRES = "SECONDCHANCE_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, environment="test", secret_key="test-secret-key")


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def browser(app) -> Browser:  # type: ignore[no-untyped-def]
    return Browser(app)


@pytest.fixture
def alice(app) -> Browser:  # type: ignore[no-untyped-def]
    return sign_up(Browser(app), "alice")


@pytest.fixture
def bob(app) -> Browser:  # type: ignore[no-untyped-def]
    return sign_up(Browser(app), "bob", ex_name="Jo", ex_pronouns="she")


@dataclass
class World:
    """One app on one database for a whole module (one set-up serves every test in it)."""

    app: Any
    alice: Browser
    bob: Browser
    token: str  # alice's personal access token

    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def signed_in(self) -> Browser:
        """Alice's browser, signed in again if a fuzzed request ended her sessions (the API's
        POST /sessions/end-all with a token ends every browser session)."""
        if self.alice.client.get("/api/v1/profile").status_code != 200:
            # Not through the form: fuzzed wrong passwords (delete, password change) may have
            # throttled her sign-in, which is right, and not what these tests are about.
            with self.app.state.sessions() as session, session.begin():
                secret = start_session(session, find_user(session, "alice"), clock.now())
            self.alice.client.cookies.set("sc_session", secret)
            self.alice.get("/settings")  # a fresh CSRF token from a page
        return self.alice


def _database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('security') / 'security.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    worker = re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))
    schema = f"sc_security_{worker}_{os.getpid()}"
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
    databases = _database(request.param, tmp_path_factory)
    url = next(databases)
    app = create_app(Settings(database_url=url, environment="test", secret_key="security-key"))
    alice = sign_up(Browser(app), "alice")
    bob = sign_up(Browser(app), "bob", ex_name="Jo", ex_pronouns="she")
    alice.get("/settings")
    with app.state.sessions() as session, session.begin():
        _, token = create_api_token(session, find_user(session, "alice"), "tests", clock.now())
    yield World(app, alice, bob, token)
    app.state.engine.dispose()
    next(databases, None)
