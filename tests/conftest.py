"""Shared fixtures: a real database per test (SQLite, and PostgreSQL when configured), a fixed
``now``, and two people: alice owns the data, bob must never see it."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import fastapi.routing
import pytest
import typer.testing
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from secondchance.db import make_engine, make_sessionmaker
from secondchance.migrate import upgrade
from secondchance.models import Base, User
from secondchance.services.accounts import use_hashing
from secondchance.services.people import ProfileInput, get_or_create_user, save_profile

# CI (.ci/run sets CI=1) draws property-test examples from fixed seeds instead of fresh
# randomness, so a failure there can be run again; a local run stays random and keeps finding
# new cases. (Not perfectly repeatable under xdist: what a worker ran before can matter.)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Passwords are hashed at the smallest argon2 cost in tests: the app and the CLI read this
# through Settings, and services called directly hash the same way. Production's cost is
# checked in tests/web/test_security.py; servers started as processes (tests/reliability)
# don't inherit it and hash as in production.
os.environ["SECONDCHANCE_PASSWORD_HASHING"] = "fast"
use_hashing("fast")


def _share_route_analysis() -> None:
    """Work out each router's routes once per test process, not once per app.

    FastAPI works out what each route takes (its parameters, dependencies and answers, from
    the functions' signatures) on an app's first requests, afresh for every app, as a
    production process does once. A test makes a new app, and that work was most of a short
    web test (about 0.1 s of it). What it works out depends only on the router and how it is
    included, which create_app does the same way every time, so every app of the process
    shares the first one's result: the same routes, dependencies and middleware still answer
    every request, on the test's own app and database. (No test overrides a dependency, the
    one thing in it that points back to an app.) Without this FastAPI internal, nothing is
    shared and the tests are only slower.
    """
    included = getattr(fastapi.routing, "_IncludedRouter", None)
    if included is None or not hasattr(included, "effective_candidates"):
        return
    work_out = included.effective_candidates
    shared: dict[tuple[object, ...], object] = {}

    def effective_candidates(self):  # type: ignore[no-untyped-def]
        version = self.original_router._get_routes_version()
        if self._effective_candidates_version != version:
            how = dataclasses.replace(self.include_context, dependency_overrides_provider=None)
            key = (id(self.original_router), version, repr(how))
            if key not in shared:
                shared[key] = work_out(self)
            self._effective_candidates = shared[key]
            self._effective_candidates_version = version
        return self._effective_candidates

    included.effective_candidates = effective_candidates


_share_route_analysis()


def _build_each_command_line_once() -> None:
    """Build the command line's commands once per test process, not once per invocation.

    Typer's CliRunner turns the Typer app into its click commands (reading every command's
    signature) on every invoke; that was three quarters of a short command's time in a test.
    A real ``secondchance`` process builds them once, as here; the commands, their options
    and what they do are the same.
    """
    if hasattr(typer.testing, "_get_command"):
        typer.testing._get_command = cache(typer.testing._get_command)


_build_each_command_line_once()


def _serve_test_requests_from_one_event_loop() -> None:
    """Serve every TestClient request of the test process from one event loop, as a server
    process does, instead of a new loop (and thread) per request.

    Starlette's TestClient, used outside a ``with`` block, starts a thread with a fresh event
    loop for each request, and the app's plain functions then run on that loop's own new worker
    threads; that was several milliseconds of every request. Here such a client uses one loop
    started once for the process (and its worker threads): the same app, middleware and
    database answer every request. A client used in a ``with`` block (which also runs the app's
    startup) keeps its own loop, as before.
    """
    import concurrent.futures
    import contextlib
    import threading

    import anyio.from_thread
    import starlette.testclient

    client = starlette.testclient.TestClient
    own_loop_per_request = client._portal_factory
    started: concurrent.futures.Future[anyio.from_thread.BlockingPortal] = (
        concurrent.futures.Future()
    )
    starting = threading.Lock()

    def run_loop() -> None:
        async def serve() -> None:
            async with anyio.from_thread.BlockingPortal() as portal:
                started.set_result(portal)
                await portal.sleep_until_stopped()

        anyio.run(serve)

    @contextlib.contextmanager
    def portal_factory(self):  # type: ignore[no-untyped-def]
        if self.portal is not None or self.async_backend.get("backend") != "asyncio":
            with own_loop_per_request(self) as portal:
                yield portal
            return
        with starting:
            if not started.running() and not started.done():
                started.set_running_or_notify_cancel()
                # A daemon's thread, so it ends with the process, like a server's loop; the
                # worker threads it starts for the app's plain functions are daemons too.
                threading.Thread(target=run_loop, name="test requests", daemon=True).start()
        yield started.result(timeout=60)

    client._portal_factory = portal_factory


_serve_test_requests_from_one_event_loop()

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


# Where the database itself is under test, every test runs on PostgreSQL too (when configured):
# the services (every query the faces run goes through them), migrations, and the fault tests
# (tests/reliability has its own fixture). Web and CLI tests are about pages, forms and
# commands over those services, so they run on SQLite only, apart from tests marked
# ``every_database`` (limits a column enforces, concurrent writes, ids past a column's range).
# The access matrix (tests/web/test_access.py) and the bad-input fuzzer run on both through
# their own module-wide fixtures.
EVERY_DATABASE = ("tests/services/", "tests/test_migrations.py")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" not in metafunc.fixturenames:
        return
    path = metafunc.definition.path.as_posix()
    both = any(f"/{where}" in path for where in EVERY_DATABASE)
    both = both or metafunc.definition.get_closest_marker("every_database") is not None
    both = both and metafunc.definition.get_closest_marker("sqlite_only") is None
    metafunc.parametrize("db_url", BACKENDS if both else BACKENDS[:1], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (each many seconds: real servers, real processes, a megabyte of
    text) run first, in their usual order. `make test` hands tests to its two workers a couple
    at a time (--maxschedchunk 2), so the long ones start early on whichever worker is free and
    both workers finish together; found last, one long test kept one worker busy while the
    other had nothing left to do. (The same order on every worker, as xdist requires.)"""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _worker() -> str:
    return re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A schema of our own on the test server, created once per test process.

    Commits don't wait for the server's disk (synchronous_commit off, for these connections
    only): a test's data need not outlive a crash of the server, and the tests of durability
    (tests/reliability) connect with their own settings.
    """
    assert POSTGRES_URL
    schema = f"sc_test_{_worker()}_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = make_url(POSTGRES_URL).update_query_dict({"options": options})
    rendered = url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine)
    engine.dispose()
    yield rendered
    _EMPTIER.pop(rendered).dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty SQLite file migrated to the newest schema once per test process; each test
    gets a copy of it (tests/test_migrations.py runs the real migrations on fresh files)."""
    path = tmp_path_factory.mktemp("template") / "secondchance.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return str(path)


@pytest.fixture
def migrated_sqlite(sqlite_template: str):  # type: ignore[no-untyped-def]
    """``migrated_sqlite(path)``: a copy of the migrated template at ``path``, and its URL
    (a second database for a test, e.g. to import into; migrating afresh took 0.3 s)."""

    def copy(path: Path) -> str:
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"

    return copy


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A migrated, empty database URL: a fresh SQLite file, or the emptied PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "secondchance.db"
        if request.node.path.name == "test_migrations.py":  # the migrations themselves, afresh
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine)
            engine.dispose()
        else:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    # One engine (one open connection) empties the schema after every test of the process.
    if url not in _EMPTIER:
        _EMPTIER[url] = make_engine(url)
    with _EMPTIER[url].begin() as conn:
        empty_postgres_schema(conn)


_EMPTIER: dict[str, Engine] = {}


# Every sequence of the test schema back to 1, so ids start where a fresh database starts.
_RESTART_SEQUENCES = text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)


def empty_postgres_schema(conn) -> None:  # type: ignore[no-untyped-def]
    """Delete every row, children first, and restart the ids.

    DELETE rather than TRUNCATE: a test leaves a handful of rows, and TRUNCATE's fixed cost per
    table (about 0.3 s for the 27 tables, mostly waiting on the disk) was paid after every
    PostgreSQL test, against about 0.02 s here.
    """
    for table in reversed(Base.metadata.sorted_tables):
        conn.execute(table.delete())
    conn.execute(_RESTART_SEQUENCES)


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
