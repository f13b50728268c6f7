"""What one API check-in costs the server, in process: CPU, statements, and the write turn.

Run: ``.venv/bin/python bench/bench_checkin.py [--backend sqlite|postgres] [--calls N]
[--state DIR] [--profile N]``. Seeds ``bench_http.py``'s people (a year of history each) once
into DIR (a temporary folder unless given; a given DIR is reused by later runs, so that main
and a branch can be measured in turn on the same data), builds the real app
(``create_app``), and sends it ``POST /api/v1/checkins`` as raw ASGI calls, the bench's own
request shape (Bearer token, a past day, replacing that day's check-in), one at a time.

Prints per check-in: the process's CPU time (every thread), the wall time, the SQL statements
sent, and on SQLite how long the write lock was held (from BEGIN IMMEDIATE to the end of
COMMIT): with several workers the check-ins take turns for that lock, so it bounds their
throughput. ``--profile N`` prints the N heaviest functions by cumulative time (cProfile).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import multiprocessing
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from secondchance import clock
from secondchance.config import Settings
from secondchance.db import READS_ONLY
from secondchance.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_http  # the bench's seeding and people, shared

SECRET = bench_http.SECRET
# Its own schema in PostgreSQL, apart from bench_http.py's (which drops its own when done).
PG_SCHEMA = os.environ.get("BENCH_PG_SCHEMA", "bench_checkin")


def people_of(url: str, state: Path) -> list[bench_http.Person]:
    """The seeded people's tokens, seeding ``url`` first when ``state`` has none yet."""
    listed = state / "people.json"
    if listed.exists():
        return [bench_http.Person(**p) for p in json.loads(listed.read_text())]
    crowd, _ = bench_http.seed(url, clock.now())
    listed.write_text(json.dumps([vars(p) for p in crowd]))
    return crowd


class Counter:
    """Statements sent, and on SQLite the time each write transaction held the lock."""

    def __init__(self, engine: Any, sqlite: bool) -> None:
        self.statements = 0
        self.held: list[float] = []
        self._began = 0.0

        @event.listens_for(engine, "before_cursor_execute")
        def _sent(*_args: object) -> None:
            self.statements += 1

        if sqlite:

            @event.listens_for(engine, "begin", insert=True)
            def _begin(connection: Any) -> None:
                if not connection.get_execution_options().get(READS_ONLY):
                    self._began = time.perf_counter()

            @event.listens_for(engine.pool, "reset")
            def _reset(*_args: object) -> None:
                # The pool's reset runs once the connection is back, after COMMIT ended.
                if self._began:
                    self.held.append(time.perf_counter() - self._began)
                    self._began = 0.0


def body_for(n: int) -> bytes:
    """The request ``rotate.lua`` sends as its n-th check-in (a past day, 1 to 360 days ago)."""
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - (1 + n % 360) * 86400))
    return json.dumps(
        {
            "mood": 1 + n % 10,
            "emotions": ["calm", "hopeful"],
            "social_checks": n % 3,
            "note": "bench",
            "day": day,
        }
    ).encode()


async def post(
    app: Any, path: str, headers: list[tuple[bytes, bytes]], body: bytes
) -> tuple[int, list, bytes]:
    """One ASGI POST to ``path`` from 127.0.0.1; returns the status, headers and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            *headers,
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = 0
    answer_headers: list = []
    chunks: list[bytes] = []

    async def receive() -> dict:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status, answer_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            answer_headers = message.get("headers", [])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, answer_headers, b"".join(chunks)


async def call(app: Any, token: str, body: bytes) -> int:
    """One API check-in; returns the status code."""
    headers = [
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
    ]
    status, _, _ = await post(app, "/api/v1/checkins", headers, body)
    return status


async def run(app: Any, people: list[bench_http.Person], calls: int, start: int) -> None:
    for n in range(start, start + calls):
        status = await call(app, people[n % len(people)].token, body_for(n))
        if status not in (200, 201):
            raise RuntimeError(f"check-in answered {status}")


def contend(
    settings: Settings, people: list[bench_http.Person], processes: int, seconds: float
) -> None:
    """``processes`` app processes check in flat out on one database for ``seconds``; prints
    how many check-ins each managed (with several, the write turn decides how fairly)."""
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(processes + 1), context.Queue()

    def one(index: int) -> None:
        app = create_app(settings, migrate=False)
        asyncio.run(run(app, people, 20, index * 1000))
        start.wait()
        done, n, until = 0, index * 100_000, time.perf_counter() + seconds
        cpu = time.process_time()

        async def loop() -> None:
            nonlocal done
            while time.perf_counter() < until:
                await run(app, people, 1, n + done)
                done += 1

        asyncio.run(loop())
        results.put((done, time.process_time() - cpu))

    children = [context.Process(target=one, args=(i,)) for i in range(processes)]
    for child in children:
        child.start()
    start.wait()
    counts = [results.get() for _ in children]
    for child in children:
        child.join()
    total = sum(done for done, _ in counts)
    cpu = sum(used for _, used in counts)
    print(
        f"{processes} processes, {seconds:g} s: {total / seconds:.0f} check-ins/s "
        f"(each: {', '.join(str(done) for done, _ in counts)}), CPU "
        f"{cpu * 1000 / max(1, total):.3f} ms per check-in; load {os.getloadavg()[0]:.1f}"
    )


def inline_hops() -> None:
    """Run the thread hops as plain calls, so that cProfile (one thread) sees all the work."""
    from secondchance.web import deps

    async def inline(function: Any, *args: Any) -> Any:
        return function(*args)

    deps.run_in_threadpool = inline  # type: ignore[assignment]


def arguments(description: str) -> argparse.ArgumentParser:
    """The options every in-process bench takes: backend, calls, state, profile."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--state", type=Path, help="seed here once, reuse afterwards")
    parser.add_argument("--profile", type=int, default=0, help="print the N heaviest functions")
    return parser


def in_state(
    args: argparse.Namespace, measure: Callable[[argparse.Namespace, Path], int], prefix: str
) -> int:
    """Run ``measure`` in ``--state`` (kept) or a temporary folder (and PG schema) dropped after."""
    if args.state:
        args.state.mkdir(parents=True, exist_ok=True)
        return measure(args, args.state)
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        try:
            return measure(args, Path(folder))
        finally:
            if args.backend == "postgres":
                pg = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL", bench_http.DEFAULT_PG)
                bench_http.pg_schema(pg, create=False, schema=PG_SCHEMA)


def seeded(backend: str, state: Path) -> tuple[Settings, list[bench_http.Person]]:
    """Production settings over the bench's seeded people on ``backend`` (seeded once)."""
    if backend == "sqlite":
        url = f"sqlite:///{state / 'bench.db'}"
    else:
        pg = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL", bench_http.DEFAULT_PG)
        if not (state / "people.json").exists():
            bench_http.pg_schema(pg, create=True, schema=PG_SCHEMA)
        url = f"{pg}?options=-csearch_path%3D{PG_SCHEMA}"
    people = people_of(url, state)
    settings = Settings(
        database_url=url, environment="production", secret_key=SECRET, reminders=False
    )
    return settings, people


def timed(work: Callable[[], object], profile: int) -> tuple[float, float]:
    """CPU and wall seconds of ``work()``; with ``profile``, its N heaviest functions printed
    afterwards (the thread hops run inline, so the profile sees them)."""
    profiler = cProfile.Profile() if profile else None
    if profiler:
        inline_hops()
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    work()
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return cpu, wall


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument(
        "--processes", type=int, default=0, help="instead: N processes check in at once"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="with --processes")
    return in_state(parser.parse_args(), measure, "bench_checkin_")


def measure(args: argparse.Namespace, state: Path) -> int:
    """Seed (unless ``state`` holds a seeded database) and measure as ``args`` say."""
    settings, people = seeded(args.backend, state)
    if args.processes:
        create_app(settings).state.engine.dispose()  # migrated once, before the fork
        contend(settings, people, args.processes, args.seconds)
        return 0
    app = create_app(settings)
    counter = Counter(app.state.engine, args.backend == "sqlite")
    asyncio.run(run(app, people, 50, 0))  # warm up: caches, the pool, imports
    counter.statements, counter.held = 0, []
    cpu, wall = timed(lambda: asyncio.run(run(app, people, args.calls, 50)), args.profile)
    held = ""
    if counter.held:
        held = (
            f", write lock held {statistics.median(counter.held) * 1000:.3f} ms (median; "
            f"longest {max(counter.held) * 1000:.1f} ms)"
        )
    print(
        f"{args.backend}: {args.calls} check-ins, CPU {cpu * 1000 / args.calls:.3f} ms, "
        f"wall {wall * 1000 / args.calls:.3f} ms, statements {counter.statements / args.calls:.1f}"
        f"{held} per check-in"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
