"""Backup while under load, restored into an empty database.

Writers keep changing the database through the server while backups are taken. What "equal to
an export taken at the backup's moment" means here, two ways:

1. Under the lock. A connection takes the write lock (``BEGIN IMMEDIATE``: writers wait on
   their busy_timeout), the backup is taken (``services.data.backup``; readers are not blocked
   in WAL mode), and the live database is exported through the lock-holding connection, which
   sees exactly the committed state the backup copied. The two exports must be equal, byte for
   byte but for ``exported_at``.

2. Free-running, with the real ``secondchance backup`` command. Each writer runs its operations
   one after another (check-in for a new day, then replace its safety plan, then the next
   check-in...), so the database is always "writer w has done its first k_w operations". The
   backup must show exactly such a prefix for every writer (no gap, no plan newer than its
   check-ins), with k_w at least the operations acknowledged before the backup started and at
   most those begun before it ended; and its check-in rows must equal, column by column, the
   first rows of the live export taken after the writers stopped.

Every backup must pass ``PRAGMA integrity_check``, and its export, imported into an empty
database (``secondchance import``), must export again to the same document.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from reliability.faultkit import (
    BIN,
    FIRST_DAY,
    Server,
    client,
    describe,
    integrity,
    make_people,
    server_env,
    sqlite_url,
)
from secondchance.db import make_engine, make_sessionmaker, transaction
from secondchance.services import data

NOTE = re.compile(r"^(\w+) #(\d+)$")


@dataclass
class BackupReport:
    writers: int
    locked: int = 0
    free: int = 0
    operations: int = 0
    backup_ms: list[float] = field(default_factory=list)
    rows_in_backups: list[int] = field(default_factory=list)
    problems_found: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def problems(self) -> str:
        if not self.problems_found:
            return ""
        return f"{len(self.problems_found)} problems:\n{describe(self.problems_found)}"

    def summary(self) -> str:
        return (
            f"backup under load: {self.locked} backups under the lock equal to the live export, "
            f"{self.free} `secondchance backup` runs each a consistent prefix of {self.writers} "
            f"writers' {self.operations} operations; check-ins per backup "
            f"{min(self.rows_in_backups, default=0)}-{max(self.rows_in_backups, default=0)}; "
            f"all integrity_check ok and round-tripped through import; {self.seconds:.0f} s"
        )


class SequentialWriter(threading.Thread):
    """Operation i: a check-in for a new day (even i) or a new safety plan (odd i), strictly
    one after another, so the database always holds a prefix of them."""

    def __init__(self, person: str, token: str, base: str, stop: threading.Event) -> None:
        super().__init__(name=f"writer-{person}", daemon=True)
        self.person, self.token, self.base, self.stop = person, token, base, stop
        self.begun = 0  # operations started
        self.acked = 0  # operations answered 2xx (always a prefix: one at a time)
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def run(self) -> None:
        with client(self.base, self.token) as http:
            while not self.stop.is_set():
                i = self.begun
                mark = f"{self.person} #{i}"
                with self.lock:
                    self.begun += 1
                try:
                    if i % 2 == 0:
                        day = (FIRST_DAY - timedelta(days=i // 2)).isoformat()
                        body = {"day": day, "mood": 1 + i % 10, "note": mark}
                        response = http.post("/api/v1/checkins", json=body)
                    else:
                        body = {"reasons": [mark], "calming": ["a walk"]}
                        response = http.put("/api/v1/safety-plan", json=body)
                except httpx.HTTPError as error:
                    self.errors.append(f"{mark}: {type(error).__name__} {error}")
                    return
                if response.status_code >= 300:
                    self.errors.append(f"{mark}: {response.status_code} {response.text[:200]}")
                    return
                with self.lock:
                    self.acked += 1

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return self.acked, self.begun


def export_of(database_url: str) -> dict[str, Any]:
    engine = make_engine(database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            return data.export_all(session, datetime.now(UTC))
    finally:
        engine.dispose()


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    strip = lambda d: {k: v for k, v in d.items() if k != "exported_at"}  # noqa: E731
    return strip(a) == strip(b)


def backup_under_lock(db: Path, destination: Path) -> tuple[dict[str, Any], float]:
    """Hold the write lock, back up, export through the lock's connection; returns the live
    export and the milliseconds the lock was held."""
    holder = sqlite3.connect(db, isolation_level=None, timeout=30, check_same_thread=False)
    # An engine over that one connection, for the export; opened once first, so that its
    # first-connect checks and reset-on-return (a ROLLBACK) happen before the lock is taken.
    pinned = create_engine("sqlite://", creator=lambda: holder, poolclass=StaticPool)
    with pinned.connect():
        pass
    began = time.monotonic()
    try:
        holder.execute("BEGIN IMMEDIATE")  # every writer now waits
        engine = make_engine(sqlite_url(db))
        try:
            data.backup(engine, destination)
        finally:
            engine.dispose()
        # The export reads through the connection that holds the lock: the same committed state.
        with make_sessionmaker(pinned)() as session:
            live = data.export_all(session, datetime.now(UTC))
            if not holder.in_transaction:
                raise AssertionError("the write lock was let go before the export was done")
        return live, (time.monotonic() - began) * 1000
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        pinned.dispose()
        holder.close()


def run_backup_under_load(
    workdir: Path,
    *,
    writers: int = 3,
    rounds: int = 3,
    seed: int = 20261118,
    warmup_ops: int = 30,
    log=print,  # type: ignore[no-untyped-def]
) -> BackupReport:
    began = time.monotonic()
    rng = random.Random(seed)
    db = workdir / "live.db"
    url = sqlite_url(db)
    names = [f"writer{i}" for i in range(writers)]
    tokens = make_people(url, names)
    report = BackupReport(writers)
    server = Server(url, workdir / "backup-server.log")
    stop = threading.Event()
    threads = [SequentialWriter(n, tokens[n][0], server.base, stop) for n in names]
    locked: list[tuple[Path, dict[str, Any]]] = []
    free: list[tuple[Path, dict[str, tuple[int, int]]]] = []
    try:
        server.start()
        for thread in threads:
            thread.start()
        _wait(lambda: all(t.counts()[0] >= warmup_ops for t in threads), 120, threads)
        for r in range(rounds):
            time.sleep(rng.uniform(0.05, 0.5))
            path = workdir / f"locked-{r}.db"
            live, held_ms = backup_under_lock(db, path)
            locked.append((path, live))
            report.backup_ms.append(held_ms)
            time.sleep(rng.uniform(0.05, 0.5))
            path = workdir / f"free-{r}.db"
            before = {t.person: t.counts()[0] for t in threads}
            cli = subprocess.run(
                [str(BIN / "secondchance"), "backup", str(path)],
                env=server_env(url),
                capture_output=True,
                text=True,
                timeout=120,
            )
            after = {t.person: t.counts()[1] for t in threads}
            if cli.returncode != 0:
                report.problems_found.append(f"secondchance backup failed: {cli.stderr.strip()}")
                continue
            free.append((path, {p: (before[p], after[p]) for p in before}))
            log(f"  round {r + 1}: backups taken, {sum(before.values())} operations acknowledged")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        server.stop()
    for thread in threads:
        report.problems_found.extend(thread.errors)
        report.operations += thread.counts()[0]
    final = export_of(url)
    for path, live in locked:
        copy = _checked_export(path, report)
        if copy is not None and not same(copy, live):
            report.problems_found.append(f"{path.name}: differs from the export under the lock")
        report.locked += copy is not None
    for path, bounds in free:
        copy = _checked_export(path, report)
        if copy is not None:
            _check_prefix(path.name, copy, final, bounds, report)
            report.free += 1
    if free:
        _check_restore_with_cli(free[-1][0], workdir, report)
    report.seconds = time.monotonic() - began
    return report


def _wait(condition, timeout: float, threads: list[SequentialWriter]) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if any(t.errors for t in threads):
            raise AssertionError(describe([e for t in threads for e in t.errors]))
        time.sleep(0.05)
    raise AssertionError(f"writers did not get going within {timeout:.0f} s")


def _checked_export(path: Path, report: BackupReport) -> dict[str, Any] | None:
    """The backup's integrity check and its export, which must round-trip through import."""
    result = integrity(path)
    if result != "ok":
        report.problems_found.append(f"{path.name}: integrity_check {result}")
        return None
    exported = export_of(sqlite_url(path))
    report.rows_in_backups.append(sum(len(p["checkins"]) for p in exported["people"]))
    empty = path.with_name(path.stem + "-restored.db")
    engine = make_engine(sqlite_url(empty))
    try:
        from secondchance.migrate import upgrade

        upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            data.import_all(session, json.loads(data.dumps(exported)))
    finally:
        engine.dispose()
    if not same(export_of(sqlite_url(empty)), exported):
        report.problems_found.append(f"{path.name}: export -> import -> export differs")
    return exported


def _check_prefix(
    name: str,
    copy: dict[str, Any],
    final: dict[str, Any],
    bounds: dict[str, tuple[int, int]],
    report: BackupReport,
) -> None:
    live_people = {p["username"]: p for p in final["people"]}
    for person in copy["people"]:
        who = person["username"]
        live = live_people[who]
        steps = [int(NOTE.match(c["note"]).group(2)) for c in person["checkins"]]  # type: ignore[union-attr]
        plan = person["safety_plan"]
        plan_step = int(NOTE.match(plan["reasons"]).group(2)) if plan else -1  # type: ignore[union-attr]
        last_checkin = steps[-1] if steps else -2
        if steps != list(range(0, last_checkin + 1, 2)):
            report.problems_found.append(f"{name} {who}: check-ins with a gap {steps}")
            continue
        if plan_step not in (last_checkin - 1, last_checkin + 1):
            report.problems_found.append(
                f"{name} {who}: plan from step {plan_step}, check-ins up to {last_checkin}"
            )
            continue
        done = max(last_checkin, plan_step) + 1
        low, high = bounds[who]
        if not low <= done <= high:
            report.problems_found.append(
                f"{name} {who}: holds {done} operations; {low} were acknowledged before it "
                f"began and {high} begun before it ended"
            )
        expected = live["checkins"][: len(steps)]
        if person["checkins"] != expected:
            report.problems_found.append(f"{name} {who}: check-ins differ from the live rows")
        rest = {k: v for k, v in person.items() if k not in ("checkins", "safety_plan")}
        live_rest = {k: v for k, v in live.items() if k not in ("checkins", "safety_plan")}
        if rest != live_rest:
            report.problems_found.append(f"{name} {who}: profile or other tables differ")


def _check_restore_with_cli(backup: Path, workdir: Path, report: BackupReport) -> None:
    """The commands a person would use: export the backup, import it into a new database."""
    exported = export_of(sqlite_url(backup))
    dump = workdir / "backup-export.json"
    dump.write_text(data.dumps(exported), encoding="utf-8")
    restored = workdir / "restored-by-cli.db"
    result = subprocess.run(
        [str(BIN / "secondchance"), "import", str(dump)],
        env=server_env(sqlite_url(restored)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        report.problems_found.append(f"secondchance import failed: {result.stderr.strip()}")
        return
    if not same(export_of(sqlite_url(restored)), exported):
        report.problems_found.append("secondchance import of the backup's export differs")
