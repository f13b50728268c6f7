"""A page that only reads (Today, the live review) reads committed data in as few round trips
as it can, and a connection the server closed is never handed to it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from conftest import make_person
from secondchance import db
from secondchance.db import is_sqlite, make_engine, make_page_sessionmaker, transaction
from secondchance.models import Memory, Profile


def test_a_page_reads_what_was_saved_and_can_write_nothing(
    engine: Engine, factory: sessionmaker[Session], now
) -> None:
    with transaction(factory) as session:
        alice = make_person(session, "alice")
    pages = make_page_sessionmaker(engine)
    with pages() as session, session.begin():
        profile = session.scalars(select(Profile).where(Profile.user_id == alice.id)).one()
        assert profile.ex_name == "Sam"
    if is_sqlite(str(engine.url)):
        return  # SQLite's page sessions are its read sessions: one transaction, as before
    lisbon = Memory(user_id=alice.id, kind="memory", title="Lisbon", tags=[], created_at=now)
    with pytest.raises(RuntimeError, match="only reads"), pages() as session, session.begin():
        session.add(lisbon)
    with factory() as session:
        assert session.scalars(select(Memory)).all() == []


def test_a_connection_closed_by_the_server_while_idle_is_replaced(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if is_sqlite(db_url):
        pytest.skip("an SQLite file has no server to close the connection")
    monkeypatch.setattr(db, "PING_AFTER_IDLE", 0.0)  # idle at once, so the next checkout pings
    with engine.connect() as connection:
        first = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = make_engine(db_url)
    with admin.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    admin.dispose()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != first
