"""A database that is full or read-only gives a clear page, and nothing is half-written."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import event, select

from secondchance.config import Settings
from secondchance.models import SafetyPlan
from secondchance.web import create_app
from webtools import Browser, sign_up

PLAN = {
    "warning_signs": "Not sleeping",
    "calming": "A walk",
    "reasons": "My sister",
    "people": "Mum 0123",
}


@pytest.fixture
def sqlite_app(tmp_path):  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        environment="test",
        secret_key="test-secret-key",
    )
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


def _limit_pages(app, pages: int | None) -> None:  # type: ignore[no-untyped-def]
    """Cap the database file at ``pages`` pages (None lifts the cap): a disk that is full."""
    engine = app.state.engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        size = pages if pages is not None else 1_073_741_823
        dbapi_connection.execute(f"PRAGMA max_page_count = {size}")


def test_a_full_disk_gives_a_clear_page_and_keeps_what_was_saved(sqlite_app) -> None:
    alice = sign_up(Browser(sqlite_app), "alice")
    alice.get("/help/plan")
    assert alice.post("/help/plan", PLAN).status_code == 303
    with sqlite_app.state.sessions() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
    _limit_pages(sqlite_app, pages)
    big = {**PLAN, "reasons": "x" * 4900, "people": "y" * 4900, "calming": "z" * 4900}
    alice.get("/help/plan")
    response = alice.post("/help/plan", big)
    assert response.status_code == 503
    text = unescape(response.text)
    assert "couldn't save that just now" in text and "Everything you saved before is safe" in text
    assert "Traceback" not in text
    with sqlite_app.state.sessions() as session:
        plan = session.scalar(select(SafetyPlan))
        assert (plan.reasons, plan.people) == ("My sister", "Mum 0123")  # nothing half-written
    _limit_pages(sqlite_app, None)  # space comes back
    alice.get("/help/plan")
    assert alice.post("/help/plan", big).status_code == 303
    assert "x" * 100 in alice.get("/help").text


def test_a_read_only_database_gives_a_clear_page(tmp_path) -> None:
    path = tmp_path / "db.sqlite"
    writable = create_app(
        Settings(database_url=f"sqlite:///{path}", environment="test", secret_key="k" * 20)
    )
    alice = sign_up(Browser(writable), "alice")
    writable.state.engine.dispose()
    read_only = create_app(
        Settings(
            database_url=f"sqlite:///file:{path}?mode=ro&uri=true",
            environment="test",
            secret_key="k" * 20,
        ),
        migrate=False,
    )
    browser = Browser(read_only)
    browser.client.cookies.update(alice.client.cookies)
    assert "Hi Alice" in browser.get("/").text  # reading still works
    browser.get("/help/plan")
    response = browser.post("/help/plan", PLAN)
    assert response.status_code == 503
    assert "Everything you saved before is safe" in unescape(response.text)
    read_only.state.engine.dispose()
