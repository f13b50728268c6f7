"""What a page view costs the database: Today and the live review, once the status is cached,
read who is signed in and nothing more (the status, lesson and revision come with it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from webtools import Browser

pytestmark = pytest.mark.usefixtures("frozen")


@contextmanager
def statements(browser: Browser) -> Iterator[list[str]]:
    """Collect the SQL the app sends while the block runs (BEGIN and COMMIT left out)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    engine = browser.client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_it_shows_today_from_the_cache_with_one_query(alice: Browser) -> None:
    assert alice.get("/").status_code == 200  # computes and keeps the status and the lesson
    with statements(alice) as seen:
        assert alice.get("/").status_code == 200
    assert len(seen) == 1, seen  # the session, the person, the profile and the revision


def test_the_live_review_reads_only_who_is_signed_in_once_cached(alice: Browser) -> None:
    alice.get("/")
    draft = {"draft": "Hey! Hope the new job is going well."}
    assert alice.htmx("POST", "/step4/review", draft).status_code == 200
    with statements(alice) as seen:
        assert alice.htmx("POST", "/step4/review", draft).status_code == 200
    assert len(seen) == 1, seen
    # It only reads, so it never waits for the person's writes (no row lock on PostgreSQL).
    assert not any(" FOR UPDATE" in s.upper() or " FOR NO KEY UPDATE" in s.upper() for s in seen)
