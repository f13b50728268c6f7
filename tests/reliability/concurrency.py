"""Concurrency: many clients write at once, through several app processes on one database.

Every client belongs to one of a few people and has its own API token (a phone and a laptop
are two tokens of one person), so the same person's data is written from several processes
at the same moment. The clients start together (a barrier) and each does a seeded random mix:

- log an activity (an insert whose count is checked: every acknowledged one stored once);
- check in for one of three shared days (the read-then-insert-or-update race: exactly one
  write per day may answer 201 "created", all the others 200 "replaced", one row per day);
- replace the safety plan (read-modify-write of one row: the stored plan is one that a client
  was told was saved);
- read the check-ins and the status (reads between the writes).

Nothing may answer 5xx or "database is locked": the app must wait for the lock.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

from reliability.faultkit import (
    FIRST_DAY,
    Server,
    client,
    database_kind,
    describe,
    make_people,
)
from secondchance.db import is_sqlite, make_engine

ACTIVITY_KINDS = ("exercise", "gratitude", "going_out", "something_new")
SHARED_DAYS = 3


@dataclass
class Outcome:
    client: int
    person: str
    action: str
    status: int | None
    seconds: float
    key: str = ""
    value: str = ""
    detail: str = ""


@dataclass
class ConcurrencyReport:
    database: str
    processes: str
    clients: int
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    log_problems: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    by_action: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def problems(self) -> str:
        out = []
        if self.errors:
            out.append(f"{len(self.errors)} failed requests:\n{describe(self.errors)}")
        if self.lost:
            out.append(f"{len(self.lost)} lost or doubled updates:\n{describe(self.lost)}")
        if self.log_problems:
            out.append(f"server logs:\n{describe(self.log_problems)}")
        return "\n".join(out)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def summary(self) -> str:
        mix = ", ".join(f"{n} {a}" for a, n in sorted(self.by_action.items()))
        return (
            f"concurrency/{self.database} ({self.processes}): {self.clients} clients, "
            f"{self.requests} requests ({mix}) in {self.seconds:.1f} s, "
            f"{len(self.errors)} errors, {len(self.lost)} lost updates; "
            f"latency p50 {self.percentile(0.5):.0f} ms, p99 {self.percentile(0.99):.0f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.0f} ms"
        )


def _client_run(
    number: int,
    person: str,
    token: str,
    base: str,
    ops: int,
    seed: int,
    barrier: threading.Barrier,
    out: list[Outcome],
) -> None:
    rng = random.Random(seed * 1000 + number)
    with client(base, token) as http:
        barrier.wait(timeout=120)
        for i in range(ops):
            mark = f"c{number}-{i}"
            roll = rng.random()
            if roll < 0.35:
                action, key = "activity", ""
                call = (
                    "POST",
                    "/api/v1/activities",
                    {"kind": rng.choice(ACTIVITY_KINDS), "note": mark},
                )
            elif roll < 0.65:
                day = (FIRST_DAY - timedelta(days=rng.randrange(SHARED_DAYS))).isoformat()
                action, key = "checkin", day
                body = {"day": day, "mood": rng.randint(1, 10), "note": mark}
                call = ("POST", "/api/v1/checkins", body)
            elif roll < 0.8:
                action, key = "plan", ""
                body = {"reasons": [mark], "people": [f"friend of {mark}"]}
                call = ("PUT", "/api/v1/safety-plan", body)
            elif roll < 0.9:
                action, key = "read", ""
                call = ("GET", "/api/v1/checkins", None)
            else:
                action, key = "status", ""
                call = ("GET", "/api/v1/status", None)
            method, path, body = call
            began = time.monotonic()
            try:
                response = http.request(method, path, json=body)
                status, detail = response.status_code, response.text[:200]
            except httpx.HTTPError as error:
                status, detail = None, f"{type(error).__name__}: {error}"
            seconds = time.monotonic() - began
            out.append(Outcome(number, person, action, status, seconds, key, mark, detail))


def run_concurrency(
    database_url: str,
    workdir: Path,
    *,
    clients: int = 50,
    ops: int = 20,
    people: int = 5,
    seed: int = 20261118,
    log=print,  # type: ignore[no-untyped-def]
) -> ConcurrencyReport:
    """Run the mix through 2 workers of ``secondchance serve`` (SQLite) or 2 separate app
    processes (PostgreSQL), then check what was stored against what was acknowledged."""
    began = time.monotonic()
    names = [f"person{i}" for i in range(people)]
    per_person = -(-clients // people)
    tokens = make_people(database_url, names, tokens_each=per_person)
    if is_sqlite(database_url):
        servers = [Server(database_url, workdir / "concurrency-server.log", workers=2)]
        processes = "secondchance serve --workers 2"
    else:
        servers = [Server(database_url, workdir / f"concurrency-app{n}.log") for n in range(2)]
        processes = "2 separate app processes"
    report = ConcurrencyReport(database_kind(database_url), processes, clients)
    outcomes: list[Outcome] = []
    try:
        for server in servers:
            server.start()
        barrier = threading.Barrier(clients)
        threads = []
        for number in range(clients):
            person = names[number % people]
            token = tokens[person][number // people]
            base = servers[number % len(servers)].base
            args = (number, person, token, base, ops, seed, barrier, outcomes)
            threads.append(threading.Thread(target=_client_run, args=args, daemon=True))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        log(f"  {len(outcomes)} requests in {time.monotonic() - started:.1f} s")
    finally:
        for server in servers:
            server.stop()
    report.requests = len(outcomes)
    report.latencies = [o.seconds for o in outcomes]
    report.by_action = Counter(o.action for o in outcomes)
    if len(outcomes) != clients * ops:
        report.errors.append(f"only {len(outcomes)} of {clients * ops} requests finished")
    for o in outcomes:
        if o.status is None or o.status >= 300:
            report.errors.append(f"client {o.client} {o.action}: {o.status} {o.detail}")
    for server in servers:
        for line in server.log_text().splitlines():
            lowered = line.lower()
            if "locked" in lowered or "traceback" in lowered or "error" in lowered:
                report.log_problems.append(line.strip())
    _check_stored(database_url, outcomes, report)
    report.seconds = time.monotonic() - began
    return report


def _check_stored(database_url: str, outcomes: list[Outcome], report: ConcurrencyReport) -> None:
    """Compare what is stored with what was acknowledged. A request that got no answer at all
    (the client gave up) may or may not have been saved: it is an error above, but a row it
    wrote is not a lost or doubled update."""
    ok = [o for o in outcomes if o.status is not None and o.status < 300]
    unknown = {o.value for o in outcomes if o.status is None}
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            users = dict(conn.execute(text("SELECT id, username FROM users")).all())
            activities = Counter(
                (users[u], note)
                for u, note in conn.execute(text("SELECT user_id, note FROM activities"))
            )
            checkins = defaultdict(list)
            for u, day, note in conn.execute(text("SELECT user_id, day, note FROM checkins")):
                checkins[(users[u], str(day))].append(note)
            plans = {
                users[u]: reasons
                for u, reasons in conn.execute(text("SELECT user_id, reasons FROM safety_plans"))
            }
    finally:
        engine.dispose()
    # Activities: every acknowledged one stored exactly once, nothing else.
    acked = Counter((o.person, o.value) for o in ok if o.action == "activity")
    extra = Counter({k: n for k, n in (activities - acked).items() if k[1] not in unknown})
    lost = acked - activities
    if lost or extra:
        report.lost.append(
            f"activities: {len(lost)} lost {list(lost)[:5]}, extra {list(extra)[:5]}"
        )
    # Check-ins: one row per day; exactly one 201 per day; the row holds an acknowledged write.
    writes = defaultdict(list)
    for o in ok:
        if o.action == "checkin":
            writes[(o.person, o.key)].append(o)
    for (person, day), done in writes.items():
        rows = checkins.get((person, day), [])
        created = sum(o.status == 201 for o in done)
        if len(rows) != 1:
            report.lost.append(f"check-in {person} {day}: {len(rows)} rows")
        elif rows[0] not in {o.value for o in done} | unknown:
            report.lost.append(f"check-in {person} {day}: stored {rows[0]!r}, never acknowledged")
        unanswered = any(
            o.action == "checkin" and o.key == day and o.value in unknown
            for o in outcomes
            if o.person == person
        )
        if created != 1 and not (created == 0 and unanswered):
            report.lost.append(f"check-in {person} {day}: {created} writes answered 201 created")
    # Safety plans: the stored one is one that was acknowledged.
    for person in {o.person for o in ok if o.action == "plan"}:
        saved = {o.value for o in ok if o.action == "plan" and o.person == person}
        if plans.get(person) not in saved | unknown:
            report.lost.append(f"safety plan of {person}: {plans.get(person)!r} never acknowledged")
