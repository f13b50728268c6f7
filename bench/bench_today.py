"""Does Today cost the same after a week as after three years? (It should: indexes, no scans.)

Run: ``.venv/bin/python bench/bench_today.py``. Builds one person's history of 1 week, 1 year
and 3 years in a fresh SQLite file (and in PostgreSQL when SECONDCHANCE_TEST_POSTGRES_URL is
set), then times ``current_status`` — everything the Today page computes — and counts its SQL
statements. Prints the medians and the ratio of 3 years to 1 week (target: within 1.2x).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, text

from secondchance.db import make_engine, make_sessionmaker
from secondchance.migrate import upgrade
from secondchance.models import (
    Activity,
    Base,
    CheckIn,
    Contact,
    Letter,
    Memory,
    NoContactPeriod,
    Urge,
)
from secondchance.services.people import ProfileInput, get_or_create_user, save_profile
from secondchance.services.status import STATUS_CACHE, current_status
from secondchance.services.status_cache import LocalCache

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/London")
SIZES = {"1 week": 7, "1 year": 365, "3 years": 3 * 365}
RUNS = 200


def fill(session, user, days: int, rng: random.Random) -> int:  # type: ignore[no-untyped-def]
    """Add ``days`` of realistic history ending today; returns the number of rows added."""
    rows: list[Base] = []
    first = (NOW - timedelta(days=days - 1)).date()
    rows.append(NoContactPeriod(user_id=user.id, started_at=NOW - timedelta(days=days - 1)))
    for n in range(days):
        day = first + timedelta(days=n)
        evening = datetime.combine(day, day_time(21), TZ)
        rows.append(
            CheckIn(
                user_id=user.id,
                day=day,
                mood=rng.randint(3, 9),
                emotions=["calm"],
                cried=rng.random() < 0.2,
                social_checks=rng.randint(0, 3),
                slept_well=True,
                note="",
                created_at=evening,
                updated_at=evening,
            )
        )
        for kind in rng.sample(["exercise", "gratitude", "going_out", "hair", "reframe"], 2):
            rows.append(Activity(user_id=user.id, day=day, kind=kind, note="", created_at=evening))
        if rng.random() < 0.3:
            rows.append(
                Urge(
                    user_id=user.id,
                    at=evening,
                    intensity=rng.randint(1, 10),
                    trigger="",
                    instead="",
                    outcome="resisted",
                )
            )
        if rng.random() < 0.02:
            rows.append(
                Contact(
                    user_id=user.id,
                    at=evening,
                    direction="ex_to_you",
                    channel="text",
                    answered=False,
                    note="",
                )
            )
        if n % 20 == 0:
            rows.append(
                Letter(
                    user_id=user.id,
                    created_at=evening,
                    title="",
                    body="words",
                    sealed_until=None,
                    kind="unsent",
                )
            )
    for n in range(20):
        rows.append(
            Memory(user_id=user.id, created_at=NOW, kind="memory", title=f"m{n}", body="", tags=[])
        )
    session.add_all(rows)
    return len(rows)


def measure(url: str, label: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    statements = 0

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args) -> None:  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1

    rng = random.Random(7)
    results: dict[str, float] = {}
    for name, days in SIZES.items():
        with factory() as session, session.begin():
            user = get_or_create_user(session, f"person-{days}", NOW)
            save_profile(
                session, user, ProfileInput(name="P", ex_name="X", timezone="Europe/London"), NOW
            )
            added = fill(session, user, days, rng)
        timings = []
        with factory() as session, session.begin():
            current_status(session, user, NOW)  # warm the caches once
        statements = 0
        for _ in range(RUNS):
            start = time.perf_counter()
            with factory() as session, session.begin():  # one request, one transaction
                current_status(session, user, NOW)
            timings.append(time.perf_counter() - start)
        per_call = statements / RUNS
        results[name] = statistics.median(timings)
        print(
            f"  {label:10} {name:8} {added:6} rows  median {results[name] * 1000:6.2f} ms  "
            f"p95 {sorted(timings)[int(RUNS * 0.95)] * 1000:6.2f} ms  {per_call:.0f} SQL"
        )
    ratio = results["3 years"] / results["1 week"]
    print(f"  {label:10} 3 years / 1 week = {ratio:.2f}x (target <= 1.2x)")
    measure_cached(engine, user, label, results["3 years"])
    engine.dispose()


def measure_cached(engine, user, label: str, uncached: float) -> None:  # type: ignore[no-untyped-def]
    """The same call as the web app makes it: a cache per worker, hit while nothing changes."""
    factory = make_sessionmaker(engine, info={STATUS_CACHE: LocalCache()})
    with factory() as session, session.begin():
        current_status(session, user, NOW)  # the one computation until the next change
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with factory() as session, session.begin():
            current_status(session, user, NOW)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"  {label:10} 3 years, cached: median {median * 1000:6.2f} ms "
        f"({uncached / median:.1f}x faster than computing it)"
    )


def main() -> None:
    print(f"Today's status (current_status), {RUNS} runs each, one person", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite")
    pg = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL")
    if pg:
        engine = make_engine(pg)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS bench_today CASCADE"))
            conn.execute(text("CREATE SCHEMA bench_today"))
        engine.dispose()
        measure(f"{pg}?options=-csearch_path%3Dbench_today", "PostgreSQL")
        engine = make_engine(pg)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA bench_today CASCADE"))
        engine.dispose()
    else:
        print("  PostgreSQL: skipped (SECONDCHANCE_TEST_POSTGRES_URL is not set)")


if __name__ == "__main__":
    sys.exit(main())
