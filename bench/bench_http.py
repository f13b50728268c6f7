"""The web app under load over HTTP: Today, a check-in, a live review, against a bare endpoint.

Run: ``.venv/bin/python bench/bench_http.py`` (``make bench`` runs it). Options:
``--quick`` (3 s per case, for trying the harness), ``--duration S``, ``--only sqlite|postgres``,
``--json FILE`` (the figures as JSON too), ``--cases checkin,checkin_half`` (only those, after
the bare endpoint), ``--workers 1|2`` (only that server).

What it does, for SQLite (a fresh file) and PostgreSQL (its own schema in
SECONDCHANCE_TEST_POSTGRES_URL, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``;
skipped with the reason when it can't be reached):

1. seeds 200 people, each with a year of history (check-ins most days, activities, urges, a few
   contacts and letters, memories, readiness checks), a web session and an API token, by bulk
   inserts; plus one person with 1 week and one with 3 years of history;
2. starts the real server, ``secondchance serve`` (uvicorn, production settings, log level
   warning) on loopback with 1 and then 2 worker processes;
3. drives it with wrk (Debian's package; installed with apt-get when /usr/bin/wrk is missing)
   at 50 connections, each request as the next of the 200 people (``bench/http/rotate.lua``):
   ``GET /healthz/live`` (touches nothing: the ceiling), ``GET /`` (Today, session cookie),
   ``POST /step4/review`` (the live review htmx sends as someone types; cookie and CSRF
   header; every draft a text not sent before, as typing makes), ``POST /api/v1/checkins``
   (Bearer token; a past day, replacing that day's);
4. prints requests/s, p50/p95/p99 latency, errors (non-2xx/3xx answers and socket errors),
   each endpoint's throughput as a ratio of the bare one, and the server's CPU time per
   request (its processes' user + system time over the run, divided by the requests: unlike
   the latencies, it hardly moves when other programs load the machine);
5. runs Today and the check-in again with the same 50 connections, each pausing between its
   requests so that together they offer half the throughput reached flat out;
6. times Today over HTTP, one connection at a time, for 1 week vs 3 years of history.

wrk keeps 50 connections busy back to back (a closed loop), so flat out a request's latency
is mostly its wait in the queue: by Little's law the mean latency is 50 / throughput, which
is why step 5 exists. Targets on the 2-core machine: Today p99 <= 50 ms, check-in p99 <= 80 ms
at 50 connections with zero errors; Today with 3 years of history within 1.2x of 1 week.
Sends traffic only to 127.0.0.1, bounded in time; every server it starts, it stops.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from secondchance import clock
from secondchance.db import make_engine, make_sessionmaker
from secondchance.migrate import upgrade
from secondchance.models import (
    Activity,
    CheckIn,
    Contact,
    Letter,
    Memory,
    NoContactPeriod,
    ReadinessCheck,
    Urge,
    User,
)
from secondchance.program.steps import READINESS_QUESTIONS
from secondchance.services.accounts import create_api_token, start_session
from secondchance.services.people import ProfileInput, save_profile
from secondchance.web.security import sign

HERE = Path(__file__).resolve().parent
LUA = HERE / "http" / "rotate.lua"
SECONDCHANCE = Path(sys.executable).parent / "secondchance"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "bench_http"
SECRET = "bench-http-secret-key-not-used-anywhere-else"
PEOPLE = 200
HISTORY_DAYS = 365
CONNECTIONS = 50
WORKERS = (1, 2)
# Order matters: the check-ins change the data the others read, so they go last.
ENDPOINTS = {
    "bare": "GET /healthz/live",
    "today": "GET / (Today)",
    "review": "POST /step4/review",
    "checkin": "POST /api/v1/checkins",
}
# The same two at half the throughput they reached flat out (see PACED in the table).
PACED = {"today_half": "GET / at half that rate", "checkin_half": "POST check-in at half"}
LABELS = {**ENDPOINTS, **PACED}
TARGETS_P99_MS = {"today": 50, "checkin": 80, "today_half": 50, "checkin_half": 80}
ZONES = ("Europe/London", "America/New_York", "Europe/Berlin", "UTC", "Australia/Sydney")
COUNTRIES = ("GB", "US", "DE", "US", "AU")


# ----------------------------------------------------------------------------- seeding


def history_rows(user_id: int, days: int, now: datetime, tz: ZoneInfo, rng: random.Random):  # type: ignore[no-untyped-def]
    """A realistic history of ``days`` ending today, as {model: [row dicts]}."""
    rows: dict[type, list[dict]] = {
        m: [] for m in (CheckIn, Activity, Urge, Contact, Letter, Memory, ReadinessCheck)
    }
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    for n in range(days):
        day = first + timedelta(days=n)
        evening = datetime.combine(day, day_time(21), tz)
        if evening > now:
            evening = now - timedelta(minutes=5)
        if rng.random() < 0.85:  # most days
            rows[CheckIn].append(
                {
                    "user_id": user_id,
                    "day": day,
                    "mood": rng.randint(3, 9),
                    "emotions": rng.sample(["calm", "hopeful", "sad", "lonely", "proud"], 2),
                    "cried": rng.random() < 0.15,
                    "social_checks": rng.randint(0, 2),
                    "slept_well": rng.random() < 0.8,
                    "note": rng.choice(["", "", "ok day", "walked by the river, felt lighter"]),
                    "created_at": evening,
                    "updated_at": evening,
                }
            )
        for kind in rng.sample(["exercise", "gratitude", "going_out", "hair", "reframe"], 2):
            rows[Activity].append(
                {"user_id": user_id, "day": day, "kind": kind, "note": "", "created_at": evening}
            )
        if rng.random() < 0.3:
            rows[Urge].append(
                {
                    "user_id": user_id,
                    "at": evening,
                    "intensity": rng.randint(1, 10),
                    "trigger": "our song",
                    "instead": "called my sister",
                    "outcome": "resisted",
                }
            )
        if rng.random() < 0.02:
            rows[Contact].append(
                {
                    "user_id": user_id,
                    "at": evening,
                    "direction": "ex_to_you",
                    "channel": "text",
                    "answered": False,
                    "note": "",
                }
            )
        if n % 30 == 0:
            rows[Letter].append(
                {
                    "user_id": user_id,
                    "created_at": evening,
                    "title": "",
                    "body": "Words I won't send. " * 20,
                    "sealed_until": None,
                    "kind": "unsent",
                }
            )
        if n % 10 == days % 10:  # one in ten days, the latest within the 2 weeks
            answers = {q.key: rng.random() < 0.8 for q in READINESS_QUESTIONS}
            rows[ReadinessCheck].append({"user_id": user_id, "at": evening, "answers": answers})
    for n in range(min(15, 3 + days // 30)):
        rows[Memory].append(
            {
                "user_id": user_id,
                "created_at": now - timedelta(days=rng.randint(0, days)),
                "kind": "inside_joke" if n % 4 == 0 else "memory",
                "title": f"The goat at the wedding, part {n}",
                "body": "It ate the seating chart.",
                "tags": ["goat", "wedding"],
            }
        )
    return rows


@dataclass
class Person:
    username: str
    session: str  # the sc_session cookie
    token: str  # a personal access token for the API
    csrf: str  # a valid sc_csrf cookie, also sent as the X-CSRF-Token header


def seed(url: str, now: datetime) -> tuple[list[Person], dict[str, Person]]:
    """Fill a fresh database; returns the 200 people and {"1 week": p, "3 years": p}."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    rng = random.Random(5)
    sizes = [(f"p{i:03d}", HISTORY_DAYS) for i in range(PEOPLE)]
    sizes += [("week", 7), ("years3", 3 * 365)]
    people: dict[str, Person] = {}
    started = time.perf_counter()
    total = 0
    with factory() as session, session.begin():
        users = [User(username=name, password_hash=None, created_at=now) for name, _ in sizes]
        session.add_all(users)
        session.flush()
        pending: dict[type, list[dict]] = {}
        for index, (user, (name, days)) in enumerate(zip(users, sizes, strict=True)):
            zone = ZONES[index % len(ZONES)]
            breakup = (now - timedelta(days=days + 3)).date()
            save_profile(
                session,
                user,
                ProfileInput(
                    name=f"Person {index}",
                    ex_name="Sam",
                    ex_pronouns="he",
                    breakup_date=breakup,
                    who_ended="ex",
                    goal="reconcile",
                    country=COUNTRIES[index % len(COUNTRIES)],
                    timezone=zone,
                ),
                now,
            )
            # No contact since the first day of their history: step 4 is open for most.
            session.add(
                NoContactPeriod(
                    user_id=user.id,
                    started_at=now - timedelta(days=days - 1, hours=3),
                    ended_at=None,
                    end_reason=None,
                )
            )
            for model, rows in history_rows(user.id, days, now, ZoneInfo(zone), rng).items():
                pending.setdefault(model, []).extend(rows)
            _, token = create_api_token(session, user, "bench", now)
            people[name] = Person(
                username=name,
                session=start_session(session, user, now),
                token=token,
                csrf=sign(SECRET, f"bench{index:04d}csrf"),
            )
        for model, rows in pending.items():
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
            total += len(rows)
    if engine.dialect.name == "postgresql":
        # Tens of thousands of fresh rows wake autovacuum within its minute, in the middle of
        # a measured case (seen as one- to two-second tails on whichever case it hit): settle
        # the tables and their statistics now, as a long-running server has them.
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )
    engine.dispose()
    print(
        f"  seeded {len(sizes)} people, {total} history rows in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    crowd = [people[f"p{i:03d}"] for i in range(PEOPLE)]
    return crowd, {"1 week": people["week"], "3 years": people["years3"]}


def write_people(people: list[Person], path: Path) -> None:
    path.write_text("".join(f"{p.session} {p.token} {p.csrf}\n" for p in people))


# ----------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``secondchance serve`` in its own process group, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, url: str, workers: int) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "SECONDCHANCE_DATABASE_URL": url,
            "SECONDCHANCE_ENVIRONMENT": "production",
            "SECONDCHANCE_SECRET_KEY": SECRET,
            # The reminder pass (once a minute, in a worker thread) is work of its own: left
            # on, it lands in whichever case is running at its minute and shows there as a tail.
            "SECONDCHANCE_REMINDERS": "false",
        }
        self.base = f"http://127.0.0.1:{self.port}"
        command = [str(SECONDCHANCE), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not answer /healthz within 60 s")

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (the manager and its workers).

        Robust to a busy machine where wall-clock figures are not: it counts only the
        server's own work, so CPU per request says what a request costs.
        """
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended meanwhile
                continue
            if int(fields[2]) == self.process.pid:  # field 5, the process group
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        errors = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
        noisy = [line for line in errors.splitlines() if "Traceback" in line or "ERROR" in line]
        if noisy:
            print(f"    server logged {len(noisy)} error lines, e.g. {noisy[0][:200]}")


# ----------------------------------------------------------------------------- load


def ensure_wrk() -> str | None:
    """Return the wrk binary, installing Debian's package when it is missing (as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("  wrk is missing and can't be installed here (needs root and apt-get)")
        return None
    print("  wrk is missing: running `apt-get install -y wrk` (Debian's package)", flush=True)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        print("  ... not found in the package lists: running `apt-get update` first", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
        subprocess.run(install, capture_output=True)
    return shutil.which("wrk")


@dataclass
class Result:
    backend: str
    workers: int
    endpoint: str
    rps: float
    p50: float  # milliseconds
    p95: float
    p99: float
    errors: int
    requests: int
    cpu_ms: float  # the server's CPU time per request
    load: float  # the machine's 1-minute load average when the case ended
    ratio: float = 0.0


def run_wrk(
    wrk: str,
    base: str,
    mode: str,
    people_file: Path,
    seconds: float,
    connections: int = CONNECTIONS,
    offset: int = 0,
    pause_ms: float = 0,
) -> dict:
    env = {
        **os.environ,
        "BENCH_MODE": mode,
        "BENCH_PEOPLE": str(people_file),
        "BENCH_OFFSET": str(offset),
        "BENCH_PAUSE_MS": str(round(pause_ms)),
    }
    threads = min(2, connections)
    duration = f"-d{max(1, round(seconds))}s"
    command = [wrk, f"-t{threads}", f"-c{connections}", duration, "--timeout", "5s"]
    done = subprocess.run(
        [*command, "-s", str(LUA), base],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise RuntimeError(f"wrk printed no result: {done.stdout[-1000:]} {done.stderr[-1000:]}")


def measure(
    server: Server, wrk: str, mode: str, people_file: Path, seconds: float, pause_ms: float = 0
) -> dict:
    if not pause_ms:
        run_wrk(wrk, server.base, mode, people_file, min(3.0, seconds))  # warm up every worker
    cpu = server.cpu_seconds()
    raw = run_wrk(wrk, server.base, mode, people_file, seconds, pause_ms=pause_ms)
    raw["cpu_ms"] = (server.cpu_seconds() - cpu) * 1000 / max(1, raw["requests"])
    return raw


def to_result(backend: str, workers: int, endpoint: str, raw: dict) -> Result:
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        backend=backend,
        workers=workers,
        endpoint=endpoint,
        rps=raw["requests"] / seconds,
        p50=raw["p50"] / 1000,
        p95=raw["p95"] / 1000,
        p99=raw["p99"] / 1000,
        errors=errors,
        requests=raw["requests"],
        cpu_ms=raw["cpu_ms"],
        load=os.getloadavg()[0],
    )


def history_cost(
    server: Server, wrk: str, people_file: Path, seconds: float, rounds: int = 2
) -> dict[str, float]:
    """Today over HTTP, one connection, for the week (line 0) and 3 years (line 1): the median
    p50 in ms and the server's CPU ms per request, as {"1 week": .., "1 week cpu": .., ...}."""
    found: dict[str, list[float]] = {
        "1 week": [],
        "3 years": [],
        "1 week cpu": [],
        "3 years cpu": [],
    }
    for _ in range(rounds):  # alternate, so that a busy moment doesn't land on one side only
        for offset, name in enumerate(("1 week", "3 years")):
            cpu = server.cpu_seconds()
            raw = run_wrk(
                wrk, server.base, "person", people_file, seconds, connections=1, offset=offset
            )
            found[f"{name} cpu"].append(
                (server.cpu_seconds() - cpu) * 1000 / max(1, raw["requests"])
            )
            found[name].append(raw["p50"] / 1000)
    return {name: statistics.median(values) for name, values in found.items()}


def history_line(backend: str, history: dict[str, float]) -> str:
    ratio = history["3 years"] / (history["1 week"] or float("nan"))
    cpu_ratio = history["3 years cpu"] / (history["1 week cpu"] or float("nan"))
    return (
        f"Today over HTTP, one connection, {backend}: p50 1 week {history['1 week']:.2f} ms, "
        f"3 years {history['3 years']:.2f} ms: {ratio:.2f}x; server CPU per request "
        f"{history['1 week cpu']:.2f} vs {history['3 years cpu']:.2f} ms: {cpu_ratio:.2f}x "
        f"(target <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'})"
    )


# ----------------------------------------------------------------------------- report


def print_table(results: list[Result]) -> None:
    print()
    print(
        "| backend | workers | endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | "
        "ratio to bare | server CPU ms/req | load | target |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        target = ""
        if r.endpoint in TARGETS_P99_MS:
            limit = TARGETS_P99_MS[r.endpoint]
            met = r.p99 <= limit and r.errors == 0
            target = f"p99 <= {limit} ms, 0 errors: {'met' if met else 'NOT met'}"
        print(
            f"| {r.backend} | {r.workers} | {LABELS[r.endpoint]} | {r.rps:,.0f} | "
            f"{r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.errors} | {r.ratio:.3f} | "
            f"{r.cpu_ms:.2f} | {r.load:.1f} | {target} |"
        )
    print(flush=True)


def machine() -> dict[str, str]:
    info = {"nproc": str(os.cpu_count())}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["load"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return info


# ----------------------------------------------------------------------------- main


def pg_reachable(url: str) -> str | None:
    """None when PostgreSQL answers, otherwise the reason it doesn't."""
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: skip, with the reason
        return f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return None


def pg_schema(url: str, create: bool, schema: str = PG_SCHEMA) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        if create:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


def bench_backend(
    backend: str,
    url: str,
    wrk: str,
    folder: Path,
    seconds: float,
    results: list[Result],
    cases: list[str],
    workers_runs: tuple[int, ...] = WORKERS,
) -> dict[str, float]:
    print(f"{backend}: seeding", flush=True)
    now = clock.now()
    crowd, by_history = seed(url, now)
    crowd_file, history_file = folder / f"{backend}-people.txt", folder / f"{backend}-history.txt"
    write_people(crowd, crowd_file)
    write_people([by_history["1 week"], by_history["3 years"]], history_file)
    history: dict[str, float] = {}
    for workers in workers_runs:
        with Server(url, workers) as server:
            saturated: dict[str, float] = {}
            for endpoint in cases:
                mode, pause = endpoint.removesuffix("_half"), 0.0
                if endpoint in PACED:
                    # Half the throughput it reached flat out: each connection pauses between
                    # requests so that 50 of them offer that rate.
                    pause = min(2000.0, CONNECTIONS * 1000 / (0.5 * max(1.0, saturated[mode])))
                raw = measure(server, wrk, mode, crowd_file, seconds, pause)
                result = to_result(backend, workers, endpoint, raw)
                saturated[endpoint] = result.rps
                result.ratio = result.rps / saturated["bare"] if saturated["bare"] else 0.0
                results.append(result)
                print(
                    f"  {backend} x{workers} {endpoint:12} {result.rps:8.0f} req/s  "
                    f"p50 {result.p50:6.1f}  p95 {result.p95:6.1f}  p99 {result.p99:6.1f} ms  "
                    f"errors {result.errors}  ratio {result.ratio:.3f}  "
                    f"server CPU {result.cpu_ms:.2f} ms/request",
                    flush=True,
                )
            if workers == 1 and "today" in cases:
                history = history_cost(server, wrk, history_file, max(2.0, seconds / 3))
                print("  " + history_line(backend, history), flush=True)
    return history


def chosen_cases(parser: argparse.ArgumentParser, given: str | None) -> list[str]:
    """The cases to run, in the bench's own order (check-ins last; a paced case after its
    flat-out one, whose throughput it halves); bare always, since every ratio is to it."""
    every = [*ENDPOINTS, *PACED]
    if not given:
        return every
    wanted = {name.strip() for name in given.split(",") if name.strip()} | {"bare"}
    unknown = wanted - set(every)
    if unknown:
        parser.error(f"unknown cases {sorted(unknown)}; choose from {', '.join(every)}")
    wanted |= {name.removesuffix("_half") for name in wanted}
    return [name for name in every if name in wanted]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=12.0, help="seconds per case")
    parser.add_argument("--quick", action="store_true", help="3 s per case, to try the harness")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument(
        "--cases",
        help="comma-separated cases to run, e.g. checkin,checkin_half (bare always runs first: "
        f"the ratios need it); default all of {','.join([*ENDPOINTS, *PACED])}",
    )
    parser.add_argument(
        "--workers", type=int, choices=WORKERS, help="run only this many server workers"
    )
    args = parser.parse_args()
    seconds = 3.0 if args.quick else args.duration
    cases = chosen_cases(parser, args.cases)
    workers_runs = (args.workers,) if args.workers else WORKERS
    print(
        f"HTTP load: {PEOPLE} people with {HISTORY_DAYS} days of history, {CONNECTIONS} "
        f"connections, {seconds:g} s per case; machine {machine()}",
        flush=True,
    )
    wrk = ensure_wrk()
    if wrk is None:
        print("  skipped: no load generator")
        return 0
    started = time.perf_counter()
    results: list[Result] = []
    histories: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_http_") as tmp:
        folder = Path(tmp)
        if args.only in (None, "sqlite"):
            url = f"sqlite:///{folder / 'bench.db'}"
            histories["SQLite"] = bench_backend(
                "SQLite", url, wrk, folder, seconds, results, cases, workers_runs
            )
        if args.only in (None, "postgres"):
            pg = os.environ.get("SECONDCHANCE_TEST_POSTGRES_URL", DEFAULT_PG)
            reason = pg_reachable(pg)
            if reason:
                print(f"PostgreSQL: skipped, {pg} can't be reached ({reason})")
            else:
                pg_schema(pg, create=True)
                try:
                    url = f"{pg}?options=-csearch_path%3D{PG_SCHEMA}"
                    histories["PostgreSQL"] = bench_backend(
                        "PostgreSQL", url, wrk, folder, seconds, results, cases, workers_runs
                    )
                finally:
                    pg_schema(pg, create=False)
    print_table(results)
    for backend, history in histories.items():
        if history:  # only when Today ran with one worker
            print(history_line(backend, history))
    print(f"bench_http took {time.perf_counter() - started:.0f} s; load now {machine()['load']}")
    if args.json:
        payload = {
            "date": date.today().isoformat(),
            "machine": machine(),
            "seconds": seconds,
            "results": [asdict(r) for r in results],
            "history": histories,
        }
        args.json.write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
