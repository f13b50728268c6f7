"""Crash: clients write check-ins as fast as they can while the server is SIGKILLed and started
again, over and over. Every write the server acknowledged (a 2xx answer) must be there after
each kill, exactly as sent, and the SQLite file must pass ``PRAGMA integrity_check``.

Each write is a check-in for its own (person, day), so every acknowledged write can be found.
A write whose answer never came (the server died while it was in flight) may or may not have
been saved; both are fine, and the report counts them.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from reliability.faultkit import (
    FIRST_DAY,
    Launcher,
    Server,
    checkins_by_person,
    client,
    database_kind,
    describe,
    integrity,
    make_people,
)
from secondchance.db import is_sqlite, make_engine


@dataclass
class CrashReport:
    database: str
    kills: int
    writers: int
    acknowledged: int = 0
    in_flight: int = 0  # sent, answer never came: may or may not be saved
    in_flight_saved: int = 0
    refused: int = 0  # connection refused while the server was down: never sent
    http_errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    seconds: float = 0.0
    start_seconds: list[float] = field(default_factory=list)
    acked_per_kill: list[int] = field(default_factory=list)

    def problems(self) -> str:
        out = []
        if self.http_errors:
            out.append(f"{len(self.http_errors)} error answers:\n{describe(self.http_errors)}")
        if self.missing:
            out.append(f"{len(self.missing)} acknowledged writes lost:\n{describe(self.missing)}")
        if self.wrong:
            out.append(f"{len(self.wrong)} acknowledged writes changed:\n{describe(self.wrong)}")
        if self.integrity:
            out.append(f"integrity_check failed:\n{describe(self.integrity)}")
        return "\n".join(out)

    def summary(self) -> str:
        starts = sorted(self.start_seconds)
        median = starts[len(starts) // 2] if starts else 0.0
        return (
            f"crash/{self.database}: {self.kills} SIGKILLs, {self.writers} writers, "
            f"{self.acknowledged} acknowledged writes all present, "
            f"{self.in_flight} in flight at a kill ({self.in_flight_saved} of them saved), "
            f"{self.refused} refused while down, {self.seconds:.0f} s "
            f"(median restart {median:.1f} s)"
        )


class Writer(threading.Thread):
    """One person's client: a check-in for the next day back, again and again."""

    def __init__(self, name: str, token: str, base: str, stop: threading.Event) -> None:
        super().__init__(name=f"writer-{name}", daemon=True)
        self.person, self.token, self.base, self.stop = name, token, base, stop
        self.acked: dict[str, tuple[int, str]] = {}
        self.in_flight: dict[str, tuple[int, str]] = {}
        self.errors: list[str] = []
        self.refused = 0
        self.lock = threading.Lock()

    def run(self) -> None:
        index = 0
        with client(self.base, self.token) as http:
            while not self.stop.is_set():
                day = (FIRST_DAY - timedelta(days=index)).isoformat()
                mood, note = 1 + index % 10, f"{self.person} #{index}"
                body = {"day": day, "mood": mood, "note": note, "emotions": ["hopeful"]}
                try:
                    response = http.post("/api/v1/checkins", json=body)
                except httpx.ConnectError:
                    # Nothing was sent: the server is down. Try the same day again shortly.
                    self.refused += 1
                    time.sleep(0.02)
                    continue
                except httpx.TransportError:
                    # Sent, but no answer: the server died with it in flight.
                    with self.lock:
                        self.in_flight[day] = (mood, note)
                    index += 1
                    continue
                with self.lock:
                    if response.status_code in (200, 201):
                        self.acked[day] = (mood, note)
                    else:
                        self.errors.append(f"{day}: {response.status_code} {response.text[:200]}")
                index += 1

    def snapshot(self) -> dict[str, tuple[int, str]]:
        with self.lock:
            return dict(self.acked)


def run_crash(
    database_url: str,
    workdir: Path,
    *,
    kills: int = 20,
    writers: int = 3,
    seed: int = 20261118,
    up_between: tuple[float, float] = (0.0, 0.8),
    forked: bool = False,
    log=print,  # type: ignore[no-untyped-def]
) -> CrashReport:
    """SIGKILL the server ``kills`` times at random moments (fixed ``seed``), checking after
    each kill that every acknowledged write is stored as sent.

    ``forked``: the killed servers are forked from a launcher that imported the app once
    (faultkit.Launcher), so a restart costs a fork instead of a Python start; the last start,
    which must serve what was saved, is the real command either way."""
    rng = random.Random(seed)
    began = time.monotonic()
    names = [f"writer{i}" for i in range(writers)]
    tokens = make_people(database_url, names)
    report = CrashReport(database_kind(database_url), kills, writers)
    launcher = Launcher() if forked else None
    server = Server(database_url, workdir / "crash-server.log", launcher=launcher)
    stop = threading.Event()
    threads = [Writer(n, tokens[n][0], server.base, stop) for n in names]
    engine = make_engine(database_url)
    path = Path(make_url(database_url).database or "") if is_sqlite(database_url) else None
    try:
        for thread in threads:
            thread.start()
        for kill in range(kills):
            report.start_seconds.append(server.start())
            before = sum(len(t.snapshot()) for t in threads)
            # Kill while writes are flowing: wait for this run's first acknowledged write (the
            # first requests of a new process are slower), then a random moment later.
            _wait_for_ack(threads, before, timeout=60)
            time.sleep(rng.uniform(*up_between))
            server.kill()
            acked_now = sum(len(t.snapshot()) for t in threads)
            report.acked_per_kill.append(acked_now - before)
            engine.dispose()
            if path is not None:
                result = integrity(path)
                if result != "ok":
                    report.integrity.append(f"after kill {kill + 1}: {result}")
            _verify(engine, threads, report, f"after kill {kill + 1}")
            log(
                f"  kill {kill + 1}/{kills}: {acked_now} acknowledged so far, "
                f"+{acked_now - before} this round"
            )
            if report.problems():
                break
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        # One last start, by the real command: the app itself must open the database and serve
        # what was saved.
        server.launcher = None
        server.start()
        for thread in threads:
            with client(server.base, thread.token) as http:
                answer = http.get("/api/v1/checkins", params={"limit": 1})
                if answer.status_code != 200:
                    report.http_errors.append(f"after the last start: {answer.status_code}")
        server.stop()
        engine.dispose()
        _verify(engine, threads, report, "at the end")
        stored = checkins_by_person(engine)
        for thread in threads:
            report.acknowledged += len(thread.acked)
            report.in_flight += len(thread.in_flight)
            report.in_flight_saved += sum(
                (thread.person, d) in stored for d in thread.in_flight if d not in thread.acked
            )
            report.refused += thread.refused
            report.http_errors.extend(f"{thread.person} {e}" for e in thread.errors)
    finally:
        stop.set()
        server.kill()
        engine.dispose()
        if launcher is not None:
            launcher.close()
    report.seconds = time.monotonic() - began
    return report


def _wait_for_ack(threads: list[Writer], before: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(len(t.snapshot()) for t in threads) > before:
            return
        time.sleep(0.01)
    raise AssertionError(f"no write was acknowledged within {timeout:.0f} s of a start")


def _verify(engine, threads: list[Writer], report: CrashReport, when: str) -> None:  # type: ignore[no-untyped-def]
    stored = checkins_by_person(engine)
    report.missing.clear()
    report.wrong.clear()
    for thread in threads:
        for day, sent in thread.snapshot().items():
            found = stored.get((thread.person, day))
            if found is None:
                report.missing.append(f"{when}: {thread.person} {day} {sent}")
            elif tuple(found) != sent:
                report.wrong.append(f"{when}: {thread.person} {day} sent {sent}, stored {found}")
