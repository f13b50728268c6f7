"""Shared fixtures: a real database per test (SQLite, and PostgreSQL when configured), a fixed
``now``, and two people: alice owns the data, bob must never see it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from secondchance.db import make_engine, make_sessionmaker
from secondchance.migrate import upgrade
from secondchance.models import Base, User
from secondchance.services.people import ProfileInput, get_or_create_user, save_profile

# CI (.ci/run sets CI=1) draws property-test examples from fixed seeds instead of fresh
# randomness, so a failure there can be run again; a local run stays random and keeps finding
# new cases. (Not perfectly repeatable under xdist: what a worker ran before can matter.)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

POSTGRES_URL = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL")
NO_POSTGRES = "SECONDCHANCE_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped"

# A Wednesday afternoon in London, away from any daylight-saving change.
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES),
    ),
]


def _worker() -> str:
    return re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A schema of our own on the test server, created once per test process."""
    assert POSTGRES_URL
    schema = f"sc_test_{_worker()}_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine)
    engine.dispose()
    yield rendered
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A migrated, empty database URL: a fresh SQLite file, or the emptied PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'secondchance.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session inside one transaction, committed at the end like a real action."""
    with factory() as session, session.begin():
        yield session


@pytest.fixture
def now() -> datetime:
    return NOW


def make_person(session: Session, username: str, **profile: object) -> User:
    user = get_or_create_user(session, username, NOW)
    values = {
        "name": username.capitalize(),
        "ex_name": "Sam",
        "ex_pronouns": "he",
        "timezone": "Europe/London",
        "country": "GB",
        "goal": "reconcile",
        **profile,
    }
    save_profile(session, user, ProfileInput(**values), NOW)  # type: ignore[arg-type]
    return user


@pytest.fixture
def alice(session: Session) -> User:
    return make_person(session, "alice")


@pytest.fixture
def bob(session: Session) -> User:
    return make_person(session, "bob", ex_name="Jo", ex_pronouns="she")


@pytest.fixture
def person(session: Session):  # type: ignore[no-untyped-def]
    """Make another person with a profile: ``person("carol", goal="move_on")``."""

    def make(username: str, **profile: object) -> User:
        return make_person(session, username, **profile)

    return make
