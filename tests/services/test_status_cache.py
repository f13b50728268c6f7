"""A person's status is computed once per change: the revision moves with every write, and a
cached status never outlives the data it came from, per worker or shared through Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from conftest import make_person
from secondchance.db import make_sessionmaker, transaction
from secondchance.models import User
from secondchance.services import entries
from secondchance.services.accounts import start_session
from secondchance.services.checkins import CheckInInput, save_checkin
from secondchance.services.contact import log_contact, start_no_contact
from secondchance.services.data import delete_history
from secondchance.services.status import STATUS_CACHE, current_status, load_history
from secondchance.services.status_cache import LocalCache, RedisCache, cache_key

REDIS_URL = os.environ.get("SECONDCHANCE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_cache(engine: Engine) -> RedisCache:
    # A prefix of its own per test, so parallel workers never read each other's entries.
    cache = RedisCache(REDIS_URL, f"{engine.url}#{uuid.uuid4()}")
    try:
        cache.client.ping()
    except cache.errors:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return cache


@pytest.fixture(params=["local", "redis"])
def cached(request: pytest.FixtureRequest, engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A worker's sessions with a status cache, as the web app makes them."""
    cache = LocalCache() if request.param == "local" else redis_cache(engine)
    yield make_sessionmaker(engine, info={STATUS_CACHE: cache})


def revision_of(factory: sessionmaker[Session], user: User) -> int:
    with transaction(factory) as session:
        return session.scalar(select(User.revision).where(User.id == user.id)) or 0


@pytest.fixture
def sam(factory: sessionmaker[Session], now: datetime) -> User:
    with transaction(factory) as session:
        user = make_person(session, "sam_fan")
        start_no_contact(session, user, now, started_at=now - timedelta(days=10))
    return user


def test_it_moves_the_revision_with_every_change_to_entries(factory, sam, now) -> None:
    before = revision_of(factory, sam)
    with transaction(factory) as session:
        row, _ = save_checkin(session, sam, CheckInInput(mood=6), now)
    after_save = revision_of(factory, sam)
    with transaction(factory) as session:
        entries.edit_entry(session, sam, "checkin", row.id, now, mood=7)
    after_edit = revision_of(factory, sam)
    with transaction(factory) as session:
        entries.delete_entry(session, sam, "checkin", row.id)
    after_delete = revision_of(factory, sam)
    assert before < after_save < after_edit < after_delete


def test_signing_in_leaves_the_revision_alone(factory, sam, now) -> None:
    before = revision_of(factory, sam)
    with transaction(factory) as session:
        start_session(session, sam, now)
    assert revision_of(factory, sam) == before


def test_a_bulk_delete_moves_the_revision_too(factory, sam) -> None:
    before = revision_of(factory, sam)
    with transaction(factory) as session:
        delete_history(session, sam)
    assert revision_of(factory, sam) > before


def test_a_slip_shows_at_once_though_the_status_was_cached(cached, sam, now) -> None:
    with transaction(cached) as session:
        assert current_status(session, sam, now).streaks.current == 10
    with transaction(cached) as session:
        log_contact(session, sam, now, direction="you_to_ex", channel="text")
    with transaction(cached) as session:
        assert current_status(session, sam, now).streaks.current == 0


def test_a_write_by_another_worker_is_seen(cached, engine, sam, now) -> None:
    other_worker = make_sessionmaker(engine, info={STATUS_CACHE: LocalCache()})
    with transaction(cached) as session:
        assert current_status(session, sam, now).streaks.current == 10
    with transaction(other_worker) as session:  # the CLI, or a second server
        log_contact(session, sam, now, direction="you_to_ex", channel="call")
    with transaction(cached) as session:
        assert current_status(session, sam, now).streaks.current == 0


def test_a_rolled_back_write_leaves_nothing_in_the_cache(cached, sam, now) -> None:
    class Oops(Exception):
        pass

    with pytest.raises(Oops), transaction(cached) as session:
        log_contact(session, sam, now, direction="you_to_ex", channel="text")
        assert current_status(session, sam, now).streaks.current == 0  # its own write, seen
        raise Oops
    with transaction(cached) as session:
        # Another action commits the same revision number the rolled-back one had reached.
        save_checkin(session, sam, CheckInInput(mood=5), now)
    with transaction(cached) as session:
        state = current_status(session, sam, now)
    assert state.streaks.current == 10
    assert state.measures.checkins == 1


def test_a_new_day_is_counted_without_any_write(cached, sam, now) -> None:
    with transaction(cached) as session:
        today = current_status(session, sam, now)
        tomorrow = current_status(session, sam, now + timedelta(days=1))
    assert tomorrow.streaks.current == today.streaks.current + 1


def test_the_cached_status_is_the_one_computed_fresh(cached, sam, now) -> None:
    with transaction(cached) as session:
        save_checkin(session, sam, CheckInInput(mood=3, cried=True), now)
    with transaction(cached) as session:
        first = current_status(session, sam, now)
        again = current_status(session, sam, now)
    with transaction(make_sessionmaker(cached.kw["bind"])) as session:
        from secondchance.program.plan import status

        fresh = status(load_history(session, sam, now), now)
    assert first == again == fresh


def test_every_local_midnight_starts_a_new_key() -> None:
    # Kathmandu is UTC+05:45: its midnight is 18:15 UTC, a five-minute boundary like all others.
    before = datetime.fromisoformat("2026-12-05T18:14:59+00:00")
    after = datetime.fromisoformat("2026-12-05T18:15:00+00:00")
    assert cache_key(1, 4, before) != cache_key(1, 4, after)
    assert cache_key(1, 4, after) == cache_key(1, 4, after + timedelta(minutes=4))
    assert cache_key(1, 4, after) != cache_key(1, 5, after)


def test_an_unreachable_redis_only_misses() -> None:
    cache = RedisCache("redis://127.0.0.1:1/0", "sqlite:///nowhere")
    cache.put("k", {"a": 1})
    assert cache.get("k") is None


def test_an_action_sees_its_own_write_after_reading_the_status(cached, sam, now) -> None:
    with transaction(cached) as session:
        assert current_status(session, sam, now).streaks.current == 10
        log_contact(session, sam, now, direction="you_to_ex", channel="text")
        assert current_status(session, sam, now).streaks.current == 0
